import Foundation
import WebhookCore
import XCTest
import ConnectorKit
import HubSpot
import HubSpotSync

/// A HubSpot keyed by unique property values, counting the calls the client would make
/// (it sends batches of 100); it can refuse chosen keys as invalid or, once, as rate limited.
final class FakeCRM: CRM {
    var objects: [String: [String: (id: String, properties: [String: String])]] = [:]
    var associations: Set<String> = []
    var statuses: [String: [String]] = [:]
    var calls: [String: Int] = [:]
    var invalid: Set<String> = []
    var rateLimitedOnce: Set<String> = []
    var nextId = 1000

    func upsert(_ type: String, idProperty: String, _ inputs: [UpsertInput]) throws -> BatchOutcome {
        calls["upsert \(type)", default: 0] += batches(inputs.count)
        var out = BatchOutcome()
        for i in inputs {
            if invalid.contains(i.key) {
                out.failures.append(.init(key: i.key, status: 400, category: "VALIDATION_ERROR", message: "Property values were not valid"))
                continue
            }
            if rateLimitedOnce.remove(i.key) != nil {
                out.failures.append(.init(key: i.key, status: 429, category: "RATE_LIMITS", message: "TEN_SECONDLY_ROLLING"))
                continue
            }
            var existing = objects[type]?[i.key]
            if existing == nil { nextId += 1; out.created.insert(i.key); existing = (String(nextId), [:]) }
            existing!.properties.merge(i.properties) { $1 }
            objects[type, default: [:]][i.key] = existing!
            out.ids[i.key] = existing!.id
        }
        return out
    }

    func update(_ type: String, _ inputs: [(id: String, properties: [String: String])]) throws -> [BatchOutcome.Failure] {
        calls["update \(type)", default: 0] += batches(inputs.count)
        for i in inputs { statuses[i.id, default: []].append(i.properties["hs_invoice_status"] ?? "") }
        return []
    }

    func batches(_ n: Int) -> Int { (n + 99) / 100 }

    func associate(_ from: String, _ to: String, _ pairs: [(String, String)]) throws -> [BatchOutcome.Failure] {
        if !pairs.isEmpty { calls["associate \(from)-\(to)", default: 0] += batches(pairs.count) }
        var failures: [BatchOutcome.Failure] = []
        for p in pairs {
            guard objects[to]?.values.contains(where: { $0.id == p.1 }) ?? true else {
                failures.append(.init(key: p.0, status: 400, category: "OBJECT_NOT_FOUND", message: "No \(to) with id \(p.1) exists"))
                continue
            }
            associations.insert("\(from):\(p.0)->\(to):\(p.1)")
        }
        return failures
    }

    func read(_ type: String, idProperty: String, keys: [String]) throws -> [String: String] {
        calls["read \(type)", default: 0] += batches(keys.count)
        var out: [String: String] = [:]
        for k in keys { if let o = objects[type]?[k] { out[k] = o.id } }
        return out
    }

    /// HubSpot lost the record `key` of `type` (deleted there).
    func delete(_ type: String, _ key: String) { objects[type]?[key] = nil }
}

final class HubSpotSyncTests: XCTestCase {
    var dir: String!
    var crm: FakeCRM!

