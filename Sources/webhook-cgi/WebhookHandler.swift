import WebhookCore

/// The decision for one request. Checks run cheapest first and in the order a
/// sender can act on: method, route/tenant, size, headers, signature, then the spool.
struct WebhookHandler {
    let request: CGIRequest
    let stateRoot: String
    let now: Int

    /// Routes `/webhooks/<tenant>/<source>`; only ShipBob is a source so far.
    static let sources: Set<String> = ["shipbob"]

    /// Set once the body has been read, so a refusal drains only what is still unread.
    var bodyRead = false

    mutating func handle() -> CGIResponse {
        let response = decide()
        if !bodyRead { CGIRequest.discardBody(count: request.contentLength ?? 0) }
        return response
    }

    private mutating func decide() -> CGIResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3, parts[0] == "webhooks", WebhookHandler.sources.contains(parts[2]),
              StateRoot.isValidTenant(parts[1]) else {
            return refuse(404, "no webhook route \(request.path)", audit: stateRoot + "/audit", id: "-")
        }
        let tenant = parts[1], source = parts[2]
        let tenantDir = "\(stateRoot)/tenants/\(tenant)"
        guard RawFile.exists(tenantDir + "/config.json") else {
            return refuse(404, "unknown tenant \(tenant)", audit: stateRoot + "/audit", id: "-")
        }
        let audit = tenantDir + "/audit"
        let deliveryID = request.header("webhook-id") ?? "-"

        guard request.method == "POST" else {
            return refuse(405, "method \(request.method) not allowed", audit: audit, id: deliveryID, headers: [("Allow", "POST")])
        }
        let limits: WebhookLimits
        do { limits = try WebhookLimits.load(config: tenantDir + "/config.json") }
        catch { return unavailable("tenant config: \(error)", audit: audit, id: deliveryID) }

        guard let length = request.contentLength, length >= 0 else {
            return refuse(400, "missing or malformed CONTENT_LENGTH", audit: audit, id: deliveryID)
        }
        guard length <= limits.maxBodyBytes else {
            return refuse(413, "body of \(length) bytes exceeds the limit of \(limits.maxBodyBytes)", audit: audit, id: deliveryID)
        }
        let body: [UInt8]
        bodyRead = true
        do { body = try CGIRequest.readBody(count: length) }
        catch { return refuse(400, "\(error)", audit: audit, id: deliveryID) }

        // The current generation names the topic in x-webhook-topic, the legacy one in
        // shipbob-topic (api-notes.md, "Webhooks now" / "Webhooks, legacy").
        guard let topic = request.header("x-webhook-topic") ?? request.header("shipbob-topic"), !topic.isEmpty else {
            return refuse(400, "missing header x-webhook-topic (or shipbob-topic)", audit: audit, id: deliveryID)
        }

        let verifier: StandardWebhooks
        do {
            verifier = try StandardWebhooks(secret: try webhookSecret(tenant: tenant, tenantDir: tenantDir),
                                            tolerance: limits.toleranceSeconds)
        } catch {
            return unavailable("webhook secret: \(error)", audit: audit, id: deliveryID)
        }
        do {
            try verifier.verify(id: request.header("webhook-id"), timestamp: request.header("webhook-timestamp"),
                                signature: request.header("webhook-signature"), body: body, now: Int64(now))
        } catch let failure as StandardWebhooks.Failure {
            return refuse(failure.httpStatus == 500 ? 503 : failure.httpStatus, failure.description, audit: audit, id: deliveryID)
        } catch {
            return refuse(401, "\(error)", audit: audit, id: deliveryID)
        }
        guard Maildir.isValidID(deliveryID) else {
            return refuse(400, "webhook-id is not a usable id (letters, digits, - _ . only, at most 200)", audit: audit, id: "-")
        }

        var headers: [String: String] = [:]
        for name in ["webhook-id", "webhook-timestamp", "x-webhook-topic", "shipbob-topic", "shipbob-subscription-id", "content-type", "user-agent"] {
            if let v = request.header(name) { headers[name] = v }
        }
        // The spooled envelope, as ConnectorKit's WebhookEnvelope reads it back.
        var envelope = JSONObjectWriter()
        envelope.field("body", Base64.encode(body))
        envelope.field("headers", headers)
        envelope.field("id", deliveryID)
        envelope.field("received_at", UTC.iso8601(seconds: now))
        envelope.field("source", source)
        envelope.field("topic", topic)
        do {
            let result = try Maildir.put(root: "\(tenantDir)/spool/\(source)", id: deliveryID, bytes: envelope.bytes)
            let outcome = result == .stored ? "accepted" : "duplicate"
            record(audit: audit, id: deliveryID, outcome: outcome, reason: nil, detail: ["topic": topic])
            return CGIResponse(status: 200, body: outcome)
        } catch {
            return unavailable("spool: \(error)", audit: audit, id: deliveryID)
        }
    }

    private func webhookSecret(tenant: String, tenantDir: String) throws -> String {
        let key = try Sealed.loadKey(StateRoot.masterKeyPath(root: stateRoot))
        let secrets = try JSONValue.parse(try RawFile.read(tenantDir + "/secrets.json"))
        guard let sealed = secrets[SecretName.shipbobWebhookSecret]?.string else {
            throw CGIError("secret \(SecretName.shipbobWebhookSecret) is not set; run `ml-connector secret set \(SecretName.shipbobWebhookSecret) --tenant \(tenant)`")
        }
        return String(decoding: try Sealed.open(sealed, key: key, context: SecretName.shipbobWebhookSecret), as: UTF8.self)
    }

    private func refuse(_ status: Int, _ reason: String, audit: String, id: String, headers: [(String, String)] = []) -> CGIResponse {
        record(audit: audit, id: id, outcome: "refused", reason: reason, detail: ["status": String(status)])
        return CGIResponse(status: status, body: reason, headers: headers)
    }

    /// Our fault, not the sender's: 503 with Retry-After so ShipBob redelivers later.
    private func unavailable(_ reason: String, audit: String, id: String) -> CGIResponse {
        let line = "ts=\(UTC.iso8601(seconds: now)) level=error job=webhook-cgi msg=\"cannot accept webhook\" id=\(id) reason=\"\(reason.replacing("\"", with: "'"))\"\n"
        CGIResponse.writeRaw(line, to: 2)
        record(audit: audit, id: id, outcome: "deferred", reason: reason, detail: ["status": "503"])
        return CGIResponse(status: 503, body: "temporarily unable to accept; retry later", headers: [("Retry-After", "60")])
    }

    /// One audit line, as ConnectorKit's AuditEntry reads it back; best effort (the
    /// answer to the sender does not depend on it).
    private func record(audit: String, id: String, outcome: String, reason: String?, detail: [String: String]) {
        var w = JSONObjectWriter()
        w.field("action", "webhook")
        w.field("detail", detail)
        w.field("id", id)
        w.field("job", "webhook-cgi")
        w.field("outcome", outcome)
        w.field("reason", reason)
        w.field("source", "shipbob")
        let ts = UTC.iso8601(seconds: now)
        w.field("ts", ts)
        try? RawFile.makeDirectories(audit)
        try? RawFile.append(w.bytes + [0x0a], to: "\(audit)/\(ts.prefix(10)).jsonl")
    }
}
