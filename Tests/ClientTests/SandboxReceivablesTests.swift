import ConnectorKit
import Foundation
import Sandbox
import WebhookCore
import XCTest

/// The SYSPRO side the HubSpot sync reads: demo receivables and the benchmark generator.
final class SandboxReceivablesTests: SandboxTestCase {
    func testSeedInvoicesAddUpToTheirLinesWithPaidPartlyPaidAndACreditNote() async throws {
        let invoices = try await odata("ArInvoice").json["value"]?.array ?? []
        let lines = try await odata("ArTrnDetail").json["value"]?.array ?? []
        XCTAssertEqual(invoices.count, 6)
        for inv in invoices {
            let sum = lines.filter { $0["Invoice"] == inv["Invoice"] }.compactMap { $0["NetSalesValue"]?.double }.reduce(0, +)
            XCTAssertEqual(sum, inv["CurrencyValue"]?.double ?? .nan, accuracy: 0.005, "invoice \(inv["Invoice"]?.string ?? "")")
        }
        let value = { (j: JSONValue) in j["CurrencyValue"]?.double ?? 0 }, balance = { (j: JSONValue) in j["InvoiceBal1"]?.double ?? 0 }
        XCTAssertTrue(invoices.contains { balance($0) == 0 && value($0) > 0 }, "a paid one")
        XCTAssertTrue(invoices.contains { balance($0) > 0 && balance($0) < value($0) }, "a partly paid one")
        XCTAssertTrue(invoices.contains { $0["DocumentType"]?.string == "C" && value($0) < 0 }, "a credit note")
        let customers = try await odata("ArCustomer", [("$filter", "Customer eq '0000106' or Customer eq '0000107'")]).json["value"]?.array ?? []
        XCTAssertEqual(customers.compactMap { $0["Email"]?.string }.sorted(), ["", "accounts(at)bayviewgoods.example"])
    }

    func testGenerateAddsCustomersAndInvoicesWithTheirLines() async throws {
        let r = try await postJSON("/_control/hubspot/generate", #"{"customers":20,"invoices":50,"lines":3}"#)
        XCTAssertEqual(r.status, 201, r.text)
        let count = { (set: String) in try await self.odata(set, [("$count", "true"), ("$top", "0")]).json["@odata.count"]?.int64 }
        let (customers, invoices, lines3) = (try await count("ArCustomer"), try await count("ArInvoice"), try await count("ArTrnDetail"))
        XCTAssertEqual(customers, 8 + 20)
        XCTAssertEqual(invoices, 6 + 50)
        XCTAssertEqual(lines3, 11 + 150)
        let lines = try await odata("ArTrnDetail", [("$filter", "Invoice eq 'G0000007'")]).json["value"]?.array ?? []
        XCTAssertEqual(lines.map { $0["DetailLine"]?.int64 }, [1, 2, 3])
        let bad = try await postJSON("/_control/hubspot/generate", #"{"customers":0,"invoices":5}"#)
        XCTAssertEqual(bad.status, 400)
    }
}
