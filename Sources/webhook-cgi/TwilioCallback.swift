import WebhookCore

/// Twilio's message status callbacks (docs/vendors/twilio.md "Status callbacks"): a form POST
/// with `MessageSid`, `MessageStatus`, `ErrorCode`, `To`, `From`, signed with
/// X-Twilio-Signature. Spooled for `po-alerts-twilio` under `<MessageSid>.<MessageStatus>`:
/// Twilio may send one status twice (a no-op here) and statuses out of order (each its
/// own item; the consumer keeps the furthest).
struct TwilioCallback {
    let inbound: Inbound

    /// Every `Status` of Twilio's Message resource (twilio/twilio-oai
    /// `twilio_api_v2010.json`, `message_enum_status`), `partially_delivered` included:
    /// a signed callback refused here is lost, Twilio does not resend it.
    static let messageStatuses: Set<String> = [
        "queued", "sending", "sent", "delivered", "undelivered", "failed", "read", "accepted",
        "scheduled", "canceled", "receiving", "received", "partially_delivered",
    ]

    func accept() -> CGIResponse {
        let answer = inbound.answer
        guard let signature = inbound.request.header("x-twilio-signature"), !signature.isEmpty else {
            return answer.refuse(400, "missing header X-Twilio-Signature", id: "-")
        }
        let form: [(name: String, value: String)]
        do { form = try FormURLEncoded.decode(inbound.body) }
        catch { return answer.refuse(400, "\(error)", id: "-") }

        let settings: TwilioCallbackSettings
        do { settings = try TwilioCallbackSettings.load(config: inbound.config) }
        catch { return answer.unavailable("tenant config: \(error)", id: "-") }
        // Without a Webhook Setting, the auth token and SHA-1; with one, the header names the
        // algorithm and the SharedKey secret signs (docs/vendors/twilio.md, "Webhook Settings
        // signatures (HMAC-SHA256)"). Either way a signature is required and checked.
        let settingsHeader = inbound.request.header("x-twilio-webhooks-signature-settings")
        guard let algorithm = TwilioSignature.Algorithm.named(bySettings: settingsHeader) else {
            return answer.refuse(403, "X-Twilio-Webhooks-Signature-Settings names an algorithm other than HMAC_SHA1 or HMAC_SHA256", id: "-")
        }
        let secretName = settingsHeader == nil ? SecretName.twilioAuthToken : SecretName.twilioWebhookSharedKey
        let keys: [[UInt8]], signingKey: String
        do {
            keys = try inbound.masterKeys()
            signingKey = try inbound.secret(secretName, keys: keys)
        } catch {
            return answer.unavailable("\(secretName.replacing("_", with: " ")): \(error)", id: "-")
        }
        // Every parameter is signed, including ones Twilio adds later
        // (twilio.com/docs/usage/webhooks/webhooks-security), so all of them are checked.
        let url = settings.signedURL(queryString: inbound.request.queryString)
        guard TwilioSignature.isValid(signature, authToken: signingKey, url: url, parameters: form, algorithm: algorithm) else {
            return answer.refuse(403, "X-Twilio-Signature (\(algorithm.rawValue)) does not match \(url) (with or without its port) and the form: forged, or signed with another \(settingsHeader == nil ? "auth token" : "shared key") or URL", id: "-")
        }

        func field(_ name: String) -> String? { form.first { $0.name == name }?.value }
        guard let sid = field("MessageSid"), TwilioCallback.isMessageSid(sid) else {
            return answer.refuse(400, "form field MessageSid missing or not SM/MM and 32 hex digits", id: "-")
        }
        guard let status = field("MessageStatus"), TwilioCallback.messageStatuses.contains(status) else {
            return answer.refuse(400, "form field MessageStatus missing or not a Twilio message status", id: sid)
        }
        let id = "\(sid).\(status)"
        var detail = ["status": status]
        if let code = field("ErrorCode"), !code.isEmpty { detail["error_code"] = code }

        let sealed: String
        do { sealed = try SpoolEnvelope.seal(inbound.body, key: keys[0], source: inbound.source.rawValue) }
        catch { return answer.unavailable("sealing the callback: \(error)", id: id) }
        return inbound.spool(id: id, topic: status, headerNames: ["content-type", "user-agent", "i-twilio-idempotency-token"],
                             sealedBody: sealed, detail: detail)
    }

    /// `SM` (SMS) or `MM` (MMS) and 32 hex digits: 34 characters, safe as a file name.
    static func isMessageSid(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard b.count == 34, (b[0] == UInt8(ascii: "S") || b[0] == UInt8(ascii: "M")), b[1] == UInt8(ascii: "M") else { return false }
        return b.dropFirst(2).allSatisfy { c in
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(c) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(c)
                || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(c)
        }
    }
}
