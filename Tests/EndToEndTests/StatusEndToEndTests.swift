import Foundation
import XCTest

/// `ml-connector status` over a demo tenant that ran jobs against the sandbox.
final class StatusEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func tearDown() { demo?.stop() }

    func status(_ args: [String] = [], expect code: Int32) throws -> CommandResult {
        let r = try runProgram("ml-connector", ["status"] + args, env: ["ML_CONNECTOR_STATE": demo.state])
        XCTAssertEqual(r.status, code, "status \(args): \(r.stdout) \(r.stderr)")
        return r
    }

    func report(expect code: Int32) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(try status(["--json"], expect: code).stdout.utf8)) as! [String: Any]
    }

    func tenant(_ report: [String: Any]) throws -> [String: Any] {
        let tenants = report["tenants"] as! [[String: Any]]
        XCTAssertEqual(tenants.map { $0["tenant"] as? String }, ["demo"])
        return try XCTUnwrap(tenants.first)
    }

    func job(_ tenant: [String: Any], _ name: String) throws -> [String: Any] {
        try XCTUnwrap((tenant["jobs"] as! [[String: Any]]).first { $0["job"] as? String == name }, name)
    }

    /// What `ml-connector hold JOB` leaves behind.
    func hold(_ job: String) throws {
        let r = try runProgram("ml-connector", ["hold", job, "--reason", "supplier data being fixed"], env: demo.env)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func testAParkedOrderAndAHeldJobShowWithTheirReasonsAndExitOne() throws {
        demo = try DemoTenant()
        XCTAssertEqual(try demo.emit("order.shipped", orderID: 15949217, webhookID: "msg_pos").status, 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertEqual(try demo.job("poll-syspro-inventory").status, 0)
        try hold("po-alerts-twilio")

        let r = try report(expect: 1)
        XCTAssertEqual(r["verdict"] as? String, "ATTENTION")
        let t = try tenant(r)
        XCTAssertEqual(t["verdict"] as? String, "ATTENTION")
        let sb = try job(t, "shipbob-to-syspro")
        XCTAssertEqual(sb["verdict"] as? String, "ATTENTION")
        XCTAssertEqual(sb["exit_status"] as? Int, 0)
        XCTAssertEqual(sb["failed"] as? Int, 1)
        XCTAssertEqual(sb["attention"] as? Int, 1)
        XCTAssertEqual(try job(t, "poll-syspro-inventory")["verdict"] as? String, "OK")
        XCTAssertGreaterThan(((try job(t, "poll-syspro-inventory")["moved"] as? [[String: Any]]) ?? []).count, 0)
        XCTAssertEqual(try job(t, "po-alerts-twilio")["verdict"] as? String, "HELD")
        XCTAssertEqual(try job(t, "syspro-to-hubspot")["verdict"] as? String, "NEVER RUN")

        let attention = try XCTUnwrap((t["attention"] as? [[String: Any]])?.first)
        XCTAssertEqual(attention["id"] as? String, "msg_pos")
        XCTAssertTrue((attention["reason"] as? String ?? "").contains("55178"), "\(attention)")
        let failed = try XCTUnwrap((t["failed"] as? [[String: Any]])?.first)
        XCTAssertEqual(failed["queue"] as? String, "spool/shipbob")
        XCTAssertTrue((failed["reason"] as? String ?? "").contains("55178"), "the reason from failed/.msg_pos.why: \(failed)")
        let spool = try XCTUnwrap((t["queues"] as? [[String: Any]])?.first { $0["queue"] as? String == "spool/shipbob" })
        XCTAssertEqual(spool["failed"] as? Int, 1)
        XCTAssertEqual(spool["job"] as? String, "shipbob-to-syspro")
        XCTAssertTrue((t["cursors"] as! [[String: Any]]).contains { $0["name"] as? String == "poll-syspro-inventory" })
        XCTAssertTrue((t["tokens"] as! [[String: Any]]).contains { $0["name"] as? String == "ShipBob" && $0["state"] as? String == "no expiry" })

        let text = try status(expect: 1).stdout
        for expected in ["tenant demo: ATTENTION", "HELD", "shipbob-msg_pos.json", "55178", "spool/shipbob/failed/msg_pos", "poll-syspro-inventory (updated"] {
            XCTAssertTrue(text.contains(expected), "\(expected) in:\n\(text)")
        }
    }

    func testAFailingJobMakesStatusExitTwoNamingTheError() throws {
        demo = try DemoTenant(webStack: false)
        try demo.removeSecret("hubspot_token")
        XCTAssertEqual(try demo.job("syspro-to-hubspot").status, 78)
        let t = try tenant(try report(expect: 2))
        let hubspot = try job(t, "syspro-to-hubspot")
        XCTAssertEqual(hubspot["verdict"] as? String, "FAILING")
        XCTAssertEqual(hubspot["exit_status"] as? Int, 78)
        XCTAssertTrue((hubspot["why"] as? String ?? "").contains("hubspot_token"), "\(hubspot)")
        _ = try status(["--tenant", "nosuch"], expect: 64)
    }

    func testAJobWithoutARecentSuccessIsStaleUnlessItsIntervalSaysOtherwise() throws {
        demo = try DemoTenant(webStack: false)
        XCTAssertEqual(try demo.job("poll-syspro-inventory").status, 0)
        // As if cron had stopped running it an hour ago (it runs every 5 minutes).
        let path = demo.tenantDir + "/state/poll-syspro-inventory/last-run.json"
        var record = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        let hourAgo = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-3600))
        for key in ["started", "finished", "last_success", "first_run"] { record[key] = hourAgo }
        try JSONSerialization.data(withJSONObject: record).write(to: URL(fileURLWithPath: path))

        let poll = try job(try tenant(try report(expect: 2)), "poll-syspro-inventory")
        XCTAssertEqual(poll["verdict"] as? String, "STALE")
        XCTAssertTrue((poll["why"] as? String ?? "").contains("stale after 15 min"), "\(poll)")

        try demo.editConfig { $0["monitor"] = ["interval_minutes": ["poll-syspro-inventory": 60]] }
        XCTAssertEqual(try job(try tenant(try report(expect: 0)), "poll-syspro-inventory")["verdict"] as? String, "OK",
                       "run hourly, an hour-old success is within three intervals")
    }

    /// last-run.json is replaced without fsync (SECURITY.md): a power cut may leave it empty.
    func testALastRunLeftEmptyByAPowerCutIsNamedAndTheNextPassWritesItAfresh() throws {
        demo = try DemoTenant(webStack: false)
        XCTAssertEqual(try demo.job("poll-syspro-inventory").status, 0)
        let path = demo.tenantDir + "/state/poll-syspro-inventory/last-run.json"
        try Data().write(to: URL(fileURLWithPath: path))

        let t = try tenant(try report(expect: 2))
        let problems = t["problems"] as? [String] ?? []
        XCTAssertTrue(problems.contains { $0.contains(path) }, "\(problems)")

        XCTAssertEqual(try demo.job("poll-syspro-inventory").status, 0)
        XCTAssertEqual(try job(try tenant(try report(expect: 0)), "poll-syspro-inventory")["verdict"] as? String, "OK")
    }
}