    override func setUp() {
        dir = NSTemporaryDirectory() + "mlc-hubspot-" + UUID().uuidString
        crm = FakeCRM()
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func sync() throws -> HubSpotSync {
        var settings = HubSpotSettings()
        settings.currencyCodes = ["$": "USD"]
        settings.termsDays = ["30": 30]
        return HubSpotSync(crm: crm, mapping: PropertyMapping(settings: settings),
                           customers: try JournaledMap(path: dir + "/customers.json"), invoices: try JournaledMap(path: dir + "/invoices.json"),
                           audit: AuditLog(directory: dir + "/audit", job: "test"), seal: { "sealed:\($0.count)" })
    }

    func customer(_ code: String, email: String = "buyer@example.com") throws -> CustomerRow {
        try CustomerRow(row: .object(["Customer": .string(code), "Name": .string("Customer \(code)"), "Email": .string(email),
                                      "Telephone": .string("555"), "Contact": .string("Avery Chen"), "Currency": .string("$"),
                                      "CustomerClass": .string("WH"), "TermsCode": .string("30")]))
    }

    func invoice(_ number: String, customer: String, balance: Double = 50, lines: Int = 2) throws -> InvoiceRow {
        var i = try InvoiceRow(row: .object([
            "Customer": .string(customer), "Invoice": .string(number), "DocumentType": .string("I"),
            "InvoiceDate": .string("2026-08-04T00:00:00Z"), "SalesOrder": .string("015562"), "CustomerPoNumber": .string("PO-1"),
            "TermsCode": .string("30"), "InvoiceBal1": .number(balance), "CurrencyValue": .number(100)]))
        i.currency = "$"   // the customer's: ArInvoice has no Currency column
        i.lines = (1...max(1, lines)).prefix(lines).map { InvoiceRow.Line(detailLine: $0, stockCode: "TS-WHT-M", quantity: 2, netValue: 25) }
        return i
    }

    func testARerunUpdatesInsteadOfDuplicatingAndSendsNothingUnchanged() throws {
        var rows = try (0..<150).map { try customer(String(format: "%07d", $0), email: "c\($0)@example.com") }
        XCTAssertEqual(try sync().syncCustomers(rows), [])
        XCTAssertEqual(try sync().syncCustomers(rows), [])
        XCTAssertEqual(crm.calls["upsert companies"], 2, "150 in two batches; the unchanged rerun costs nothing")
        for i in rows.indices { rows[i].name += " Ltd" }
        XCTAssertEqual(try sync().syncCustomers(rows), [])
        XCTAssertEqual(crm.objects["companies"]?.count, 150)
        XCTAssertEqual(crm.objects["contacts"]?.count, 150)
        XCTAssertEqual(crm.calls["upsert companies"], 4, "changed: sent again, as updates")
        XCTAssertEqual(crm.associations.filter { $0.hasPrefix("contacts:") }.count, 150)
    }

    func testACustomerWithoutAUsableEmailIsACompanyWithoutAContactAndItsInvoicesStayDraft() throws {
        let s = try sync()
        XCTAssertEqual(try s.syncCustomers([try customer("0000105", email: "not an address")]), [])
        XCTAssertEqual(crm.objects["companies"]?.count, 1)
        XCTAssertNil(crm.objects["contacts"])
        XCTAssertEqual(try s.syncInvoices([try invoice("100001", customer: "0000105")]), [])
        XCTAssertTrue(crm.statuses.isEmpty, "HubSpot opens an invoice only with a contact")
        XCTAssertEqual(crm.objects["invoices"]?.first?.value.properties["hs_currency"], "USD")
        XCTAssertEqual(crm.objects["invoices"]?.first?.value.properties["hs_due_date"], "2026-09-03", "invoice date + 30 days of terms 30")
    }

    func testInvoicesAreAssociatedThenOpenedOrPaidWithTheFewestCalls() throws {
        let s = try sync()
        _ = try s.syncCustomers([try customer("0000102")])
        let invoices = try (1...120).map { try invoice(String(200000 + $0), customer: "0000102", balance: $0 % 2 == 0 ? 0 : 50) }
        XCTAssertEqual(try s.syncInvoices(invoices), [])
        XCTAssertEqual(crm.objects["invoices"]?.count, 120)
        XCTAssertEqual(crm.objects["line_items"]?.count, 240)
        XCTAssertEqual(crm.calls["upsert invoices"], 2)
        XCTAssertEqual(crm.calls["upsert line_items"], 3)
        XCTAssertEqual(crm.calls["associate invoices-line_items"], 3)
        XCTAssertEqual(crm.calls["associate invoices-contacts"], 2)
        XCTAssertEqual(crm.calls["update invoices"], 3, "open for 120 (2 calls), then paid for 60 (1 call)")
        let paid = crm.statuses.values.filter { $0 == ["open", "paid"] }.count
        XCTAssertEqual(paid, 60)

        crm.calls = [:]
        crm.statuses = [:]
        XCTAssertEqual(try sync().syncInvoices(invoices), [])
        XCTAssertEqual(crm.calls["update invoices"] ?? 0, 0, "statuses already right: not sent again")
        XCTAssertEqual(crm.objects["invoices"]?.count, 120, "re-read invoices update, never duplicate")
        XCTAssertEqual(crm.objects["line_items"]?.count, 240, "and so do their lines")
    }

    func testARecordHubSpotRefusesIsParkedAndTheRestGoThrough() throws {
        crm.invalid = ["0000103"]
        let parked = try sync().syncCustomers([try customer("0000102"), try customer("0000103", email: "x@example.com")])
        XCTAssertEqual(parked.map(\.key), ["0000103"])
        XCTAssertEqual(parked.first?.message, "Property values were not valid")
        XCTAssertEqual(crm.objects["companies"]?.keys.sorted(), ["0000102"])
        let orphan = try sync().syncInvoices([try invoice("300001", customer: "0000103")])
        XCTAssertEqual(orphan.map(\.lookup), ["300001"], "an invoice of a customer HubSpot refused waits for it")
    }

    func testStillRateLimitedAfterRetriesStopsTheRunWithoutLosingAnything() throws {
        crm.rateLimitedOnce = ["0000102"]
        XCTAssertThrowsError(try sync().syncCustomers([try customer("0000102")])) { error in
            XCTAssertEqual((error as? ConnectorError)?.exitStatus, .tempFail)
        }
        XCTAssertEqual(try sync().syncCustomers([try customer("0000102")]), [], "the rerun sends it again")
        XCTAssertEqual(crm.objects["companies"]?.count, 1)
    }
}

extension HubSpotSyncTests {
    func testAnInvoiceWhoseCompanyWasDeletedInHubSpotRepairsTheCustomerCacheInTheSameRun() throws {
        var s = try sync()
        let row = try customer("0000102")
        _ = try s.syncCustomers([row])
        let oldCompany = try XCTUnwrap(s.customers["0000102"]?.company)
        crm.delete("companies", "0000102")
        var reread: [[String]] = []
        s.reread = { codes in reread.append(codes); return [row] }
        XCTAssertEqual(try s.syncInvoices([try invoice("300001", customer: "0000102")]), [])
        XCTAssertEqual(reread, [["0000102"]], "the customer is read again from SYSPRO once")
        let newCompany = try XCTUnwrap(s.customers["0000102"]?.company)
        XCTAssertNotEqual(newCompany, oldCompany, "the cache holds the company HubSpot has now")
        XCTAssertEqual(crm.objects["companies"]?["0000102"]?.id, newCompany)
        let invoiceId = try XCTUnwrap(s.invoices["0000102-300001-I"]?.id)
        XCTAssertTrue(crm.associations.contains("invoices:\(invoiceId)->companies:\(newCompany)"), "associated in the same run")
        XCTAssertEqual(s.invoices["0000102-300001-I"]?.status, "open")
    }

