import Foundation
import XCTest

/// `syspro-to-hubspot` when HubSpot misbehaves or people change records there: server
/// errors mid-run, companies deleted or merged, invoices deleted, the account's own day
/// (docs/vendors/hubspot.md).
extension HubSpotEndToEndTests {
    /// HubSpot's API as the connector calls it, with the sandbox's token.
    func hubspot(_ method: String, _ path: String, _ body: Any? = nil) throws -> HTTP.Response {
        let credentials = try HTTP.json(demo.sandboxURL + "/_control/credentials") as! [String: Any]
        let token = (credentials["hubspot"] as! [String: Any])["token"] as! String
        return try HTTP.request(method, demo.sandboxURL + "/hubspot/" + path,
                                headers: ["authorization": "Bearer " + token, "content-type": "application/json"],
                                body: try body.map { try JSONSerialization.data(withJSONObject: $0) })
    }

    func company(_ code: String) throws -> [String: Any]? { try objects("companies").first { prop($0, "syspro_customer_code") == code } }
    func cachedCustomers() throws -> String { try String(contentsOfFile: demo.tenantDir + "/state/syspro-to-hubspot/customers.json", encoding: .utf8) }

    /// Moves one of `customer`'s invoices on in SYSPRO (its balance), so the next run sends it.
    func touchInvoice(of customer: String) throws -> String {
        let inv = try XCTUnwrap(try table("ArInvoice").first { text($0["Customer"]) == customer })
        _ = try demo.control("POST", "/_control/syspro/tables/ArInvoice", [[
            "Customer": customer, "Invoice": text(inv["Invoice"]), "DocumentType": text(inv["DocumentType"]),
            "InvoiceBal1": number(inv["InvoiceBal1"]) + 1]])
        return "\(customer)-\(text(inv["Invoice"]))-\(text(inv["DocumentType"]))"
    }

    func testServerErrorsMidRunAreRetriedAndTheRunCompletes() throws {
        for (path, status) in [("companies/batch/upsert", 500), ("invoices/batch/upsert", 502), ("associate", 503), ("invoices/batch/update", 500)] {
            _ = try demo.control("POST", "/_control/faults", ["service": "hubspot", "path_contains": path, "status": status, "count": 1])
        }
        try sync()
        try assertHubSpotMatchesSyspro()
        let log = try HTTP.json(demo.sandboxURL + "/_control/requests?service=hubspot") as? [[String: Any]] ?? []
        XCTAssertEqual(Set(log.compactMap { $0["status"] as? Int }.filter { $0 >= 500 }), [500, 502, 503],
                       "each fault was met, and retried")
    }

    func testACompanyDeletedAndOneMergedInHubSpotAreRepairedByTheNextRun() throws {
        try sync()
        let deleted = try XCTUnwrap(try company("0000105")?["id"] as? String)
        let merged = try XCTUnwrap(try company("0000104")?["id"] as? String)
        let primary = try XCTUnwrap(try company("0000102")?["id"] as? String)
        XCTAssertEqual(try hubspot("DELETE", "crm/v3/objects/companies/\(deleted)").status, 204)
        XCTAssertEqual(try hubspot("POST", "crm/v3/objects/companies/merge", ["primaryObjectId": primary, "objectIdToMerge": merged]).status, 200)
        let result = try XCTUnwrap(try company("0000102")?["id"] as? String, "the merged record keeps the primary's key")
        XCTAssertNotEqual(result, primary, "HubSpot merges contacts and companies into a new record")
        let read = try hubspot("GET", "crm/v3/objects/companies/\(merged)")
        XCTAssertEqual((try JSONSerialization.jsonObject(with: read.body) as? [String: Any])?["id"] as? String, result, "a merged id reads as the new record")
        let keys = [try touchInvoice(of: "0000105"), try touchInvoice(of: "0000104")]

        try sync()
        for (code, old) in [("0000105", deleted), ("0000104", merged)] {
            let now = try XCTUnwrap(try company(code)?["id"] as? String, "\(code) is in HubSpot again")
            XCTAssertNotEqual(now, old)
            XCTAssertTrue(try cachedCustomers().contains("\"company\":\"\(now)\""), "the cache holds \(code)'s company as HubSpot has it now")
        }
        for key in keys {
            let inv = try XCTUnwrap(try objects("invoices").first { prop($0, "syspro_invoice_key") == key })
            let code = String(key.prefix(7))
            XCTAssertEqual(linked(inv, "companies").filter { $0 != result }, [try company(code)?["id"] as? String ?? "?"], "\(key) is associated in the same run")
        }
        XCTAssertEqual(demo.auditLines().filter { $0["action"] as? String == "repair-customer" }.compactMap { $0["id"] as? String }.sorted(), ["0000104", "0000105"])
        // The invoices of the customers that were not touched keep pointing at what HubSpot
        // has now only after --full, which checks every record (deleted: association gone).
        let r = try demo.job("syspro-to-hubspot", ["--full"])
        XCTAssertEqual(r.status, 0, r.stderr)
        for inv in try objects("invoices") where prop(inv, "syspro_invoice_key")?.hasPrefix("0000105-") == true {
            XCTAssertEqual(linked(inv, "companies"), [try company("0000105")?["id"] as? String ?? "?"])
        }
        XCTAssertTrue(try cachedCustomers().contains("\"company\":\"\(result)\""), "the primary's customer now caches the merged record")
        XCTAssertFalse(try cachedCustomers().contains("\"company\":\"\(primary)\""))
    }

