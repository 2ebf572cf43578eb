import Foundation
import XCTest

/// `po-alerts-twilio` against the sandbox's SYSPRO purchasing tables and Twilio: exactly one
/// SMS per transition and person, whatever the reruns, kills, unclear answers and refusals,
/// and nothing readable about who was texted what in the state directory.
final class AlertsEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    static let phones = ["kmo": "+15555550101", "rlt": "+15555550102", "apdesk": "+15555550103"]

    func messages() throws -> [[String: Any]] {
        try HTTP.json(demo.sandboxURL + "/_control/twilio/messages") as! [[String: Any]]
    }
    func counts() throws -> [String: Any] { try HTTP.json(demo.sandboxURL + "/_control/twilio/counts") as! [String: Any] }

    /// Bodies Twilio holds per number.
    func texts() throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for m in try messages() { out[m["to"] as! String, default: []].append(m["body"] as! String) }
        return out
    }

    @discardableResult
    func alerts(expect status: Int32 = 0) throws -> CommandResult {
        let r = try demo.job("po-alerts-twilio")
        XCTAssertEqual(r.status, status, r.stderr)
        return r
    }

    /// Requests limited to 1 + 4 s: an attempt a kill cut short may still create its message
    /// for that long (PostInFlight), so it waits 5 s, not the default 70, to be made again.
    func shortHTTPLimits() throws {
        let url = URL(fileURLWithPath: demo.tenantDir + "/config.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as! [String: Any]
        var http = config["http"] as? [String: Any] ?? [:]
        http["connect_timeout_seconds"] = 1
        http["timeout_seconds"] = 4
        config["http"] = http
        try JSONSerialization.data(withJSONObject: config).write(to: url)
    }

    /// A purchase order is printed: OrderStatus 1 (ready to print) -> 4.
    func printed(_ po: String) throws {
        let r = try demo.control("POST", "/_control/syspro/po-transition", ["purchase_order": po, "order_status": "4"])
        XCTAssertEqual(r.status, 200)
    }

    func testAPrintedOrderTextsEachPersonOnceAndRerunsSendNothing() throws {
        try alerts()
        XCTAssertEqual(try messages().count, 0, "the first run learns what is there and texts nobody")
        try printed("P00874")
        try alerts()
        let t = try texts()
        XCTAssertEqual(t.count, 2, "procurement is kmo and rlt")
        for person in ["kmo", "rlt"] {
            XCTAssertEqual(t[Self.phones[person]!], ["PO P00874 printed for Pacific Textile Manufacturing: $2,382.00, 4 lines (buyer RLT)"])
        }
        let sms = demo.auditLines().filter { $0["action"] as? String == "sms" }
        XCTAssertEqual(sms.count, 2)
        let sids = Set(try messages().map { $0["sid"] as! String })
        XCTAssertEqual(Set(sms.compactMap { $0["target"] as? String }), sids, "the audit records each MessageSid")
        XCTAssertTrue(sms.allSatisfy { $0["id"] as? String == "P00874" && $0["source"] as? String == "PorMasterHdr" })

        _ = try demo.control("DELETE", "/_control/twilio/counts")
        try alerts()
        try alerts()
        XCTAssertEqual(try counts()["create"] as? Int, 0, "nothing changed in SYSPRO: no SMS")
    }

    /// The demo's default rules on the transitions SYSPRO makes: a supplier invoice posted
    /// (a new ApInvoice row), a requisition line approved, a new order entered (no rule).
    func testAPostedInvoiceAndAnApprovedRequisitionReachTheirPeople() throws {
        try alerts()
        let r = try demo.control("POST", "/_control/syspro/ap-post", ["supplier": "FREIGHT", "invoice": "LFS-30412", "journal": 320])
        XCTAssertEqual(r.status, 200)
        XCTAssertEqual(try demo.control("POST", "/_control/syspro/requisition-approve", ["requisition": "R00032"]).status, 200)
        _ = try demo.control("POST", "/_control/twilio/generate", ["purchase_orders": 1])
        try alerts()
        let t = try texts()
        XCTAssertEqual(t[Self.phones["apdesk"]!], ["AP invoice LFS-30412 from Lakeshore Freight Services posted to AP journal 320: $685.20, due 2026-09-04"])
        XCTAssertEqual(t[Self.phones["kmo"]!], ["Requisition R00032 line 1 approved: 100 AC-CAP-NAV from Brightline Labels & Trims, due 2026-09-01"],
                       "the buyer hears of the approved requisition")
        XCTAssertNil(t[Self.phones["rlt"]!], "a new order ready to print is no rule's event")
        _ = try demo.control("DELETE", "/_control/twilio/counts")
        try alerts()
        XCTAssertEqual(try counts()["create"] as? Int, 0, "each transition texted once")
    }

    func testNothingAboutRecipientsOrBodiesIsReadableInTheStateDirectory() throws {
        try alerts()
        try printed("P00874")
        _ = try demo.control("POST", "/_control/syspro/ap-post", ["supplier": "TEXMFG", "invoice": "TX-44188"])
        try alerts()
        XCTAssertEqual(try messages().count, 3)
        let bytes = try demo.stateText()
        for number in Self.phones.values { XCTAssertFalse(bytes.contains(number), "\(number) in plain text") }
        for number in Self.phones.values { XCTAssertFalse(bytes.contains(String(number.dropFirst(2))), "a number without its +1") }
        // Rendered bodies (the templates themselves are config, not personal data).
        for text in ["Textile Manufacturing: $2,382.00", "TX-44188 from Pacific", "$2,415.00"] {
            XCTAssertFalse(bytes.contains(text), "\(text) in plain text")
        }
    }

    func testAnUnclearAnswerIsLookedUpNotResent() throws {
        try alerts()
        try printed("P00874")
        // Twilio creates the first message, then answers 500: the message exists.
        _ = try demo.control("POST", "/_control/faults", ["service": "twilio", "path_contains": "Messages.json", "status": 500,
                                                         "delay_ms": 1, "delay_after_commit": true, "count": 1])
        try alerts()
        XCTAssertEqual(try messages().count, 2, "one SMS per person, the unclear one not sent again")
        let c = try counts()
        XCTAssertEqual(c["create"] as? Int, 2)
        XCTAssertGreaterThanOrEqual(c["list"] as? Int ?? 0, 1, "the unclear one was looked up")
        XCTAssertEqual(demo.auditLines().filter { $0["outcome"] as? String == "sent-found" }.count, 1)
    }

    func testAKillWhileTwilioHoldsTheMessageThenARerunSendsNothingTwice() throws {
        try shortHTTPLimits()
        try alerts()
        try printed("P00874")
        _ = try demo.control("POST", "/_control/faults", ["service": "twilio", "path_contains": "Messages.json",
                                                         "delay_ms": 3000, "delay_after_commit": true, "count": 1])
        let p = try startProgram("po-alerts-twilio", env: demo.env)
        let deadline = Date().addingTimeInterval(20)
        while try messages().isEmpty, Date() < deadline { usleep(50_000) }
        XCTAssertTrue(p.isRunning, "killed while Twilio holds the message but has not answered")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        _ = try demo.control("DELETE", "/_control/faults")
        let waiting = try alerts(expect: 75)
        XCTAssertTrue(waiting.stderr.contains("may still be created by Twilio"), waiting.stderr)
        // The message Twilio held is found; the other person's attempt, journaled with it
        // before the kill, may still be on its way for 5 s and waits (exit 75: try later).
        XCTAssertEqual(try texts().values.map(\.count), [1], "nothing sent while an attempt may still be in flight")
        sleep(5)
        try alerts()
        try alerts()
        let t = try texts()
        XCTAssertEqual(t.values.map(\.count).sorted(), [1, 1], "exactly one SMS each for kmo and rlt: \(t)")
    }

    func testAKillBeforeTheOutboxIsSentQueuesNothingTwice() throws {
        try shortHTTPLimits()
        try alerts()
        try printed("P00874")
        try printed("P00875")
        // Hold Twilio's first answer (a 503 that creates nothing) so the kill lands after the
        // outbox holds all four items.
        _ = try demo.control("POST", "/_control/faults", ["service": "twilio", "path_contains": "Messages.json", "status": 503,
                                                         "delay_ms": 3000, "count": 1])
        let p = try startProgram("po-alerts-twilio", env: demo.env)
        let deadline = Date().addingTimeInterval(20)
        while demo.files("outbox/twilio/new").count + demo.files("outbox/twilio/cur").count < 4, Date() < deadline { usleep(20_000) }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        _ = try demo.control("DELETE", "/_control/faults")
        sleep(5)  // the attempts journaled before the kill can no longer be in flight
        try alerts()
        XCTAssertEqual(try texts().values.map(\.count).sorted(), [2, 2], "two orders, each to kmo and rlt once")
    }

    func testARefusedNumberFailsOnceAndIsReplayedOnceFixed() throws {
        try alerts()
        _ = try demo.control("POST", "/_control/twilio/numbers", ["opted_out": [Self.phones["apdesk"]!]])
        _ = try demo.control("POST", "/_control/syspro/ap-post", ["supplier": "TEXMFG", "invoice": "TX-44188"])
        try alerts()
        XCTAssertEqual(try counts()["create"] as? Int, 1, "a permanent error is not retried")
        let failed = demo.files("outbox/twilio/failed").filter { !$0.hasPrefix(".") }
        XCTAssertEqual(failed.count, 1)
        let why = try String(contentsOfFile: demo.tenantDir + "/outbox/twilio/failed/.\(failed[0]).why", encoding: .utf8)
        XCTAssertTrue(why.contains("21610"), why)
        XCTAssertEqual(demo.files("attention").count, 1)
        try alerts()
        XCTAssertEqual(try counts()["create"] as? Int, 1, "a rerun does not resend a parked message")

        _ = try demo.control("POST", "/_control/twilio/numbers", ["opted_out": [String]()])
        let replay = try runProgram("ml-connector", ["replay", "--source", "twilio"], env: demo.env)
        XCTAssertEqual(replay.status, 0, replay.stderr)
        try alerts()
        XCTAssertEqual(try texts()[Self.phones["apdesk"]!]?.count, 1, "replayed once, delivered once")
        XCTAssertEqual(demo.files("attention").count, 0)
        try alerts()
        XCTAssertEqual(try messages().count, 1)
    }

    func testConfigCheckNamesAPersonWithoutANumberAndPingReachesTwilio() throws {
        XCTAssertEqual(try runProgram("ml-connector", ["config", "check"], env: demo.env).status, 0)
        let ping = try runProgram("ml-connector", ["ping"], env: demo.env)
        XCTAssertTrue(ping.stdout.contains("ok    Twilio: API Key accepted"), ping.stdout)
        try demo.removeSecret("phone.rlt")
        let check = try runProgram("ml-connector", ["config", "check"], env: demo.env)
        XCTAssertEqual(check.status, 78)
        XCTAssertTrue(check.stdout.contains("FAIL demo") && check.stdout.contains("phone.rlt"), check.stdout)
    }

    func testRateLimitsAreWaitedOutAndAStormLeavesMessagesForTheNextRun() throws {
        try alerts()
        try printed("P00874")
        _ = try demo.control("POST", "/_control/faults", ["service": "twilio", "path_contains": "Messages.json", "status": 429,
                                                         "count": 2, "retry_after": 0])
        try alerts()
        XCTAssertEqual(try messages().count, 2, "429s are retried (20429: never processed)")
        try demo.editConfig { c in
            var http = c["http"] as? [String: Any] ?? [:]
            http["max_attempts"] = 2
            c["http"] = http
        }
        try printed("P00875")
        _ = try demo.control("POST", "/_control/faults", ["service": "twilio", "path_contains": "Messages.json", "status": 429,
                                                         "count": 50, "retry_after": 0])
        let r = try alerts(expect: 75)
        XCTAssertTrue(r.stderr.contains("wait in outbox/twilio/new"), r.stderr)
        _ = try demo.control("DELETE", "/_control/faults")
        try alerts()
        XCTAssertEqual(try messages().count, 4)
    }

    /// Through nginx and webhook-cgi: the sandbox posts Twilio's signed callbacks to the
    /// configured StatusCallback URL, and the next run records them.
    func testDeliveryReportsAreRecordedAndAnUndeliveredSMSIsReplayable() throws {
        demo.stop()
        demo = try DemoTenant(webStack: true, sandboxArgs: ["--twilio-status-step", "0.1"])
        let callback = demo.stack!.url(tenant: demo.tenant, source: "twilio")
        try demo.editConfig { c in
            var t = c["twilio"] as! [String: Any]
            t["status_callback_url"] = callback
            c["twilio"] = t
        }
        _ = try demo.control("POST", "/_control/twilio/numbers", ["unreachable": [Self.phones["rlt"]!]])
        try alerts()
        try printed("P00874")
        try alerts()
        XCTAssertEqual(try messages().count, 2)
        // Wait for Twilio's final callbacks to have reached webhook-cgi.
        let deadline = Date().addingTimeInterval(20)
        func finalCallbacks() throws -> Int {
            try messages().flatMap { ($0["callbacks"] as? [[String: Any]]) ?? [] }
                .filter { ["delivered", "undelivered"].contains($0["status"] as? String) && $0["http_status"] as? Int == 200 }.count
        }
        while try finalCallbacks() < 2, Date() < deadline { usleep(100_000) }
        XCTAssertEqual(try finalCallbacks(), 2, "both messages reached their final status and webhook-cgi took the callbacks")
        try alerts()
        let reports = demo.auditLines().filter { $0["action"] as? String == "delivery" }
        let finals = reports.compactMap { $0["outcome"] as? String }.filter { ["delivered", "undelivered"].contains($0) }
        XCTAssertEqual(finals.sorted(), ["delivered", "undelivered"], "\(reports)")
        XCTAssertTrue(reports.contains { $0["outcome"] as? String == "undelivered" && ($0["detail"] as? [String: Any])?["error_code"] as? String == "30003" })
        XCTAssertEqual(demo.files("outbox/twilio/failed").filter { !$0.hasPrefix(".") }.count, 1, "the undelivered SMS is parked")
        XCTAssertEqual(demo.files("attention").count, 1)
        XCTAssertEqual(demo.files("spool/twilio/new").count, 0, "every callback was consumed")

        _ = try demo.control("POST", "/_control/twilio/numbers", ["unreachable": [String]()])
        XCTAssertEqual(try runProgram("ml-connector", ["replay", "--source", "twilio"], env: demo.env).status, 0)
        try alerts()
        XCTAssertEqual(try texts()[Self.phones["rlt"]!]?.count, 2, "the replay sent it again")
        XCTAssertEqual(try texts()[Self.phones["kmo"]!]?.count, 1, "the delivered one was not")
        let bytes = try demo.stateText()
        for number in Self.phones.values { XCTAssertFalse(bytes.contains(String(number.dropFirst(2))), "\(number) in plain text") }
    }
}
