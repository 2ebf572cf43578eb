import Foundation
import XCTest

/// `--dry-run` on every job: each reads the real systems and shows what it would do, and
/// afterwards neither the vendors (the sandbox's request log) nor the tenant's state show a
/// trace; the real run after it still does the work.
final class DryRunEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    /// Every file of the tenant with its content, but the parts a dry run shares on purpose.
    func snapshot() throws -> [String: Data] {
        var out: [String: Data] = [:]
        let fm = FileManager.default
        let root = demo.tenantDir
        for path in fm.enumerator(atPath: root)!.compactMap({ $0 as? String }) {
            if ["locks", "tokens", "rate"].contains(where: { path == $0 || path.hasPrefix($0 + "/") }) { continue }
            var isDir: ObjCBool = false
            if fm.fileExists(atPath: root + "/" + path, isDirectory: &isDir), !isDir.boolValue {
                out[path] = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
            }
        }
        return out
    }

    func lines(_ text: String) -> [[String: Any]] {
        text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    func testEveryJobsDryRunLeavesVendorsAndStateUntouchedAndTheRealRunStillDoesTheWork() throws {
        // Work for each job: an order ShipBob has and SYSPRO lacks (spooled by a real
        // reconcile, which writes to no vendor), alerts learned then a supplier invoice posted.
        let created = try JSONSerialization.jsonObject(with: try demo.control("POST", "/_control/shipbob/orders", [
            "channel": ["id": 55176], "products": [["sku": "TS-BLU-L", "quantity": 1]]]).body) as! [String: Any]
        let orderID = (created["id"] as! NSNumber).intValue, po = "SB\(orderID)"
        let shipment = ((created["shipments"] as! [[String: Any]])[0]["id"] as! NSNumber).intValue
        _ = try demo.control("POST", "/_control/shipbob/orders/\(orderID)/shipments/\(shipment)", ["status": "LabeledCreated", "tracking": ["carrier": "UPS", "tracking_number": "1ZDRYRUN0001"]])
        XCTAssertEqual(try demo.job("shipbob-to-syspro", ["--reconcile"]).status, 0)
        XCTAssertEqual(try demo.job("po-alerts-twilio").status, 0)
        XCTAssertEqual(try demo.control("POST", "/_control/syspro/ap-post", ["supplier": "FREIGHT", "invoice": "LFS-30412", "journal": 320]).status, 200)
        let ordersBefore = try demo.salesOrders().count
        let before = try snapshot()
        _ = try demo.control("DELETE", "/_control/requests")

        var withheld: [String: Int] = [:], validated: [String] = []
        for job in ["shipbob-to-syspro", "poll-syspro-inventory", "push-shipbob-inventory", "inventory-variance",
                    "syspro-to-hubspot", "po-alerts-twilio"] {
            let r = try demo.job(job, ["--dry-run"])
            // A validated INVTMR has no journal: like any unclear answer it is looked up and its
            // in-flight window waited out, so the receipts part of the job ends with 75 (try later).
            XCTAssertTrue(r.status == 0 || (job == "shipbob-to-syspro" && r.status == 75), "\(job) \(r.status): \(r.stderr)")
            let out = lines(r.stdout)
            withheld[job] = out.filter { $0["dry_run"] as? String == "withheld" }.count
            validated += out.filter { $0["dry_run"] as? String == "validate-only" }.compactMap { $0["business_object"] as? String }
        }
        XCTAssertTrue(validated.contains("SORTOI"), "the order import went to SYSPRO as a validation: \(validated)")
        XCTAssertGreaterThan(withheld["syspro-to-hubspot"] ?? 0, 0, "the HubSpot upserts were shown, not sent")
        XCTAssertGreaterThan(withheld["po-alerts-twilio"] ?? 0, 0, "the SMS was shown, not sent")

        let log = try HTTP.json(demo.sandboxURL + "/_control/requests") as! [[String: Any]]
        for entry in log {
            let method = entry["method"] as? String ?? "", path = (entry["path"] as? String ?? "").lowercased()
            let query = ((entry["query"] as? String ?? "").removingPercentEncoding ?? "").replacingOccurrences(of: "+", with: " ")
            if method != "GET" {
                XCTAssertTrue(path.hasSuffix("/batch/read") || path.hasSuffix("/search") || path.hasSuffix("/connect/token"),
                              "a dry run wrote: \(method) \(path)")
            }
            if path.hasSuffix("/transaction/post") {
                XCTAssertTrue(query.contains("<Process>VALIDATE</Process>") || query.contains("<ValidateOnly>Y</ValidateOnly>"),
                              "a SYSPRO post that was not a validation: \(query.prefix(300))")
            }
        }
        XCTAssertEqual(try demo.salesOrders().count, ordersBefore, "SYSPRO kept nothing of the validation")
        XCTAssertEqual((try HTTP.json(demo.sandboxURL + "/_control/hubspot/objects/companies") as! [Any]).count, 0)
        XCTAssertEqual((try HTTP.json(demo.sandboxURL + "/_control/twilio/messages") as! [Any]).count, 0)
        let after = try snapshot()
        XCTAssertEqual(Set(after.keys), Set(before.keys), "no state file appeared or vanished")
        XCTAssertEqual(after.filter { before[$0.key] != $0.value }.map(\.key).sorted(), [], "no state file changed")

        // The real runs still find the work a dry run only looked at.
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertTrue(try demo.salesOrders().contains { ($0["CustomerPoNumber"] as? String)?.trimmingCharacters(in: .whitespaces) == po })
        XCTAssertEqual(try demo.job("po-alerts-twilio").status, 0)
        XCTAssertGreaterThan((try HTTP.json(demo.sandboxURL + "/_control/twilio/messages") as! [Any]).count, 0)
    }

    func testReportPrintsATableOfWhatWouldBeSent() throws {
        let r = try demo.job("syspro-to-hubspot", ["--dry-run", "--report"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("dry run: "), r.stdout)
        XCTAssertTrue(r.stdout.contains("would POST ") && r.stdout.contains("/companies/batch/upsert"), r.stdout)
    }
}
