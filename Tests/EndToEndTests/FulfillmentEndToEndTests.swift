import Foundation
import XCTest

/// Receiving, shipment tracking and reconciliation through the real programs: signed
/// webhooks via nginx + webhook-cgi, `shipbob-to-syspro` and `--reconcile`, against the
/// sandbox, asserting what SYSPRO and ShipBob hold through `/_control`.
final class FulfillmentEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant() }
    override func tearDown() { demo?.stop() }

    func json(_ r: HTTP.Response) throws -> [String: Any] {
        try XCTUnwrap(try JSONSerialization.jsonObject(with: r.body) as? [String: Any], r.text)
    }

    func table(_ name: String) throws -> [[String: Any]] {
        try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/" + name) as! [[String: Any]]
    }

    func trimmed(_ v: Any?) -> String { (v as? String ?? "").trimmingCharacters(in: .whitespaces) }

    func emit(_ topic: String, _ extra: [String]) throws {
        let r = try runProgram("ml-sandbox", ["emit", "shipbob", topic, "--to", demo.stack!.url(tenant: demo.tenant),
                                              "--secret", try demo.webhookSecret, "--sandbox", demo.sandboxURL] + extra)
        XCTAssertEqual(r.status, 0, "\(topic): \(r.stdout) \(r.stderr)")
    }

    func runJob(_ args: [String] = []) throws {
        let r = try demo.job("shipbob-to-syspro", args)
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    func newWRO(sku: String = "TS-BLU-L", expected: Int = 24) throws -> Int {
        let wro = try json(try demo.control("POST", "/_control/shipbob/receiving", [
            "fulfillment_center_id": 10, "purchase_order_number": "P00871", "items": [["sku": sku, "expected_quantity": expected]]]))
        return (wro["id"] as! NSNumber).intValue
    }

    /// ShipBob's floor receives `qty` units (counted, not yet on hand); `stow` stows them at once.
    func receive(_ wro: Int, sku: String = "TS-BLU-L", _ qty: Int, stow: Bool = false) throws {
        let r = try demo.control("POST", "/_control/shipbob/receiving/\(wro)/receive", ["items": [["sku": sku, "quantity": qty]], "stow": stow])
        XCTAssertEqual(r.status, 200, r.text)
    }

    /// ShipBob's floor stows `qty` received units: now they are on hand at ShipBob.
    func stow(_ wro: Int, sku: String = "TS-BLU-L", _ qty: Int) throws {
        let r = try demo.control("POST", "/_control/shipbob/receiving/\(wro)/stow", ["items": [["sku": sku, "quantity": qty]]])
        XCTAssertEqual(r.status, 200, r.text)
    }

    /// How SYSPRO's INVTMR/INVTMA answer (`full` or the PORTOR-like `portor`), bins and lots it demands.
    func movementSettings(_ settings: [String: Any]) throws {
        let r = try demo.control("PUT", "/_control/syspro/movement-settings", settings)
        XCTAssertEqual(r.status, 200, r.text)
    }

    static let answerShapes = ["full", "portor"]

    func isSynced(_ wro: Int) throws -> Bool {
        !(try json(try demo.control("GET", "/_control/shipbob/receiving/\(wro)"))["external_sync_timestamp"] is NSNull)
    }

    func receipts(_ wro: Int) throws -> [[String: Any]] {
        try table("InvMovements").filter { trimmed($0["Reference"]).hasPrefix("WRO\(wro)-") && trimmed($0["TrnType"]) == "R" }
    }

    func onHand(_ code: String, _ warehouse: String) throws -> Double {
        let row = try table("InvWarehouse").first { trimmed($0["StockCode"]) == code && trimmed($0["Warehouse"]) == warehouse }
        return (row?["QtyOnHand"] as? NSNumber)?.doubleValue ?? .nan
    }

    func testWroReceivedThenStowedInTwoStepsPostsOneReceiptPerStowedDeltaUnderEitherAnswerShape() throws {
        for shape in Self.answerShapes {
            try movementSettings(["answer_shape": shape])
            let before = try onHand("TS-BLU-L", "LA")
            let wro = try newWRO()
            try receive(wro, 24)
            try emit("receiving.updated", ["--wro-id", String(wro)])
            try runJob()
            XCTAssertEqual(try receipts(wro).count, 0, "\(shape): received is not on hand until stowed")
            try stow(wro, 10)
            try emit("receiving.updated", ["--wro-id", String(wro)])
            try runJob()
            XCTAssertFalse(try isSynced(wro), "\(shape): not synced while 14 units wait to be stowed")
            try stow(wro, 14)
            try emit("receiving.completed", ["--wro-id", String(wro)])
            try runJob()

            let rows = try receipts(wro)
            XCTAssertEqual(rows.map { ($0["TrnQty"] as! NSNumber).intValue }.sorted(), [10, 14], shape)
            let references = rows.map { trimmed($0["Reference"]) }.sorted()
            XCTAssertEqual(references.map { $0.split(separator: "/").last.map(String.init) ?? "" }, ["1", "2"], "\(shape) \(references)")
            XCTAssertEqual(Set(references.map { $0.split(separator: "/")[0] }).count, 1, "one WRO item, two posts: \(references)")
            XCTAssertEqual(Set(rows.map { trimmed($0["Warehouse"]) }), ["LA"], "fulfillment center 10 maps to LA")
            XCTAssertEqual(try onHand("TS-BLU-L", "LA"), before + 24, shape)
            XCTAssertTrue(try isSynced(wro), "\(shape): the completed WRO is marked synced once all stowed is posted")

            // Redelivered and re-emitted: nothing more is posted.
            try emit("wro.completed", ["--wro-id", String(wro)])
            try runJob()
            XCTAssertEqual(try receipts(wro).count, 2, shape)
            XCTAssertEqual(demo.files("attention"), [], shape)
            let ledger = try String(contentsOfFile: demo.tenantDir + "/ledger/receipts/" + (demo.files("ledger/receipts").first { $0.hasPrefix("wro-\(wro)-") } ?? "-"), encoding: .utf8)
            XCTAssertTrue(ledger.contains(#""posted_qty" : "24""#) || ledger.contains(#""posted_qty":"24""#), ledger)
        }
    }

    /// Upgrade: the previous release booked received quantities. Its ledger entry for a WRO
    /// item (no `basis`) says 24 were posted while ShipBob has stowed none yet; the new job
    /// posts nothing until stowed passes that, and marks the WRO synced once all is stowed.
    /// A second item booked at 10 received converges to what ShipBob stowed.
    func testLedgerOfReceivedQuantitiesWrittenByThePreviousReleaseIsNeverPostedAgain() throws {
        let wro = try json(try demo.control("POST", "/_control/shipbob/receiving", [
            "fulfillment_center_id": 10, "purchase_order_number": "P00871",
            "items": [["sku": "TS-BLU-L", "expected_quantity": 24], ["sku": "HD-GRY-M", "expected_quantity": 24]]]))
        let id = (wro["id"] as! NSNumber).intValue
        let inventory = Dictionary(uniqueKeysWithValues: (wro["inventory_quantities"] as! [[String: Any]]).map {
            ($0["sku"] as! String, ($0["inventory_id"] as! NSNumber).intValue)
        })
        try receive(id, sku: "TS-BLU-L", 24)
        try receive(id, sku: "HD-GRY-M", 10)
        func oldEntry(_ sku: String, posted: Int) throws {
            let key = "wro-\(id)-\(inventory[sku]!)"
            let entry: [String: Any] = [
                "key": key, "status": "done", "attempts": 1, "updated": "2026-08-05T09:00:00Z", "target": NSNull(),
                "detail": ["warehouse": "LA", "stock_code": sku, "sku": sku, "fc": "10", "posted_qty": String(posted),
                           "seq": "1", "reference": "WRO\(id)-\(inventory[sku]!)/1", "journal": "1100"]]
            try FileManager.default.createDirectory(atPath: demo.tenantDir + "/ledger/receipts", withIntermediateDirectories: true)
            try JSONSerialization.data(withJSONObject: entry).write(to: URL(fileURLWithPath: demo.tenantDir + "/ledger/receipts/\(key).json"))
        }
        try oldEntry("TS-BLU-L", posted: 24)
        try oldEntry("HD-GRY-M", posted: 10)

        try stow(id, sku: "TS-BLU-L", 20)
        try receive(id, sku: "HD-GRY-M", 14)
        try stow(id, sku: "HD-GRY-M", 18)
        try emit("receiving.updated", ["--wro-id", String(id)])
        try runJob()
        XCTAssertEqual(try receipts(id).map { trimmed($0["StockCode"]) + " " + String(($0["TrnQty"] as! NSNumber).intValue) },
                       ["HD-GRY-M 8"], "only HD-GRY-M's 8 stowed beyond the old 10")
        XCTAssertFalse(try isSynced(id))
        try stow(id, sku: "TS-BLU-L", 4)
        try stow(id, sku: "HD-GRY-M", 6)
        try emit("receiving.completed", ["--wro-id", String(id)])
        try runJob()
        try emit("wro.completed", ["--wro-id", String(id)])
        try runJob()
        let posted = try receipts(id).map { trimmed($0["StockCode"]) + " " + String(($0["TrnQty"] as! NSNumber).intValue) + " " + trimmed($0["Reference"]) }
        XCTAssertEqual(posted.sorted(), ["HD-GRY-M 6 WRO\(id)-\(inventory["HD-GRY-M"]!)/3", "HD-GRY-M 8 WRO\(id)-\(inventory["HD-GRY-M"]!)/2"],
                       "TS-BLU-L's 24 were posted by the old release: never again")
        XCTAssertTrue(try isSynced(id))
        XCTAssertEqual(demo.files("attention"), [])
    }

    func testReconcilePostsWhatWasStowedWithoutAWebhookAndNothingForUnstowedUnits() throws {
        XCTAssertEqual(try demo.job("shipbob-to-syspro", ["--reconcile"]).status, 0)
        try runJob()   // the seed's unsynced WRO first
        let wro = try newWRO()
        try receive(wro, 24)
        XCTAssertEqual(try demo.job("shipbob-to-syspro", ["--reconcile"]).status, 0)
        XCTAssertEqual(demo.files("spool/shipbob/new").filter { !$0.hasPrefix(".") }, [], "received, nothing stowed: nothing to apply")
        try stow(wro, 9)
        XCTAssertEqual(try demo.job("shipbob-to-syspro", ["--reconcile"]).status, 0)
        XCTAssertEqual(demo.files("spool/shipbob/new").filter { !$0.hasPrefix(".") }.count, 1, "the stow is")
        try runJob()
        XCTAssertEqual(try receipts(wro).map { ($0["TrnQty"] as! NSNumber).intValue }, [9], "the 9 stowed, not the 24 received")
        XCTAssertFalse(try isSynced(wro))
    }

    func testMultiBinWarehouseReceiptIsRefusedWithoutABinNotSyncedAndPostedOnceTheBinIsConfigured() throws {
        try movementSettings(["multi_bin_warehouses": ["LA"]])
        let wro = try newWRO()
        try receive(wro, 24, stow: true)
        try emit("receiving.completed", ["--wro-id", String(wro)])
        try runJob()
        XCTAssertEqual(try receipts(wro).count, 0)
        XCTAssertFalse(try isSynced(wro), "refused by SYSPRO: not marked synced")
        let attention = try demo.files("attention").map { try String(contentsOfFile: demo.tenantDir + "/attention/" + $0, encoding: .utf8) }
        XCTAssertTrue(attention.contains { $0.contains("multiple bins") }, "\(attention)")

        try demo.editConfig { c in c["movements"] = ["bins": ["LA": ["default": "RECV"]]] }
        try emit("receiving.completed", ["--wro-id", String(wro)])
        try runJob()
        XCTAssertEqual(try receipts(wro).map { ($0["TrnQty"] as! NSNumber).intValue }, [24])
        XCTAssertTrue(try isSynced(wro))
    }

    func testKillBetweenReceiptPostAndLedgerIsResolvedWithoutADoublePostUnderEitherAnswerShape() throws {
        for shape in Self.answerShapes {
            try movementSettings(["answer_shape": shape])
            let wro = try newWRO()
            try receive(wro, 24, stow: true)
            try emit("receiving.completed", ["--wro-id", String(wro)])
            _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "INVTMR",
                                                             "delay_ms": 5000, "delay_after_commit": true, "count": 1])
            let p = try startProgram("shipbob-to-syspro", env: demo.env)
            // SYSPRO has committed the receipt and is holding its answer: kill the job now.
            let deadline = Date().addingTimeInterval(20)
            while try receipts(wro).isEmpty, Date() < deadline { usleep(50_000) }
            XCTAssertTrue(p.isRunning, "\(shape): the job is still waiting for SYSPRO's answer")
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            let pending = try String(contentsOfFile: demo.tenantDir + "/ledger/receipts/" + demo.files("ledger/receipts")
                .first { $0.hasPrefix("wro-\(wro)-") }!, encoding: .utf8)
            XCTAssertTrue(pending.contains("pending"), "killed between post and ledger: \(pending)")

            _ = try demo.control("DELETE", "/_control/faults")
            try runJob()
            XCTAssertEqual(try receipts(wro).count, 1, "\(shape): resolved through InvMovements, not posted twice")
            XCTAssertTrue(try isSynced(wro), shape)
            let audit = try String(contentsOfFile: demo.tenantDir + "/audit/" + demo.files("audit").last!, encoding: .utf8)
            XCTAssertTrue(audit.contains("found in InvMovements after an interrupted post"), audit)
        }
    }

    func testShuffledShipmentEventsEndInTheNewestStatusWithAllTrackingNumbers() throws {
        try demo.editConfig { c in c["tracking"] = ["max_length": 60] }
        let orderID = 15949212, first = 101199722, second = 101199723
        func snapshot(_ name: String, shipment: Int? = nil) throws -> String {
            let order = try json(try demo.control("GET", "/_control/shipbob/orders/\(orderID)"))
            let body: Any = shipment.map { id in (order["shipments"] as! [[String: Any]]).first { ($0["id"] as! NSNumber).intValue == id }! } ?? order
            let path = demo.work + "/\(name).json"
            try JSONSerialization.data(withJSONObject: body).write(to: URL(fileURLWithPath: path))
            return path
        }
        func update(_ shipment: Int, _ body: [String: Any]) throws {
            let r = try demo.control("POST", "/_control/shipbob/orders/\(orderID)/shipments/\(shipment)", body)
            XCTAssertEqual(r.status, 200, r.text)
        }
        let oldOrder = try snapshot("old-order")   // first shipped, second still processing
        try update(first, ["status": "Completed", "delivered": true, "last_update_at": "2026-08-06T10:00:00.000+00:00"])
        let firstDelivered = try snapshot("first-delivered", shipment: first)
        try update(second, ["status": "LabeledCreated", "tracking": ["carrier": "UPS", "tracking_number": "1Z999AA10123450002"],
                            "last_update_at": "2026-08-05T09:00:00.000+00:00"])
        let secondShipped = try snapshot("second-shipped", shipment: second)
        try update(second, ["status": "Completed", "delivered": true, "last_update_at": "2026-08-07T16:00:00.000+00:00"])
        let secondDelivered = try snapshot("second-delivered", shipment: second)

        var events = [("order_shipped", oldOrder), ("shipment_delivered", firstDelivered),
                      ("order.shipment.tracking.updated", secondShipped), ("order.shipment.delivered", secondDelivered)]
        events.shuffle()
        for (topic, file) in events { try emit(topic, ["--order-id", String(orderID), "--body-file", file]) }
        try runJob()

        let order = try XCTUnwrap(try demo.salesOrders().first { trimmed($0["CustomerPoNumber"]) == "SB\(orderID)" })
        XCTAssertEqual(trimmed(order["OrderStatus"]), "9", "every shipment dispatched: nothing open (\(events.map(\.0)))")
        let tracking = trimmed(order["SpecialInstrs"])
        XCTAssertTrue(tracking.contains("9261290306529427911303") && tracking.contains("1Z999AA10123450002"), tracking)
        XCTAssertEqual(trimmed(order["ShippingInstrs"]), "Shp 2026-08-04 Dlv 2026-08-07")
        let so = trimmed(order["SalesOrder"])
        let relief = try table("InvMovements").filter { trimmed($0["TrnType"]) == "S" && trimmed($0["Reference"]) == so }
        XCTAssertEqual(relief.count, 2, "one dispatch note per shipment relieved SYSPRO stock once per line")
        XCTAssertEqual(try table("MdnMaster").filter { trimmed($0["SalesOrder"]) == so }.count, 2, "one dispatch note per shipment")
    }

    func testOrderWhoseWebhookWasNeverDeliveredIsFoundByReconcile() throws {
        let created = try json(try demo.control("POST", "/_control/shipbob/orders", [
            "channel": ["id": 55176], "products": [["sku": "TS-BLU-M", "quantity": 2]]]))
        let orderID = (created["id"] as! NSNumber).intValue
        let shipment = ((created["shipments"] as! [[String: Any]])[0]["id"] as! NSNumber).intValue
        _ = try demo.control("POST", "/_control/shipbob/orders/\(orderID)/shipments/\(shipment)", [
            "status": "LabeledCreated", "tracking": ["carrier": "UPS", "tracking_number": "1ZRECONCILE01"]])
        // No webhook is sent for it.
        try runJob(["--reconcile"])
        XCTAssertTrue(demo.files("spool/shipbob/new").contains { $0.hasPrefix("reconcile-order-\(orderID)-") },
                      "\(demo.files("spool/shipbob/new"))")
        try runJob()
        let order = try XCTUnwrap(try demo.salesOrders().first { trimmed($0["CustomerPoNumber"]) == "SB\(orderID)" })
        XCTAssertEqual(trimmed(order["OrderStatus"]), "9")
        XCTAssertEqual(trimmed(order["SpecialInstrs"]), "UPS 1ZRECONCILE01")
        // The seed's completed, unsynced WRO 880101 was received the same way.
        XCTAssertEqual(try receipts(880101).count, 2)

        // Nothing new: a second reconcile spools nothing.
        try runJob(["--reconcile"])
        XCTAssertEqual(demo.files("spool/shipbob/new"), [])
        XCTAssertTrue(FileManager.default.fileExists(atPath: demo.tenantDir + "/cursors/shipbob-to-syspro-reconcile.json"))
    }
}
