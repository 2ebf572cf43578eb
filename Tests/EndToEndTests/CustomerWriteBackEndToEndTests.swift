import Foundation
import XCTest

/// `hubspot-to-syspro` against the sandbox: a person's edit of a company's customer class or
/// terms reaches the SYSPRO customer through ARSSCS once, with one audit line; SYSPRO's own
/// later change wins; an unknown class is refused, parked and replayable; a dry run only
/// validates; nothing happens unless the tenant opted in. Run with and without SYSPRO's
/// customer amendment journal (the sandbox's `--syspro-amendment-journal`).
final class CustomerWriteBackEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func tearDown() { demo?.stop() }

    func start(journal: Bool, optIn: [String] = ["customer_class", "terms_code"]) throws {
        demo = try DemoTenant(webStack: false, sandboxArgs: journal ? ["--syspro-amendment-journal"] : [])
        if !optIn.isEmpty {
            try demo.editConfig { c in
                var h = c["hubspot"] as? [String: Any] ?? [:]
                h["write_back"] = ["properties": optIn]
                c["hubspot"] = h
            }
        }
        XCTAssertEqual(try demo.job("syspro-to-hubspot").status, 0, "the companies exist in HubSpot first")
        try writeBack()  // the first run starts the cursor: edits from now on count
    }

    @discardableResult
    func writeBack(_ args: [String] = [], expect status: Int32 = 0) throws -> CommandResult {
        let r = try demo.job("hubspot-to-syspro", args)
        XCTAssertEqual(r.status, status, r.stderr)
        return r
    }

    func customer(_ code: String) throws -> [String: Any] {
        let rows = try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/ArCustomer") as! [[String: Any]]
        return try XCTUnwrap(rows.first { ($0["Customer"] as? String)?.trimmingCharacters(in: .whitespaces) == code })
    }

    /// A person in HubSpot's app changes the company of `code`, now.
    func personEdits(_ code: String, _ properties: [String: String]) throws {
        let r = try demo.control("POST", "/_control/hubspot/edit", ["customer": code, "properties": properties])
        XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
    }

    /// A clerk changes the customer in SYSPRO's Customer Maintenance, dated `secondsAgo`.
    func clerkChanges(_ code: String, _ fields: [String: String], secondsAgo: Double = 0) throws {
        var body: [String: Any] = fields
        body["at"] = Date().timeIntervalSince1970 - secondsAgo
        let r = try demo.control("POST", "/_control/syspro/customers/\(code)", body)
        XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
    }

    func writeBackAudit() -> [[String: Any]] { demo.auditLines().filter { $0["job"] as? String == "hubspot-to-syspro" } }

    func setupPosts() throws -> [String] {
        let log = try HTTP.json(demo.sandboxURL + "/_control/requests?service=syspro") as! [[String: Any]]
        return log.filter { ($0["path"] as? String ?? "").lowercased().hasSuffix("/setup/update") }
            .map { (($0["query"] as? String ?? "").removingPercentEncoding ?? "").replacingOccurrences(of: "+", with: " ") }
    }

    func testAPersonsEditIsWrittenBackOnceWithOneAuditLine() throws {
        for journal in [false, true] {
            try start(journal: journal)
            try personEdits("0000102", ["syspro_customer_class": "KA", "syspro_terms_code": "60"])
            try writeBack()
            let c = try customer("0000102")
            XCTAssertEqual(c["CustomerClass"] as? String, "KA", "journal \(journal)")
            XCTAssertEqual(c["TermsCode"] as? String, "60", "journal \(journal)")
            XCTAssertEqual(try setupPosts().count, 1, "both fields of one customer in one ARSSCS post")
            XCTAssertTrue(try setupPosts()[0].contains("<ValidateOnly>N</ValidateOnly>"))
            var applied = writeBackAudit().filter { $0["outcome"] as? String == "applied" }
            XCTAssertEqual(applied.count, 2, "one audit line per changed field")
            XCTAssertEqual(Set(applied.compactMap { ($0["detail"] as? [String: Any])?["field"] as? String }), ["CustomerClass", "TermsCode"])

            // Reruns, and the sync carrying SYSPRO's (now equal) values back, change nothing.
            try writeBack()
            XCTAssertEqual(try demo.job("syspro-to-hubspot").status, 0)
            try writeBack()
            XCTAssertEqual(try setupPosts().count, 1, "an edit is written once")
            applied = writeBackAudit().filter { $0["outcome"] as? String == "applied" }
            XCTAssertEqual(applied.count, 2, "and audited once")

            // The person changes their mind: SYSPRO holds what the connector wrote, so it is no conflict.
            try personEdits("0000102", ["syspro_customer_class": "RT"])
            try writeBack()
            XCTAssertEqual(try customer("0000102")["CustomerClass"] as? String, "RT", "a second edit is written too")
            XCTAssertEqual(try setupPosts().count, 2)
            demo.stop(); demo = nil
        }
    }

    func testEditsByTheConnectorItselfAreNeverWrittenBack() throws {
        try start(journal: false)
        // The sync writes SYSPRO's values into HubSpot (source INTEGRATION): not a person's edit.
        try clerkChanges("0000103", ["CustomerClass": "RT"])
        XCTAssertEqual(try demo.job("syspro-to-hubspot").status, 0)
        try writeBack()
        XCTAssertEqual(try setupPosts().count, 0)
        XCTAssertEqual(try customer("0000103")["CustomerClass"] as? String, "RT")
        XCTAssertTrue(writeBackAudit().isEmpty)
    }

    func testSysprosLaterChangeWinsWhereItsJournalDatesIt() throws {
        try start(journal: true)
        // The edit cannot predate the sync that wrote the value it replaces, so the clerk's
        // change is dated after it instead.
        try personEdits("0000104", ["syspro_customer_class": "WH"])
        try clerkChanges("0000104", ["CustomerClass": "RT"], secondsAgo: -60)
        try writeBack()
        XCTAssertEqual(try customer("0000104")["CustomerClass"] as? String, "RT", "the clerk's later change stays")
        XCTAssertEqual(try setupPosts().count, 0)
        let kept = writeBackAudit().filter { $0["outcome"] as? String == "kept-syspro" }
        XCTAssertEqual(kept.count, 1)
        XCTAssertTrue((kept.first?["reason"] as? String ?? "").contains("later"), "\(kept)")

        // The other order: the clerk first, the person after: the person's edit wins.
        try clerkChanges("0000105", ["TermsCode": "90"], secondsAgo: 3600)
        try personEdits("0000105", ["syspro_terms_code": "CC"])
        try writeBack()
        XCTAssertEqual(try customer("0000105")["TermsCode"] as? String, "CC")
    }

    func testWithoutTheJournalAChangeOnBothSidesKeepsSyspro() throws {
        try start(journal: false)
        try clerkChanges("0000105", ["TermsCode": "90"], secondsAgo: 3600)
        try personEdits("0000105", ["syspro_terms_code": "CC"])
        try writeBack()
        XCTAssertEqual(try customer("0000105")["TermsCode"] as? String, "90", "SYSPRO's change time is unknown: it keeps its value")
        let kept = writeBackAudit().filter { $0["outcome"] as? String == "kept-syspro" }
        XCTAssertEqual(kept.count, 1)
        XCTAssertTrue((kept.first?["reason"] as? String ?? "").contains("unknown"), "\(kept)")
        XCTAssertEqual(try setupPosts().count, 0)
    }

    func testAnUnknownClassIsRefusedParkedAndReplayable() throws {
        try start(journal: false)
        try personEdits("0000102", ["syspro_customer_class": "ZZ"])
        try writeBack()
        XCTAssertEqual(try customer("0000102")["CustomerClass"] as? String, "WH", "SYSPRO refused the class: nothing changed")
        XCTAssertEqual(demo.files("outbox/syspro/failed").filter { !$0.hasPrefix(".") }.count, 1)
        let refused = writeBackAudit().filter { $0["outcome"] as? String == "refused" }
        XCTAssertEqual(refused.count, 1)
        XCTAssertTrue((refused.first?["reason"] as? String ?? "").contains("Customer class 'ZZ' not found"), "SYSPRO's words: \(refused)")

        // Replayed unchanged, it is refused again and parked again; nothing is posted twice on success.
        XCTAssertEqual(try runProgram("ml-connector", ["replay", "--source", "syspro"], env: demo.env).status, 0)
        try writeBack()
        XCTAssertEqual(demo.files("outbox/syspro/failed").filter { !$0.hasPrefix(".") }.count, 1)

        // The person fixes the value: written; the old parked item, replayed, has nothing left to do.
        try personEdits("0000102", ["syspro_customer_class": "RT"])
        try writeBack()
        XCTAssertEqual(try customer("0000102")["CustomerClass"] as? String, "RT")
        XCTAssertEqual(try runProgram("ml-connector", ["replay", "--source", "syspro"], env: demo.env).status, 0)
        try writeBack()
        XCTAssertEqual(demo.files("outbox/syspro/failed").filter { !$0.hasPrefix(".") }.count, 0)
        XCTAssertEqual(writeBackAudit().filter { $0["outcome"] as? String == "applied" }.count, 1)
    }

    func testADryRunOnlyValidates() throws {
        try start(journal: false)
        try personEdits("0000103", ["syspro_customer_class": "KA"])
        let r = try writeBack(["--dry-run"])
        XCTAssertTrue(r.stdout.contains("validate-only"), r.stdout)
        XCTAssertEqual(try customer("0000103")["CustomerClass"] as? String, "WH", "a dry run changes nothing in SYSPRO")
        let posts = try setupPosts()
        XCTAssertEqual(posts.count, 1)
        XCTAssertTrue(posts.allSatisfy { $0.contains("<ValidateOnly>Y</ValidateOnly>") }, "\(posts)")
        XCTAssertTrue(writeBackAudit().isEmpty, "nor in the audit")
        try writeBack()
        XCTAssertEqual(try customer("0000103")["CustomerClass"] as? String, "KA", "the real run still finds the edit")
    }

    func testProbeChecksWhatTheWriteBackReliesOnAndChangesNothing() throws {
        for journal in [false, true] {
            try start(journal: journal)
            if journal { try clerkChanges("0000104", ["CustomerClass": "RT"], secondsAgo: 3600) }
            let before = try customer("0000100")
            let r = try demo.job("ml-connector", ["probe", "--json"])
            let doc = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], r.stderr)
            let results = Dictionary(uniqueKeysWithValues: (doc["results"] as! [[String: Any]]).map { ("\($0["system"]!) \($0["check"]!)", $0) })
            XCTAssertEqual(results["SYSPRO e.net ARSSCS validates"]?["outcome"] as? String, "ok", "\(results["SYSPRO e.net ARSSCS validates"] ?? [:])")
            XCTAssertEqual(results["HubSpot property history"]?["outcome"] as? String, "ok", "\(results["HubSpot property history"] ?? [:])")
            let journalLine = try XCTUnwrap(results["SYSPRO OData amendment journal"])
            XCTAssertEqual(journalLine["outcome"] as? String, "ok")
            XCTAssertTrue((journalLine["detail"] as? String ?? "").contains(journal ? "later change wins" : "empty"), "\(journalLine)")
            XCTAssertTrue(try setupPosts().allSatisfy { $0.contains("<ValidateOnly>Y</ValidateOnly>") }, "probe only validates")
            XCTAssertEqual(try customer("0000100")["TimeStamp"] as? String, before["TimeStamp"] as? String, "the customer was not touched")
            demo.stop(); demo = nil
        }
    }

    func testNothingHappensUnlessTheTenantOptedIn() throws {
        try start(journal: false, optIn: [])
        try personEdits("0000102", ["syspro_customer_class": "KA"])
        _ = try demo.control("DELETE", "/_control/hubspot/counts")
        try writeBack()
        XCTAssertEqual(try customer("0000102")["CustomerClass"] as? String, "WH")
        let counts = try HTTP.json(demo.sandboxURL + "/_control/hubspot/counts") as! [String: Any]
        XCTAssertEqual(counts["total_calls"] as? Int, 0, "write-back is off by default: not one HubSpot call")
    }
}
