import ConnectorKit
import ConnectorNet
import Foundation
import WebhookCore
import XCTest
import ConnectorConfig

/// The HTTP client when the sandbox closes the connection without an answer after it
/// committed (the `drop` fault): the outcome is unclear, and a create must go out once.
final class DroppedConnectionTests: SandboxTestCase {
    func twilioCreate(_ c: JSONValue) -> HTTPRequest {
        let sid = c["twilio"]!["account_sid"]!.string!
        return HTTPRequest(.post, base + "/twilio/2010-04-01/Accounts/\(sid)/Messages.json",
                           headers: [("Content-Type", "application/x-www-form-urlencoded")],
                           body: URLEncoding.form([("To", "+15555550101"), ("From", c["twilio"]!["from"]!.string!), ("Body", "once")]),
                           idempotent: false, basicAuth: (sid, c["twilio"]!["auth_token"]!.string!))
    }

    func testAPostDroppedAfterCommitOnAReusedConnectionIsNotSentAgain() async throws {
        let c = try await get("/_control/credentials").json
        let http = try HTTPClient(settings: HTTPSettings(), logger: Logger(job: "test"))
        // A first exchange leaves a keep-alive connection for the POST to reuse.
        XCTAssertEqual(try http.send(HTTPRequest(.get, base + "/shipbob/2026-07/channel", headers: [("Authorization", "Bearer sandbox-pat-demo")])).status, 200)
        _ = try await postJSON("/_control/faults", #"{"service":"twilio","drop":true,"delay_after_commit":true}"#)
        do {
            let r = try http.send(twilioCreate(c))
            XCTFail("a dropped connection is not an answer, got HTTP \(r.status)")
        } catch {
            XCTAssertFalse(error.nothingSent, "the request left: its outcome is unclear")
        }
        let sent = try await get("/_control/twilio/messages").json.array ?? []
        XCTAssertEqual(sent.filter { $0["body"]?.string == "once" }.count, 1, "libcurl must not resend the POST on a fresh connection")
    }
}
