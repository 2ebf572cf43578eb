import Foundation
import XCTest
import ConnectorKit
import HubSpot
@testable import syspro_to_hubspot

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
        for p in pairs { associations.insert("\(from):\(p.0)->\(to):\(p.1)") }
        return []
    }
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
                                      "CustomerClass": .string("WHS"), "TermsCode": .string("30")]))
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
