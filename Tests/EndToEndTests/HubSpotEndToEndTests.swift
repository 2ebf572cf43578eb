import Foundation
import XCTest

/// `syspro-to-hubspot` against the sandbox's SYSPRO receivables and HubSpot: one company,
/// contact and invoice per SYSPRO record, associated, with SYSPRO's amounts, whatever the
/// reruns, rate limits, refusals and kills.
final class HubSpotEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    func objects(_ type: String) throws -> [[String: Any]] {
        try HTTP.json(demo.sandboxURL + "/_control/hubspot/objects/\(type)") as! [[String: Any]]
    }
    func table(_ name: String) throws -> [[String: Any]] {
        try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/" + name) as! [[String: Any]]
    }
    func prop(_ o: [String: Any], _ name: String) -> String? { (o["properties"] as? [String: Any])?[name] as? String }
    func linked(_ o: [String: Any], _ type: String) -> [String] { ((o["associations"] as? [String: Any])?[type] as? [String]) ?? [] }
    func text(_ v: Any?) -> String { (v as? String ?? "").trimmingCharacters(in: .whitespaces) }
    func number(_ v: Any?) -> Double { (v as? NSNumber)?.doubleValue ?? Double(v as? String ?? "") ?? .nan }

    @discardableResult
    func sync(expect status: Int32 = 0) throws -> CommandResult {
        let r = try demo.job("syspro-to-hubspot")
        XCTAssertEqual(r.status, status, r.stderr)
        return r
    }

    /// Everything HubSpot holds matches SYSPRO: one record per SYSPRO record, associated,
    /// with SYSPRO's amounts and the status its balance means.
    func assertHubSpotMatchesSyspro(file: StaticString = #filePath, line: UInt = #line) throws {
        let customers = try table("ArCustomer"), invoices = try table("ArInvoice"), details = try table("ArTrnDetail")
        let companies = try objects("companies"), contacts = try objects("contacts")
        let hsInvoices = try objects("invoices"), lineItems = try objects("line_items")
        XCTAssertEqual(companies.count, customers.count, "one company per customer", file: file, line: line)
        XCTAssertEqual(Set(companies.compactMap { prop($0, "syspro_customer_code") }), Set(customers.map { text($0["Customer"]) }), file: file, line: line)
        let withEmail = customers.filter { let e = text($0["Email"]); return e.contains("@") && e.split(separator: "@").last?.contains(".") == true && !e.contains(" ") }
        XCTAssertEqual(contacts.count, Set(withEmail.map { text($0["Email"]).lowercased() }).count, "one contact per usable email", file: file, line: line)
        XCTAssertEqual(hsInvoices.count, invoices.count, "one invoice per SYSPRO invoice", file: file, line: line)
        XCTAssertEqual(lineItems.count, details.count, "one line item per SYSPRO line", file: file, line: line)
        let companyByCode = Dictionary(companies.map { (prop($0, "syspro_customer_code") ?? "", $0["id"] as! String) }, uniquingKeysWith: { a, _ in a })
        for inv in invoices {
            let key = "\(text(inv["Customer"]))-\(text(inv["Invoice"]))-\(text(inv["DocumentType"]))"
            guard let h = hsInvoices.first(where: { prop($0, "syspro_invoice_key") == key }) else {
                XCTFail("invoice \(key) missing in HubSpot", file: file, line: line); continue
            }
            XCTAssertEqual(Double(prop(h, "syspro_open_balance") ?? ""), number(inv["InvoiceBal1"]), key, file: file, line: line)
            XCTAssertEqual(Double(prop(h, "syspro_invoice_amount") ?? ""), number(inv["CurrencyValue"]), key, file: file, line: line)
            let lines = details.filter { text($0["Invoice"]) == text(inv["Invoice"]) }
            XCTAssertEqual(linked(h, "line_items").count, lines.count, "\(key) lines", file: file, line: line)
            XCTAssertEqual(linked(h, "companies"), [companyByCode[text(inv["Customer"])] ?? "?"], "\(key) company", file: file, line: line)
            let hasContact = withEmail.contains { text($0["Customer"]) == text(inv["Customer"]) }
            XCTAssertEqual(linked(h, "contacts").count, hasContact ? 1 : 0, "\(key) contact", file: file, line: line)
            let expected = !hasContact || lines.isEmpty ? "draft" : number(inv["InvoiceBal1"]) == 0 ? "paid" : "open"
            XCTAssertEqual(prop(h, "hs_invoice_status"), expected, "\(key) status", file: file, line: line)
        }
    }

    func testAFirstSyncMovesEveryRecordOnceAndARerunChangesNothing() throws {
        try sync()
        try assertHubSpotMatchesSyspro()
        let audit = try String(contentsOfFile: demo.tenantDir + "/audit/" + demo.files("audit").last!, encoding: .utf8)
        XCTAssertTrue(audit.contains("no usable email"), "a customer without an email is noted")
        XCTAssertTrue(audit.contains("create-property"), "the custom properties were created and said so")
        XCTAssertFalse(audit.contains("@example") || audit.contains("@mlfashion"), "emails are sealed in the audit")
        _ = try demo.control("DELETE", "/_control/hubspot/counts")
        try sync()
        try assertHubSpotMatchesSyspro()
        let counts = try HTTP.json(demo.sandboxURL + "/_control/hubspot/counts") as! [String: Any]
        XCTAssertEqual(counts["total_calls"] as? Int, 0, "nothing changed in SYSPRO: not one HubSpot call")
    }

    func testEditsInSysproUpdateTheSameRecords() throws {
        try sync()
        let open = try XCTUnwrap(try table("ArInvoice").first { number($0["InvoiceBal1"]) > 0 && text($0["Customer"]) == "0000105" })
        _ = try demo.control("POST", "/_control/syspro/tables/ArInvoice", [[
            "Customer": text(open["Customer"]), "Invoice": text(open["Invoice"]), "DocumentType": text(open["DocumentType"]), "InvoiceBal1": 0]])
        _ = try demo.control("POST", "/_control/syspro/tables/ArCustomer", [["Customer": "0000102", "Name": "Northwind Boutique Ltd"]])
        try sync()
        try assertHubSpotMatchesSyspro()
        let company = try XCTUnwrap(try objects("companies").first { prop($0, "syspro_customer_code") == "0000102" })
        XCTAssertEqual(prop(company, "name"), "Northwind Boutique Ltd")
    }

    func testRateLimitStormsConverge() throws {
        // A short storm is absorbed by the retries (each 429 holds every process off for the
        // rolling 10-second window, so keep it short).
        _ = try demo.control("POST", "/_control/faults", ["service": "hubspot", "status": 429, "count": 1, "retry_after": 1])
        try sync()
        try assertHubSpotMatchesSyspro()
        // A storm longer than the retries stops the run (75) mid-way; the next run finishes.
        try demo.editConfig { c in
            var http = c["http"] as? [String: Any] ?? [:]
            http["max_attempts"] = 2
            c["http"] = http
        }
        _ = try demo.control("POST", "/_control/syspro/tables/ArCustomer", [["Customer": "0000102", "Name": "Northwind Boutique Ltd"]])
        _ = try demo.control("POST", "/_control/syspro/tables/ArCustomer", [["Customer": "0000103", "Name": "Harbor & Pine"]])
        _ = try demo.control("POST", "/_control/faults", ["service": "hubspot", "path_contains": "contacts/batch/upsert",
                                                         "status": 429, "count": 20, "retry_after": 0])
        try sync(expect: 75)
        _ = try demo.control("DELETE", "/_control/faults")
        try sync()
        try assertHubSpotMatchesSyspro()
        XCTAssertEqual(try objects("companies").first { prop($0, "syspro_customer_code") == "0000103" }.flatMap { prop($0, "name") }, "Harbor & Pine")
    }

    func testAKillMidwayThenARerunLeavesExactlyOneOfEach() throws {
        _ = try demo.control("POST", "/_control/faults", ["service": "hubspot", "path_contains": "invoices/batch/upsert",
                                                         "delay_ms": 3000, "delay_after_commit": true, "count": 1])
        let p = try startProgram("syspro-to-hubspot", env: demo.env)
        let deadline = Date().addingTimeInterval(20)
        while try objects("invoices").isEmpty, Date() < deadline { usleep(50_000) }
        XCTAssertTrue(p.isRunning, "killed while HubSpot holds the invoices but has not answered")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        _ = try demo.control("DELETE", "/_control/faults")
        try sync()
        try assertHubSpotMatchesSyspro()
    }

    func testAnInvoiceHubSpotRefusesIsParkedThenReplayedOnceFixed() throws {
        let victim = try XCTUnwrap(try table("ArInvoice").first { text($0["Customer"]) == "0000104" })
        let key: [String: Any] = ["Customer": text(victim["Customer"]), "Invoice": text(victim["Invoice"]), "DocumentType": text(victim["DocumentType"])]
        // ArInvoice has no Currency: the customer's is the invoice's; the invoice is touched
        // so it is read again.
        let customer = try XCTUnwrap(try table("ArCustomer").first { text($0["Customer"]) == "0000104" })
        _ = try demo.control("POST", "/_control/syspro/tables/ArCustomer", [["Customer": "0000104", "Currency": "XXX"]])
        _ = try demo.control("POST", "/_control/syspro/tables/ArInvoice", [key.merging(["InvoiceBal1": victim["InvoiceBal1"]!]) { $1 }])
        try sync()
        let invoiceKey = "\(key["Customer"]!)-\(key["Invoice"]!)-\(key["DocumentType"]!)"
        XCTAssertFalse(try objects("invoices").contains { prop($0, "syspro_invoice_key") == invoiceKey })
        let parked = demo.files("outbox/hubspot/failed").filter { !$0.hasPrefix(".") }
        XCTAssertEqual(parked.count, 1, "\(parked)")
        let why = try String(contentsOfFile: demo.tenantDir + "/outbox/hubspot/failed/.\(parked[0]).why", encoding: .utf8)
        XCTAssertFalse(why.isEmpty, "HubSpot's message is kept")

        _ = try demo.control("POST", "/_control/syspro/tables/ArCustomer", [["Customer": "0000104", "Currency": customer["Currency"] ?? "$"]])
        let replay = try demo.job("ml-connector", ["replay", "--source", "hubspot"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        try sync()
        try assertHubSpotMatchesSyspro()
        XCTAssertEqual(demo.files("outbox/hubspot/failed").filter { !$0.hasPrefix(".") }, [])
    }

    func testARefusedTokenStopsTheRunNamingTheSecret() throws {
        let r = try runProgram("ml-connector", ["secret", "set", "hubspot_token"], env: demo.env, stdin: "pat-na1-wrong")
        XCTAssertEqual(r.status, 0, r.stderr)
        let run = try sync(expect: 78)
        XCTAssertTrue(run.stderr.contains("hubspot_token"), run.stderr)
    }

    /// An invoice stamped with the very rowversion the cursor stopped at is still read.
    func testAnInvoiceAtTheCursorsRowversionIsNotLost() throws {
        try demo.editConfig { c in
            var inv = c["inventory"] as? [String: Any] ?? [:]
            inv["rowversion_overlap"] = 0
            c["inventory"] = inv
        }
        let invoices = try table("ArInvoice").filter { text($0["Customer"]) == "0000105" }
        XCTAssertGreaterThanOrEqual(invoices.count, 1)
        let first = invoices[0]
        let key: [String: Any] = ["Customer": text(first["Customer"]), "Invoice": text(first["Invoice"]), "DocumentType": text(first["DocumentType"])]
        _ = try demo.control("POST", "/_control/syspro/tables/ArInvoice", [key.merging(["InvoiceBal1": 7]) { $1 }])
        try sync()   // the cursor now sits at that row's rowversion
        let twin: [String: Any] = ["Customer": "0000105", "Invoice": "100299", "DocumentType": "I", "InvoiceDate": "2026-08-20T00:00:00Z",
                                   "TermsCode": "30", "InvoiceBal1": 12, "CurrencyValue": 12]
        let r = try demo.control("POST", "/_control/syspro/tables/ArInvoice?rowversion=current", [twin])
        XCTAssertEqual(r.status, 200, r.text)
        _ = try demo.control("POST", "/_control/syspro/tables/ArTrnDetail?rowversion=current", [[
            "Invoice": "100299", "DetailLine": 1, "Customer": "0000105", "StockCode": "TS-WHT-M", "QtyInvoiced": 1, "NetSalesValue": 12]])
        try sync()
        XCTAssertTrue(try objects("invoices").contains { prop($0, "syspro_invoice_key") == "0000105-100299-I" })
        try assertHubSpotMatchesSyspro()
    }
}
