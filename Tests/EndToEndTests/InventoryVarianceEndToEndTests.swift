import Foundation
import XCTest

/// `inventory-variance` against the sandbox, whose seed has ShipBob count what SYSPRO holds
/// in LA, DA and NY except HD-GRY-M at DA (ShipBob +4) and JN-STR-BLK-32 at NY (ShipBob -3),
/// plus the seed's unsynced WRO 880101 (received at LA, not yet in SYSPRO).
final class InventoryVarianceEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    func table(_ name: String) throws -> [[String: Any]] {
        try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/" + name) as! [[String: Any]]
    }
    func trimmed(_ v: Any?) -> String { (v as? String ?? "").trimmingCharacters(in: .whitespaces) }
    func movements(_ code: String, _ type: String) throws -> [[String: Any]] {
        try table("InvMovements").filter { trimmed($0["StockCode"]) == code && trimmed($0["TrnType"]) == type }
    }
    func onHand(_ code: String, _ warehouse: String) throws -> Double {
        let row = try table("InvWarehouse").first { trimmed($0["StockCode"]) == code && trimmed($0["Warehouse"]) == warehouse }
        return (row?["QtyOnHand"] as? NSNumber)?.doubleValue ?? .nan
    }

    /// The differences a run found, as "WAREHOUSE CODE DIFF ACTION".
    @discardableResult
    func variance(_ args: [String] = []) throws -> [String] {
        let r = try demo.job("inventory-variance", ["--format", "json"] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").map { line in
            let j = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return "\(j["warehouse"]!) \(j["stock_code"]!) \((j["difference"] as! NSNumber).intValue) \(j["action"]!)"
        }
    }

    func master(_ warehouses: [String]) throws {
        try demo.editConfig { c in
            var inv = c["inventory"] as? [String: Any] ?? [:]
            inv["shipbob_master_warehouses"] = warehouses
            c["inventory"] = inv
        }
    }

    func testByDefaultDifferencesAreReportedAndRaiseAttentionOnceUntilTheyClear() throws {
        XCTAssertEqual(try variance(), ["DA HD-GRY-M 4 reported", "NY JN-STR-BLK-32 -3 reported"],
                       "the unsynced WRO's receipts at LA are in flight, not a difference")
        let item = demo.tenantDir + "/attention/inventory-variance-NY-JN-STR-BLK-32.json"
        let first = try Data(contentsOf: URL(fileURLWithPath: item))
        try variance()
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: item)), first, "raised once, not again every run")
        XCTAssertTrue(demo.files("attention").contains("inventory-shipbob-only-LA-MUG-LOGO-11OZ.json"))
        XCTAssertTrue(demo.files("attention").contains("inventory-syspro-only-LA-AC-SCARF-WOL.json"))
        let audit = try String(contentsOfFile: demo.tenantDir + "/audit/" + demo.files("audit").last!, encoding: .utf8)
        XCTAssertEqual(audit.components(separatedBy: "\"outcome\":\"shipbob-only\"").count - 1, 3, "each one-sided SKU audited once per warehouse")
        XCTAssertTrue(try movements("JN-STR-BLK-32", "A").isEmpty, "reporting never touches SYSPRO")

        _ = try demo.control("POST", "/_control/syspro/tables/InvWarehouse", [["StockCode": "JN-STR-BLK-32", "Warehouse": "NY", "QtyOnHand": 17]])
        XCTAssertEqual(try variance(), ["DA HD-GRY-M 4 reported"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: item), "the item goes when the difference does")
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: demo.tenantDir + "/inventory/variance.json"))) as! [String: Any]
        XCTAssertEqual(report["compared"] as? Int, 96)
    }

    func testWithShipBobAsMasterADifferenceBecomesExactlyOneAdjustmentUnderEitherAnswerShape() throws {
        try master(["DA"])
        // The seed's DA difference under full answers, then one made for PORTOR-like answers.
        for (shape, code) in [("full", "HD-GRY-M"), ("portor", "TS-BLU-L")] {
            _ = try demo.control("PUT", "/_control/syspro/movement-settings", ["answer_shape": shape])
            let before = try onHand(code, "DA")
            if code != "HD-GRY-M" {
                let r = try demo.control("PUT", "/_control/shipbob/levels", [["sku": code, "location_id": 17, "on_hand": Int(before) + 4]])
                XCTAssertEqual(r.status, 200, r.text)
            }
            let first = try variance()
            XCTAssertTrue(first.contains { $0.hasPrefix("DA \(code) 4 adjusted SBV") }, "\(shape) \(first)")
            XCTAssertTrue(first.contains("NY JN-STR-BLK-32 -3 reported"), "NY is not a master warehouse")
            XCTAssertEqual(try variance(), ["NY JN-STR-BLK-32 -3 reported"], shape)
            try variance()
            let adjustments = try movements(code, "A")
            XCTAssertEqual(adjustments.count, 1, shape)
            XCTAssertEqual((adjustments.first?["TrnQty"] as? NSNumber)?.intValue, 4, shape)
            XCTAssertEqual(try onHand(code, "DA"), before + 4, shape)
            XCTAssertFalse(demo.files("attention").contains("inventory-variance-DA-\(code).json"), shape)
        }
    }

    func testADryRunPostsNothingEvenForAMasterWarehouse() throws {
        try master(["DA"])
        XCTAssertTrue(try variance(["--dry-run"]).contains("DA HD-GRY-M 4 reported"))
        XCTAssertTrue(try movements("HD-GRY-M", "A").isEmpty)
    }

    /// A WRO receipt and a levels run race: ShipBob has counted the receipt, SYSPRO has
    /// committed it, but shipbob-to-syspro has not recorded it yet (its answer is held back)
    /// when inventory-variance runs with ShipBob as master of that warehouse. The level must
    /// be neither adjusted then nor counted twice afterwards.
    func testAWroReceiptRacingALevelsRunIsCountedOnce() throws {
        try master(["LA"])
        // The seed's unsynced WRO 880101 first, so only the new one is in flight below.
        XCTAssertEqual(try demo.job("shipbob-to-syspro", ["--reconcile"]).status, 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        let before = try onHand("TS-BLU-L", "LA")
        let wro = try XCTUnwrap(try JSONSerialization.jsonObject(with: demo.control("POST", "/_control/shipbob/receiving", [
            "fulfillment_center_id": 10, "purchase_order_number": "P00900", "items": [["sku": "TS-BLU-L", "expected_quantity": 30]]]).body)
            as? [String: Any])["id"] as! Int
        _ = try demo.control("POST", "/_control/shipbob/receiving/\(wro)/receive", ["items": [["sku": "TS-BLU-L", "quantity": 30]], "stow": true])

        // ShipBob counts the receipt, SYSPRO has not been told: in flight, not a difference.
        XCTAssertFalse(try variance().contains { $0.hasPrefix("LA TS-BLU-L") })

        // Now post it with SYSPRO's answer held back after it committed.
        XCTAssertEqual(try demo.job("shipbob-to-syspro", ["--reconcile"]).status, 0)
        _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "INVTMR",
                                                         "delay_ms": 3000, "delay_after_commit": true, "count": 1])
        let poster = try startProgram("shipbob-to-syspro", env: demo.env)
        let deadline = Date().addingTimeInterval(20)
        while try onHand("TS-BLU-L", "LA") == before, Date() < deadline { usleep(50_000) }
        XCTAssertEqual(try onHand("TS-BLU-L", "LA"), before + 30, "SYSPRO committed the receipt")
        XCTAssertTrue(poster.isRunning, "shipbob-to-syspro has not had SYSPRO's answer yet")

        // The race: SYSPRO has the receipt, the ledger says pending, ShipBob counts it.
        let racing = try variance()
        XCTAssertFalse(racing.contains { $0.hasPrefix("LA TS-BLU-L") }, "\(racing)")
        XCTAssertEqual(try skipped(), ["LA/TS-BLU-L"], "an unresolved receipt leaves the level alone")
        poster.waitUntilExit()
        XCTAssertEqual(poster.terminationStatus, 0)

        XCTAssertFalse(try variance().contains { $0.hasPrefix("LA TS-BLU-L") })
        XCTAssertEqual(try skipped(), [])
        XCTAssertEqual(try movements("TS-BLU-L", "R").filter { trimmed($0["Reference"]).hasPrefix("WRO\(wro)-") }.count, 1)
        XCTAssertTrue(try movements("TS-BLU-L", "A").isEmpty, "nothing was adjusted for a receipt in flight")
        XCTAssertEqual(try onHand("TS-BLU-L", "LA"), before + 30, "counted once")
    }

    /// ShipBob ships an order before SYSPRO's sales order is complete: ShipBob's count is
    /// already lower, SYSPRO's not yet. Not a difference; once the shipment reaches SYSPRO
    /// (its dispatch note relieves the stock), still none, and nothing was adjusted.
    func testAShipmentSysproHasNotRelievedIsNotAdjusted() throws {
        try master(["LA"])
        let created = try JSONSerialization.jsonObject(with: demo.control("POST", "/_control/shipbob/orders", [
            "channel": ["id": 55176], "reference_id": "VAR-SHIP-1", "location_id": 10,
            "products": [["sku": "HD-GRY-L", "quantity": 2]]]).body) as! [String: Any]
        let orderID = created["id"] as! Int
        let shipment = ((created["shipments"] as! [[String: Any]]).first!["id"] as! NSNumber).intValue
        XCTAssertEqual(try demo.job("shipbob-to-syspro", ["--reconcile"]).status, 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        let before = try onHand("HD-GRY-L", "LA")
        XCTAssertTrue(try variance().allSatisfy { !$0.hasPrefix("LA ") }, "LA agrees before the shipment")

        let now = ISO8601DateFormatter().string(from: Date())
        let r = try demo.control("POST", "/_control/shipbob/orders/\(orderID)/shipments/\(shipment)", [
            "status": "Completed", "tracking": ["carrier": "USPS", "tracking_number": "9400111899223197428490"], "last_update_at": now])
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertFalse(try variance().contains { $0.hasPrefix("LA HD-GRY-L") }, "shipped by ShipBob, not yet relieved by SYSPRO: in flight")
        // A dispatch note whose post was cut short: whether SYSPRO relieved it is unknown.
        let pending = demo.tenantDir + "/ledger/order-posts/dispatch-\(shipment).json"
        try FileManager.default.createDirectory(atPath: demo.tenantDir + "/ledger/order-posts", withIntermediateDirectories: true)
        try Data(#"{"key":"dispatch-\#(shipment)","status":"pending","attempts":1,"updated":"2026-08-04T18:30:00Z"}"#.utf8)
            .write(to: URL(fileURLWithPath: pending))
        _ = try variance()
        XCTAssertTrue(try skipped().contains("LA/HD-GRY-L"), "an unresolved dispatch leaves the level unjudged")
        try FileManager.default.removeItem(atPath: pending)

        XCTAssertEqual(try demo.job("shipbob-to-syspro", ["--reconcile"]).status, 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertEqual(try onHand("HD-GRY-L", "LA"), before - 2, "the dispatch note relieved the stock")
        XCTAssertFalse(try variance().contains { $0.hasPrefix("LA HD-GRY-L") })
        XCTAssertTrue(try movements("HD-GRY-L", "A").isEmpty)
    }

    func skipped() throws -> [String] {
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: demo.tenantDir + "/inventory/variance.json"))) as! [String: Any]
        return report["skipped"] as! [String]
    }
}
