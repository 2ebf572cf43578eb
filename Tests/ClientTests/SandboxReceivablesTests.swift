import ConnectorKit
import Foundation
import Sandbox
import XCTest

/// The SYSPRO side the HubSpot sync reads: demo receivables.
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
}
