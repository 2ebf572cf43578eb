import Foundation
import XCTest
import ConnectorKit

/// The operator's "observe" and "act" commands against a sandbox tenant: `audit` filters and
/// keeps personal data sealed unless asked, `attention` lists what waits with its reason,
/// `replay` requeues through the job's normal path, `hold` stops a job cold until `release`.
final class OperatorActEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    @discardableResult
    func ml(_ args: [String], env: [String: String] = [:], expect status: Int32 = 0,
            file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let r = try runProgram("ml-connector", args, env: demo.env.merging(env) { $1 })
        XCTAssertEqual(r.status, status, "ml-connector \(args.joined(separator: " ")): \(r.stdout) \(r.stderr)", file: file, line: line)
        return r
    }

    @discardableResult
    func job(_ name: String, expect status: Int32 = 0, file: StaticString = #filePath, line: UInt = #line) throws -> CommandResult {
        let r = try demo.job(name)
        XCTAssertEqual(r.status, status, "\(name): \(r.stderr)", file: file, line: line)
        return r
    }

    func jsonLines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func messages() throws -> [[String: Any]] { try HTTP.json(demo.sandboxURL + "/_control/twilio/messages") as! [[String: Any]] }
    func sent(to number: String) throws -> Int { try messages().filter { $0["to"] as? String == number }.count }

    static let apdesk = "+15555550103"

    /// An AP invoice posted while apdesk has opted out: one SMS parked in outbox/twilio/failed
    /// with Twilio's 21610, and an attention item. Returns the outbox id.
    func parkAnSMS(invoice: String = "TX-44188") throws -> String {
        _ = try demo.control("POST", "/_control/twilio/numbers", ["opted_out": [Self.apdesk]])
        _ = try demo.control("POST", "/_control/syspro/ap-post", ["supplier": "TEXMFG", "invoice": invoice])
        try job("po-alerts-twilio")
        let parked = demo.files("outbox/twilio/failed").filter { !$0.hasPrefix(".") && $0.contains(invoice) }
        XCTAssertEqual(parked.count, 1, "\(demo.files("outbox/twilio/failed"))")
        return try XCTUnwrap(parked.first)
    }

    // MARK: audit

    func testAuditFiltersBySystemJobRecordAndOutcome() throws {
        try job("syspro-to-hubspot")
        try job("po-alerts-twilio")
        _ = try demo.control("POST", "/_control/syspro/po-transition", ["purchase_order": "P00874", "order_status": "4"])
        try job("po-alerts-twilio")

        let twilio = jsonLines(try ml(["audit", "--system", "twilio", "--json"]).stdout)
        XCTAssertEqual(twilio.count, 2, "one line per SMS: \(twilio)")
        XCTAssertTrue(twilio.allSatisfy { $0["action"] as? String == "sms" && $0["job"] as? String == "po-alerts-twilio" })
        let hubspot = jsonLines(try ml(["audit", "--system", "hubspot", "--json"]).stdout)
        XCTAssertFalse(hubspot.isEmpty)
        XCTAssertTrue(hubspot.allSatisfy { $0["job"] as? String == "syspro-to-hubspot" }, "\(hubspot)")

        let po = jsonLines(try ml(["audit", "--record", "P00874", "--json"]).stdout)
        XCTAssertEqual(po.map { $0["id"] as? String }, ["P00874", "P00874"])
        let company = jsonLines(try ml(["audit", "--record", "0000100", "--job", "syspro-to-hubspot", "--outcome", "created", "--json"]).stdout)
        XCTAssertEqual(company.count, 1, "\(company)")
        XCTAssertEqual(company.first?["action"] as? String, "upsert-customer")

        let table = try ml(["audit", "--job", "po-alerts-twilio", "--outcome", "sent"]).stdout
        XCTAssertTrue(table.hasPrefix("TIME (UTC)"), table)
        XCTAssertEqual(table.split(separator: "\n").count, 3, "a header and two SMS: \(table)")
        XCTAssertEqual(try ml(["audit", "--since", "2h", "--until", "1h"]).stdout, "no audit lines of tenant demo match\n")
        try ml(["audit", "--since", "last tuesday"], expect: 64)
    }

    func testAuditReadsOnlyTheDaysInRangeAndNamesBadLinesByFileAndLine() throws {
        try job("syspro-to-hubspot")
        let old = demo.tenantDir + "/audit/2026-01-02.jsonl"
        let good = #"{"action":"order","id":"msg_old","job":"shipbob-to-syspro","outcome":"posted","source":"shipbob","ts":"2026-01-02T10:00:00Z"}"#
        try (good + "\n{not json\n").write(toFile: old, atomically: true, encoding: .utf8)

        let recent = try ml(["audit", "--json"])
        XCTAssertFalse(recent.stdout.contains("msg_old"), "a day out of range is not read")
        let r = try ml(["audit", "--since", "2026-01-02", "--until", "2026-01-02", "--json"], expect: 65)
        XCTAssertEqual(jsonLines(r.stdout).map { $0["id"] as? String }, ["msg_old"], "the good line of that day is printed")
        XCTAssertTrue(r.stderr.contains("2026-01-02.jsonl:2"), r.stderr)
    }

    func testPersonalDataIsPrintedOnlyWithPersonalWhichSaysSoAndIsAudited() throws {
        try job("syspro-to-hubspot")
        try job("po-alerts-twilio")
        _ = try demo.control("POST", "/_control/syspro/po-transition", ["purchase_order": "P00874", "order_status": "4"])
        try job("po-alerts-twilio")
        let email = "web-orders@mlfashion.example", phone = "+15555550101", body = "PO P00874 printed"

        for args in [["audit"], ["audit", "--json"]] {
            let r = try ml(args)
            for secret in [email, phone, body] { XCTAssertFalse(r.stdout.contains(secret), "\(args): \(secret) printed") }
        }
        XCTAssertTrue(demo.auditLines().contains { $0["personal"] != nil }, "the audit holds sealed personal data to hide")

        let table = try ml(["audit", "--personal"], env: ["USER": "kmo"])
        for secret in [email, phone, body] { XCTAssertTrue(table.stdout.contains(secret), "\(secret) not shown: \(table.stdout)") }
        XCTAssertTrue(table.stderr.contains("showing personal data"), table.stderr)
        let json = jsonLines(try ml(["audit", "--personal", "--json", "--record", "0000100", "--job", "syspro-to-hubspot"]).stdout)
        XCTAssertEqual((json.first?["personal"] as? [String: Any])?["email"] as? String, email, "\(json)")

        let reads = demo.auditLines().filter { $0["action"] as? String == "read-personal" }
        XCTAssertEqual(reads.count, 2)
        XCTAssertEqual((reads.first?["detail"] as? [String: Any])?["who"] as? String, "kmo")
    }

    func testAPersonalValueThatDoesNotOpenIsShownAsSuchNotACrash() throws {
        try job("syspro-to-hubspot")
        let file = demo.tenantDir + "/audit/" + demo.files("audit")[0]
        var text = try String(contentsOfFile: file, encoding: .utf8)
        let sealed = try XCTUnwrap(demo.auditLines().compactMap { $0["personal"] as? String }.first)
        text = text.replacingOccurrences(of: sealed, with: "v1:" + Data(repeating: 7, count: 60).base64EncodedString())
        try text.write(toFile: file, atomically: true, encoding: .utf8)

        let r = try ml(["audit", "--personal", "--json", "--job", "syspro-to-hubspot"])
        let lines = jsonLines(r.stdout).filter { $0["personal"] != nil }
        XCTAssertEqual(lines.filter { $0["personal_error"] != nil }.count, 1, r.stdout)
        XCTAssertTrue(lines.contains { $0["personal"] is [String: Any] }, "the others still open")
    }

    // MARK: attention

    func testAttentionListsAnAttentionItemAndTheParkedItemWithItsReason() throws {
        try job("po-alerts-twilio")
        let id = try parkAnSMS()
        let lines = jsonLines(try ml(["attention", "--json"]).stdout)
        let item = try XCTUnwrap(lines.first { $0["kind"] as? String == "attention" })
        XCTAssertEqual(item["source"] as? String, "twilio")
        XCTAssertEqual(item["id"] as? String, id)
        XCTAssertEqual(item["queue"] as? String, "outbox/twilio")
        XCTAssertNotNil(item["since"])
        XCTAssertTrue((item["action"] as? String ?? "").contains("ml-connector replay"), "\(item)")
        let parked = try XCTUnwrap(lines.first { $0["kind"] as? String == "parked" })
        XCTAssertEqual(parked["queue"] as? String, "outbox/twilio")
        XCTAssertEqual(parked["job"] as? String, "po-alerts-twilio")
        XCTAssertTrue((parked["reason"] as? String ?? "").contains("21610"), "\(parked)")

        let table = try ml(["attention"]).stdout
        XCTAssertTrue(table.contains("attention (1):") && table.contains("parked in failed/ (1):") && table.contains(id), table)
    }

    func testAttentionSaysWhenNothingWaits() throws {
        XCTAssertEqual(try ml(["attention"]).stdout, "nothing waits for a person in tenant demo\n")
    }

    // MARK: replay

    func testReplayByIdFindsTheQueueAndTheNextRunSendsTheSMSOnce() throws {
        try job("po-alerts-twilio")
        let id = try parkAnSMS()
        XCTAssertEqual(try sent(to: Self.apdesk), 0, "Twilio refused it (21610) and created nothing")
        _ = try demo.control("POST", "/_control/twilio/numbers", ["opted_out": [String]()])

        XCTAssertEqual(try ml(["replay", id, "--dry-run"]).stdout.hasPrefix("would requeue twilio \(id)"), true)
        XCTAssertEqual(demo.files("outbox/twilio/failed").filter { !$0.hasPrefix(".") }, [id], "a dry run changes nothing")
        XCTAssertEqual(try ml(["replay", id]).stdout, "requeued twilio \(id)\n")
        XCTAssertEqual(demo.files("attention"), [], "its attention item is resolved")
        try job("po-alerts-twilio")
        try job("po-alerts-twilio")
        XCTAssertEqual(try sent(to: Self.apdesk), 1, "sent once after the replay, not again on the next run")
        XCTAssertEqual(demo.auditLines().filter { $0["action"] as? String == "replay" }.count, 1)
    }

    func testReplayFailedAndAttentionRequeueOnlyTheChosenQueuesAndExplainFindings() throws {
        // HubSpot refuses an invoice (unknown currency): parked in outbox/hubspot/failed.
        let invoice = (try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/ArInvoice") as! [[String: Any]])
            .first { ($0["Customer"] as? String)?.trimmingCharacters(in: .whitespaces) == "0000104" }!
        let key = ["Customer", "Invoice", "DocumentType"].reduce(into: [String: Any]()) { $0[$1] = invoice[$1] }
        // ArInvoice has no Currency: the customer's is the invoice's; the invoice is touched
        // so it is read again.
        _ = try demo.control("POST", "/_control/syspro/tables/ArCustomer", [["Customer": "0000104", "Currency": "XXX"]])
        _ = try demo.control("POST", "/_control/syspro/tables/ArInvoice", [key.merging(["InvoiceBal1": invoice["InvoiceBal1"]!]) { $1 }])
        try job("syspro-to-hubspot")
        XCTAssertEqual(demo.files("outbox/hubspot/failed").filter { !$0.hasPrefix(".") }.count, 1)
        try job("po-alerts-twilio")
        let sms = try parkAnSMS()
        // A stock difference: attention, but nothing queued to replay.
        try AttentionBox(directory: demo.tenantDir + "/attention").add(AttentionItem(
            source: "inventory", id: "variance-FG-TS-BLU-M", reason: "ShipBob holds 3, SYSPRO expects 5", action: "count the stock"))

        let attention = try ml(["replay", "--attention", "--job", "po-alerts-twilio"])
        XCTAssertEqual(attention.stdout, "requeued twilio \(sms)\n", "only the job's queues; the finding is not touched")
        XCTAssertEqual(demo.files("outbox/hubspot/failed").filter { !$0.hasPrefix(".") }.count, 1)

        let explained = try ml(["replay", "--attention"]).stdout
        XCTAssertTrue(explained.contains("inventory variance-FG-TS-BLU-M is not queued work, nothing to replay"), explained)
        XCTAssertTrue(explained.contains("nothing to replay"), explained)
        XCTAssertTrue(demo.files("attention").contains("inventory-variance-FG-TS-BLU-M.json"), "a finding clears when its cause does")

        _ = try demo.control("POST", "/_control/syspro/tables/ArCustomer", [["Customer": "0000104", "Currency": "$"]])   // the seed's
        let failed = try ml(["replay", "--failed", "--source", "hubspot"])
        XCTAssertTrue(failed.stdout.hasPrefix("requeued hubspot "), failed.stdout)
        try job("syspro-to-hubspot")
        XCTAssertEqual(demo.files("outbox/hubspot/failed").filter { !$0.hasPrefix(".") }, [])
        let invoices = try HTTP.json(demo.sandboxURL + "/_control/hubspot/objects/invoices") as! [[String: Any]]
        XCTAssertTrue(invoices.contains { (($0["properties"] as? [String: Any])?["syspro_invoice_key"] as? String ?? "").hasPrefix("0000104-") })
    }

    func testReplayNeedsToBeToldWhatAndRefusesWhatIsNotParked() throws {
        try ml(["replay"], expect: 64)
        let unknown = try ml(["replay", "msg_nowhere"], expect: 64)
        XCTAssertTrue(unknown.stderr.contains("msg_nowhere is not parked in any of spool/shipbob/failed/"), unknown.stderr)
        try ml(["replay", "--failed", "--job", "inventory-variance"], expect: 64)
        try ml(["replay", "--failed", "--attention"], expect: 64)
        XCTAssertEqual(try ml(["replay", "--failed"]).stdout, "nothing to replay in tenant demo\n")
    }

    // MARK: hold

    func testAHeldJobCallsNoSystemUntilReleased() throws {
        try job("po-alerts-twilio")
        let hold = try ml(["hold", "po-alerts-twilio", "--reason", "new phone numbers coming"], env: ["USER": "kmo"])
        XCTAssertTrue(hold.stdout.hasPrefix("held po-alerts-twilio for tenant demo"), hold.stdout)
        let marker = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: demo.tenantDir + "/holds/po-alerts-twilio"))) as! [String: Any]
        XCTAssertEqual(marker["reason"] as? String, "new phone numbers coming")
        XCTAssertEqual(marker["who"] as? String, "kmo")
        XCTAssertNotNil(marker["since"] as? String)

        _ = try demo.control("POST", "/_control/syspro/po-transition", ["purchase_order": "P00874", "order_status": "4"])
        _ = try demo.control("DELETE", "/_control/requests")
        let quiet = try job("po-alerts-twilio")
        XCTAssertEqual(quiet.stdout + quiet.stderr, "", "nothing for cron to mail")
        XCTAssertTrue(try runProgram("po-alerts-twilio", ["-v"], env: demo.env).stderr.contains("po-alerts-twilio is held for tenant demo"))
        XCTAssertEqual((try HTTP.json(demo.sandboxURL + "/_control/requests") as! [Any]).count, 0, "neither SYSPRO nor Twilio was called")
        XCTAssertEqual(try messages().count, 0)

        XCTAssertTrue(try ml(["release", "po-alerts-twilio"]).stdout.hasPrefix("released po-alerts-twilio"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: demo.tenantDir + "/holds/po-alerts-twilio"))
        try job("po-alerts-twilio")
        XCTAssertEqual(try messages().count, 2, "the approval waited and is sent after the release")
        XCTAssertEqual(demo.auditLines().compactMap { $0["action"] as? String }.filter { ["hold", "release"].contains($0) }, ["hold", "release"])
    }

    func testHoldKnowsTheJobsAndWaitsForARunningOne() throws {
        let unknown = try ml(["hold", "po-alerts"], expect: 64)
        XCTAssertTrue(unknown.stderr.contains("unknown job po-alerts; one of shipbob-to-syspro"), unknown.stderr)
        try ml(["hold", "inventory-variance", "--dry-run"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: demo.tenantDir + "/holds/inventory-variance"))

        let running = FileLock(path: demo.tenantDir + "/locks/syspro-to-hubspot.lock")
        XCTAssertTrue(try running.tryLock())
        let busy = try ml(["hold", "syspro-to-hubspot", "--wait", "0.2"], expect: 75)
        XCTAssertTrue(busy.stderr.contains("a run that started before still holds"), busy.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: demo.tenantDir + "/holds/syspro-to-hubspot"), "held all the same")
        running.unlock()
        XCTAssertEqual(try ml(["release", "syspro-to-hubspot"]).status, 0)
        XCTAssertEqual(try ml(["release", "syspro-to-hubspot"]).stdout, "syspro-to-hubspot is not held for tenant demo\n")
    }
}