    func testFullChecksRecordsItWouldSkipAndSendsAgainWhatHubSpotLost() throws {
        var s = try sync()
        let rows = [try customer("0000102", email: "a@example.com"), try customer("0000103", email: "b@example.com")]
        let invoices = [try invoice("300001", customer: "0000102"), try invoice("300002", customer: "0000103")]
        _ = try s.syncCustomers(rows)
        _ = try s.syncInvoices(invoices)
        crm.delete("companies", "0000103")
        crm.delete("invoices", "0000102-300001-I")
        crm.calls = [:]
        XCTAssertEqual(try s.syncCustomers(rows), [])
        XCTAssertEqual(try s.syncInvoices(invoices), [])
        XCTAssertTrue(crm.calls.isEmpty, "without --full unchanged records cost nothing: \(crm.calls)")
        s.verify = true
        XCTAssertEqual(try s.syncCustomers(rows), [])
        XCTAssertEqual(try s.syncInvoices(invoices), [])
        XCTAssertEqual(crm.calls["read companies"], 1, "one batch read checks every cached company")
        XCTAssertEqual(crm.objects["companies"]?["0000103"]?.id, s.customers["0000103"]?.company, "the deleted company is back and cached")
        XCTAssertEqual(crm.objects["invoices"]?["0000102-300001-I"]?.id, s.invoices["0000102-300001-I"]?.id, "the deleted invoice is back and cached")
        XCTAssertEqual(crm.calls["upsert companies"], 1)
        XCTAssertEqual(crm.calls["upsert invoices"], 1, "both invoices in one call: the lost one, and the one whose company is new")
        crm.calls = [:]
        XCTAssertEqual(try s.syncCustomers(rows), [])
        XCTAssertEqual(try s.syncInvoices(invoices), [])
        XCTAssertNil(crm.calls["upsert companies"], "all in place: --full only reads")
        XCTAssertNil(crm.calls["upsert invoices"])
    }
}

extension HubSpotSyncTests {
    /// docs/vendors/hubspot.md, "Batch errors are StandardError": `status` is a word, the
    /// category says what failed.
    func testStandardErrorEntriesOfA207AreReadByTheirCategory() throws {
        let answer = try JSONValue.parse(Data(#"""
            {"status":"COMPLETE","results":[],"numErrors":3,"errors":[
             {"status":"error","category":"OBJECT_NOT_FOUND","message":"gone","context":{"ids":["a"]},"errors":[],"links":{}},
             {"status":"error","category":"INTERNAL_ERROR","message":"oops","context":{"id":["b"]},"errors":[],"links":{}},
             {"status":"error","category":"VALIDATION_ERROR","message":"bad","context":{"id":["c","zz"]},"errors":[],"links":{}}]}
            """#.utf8))
        let f = HubSpotClient.failures(answer, keys: ["a", "b", "c"])
        XCTAssertEqual(f.map(\.key), ["a", "b", "c"], "inputs named in context, others ignored")
        XCTAssertEqual(f.map(\.isNotFound), [true, false, false])
        XCTAssertEqual(f.map(\.isTransient), [false, true, false])
        XCTAssertEqual(f.map(\.status), [404, 500, 400])
    }
}

extension HubSpotSyncTests {
    /// The id cache as the previous release wrote it (snapshots of `customers.json` and
    /// `invoices.json`, no account zone): repairs and `--full` checks work on it unchanged.
    func testTheIdCacheOfThePreviousReleaseIsCheckedAndRepaired() throws {
        let rows = [try customer("0000102", email: "a@example.com")]
        let invoices = [try invoice("300001", customer: "0000102")]
        var s = try sync()
        _ = try s.syncCustomers(rows)
        _ = try s.syncInvoices(invoices)
        let company = try XCTUnwrap(s.customers["0000102"]?.company), contact = try XCTUnwrap(s.customers["0000102"]?.contact)
        let invoiceId = try XCTUnwrap(s.invoices["0000102-300001-I"]?.id)
        // Rewritten by hand as the previous release's files held them.
        try FileManager.default.removeItem(atPath: dir + "/customers.json.journal")
        try FileManager.default.removeItem(atPath: dir + "/invoices.json.journal")
        try Data(#"{"0000102":{"company":"\#(company)","contact":"\#(contact)","sent":"\#(s.customerDigest(rows[0]))"}}"#.utf8)
            .write(to: URL(fileURLWithPath: dir + "/customers.json"))
        try Data(#"{"0000102-300001-I":{"id":"\#(invoiceId)","sent":"\#(s.invoiceDigest(invoices[0]))","status":"open"}}"#.utf8)
            .write(to: URL(fileURLWithPath: dir + "/invoices.json"))
        crm.delete("companies", "0000102")
        crm.calls = [:]
        s = try sync()
        XCTAssertEqual(try s.syncCustomers(rows), [])
        XCTAssertEqual(try s.syncInvoices(invoices), [])
        XCTAssertTrue(crm.calls.isEmpty, "the old cache is read as it was: nothing unchanged is sent")
        s.verify = true
        XCTAssertEqual(try s.syncCustomers(rows), [])
        XCTAssertEqual(try s.syncInvoices(invoices), [])
        XCTAssertEqual(crm.objects["companies"]?["0000102"]?.id, s.customers["0000102"]?.company)
        XCTAssertNotEqual(s.customers["0000102"]?.company, company)
        XCTAssertEqual(s.customers["0000102"]?.contact, contact, "the contact HubSpot still holds keeps its id")
        XCTAssertTrue(crm.associations.contains("invoices:\(invoiceId)->companies:\(s.customers["0000102"]!.company)"))
    }
}
