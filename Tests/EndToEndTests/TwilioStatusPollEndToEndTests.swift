import Foundation
import XCTest

/// `po-alerts-twilio` when Twilio's status callbacks never arrive (no web stack: they are
/// lost): the status poll fetches each message without a final status and records it as
/// its callback would have been (docs/vendors/twilio.md, "Status poll"); and a number real
/// Twilio would refuse as implausible is refused by the sandbox with 21211 and parked.
final class TwilioStatusPollEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    /// Statuses move only by control call, and the poll looks at any message a few
    /// milliseconds old, so the test decides what Twilio says when.
    override func setUpWithError() throws {
        try super.setUpWithError()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--twilio-status-step", "0"])
        try demo.editConfig { c in
            var t = c["twilio"] as! [String: Any]
            t["status_poll_minutes"] = 0.0001
            c["twilio"] = t
        }
    }
    override func tearDown() { demo?.stop() }

    func messages() throws -> [[String: Any]] { try HTTP.json(demo.sandboxURL + "/_control/twilio/messages") as! [[String: Any]] }
    func counts() throws -> [String: Any] { try HTTP.json(demo.sandboxURL + "/_control/twilio/counts") as! [String: Any] }
    func failed() -> [String] { demo.files("outbox/twilio/failed").filter { !$0.hasPrefix(".") } }

    @discardableResult
    func alerts(expect status: Int32 = 0) throws -> CommandResult {
        let r = try demo.job("po-alerts-twilio")
        XCTAssertEqual(r.status, status, r.stderr)
        return r
    }

    func sid(to number: String) throws -> String {
        try XCTUnwrap(try messages().first { $0["to"] as? String == number }?["sid"] as? String)
    }

    func testALostCallbackIsRecoveredByThePollDeliveredAndUndeliveredTheLatterReplayable() throws {
        let kmo = "+15555550101", rlt = "+15555550102"
        try alerts()
        XCTAssertEqual(try demo.control("POST", "/_control/syspro/po-transition", ["purchase_order": "P00874", "order_status": "4"]).status, 200)
        try alerts()
        XCTAssertEqual(try messages().count, 2)
        XCTAssertEqual(try demo.control("POST", "/_control/twilio/messages/\(try sid(to: kmo))/status", ["status": "delivered"]).status, 200)
        XCTAssertEqual(try demo.control("POST", "/_control/twilio/messages/\(try sid(to: rlt))/status",
                                        ["status": "undelivered", "error_code": 30003]).status, 200)
        _ = try demo.control("DELETE", "/_control/twilio/counts")
        try alerts()
        XCTAssertEqual(try counts()["fetch"] as? Int, 2, "each message without a final status is fetched once")
        let reports = demo.auditLines().filter { $0["action"] as? String == "delivery" }
        XCTAssertEqual(reports.compactMap { $0["outcome"] as? String }.sorted(), ["delivered", "undelivered"], "\(reports)")
        XCTAssertTrue(reports.allSatisfy { ($0["detail"] as? [String: Any])?["via"] as? String == "poll" })
        XCTAssertTrue(reports.contains { ($0["detail"] as? [String: Any])?["error_code"] as? String == "30003" })
        XCTAssertEqual(failed().count, 1, "the undelivered SMS is parked as its callback would have parked it")
        XCTAssertEqual(demo.files("attention").count, 1)

        _ = try demo.control("DELETE", "/_control/twilio/counts")
        try alerts()
        XCTAssertEqual(try counts()["fetch"] as? Int ?? 0, 0, "final statuses are not fetched again")

        XCTAssertEqual(try runProgram("ml-connector", ["replay", "--source", "twilio"], env: demo.env).status, 0)
        try alerts()
        XCTAssertEqual(try messages().filter { $0["to"] as? String == rlt }.count, 2, "the replay sent the undelivered SMS again")
        XCTAssertEqual(try messages().filter { $0["to"] as? String == kmo }.count, 1, "the delivered one was not")
    }

    func testAMessageStillInFlightIsPolledAgainUntilItsStatusIsFinal() throws {
        let kmo = "+15555550101"
        try alerts()
        XCTAssertEqual(try demo.control("POST", "/_control/syspro/po-transition", ["purchase_order": "P00874", "order_status": "4"]).status, 200)
        try alerts()
        XCTAssertEqual(try demo.control("POST", "/_control/twilio/messages/\(try sid(to: kmo))/status", ["status": "sent"]).status, 200)
        try alerts()
        XCTAssertEqual(demo.auditLines().filter { $0["action"] as? String == "delivery" }.compactMap { $0["outcome"] as? String }, ["sent"],
                       "a step forward is recorded; a message still queued is only looked at")
        XCTAssertEqual(try demo.control("POST", "/_control/twilio/messages/\(try sid(to: kmo))/status", ["status": "delivered"]).status, 200)
        try alerts()
        let outcomes = demo.auditLines().filter { $0["action"] as? String == "delivery" && $0["target"] as? String == (try? sid(to: kmo)) }
            .compactMap { $0["outcome"] as? String }
        XCTAssertEqual(outcomes, ["sent", "delivered"])
        XCTAssertEqual(failed().count, 0)
    }

    func testAnImplausibleNumberIsRefusedWith21211AndParkedAsPermanent() throws {
        let set = try runProgram("ml-connector", ["secret", "set", "phone.kmo"], env: demo.env, stdin: "+1555\n")
        XCTAssertEqual(set.status, 0, set.stderr)
        try alerts()
        XCTAssertEqual(try demo.control("POST", "/_control/syspro/po-transition", ["purchase_order": "P00874", "order_status": "4"]).status, 200)
        try alerts()
        XCTAssertEqual(try counts()["create"] as? Int, 2, "one refused, one sent; the refusal is not retried")
        XCTAssertEqual(failed().count, 1)
        let why = try String(contentsOfFile: demo.tenantDir + "/outbox/twilio/failed/.\(failed()[0]).why", encoding: .utf8)
        XCTAssertTrue(why.contains("21211") && !why.contains("+1555"), why)
        try alerts()
        XCTAssertEqual(try counts()["create"] as? Int, 2, "a rerun does not resend the parked SMS")
    }
}