    func testFullFindsADeletedInvoiceByBatchReadAndRecreatesIt() throws {
        try sync()
        let gone = try XCTUnwrap(try objects("invoices").first)
        let key = try XCTUnwrap(prop(gone, "syspro_invoice_key"))
        XCTAssertEqual(try hubspot("DELETE", "crm/v3/objects/invoices/\(gone["id"] as! String)").status, 204)
        _ = try demo.control("DELETE", "/_control/hubspot/counts")
        try sync()
        XCTAssertNil(try objects("invoices").first { prop($0, "syspro_invoice_key") == key }, "an ordinary run trusts its cache")
        let r = try demo.job("syspro-to-hubspot", ["--full"])
        XCTAssertEqual(r.status, 0, r.stderr)
        try assertHubSpotMatchesSyspro()
        let counts = try HTTP.json(demo.sandboxURL + "/_control/hubspot/counts") as! [String: Any]
        XCTAssertGreaterThan((counts["calls"] as? [String: Any])?["batch_read"] as? Int ?? 0, 0, "--full checked the cache by batch read")
        XCTAssertTrue(demo.auditLines().contains { $0["action"] as? String == "verify-invoice" && $0["id"] as? String == key })
    }

    func testTheAccountsTimeZoneIsReadOnceAndKept() throws {
        try sync()
        let cached = try String(contentsOfFile: demo.tenantDir + "/state/syspro-to-hubspot/account.json", encoding: .utf8)
        XCTAssertTrue(cached.contains("America/New_York"), cached)
        let rate = try String(contentsOfFile: demo.tenantDir + "/rate/hubspot.json", encoding: .utf8)
        let ny = try XCTUnwrap(TimeZone(identifier: "America/New_York"))
        let f = DateFormatter()
        f.timeZone = ny
        f.dateFormat = "yyyy-MM-dd"
        let before = f.string(from: Date(timeIntervalSinceNow: -5)), after = f.string(from: Date())
        XCTAssertTrue(rate.contains("\"day\":\"\(before)\"") || rate.contains("\"day\":\"\(after)\""), "the day counted is New York's: \(rate)")
        _ = try demo.control("DELETE", "/_control/hubspot/counts")
        _ = try demo.control("POST", "/_control/syspro/tables/ArCustomer", [["Customer": "0000102", "Name": "Northwind Boutique Ltd"]])
        try sync()
        let counts = try HTTP.json(demo.sandboxURL + "/_control/hubspot/counts") as! [String: Any]
        XCTAssertNil((counts["calls"] as? [String: Any])?["other"], "the zone is not asked again: \(counts)")
    }

    /// Where HubSpot applies an association naming a merged id to the record the merge made,
    /// an ordinary run cannot tell; `--full` finds the keys moved or gone and repairs the cache.
    func testWhereMergedIdsAreRedirectedFullRepairsTheCache() throws {
        demo.stop()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--hubspot-merged-ids", "redirected"])
        try sync()
        let merged = try XCTUnwrap(try company("0000104")?["id"] as? String)
        let primary = try XCTUnwrap(try company("0000102")?["id"] as? String)
        XCTAssertEqual(try hubspot("POST", "crm/v3/objects/companies/merge", ["primaryObjectId": primary, "objectIdToMerge": merged]).status, 200)
        let key = try touchInvoice(of: "0000104")
        try sync()
        XCTAssertTrue(try cachedCustomers().contains("\"company\":\"\(merged)\""), "nothing failed, so the cache still names the merged id")
        let r = try demo.job("syspro-to-hubspot", ["--full"])
        XCTAssertEqual(r.status, 0, r.stderr)
        let now = try XCTUnwrap(try company("0000104")?["id"] as? String, "0000104 is in HubSpot again under its key")
        XCTAssertFalse(try cachedCustomers().contains("\"company\":\"\(merged)\""))
        XCTAssertTrue(try cachedCustomers().contains("\"company\":\"\(now)\""))
        let inv = try XCTUnwrap(try objects("invoices").first { prop($0, "syspro_invoice_key") == key })
        XCTAssertTrue(linked(inv, "companies").contains(now), "the invoice is associated with the company its key names")
        XCTAssertTrue(demo.auditLines().contains { $0["action"] as? String == "verify-customer" && $0["id"] as? String == "0000104" })
    }
}
