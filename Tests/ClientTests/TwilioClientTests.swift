import ConnectorKit
import ConnectorNet
import Sandbox
import Twilio
import WebhookCore
import XCTest
import ConnectorConfig

/// The Twilio client against the in-process sandbox: each answer classified as the outbox
/// needs it (accepted, refused, not sent, unclear) and the lookup an unclear answer needs.
final class TwilioClientTests: XCTestCase {
    var server: SandboxServer!
    var base = ""
    var http: HTTPClient!
    var creds: JSONValue!

    override func setUp() async throws {
        server = SandboxServer(options: SandboxOptions())
        base = "http://127.0.0.1:\(try await server.start())"
        http = HTTPClient(settings: HTTPSettings(), logger: Logger(job: "test"))
        creds = try JSONValue.parse(try http.send(HTTPRequest(.get, base + "/_control/credentials")).body)["twilio"]!
    }

    override func tearDown() async throws { await server.stop() }

    func client(apiKey: Bool = true, secret: String? = nil, maxAttempts: Int = 3) -> TwilioClient {
        var s = TwilioSettings()
        s.apiURL = base + "/twilio"
        s.from = creds["from"]!.string!
        let user = apiKey ? creds["api_key_sid"]!.string! : creds["account_sid"]!.string!
        let password = secret ?? (apiKey ? creds["api_key_secret"]!.string! : creds["auth_token"]!.string!)
        var settings = HTTPSettings()
        settings.maxAttempts = maxAttempts
        return TwilioClient(settings: s, account: creds["account_sid"]!.string!,
                            credentials: TwilioCredentials(user: user, password: password, secretName: SecretName.twilioApiKeySecret),
                            http: http, policy: RetryPolicy(settings: settings, sleep: { _ in }))
    }

    func fault(_ body: String) throws {
        _ = try http.send(HTTPRequest(.post, base + "/_control/faults", headers: [("Content-Type", "application/json")], body: Data(body.utf8)))
    }

    func testACreatedMessageIsAcceptedWithItsSidWithEitherCredential() throws {
        for apiKey in [true, false] {
            guard case .accepted(let m) = try client(apiKey: apiKey).create(to: "+15555550101", body: "PO P1 approved") else {
                return XCTFail("not accepted")
            }
            XCTAssertTrue(m.sid.hasPrefix("SM") && m.sid.count == 34)
            XCTAssertEqual(m.status, "queued")
            XCTAssertEqual(m.segments, 1)
            XCTAssertNotNil(m.created, "date_created is read")
        }
    }

    func testAnInvalidNumberIsRefusedWithTwilioCode() throws {
        XCTAssertEqual(try client().create(to: "555", body: "x").refusedCode, 21211)
        XCTAssertEqual(try client().create(to: "+15555550101", body: String(repeating: "x", count: 1601)).refusedCode, 21617)
    }

    func testRateLimitsPastTheRetriesAreNotSentAndA5xxIsUnclear() throws {
        try fault(#"{"service": "twilio", "status": 429, "count": 5, "retry_after": 0}"#)
        guard case .notSent = try client(maxAttempts: 2).create(to: "+15555550101", body: "x") else { return XCTFail("429s: not sent") }
        _ = try http.send(HTTPRequest(.delete, base + "/_control/faults"))
        try fault(#"{"service": "twilio", "status": 500, "count": 1, "delay_ms": 1, "delay_after_commit": true}"#)
        guard case .unknown = try client().create(to: "+15555550101", body: "unclear") else { return XCTFail("500: unclear") }
        XCTAssertEqual(try client().recent(to: "+15555550101", since: 0).map(\.body), ["unclear"], "it was created all the same")
    }

    func testWrongCredentialsStopTheRunNamingTheSecret() throws {
        XCTAssertThrowsError(try client(secret: "wrong").create(to: "+15555550101", body: "x")) { error in
            let e = error as? VendorError
            XCTAssertEqual(e?.exitStatus, .config)
            XCTAssertTrue(e?.description.contains(SecretName.twilioApiKeySecret) == true, "\(error)")
        }
    }

    func testRecentPagesNewestFirstAndStopsAtOlderMessages() throws {
        let c = client()
        for n in 0..<60 { _ = try c.create(to: "+15555550102", body: "m\(n)") }
        _ = try c.create(to: "+15555550103", body: "other")
        let all = try c.recent(to: "+15555550102", since: 0)
        XCTAssertEqual(all.count, 60, "two pages of 50")
        XCTAssertEqual(all.first?.body, "m59")
        XCTAssertEqual(try c.recent(to: "+15555550102", since: Date().timeIntervalSince1970 + 3600).count, 0)
    }
}

extension SendOutcome {
    var refusedCode: Int? { if case .refused(let code, _) = self { return code } else { return nil } }
}
