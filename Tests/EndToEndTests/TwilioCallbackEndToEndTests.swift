import Foundation
import WebhookCore
import XCTest
import ConnectorKit

/// Twilio status callbacks through the real nginx + fcgiwrap into webhook-cgi: a callback
/// signed over the configured public URL is spooled once, sealed; a forged one is 403,
/// audited, spooled nowhere; and the sandbox, acting as Twilio, gets its callbacks in.
final class TwilioCallbackEndToEndTests: EndToEndCase {
    var demo: DemoTenant!
    /// What Twilio was given as StatusCallback: a public https URL, not the loopback one
    /// nginx serves the test on, so a check against what nginx reports would fail.
    let publicURL = "https://connector.example.com/webhooks/demo/twilio"
    let authToken = (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    let sid = "SM" + (0..<16).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    let to = "+13125550142", from = "+13125550199"

    override func tearDown() { demo?.stop() }

    /// A demo tenant whose Twilio callbacks are checked against `url` with `token`.
    func start(callbackURL url: String?, token: String?, sandboxArgs: [String] = []) throws {
        demo = try DemoTenant(sandboxArgs: sandboxArgs)
        if let url { try demo.editConfig { $0["twilio"] = ["status_callback_url": url] } }
        // `ml-sandbox init-tenant` stores the sandbox's token; a test of the missing token removes it.
        if let token { try demo.setSecret(SecretName.twilioAuthToken, token) } else { try demo.removeSecret(SecretName.twilioAuthToken) }
    }

    var nginxURL: String { demo.stack!.url(tenant: demo.tenant, source: "twilio") }
    var spooled: [String] { demo.files("spool/twilio/new") }
    func twilioAudit() -> [[String: Any]] { demo.auditLines().filter { $0["source"] as? String == "twilio" } }

    /// A status callback's form as Twilio sends it (docs/vendors/twilio.md "Status callbacks").
    func callback(status: String = "delivered", errorCode: String? = nil) -> [(name: String, value: String)] {
        var form: [(name: String, value: String)] = [
            ("AccountSid", "AC" + String(repeating: "0", count: 32)), ("ApiVersion", "2010-04-01"), ("From", from),
            ("MessageSid", sid), ("MessageStatus", status), ("SmsSid", sid), ("SmsStatus", status), ("To", to),
        ]
        if let errorCode { form.append(("ErrorCode", errorCode)) }
        return form
    }

    static func encode(_ form: [(name: String, value: String)]) -> String {
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return form.map { "\($0.name.addingPercentEncoding(withAllowedCharacters: unreserved)!)=\($0.value.addingPercentEncoding(withAllowedCharacters: unreserved)!)" }
            .joined(separator: "&")
    }

    /// Posts `form` (or `body` when given) through nginx, signed with `token` over `signedURL`.
    func post(_ form: [(name: String, value: String)], body: String? = nil, token: String? = nil, signedURL: String? = nil,
              query: String = "", signature: String?? = nil) throws -> HTTP.Response {
        let sign = signature ?? TwilioSignature.expected(authToken: token ?? authToken, url: signedURL ?? publicURL, parameters: form)
        var headers = ["content-type": "application/x-www-form-urlencoded", "user-agent": "TwilioProxy/1.1",
                       "i-twilio-idempotency-token": UUID().uuidString]
        if let sign { headers["x-twilio-signature"] = sign }
        return try HTTP.request("POST", nginxURL + query, headers: headers, body: Data((body ?? Self.encode(form)).utf8))
    }

    /// Fails if any file under the tenant directory holds a phone number the tests use in
    /// plain text (digits as typed or form-encoded, or the base64 of a raw form that `body` would hold).
    func assertNoPlainPhoneNumbers(rawBodies: [String], file: StaticString = #filePath, line: UInt = #line) throws {
        let needles = ["3125550142", "3125550199", "3125550180"]
            + rawBodies.map { Data($0.utf8).base64EncodedString() }
        let root = URL(fileURLWithPath: demo.tenantDir)
        var checked: [String] = []
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])! {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            let bytes = try Data(contentsOf: url)
            checked.append(String(url.path.dropFirst(root.path.count + 1)))
            for needle in needles where bytes.range(of: Data(needle.utf8)) != nil {
                XCTFail("\(url.path) holds \(needle) in plain text", file: file, line: line)
            }
        }
        XCTAssertTrue(checked.contains("secrets.json") && checked.contains { $0.hasPrefix("audit/") },
                      "the walk reached the tenant's files: \(checked)", file: file, line: line)
    }

    func testASignedCallbackIsSpooledOnceWithItsFormSealedAndARepeatIsADuplicate() throws {
        try start(callbackURL: publicURL, token: authToken)
        let form = callback(status: "delivered")
        let first = try post(form)
        XCTAssertEqual(first.status, 200, first.text)
        XCTAssertEqual(first.text, "accepted\n")
        XCTAssertEqual(spooled, ["\(sid).delivered"])

        let path = demo.tenantDir + "/spool/twilio/new/\(sid).delivered"
        let envelope = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as? [String: Any])
        XCTAssertEqual(envelope.keys.sorted(), ["headers", "id", "received_at", "sealed_body", "source", "topic"], "sealed_body instead of body")
        XCTAssertEqual(envelope["id"] as? String, "\(sid).delivered")
        XCTAssertEqual(envelope["source"] as? String, "twilio")
        XCTAssertEqual(envelope["topic"] as? String, "delivered")
        let headers = try XCTUnwrap(envelope["headers"] as? [String: String])
        XCTAssertEqual(headers.keys.sorted(), ["content-type", "i-twilio-idempotency-token", "user-agent"])
        let key = try MasterKey.load(from: demo.state + "/master.key")
        let opened = try key.open(try XCTUnwrap(envelope["sealed_body"] as? String), context: "spool.twilio")
        XCTAssertEqual(opened, Self.encode(form), "the raw form, byte for byte")
        XCTAssertThrowsError(try key.open(envelope["sealed_body"] as! String, context: "spool.shipbob"), "bound to its context")

        let again = try post(form)
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(again.text, "duplicate\n")
        XCTAssertEqual(spooled, ["\(sid).delivered"])
        let audit = twilioAudit()
        XCTAssertEqual(audit.compactMap { $0["outcome"] as? String }, ["accepted", "duplicate"])
        for line in audit {
            XCTAssertEqual(line["action"] as? String, "webhook")
            XCTAssertEqual(line["id"] as? String, "\(sid).delivered")
            XCTAssertEqual(line["detail"] as? [String: String], ["status": "delivered"])
        }
        try assertNoPlainPhoneNumbers(rawBodies: [Self.encode(form)])
    }

    func testEachStatusOfAMessageIsItsOwnItemAndTheErrorCodeIsAudited() throws {
        try start(callbackURL: publicURL, token: authToken)
        XCTAssertEqual(try post(callback(status: "sent")).status, 200)
        XCTAssertEqual(try post(callback(status: "undelivered", errorCode: "30003")).status, 200)
        XCTAssertEqual(spooled, ["\(sid).sent", "\(sid).undelivered"])
        let details = twilioAudit().compactMap { $0["detail"] as? [String: String] }
        XCTAssertEqual(details, [["status": "sent"], ["status": "undelivered", "error_code": "30003"]])
    }

    func testTheQueryStringTwilioCalledIsPartOfTheSignedURL() throws {
        try start(callbackURL: publicURL, token: authToken)
        let form = callback()
        let withoutQuery = try post(form, query: "?k=1")
        XCTAssertEqual(withoutQuery.status, 403, "signed without the query Twilio called")
        let signed = try post(form, signedURL: publicURL + "?k=1", query: "?k=1")
        XCTAssertEqual(signed.status, 200, signed.text)
        XCTAssertEqual(spooled, ["\(sid).delivered"])
    }

    func testForgedCallbacksAreRefused403AuditedOnceEachAndSpoolNothing() throws {
        try start(callbackURL: publicURL, token: authToken)
        let form = callback()
        var tampered = form
        tampered[4].value = "failed"
        let cases: [(String, HTTP.Response)] = [
            ("another auth token", try post(form, token: "not-" + authToken)),
            ("a parameter changed after signing", try post(tampered, signature: TwilioSignature.expected(authToken: authToken, url: publicURL, parameters: form))),
            ("signed over the URL nginx reports", try post(form, signedURL: nginxURL)),
        ]
        for (what, response) in cases {
            XCTAssertEqual(response.status, 403, "\(what): \(response.text)")
        }
        XCTAssertEqual(spooled, [])
        let refused = twilioAudit()
        XCTAssertEqual(refused.count, cases.count, "one line per forged callback")
        for line in refused {
            XCTAssertEqual(line["outcome"] as? String, "refused")
            XCTAssertEqual(line["detail"] as? [String: String], ["status": "403"])
            XCTAssertTrue((line["reason"] as? String ?? "").contains("X-Twilio-Signature"), "\(line)")
        }
        try assertNoPlainPhoneNumbers(rawBodies: [Self.encode(form), Self.encode(tampered)])
    }

    func testAMissingSignatureOrAMalformedFormOrFieldIsRefused400NamingIt() throws {
        try start(callbackURL: publicURL, token: authToken)
        var badSid = callback()
        badSid[3].value = "SM123"
        var badStatus = callback()
        badStatus[4].value = "lost"
        var noStatus = callback()
        noStatus.remove(at: 4)
        let cases: [(HTTP.Response, String)] = [
            (try post(callback(), signature: .some(nil)), "missing header X-Twilio-Signature"),
            (try post(callback(), body: "MessageSid=%zz"), "% not followed by two hex digits"),
            (try post(badSid), "form field MessageSid"),
            (try post(badStatus), "form field MessageStatus"),
            (try post(noStatus), "form field MessageStatus"),
        ]
        for (response, reason) in cases {
            XCTAssertEqual(response.status, 400, "\(reason): \(response.text)")
            XCTAssertTrue(response.text.contains(reason), response.text)
        }
        XCTAssertEqual(spooled, [])
        let reasons = twilioAudit().compactMap { $0["reason"] as? String }
        XCTAssertEqual(reasons.count, cases.count)
        for (_, reason) in cases { XCTAssertTrue(reasons.contains { $0.contains(reason) }, reason) }
    }

    func testWithoutTheCallbackURLOrTheAuthTokenConfiguredTheCallbackIsDeferred503() throws {
        try start(callbackURL: nil, token: nil)
        let noURL = try post(callback())
        XCTAssertEqual(noURL.status, 503, noURL.text)
        try demo.editConfig { $0["twilio"] = ["status_callback_url": self.publicURL] }
        let noToken = try post(callback())
        XCTAssertEqual(noToken.status, 503, noToken.text)
        XCTAssertEqual(spooled, [])
        let deferred = twilioAudit().filter { $0["outcome"] as? String == "deferred" }.compactMap { $0["reason"] as? String }
        XCTAssertEqual(deferred.count, 2)
        XCTAssertTrue(deferred[0].contains("twilio.status_callback_url is not set"), deferred[0])
        XCTAssertTrue(deferred[1].contains("secret twilio_auth_token is not set"), deferred[1])
    }

    /// The sandbox's Twilio credentials (`GET /_control/credentials`).
    func sandboxTwilio() throws -> [String: String] {
        try XCTUnwrap((try HTTP.json(demo.sandboxURL + "/_control/credentials") as? [String: Any])?["twilio"] as? [String: String])
    }

    /// Sends an SMS through the sandbox with nginx's webhook URL as its StatusCallback.
    func sandboxSMS(to recipient: String) throws -> String {
        let creds = try sandboxTwilio()
        let account = try XCTUnwrap(creds["account_sid"]), token = try XCTUnwrap(creds["auth_token"]), sender = try XCTUnwrap(creds["from"])
        let form = Self.encode([("To", recipient), ("From", sender), ("Body", "PO P00874 approved"), ("StatusCallback", nginxURL)])
        let r = try HTTP.request("POST", demo.sandboxURL + "/twilio/2010-04-01/Accounts/\(account)/Messages.json", headers: [
            "authorization": "Basic " + Data("\(account):\(token)".utf8).base64EncodedString(),
            "content-type": "application/x-www-form-urlencoded"], body: Data(form.utf8))
        XCTAssertEqual(r.status, 201, r.text)
        return try XCTUnwrap((try JSONSerialization.jsonObject(with: r.body) as? [String: Any])?["sid"] as? String)
    }

    /// The HTTP status of each callback the sandbox posted, per message; waits (the sandbox
    /// posts in the background) until each message has `count` answers.
    func sandboxCallbackAnswers(each count: Int) throws -> [[Int]] {
        func answers() throws -> [[Int]] {
            let messages = try XCTUnwrap(try HTTP.json(demo.sandboxURL + "/_control/twilio/messages") as? [[String: Any]])
            return messages.map { ($0["callbacks"] as? [[String: Any]] ?? []).compactMap { $0["http_status"] as? Int } }
        }
        let deadline = Date().addingTimeInterval(60)
        while try answers().contains(where: { $0.count < count }) && Date() < deadline { usleep(50_000) }
        return try answers()
    }

    /// A demo tenant whose webhook-cgi checks callbacks against nginx's URL (what the sandbox,
    /// as Twilio, was given) with the sandbox's auth token and SharedKey secret.
    func startWithSandboxAsTwilio(_ sandboxArgs: [String]) throws {
        try start(callbackURL: nil, token: nil, sandboxArgs: ["--twilio-status-step", "0"] + sandboxArgs)
        let creds = try sandboxTwilio()
        try demo.editConfig { $0["twilio"] = ["status_callback_url": self.nginxURL] }
        try demo.setSecret(SecretName.twilioAuthToken, try XCTUnwrap(creds["auth_token"]))
        try demo.setSecret(SecretName.twilioWebhookSharedKey, try XCTUnwrap(creds["webhook_shared_key_secret"]))
    }

    func testTheSandboxAsTwilioPostsSignedCallbacksThatAreSpooled() throws {
        try startWithSandboxAsTwilio([])
        let delivered = try sandboxSMS(to: to), lost = try sandboxSMS(to: "+13125550180")
        XCTAssertEqual(try demo.control("POST", "/_control/twilio/messages/\(delivered)/status", ["status": "delivered"]).status, 200)
        XCTAssertEqual(try demo.control("POST", "/_control/twilio/messages/\(lost)/status", ["status": "undelivered", "error_code": 30003]).status, 200)
        XCTAssertEqual(try sandboxCallbackAnswers(each: 3), [[200, 200, 200], [200, 200, 200]], "webhook-cgi accepted every callback")
        let expected = ["sending", "sent", "delivered"].map { "\(delivered).\($0)" } + ["sending", "sent", "undelivered"].map { "\(lost).\($0)" }
        XCTAssertEqual(spooled, expected.sorted())

        let audit = twilioAudit()
        XCTAssertEqual(audit.compactMap { $0["outcome"] as? String }, Array(repeating: "accepted", count: 6))
        XCTAssertEqual(audit.first { $0["id"] as? String == "\(lost).undelivered" }?["detail"] as? [String: String],
                       ["status": "undelivered", "error_code": "30003"])
        try assertNoPlainPhoneNumbers(rawBodies: [])
    }

    /// One message's three callbacks, signed the way `serve` options and control say, are
    /// all accepted and spooled.
    func assertSandboxCallbacksAccepted(file: StaticString = #filePath, line: UInt = #line) throws {
        let sid = try sandboxSMS(to: to)
        XCTAssertEqual(try demo.control("POST", "/_control/twilio/messages/\(sid)/status", ["status": "delivered"]).status, 200)
        XCTAssertEqual(try sandboxCallbackAnswers(each: 3), [[200, 200, 200]], "webhook-cgi accepted every callback", file: file, line: line)
        XCTAssertEqual(spooled, ["delivered", "sending", "sent"].map { "\(sid).\($0)" }, file: file, line: line)
    }

    func testCallbacksSignedWithHMACSHA256UnderAWebhookSettingAreAccepted() throws {
        try startWithSandboxAsTwilio(["--twilio-callback-signing", "shared-key-sha256"])
        try assertSandboxCallbacksAccepted()
    }

    func testCallbacksSignedOverTheURLWithoutItsPortAreAccepted() throws {
        try startWithSandboxAsTwilio(["--twilio-signed-url-port", "toggled"])
        try assertSandboxCallbacksAccepted()
    }

    func testCallbacksSignedWithHMACSHA256OverTheURLWithoutItsPortAreAccepted() throws {
        try startWithSandboxAsTwilio(["--twilio-callback-signing", "shared-key-sha256", "--twilio-signed-url-port", "toggled"])
        try assertSandboxCallbacksAccepted()
    }

    func testTheControlSwitchSignsWithTheSharedKeyAndSHA1() throws {
        try startWithSandboxAsTwilio([])
        let set = try demo.control("POST", "/_control/twilio/callbacks", ["signing": "shared-key-sha1", "signed_url_port": "as-given"])
        XCTAssertEqual(set.status, 200, set.text)
        try assertSandboxCallbacksAccepted()
    }

    /// With X-Twilio-Webhooks-Signature-Settings only the SharedKey may sign; an algorithm
    /// this code does not know is refused, never waved through unsigned; and a tenant
    /// without the SharedKey secret defers (503) rather than refuses.
    func testASettingsHeaderNeedsTheSharedKeysSignatureAndAKnownAlgorithm() throws {
        let sharedKey = "shared-" + authToken
        try start(callbackURL: publicURL, token: authToken)
        // `ml-sandbox init-tenant` stored the sandbox's SharedKey secret: this tenant has none yet.
        try demo.removeSecret(SecretName.twilioWebhookSharedKey)
        let form = callback()
        func post(signedWith key: String, algorithm: TwilioSignature.Algorithm, header: String?) throws -> HTTP.Response {
            var headers = ["content-type": "application/x-www-form-urlencoded",
                           "x-twilio-signature": TwilioSignature.expected(authToken: key, url: publicURL, parameters: form, algorithm: algorithm)]
            if let header { headers["x-twilio-webhooks-signature-settings"] = header }
            return try HTTP.request("POST", nginxURL, headers: headers, body: Data(Self.encode(form).utf8))
        }
        let noSecret = try post(signedWith: sharedKey, algorithm: .hmacSHA256, header: "key=webhooks_sharedkey_1,algorithm=HMAC_SHA256")
        XCTAssertEqual(noSecret.status, 503, noSecret.text)
        try demo.setSecret(SecretName.twilioWebhookSharedKey, sharedKey)
        let cases: [(String, HTTP.Response)] = [
            ("signed with the auth token", try post(signedWith: authToken, algorithm: .hmacSHA256, header: "key=k,algorithm=HMAC_SHA256")),
            ("SHA-1 where the header says SHA-256", try post(signedWith: sharedKey, algorithm: .hmacSHA1, header: "key=k,algorithm=HMAC_SHA256")),
            ("an unknown algorithm", try post(signedWith: sharedKey, algorithm: .hmacSHA256, header: "key=k,algorithm=HMAC_SHA512")),
            ("the shared key without the header", try post(signedWith: sharedKey, algorithm: .hmacSHA1, header: nil)),
        ]
        for (what, r) in cases { XCTAssertEqual(r.status, 403, "\(what): \(r.text)") }
        XCTAssertEqual(spooled, [])
        let ok = try post(signedWith: sharedKey, algorithm: .hmacSHA256, header: "key=k,algorithm=HMAC_SHA256")
        XCTAssertEqual(ok.status, 200, ok.text)
        XCTAssertEqual(spooled, ["\(sid).delivered"])
    }
}
