import Foundation
import XCTest

/// Receiving, shipment tracking and reconciliation through the real programs: signed
/// webhooks via nginx + webhook-cgi, `shipbob-to-syspro` and `--reconcile`, against the
/// sandbox, asserting what SYSPRO and ShipBob hold through `/_control`.
final class FulfillmentEndToEndTests: XCTestCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { demo = try DemoTenant() }
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

    func receive(_ wro: Int, sku: String = "TS-BLU-L", _ qty: Int) throws {
        let r = try demo.control("POST", "/_control/shipbob/receiving/\(wro)/receive", ["items": [["sku": sku, "quantity": qty]]])
        XCTAssertEqual(r.status, 200, r.text)
    }

    func receipts(_ wro: Int) throws -> [[String: Any]] {
        try table("InvMovements").filter { trimmed($0["Reference"]).hasPrefix("WRO\(wro)-") && trimmed($0["TrnType"]) == "R" }
    }

    func onHand(_ code: String, _ warehouse: String) throws -> Double {
        let row = try table("InvWarehouse").first { trimmed($0["StockCode"]) == code && trimmed($0["Warehouse"]) == warehouse }
        return (row?["QtyOnHand"] as? NSNumber)?.doubleValue ?? .nan
    }

    func testWroReceivedInTwoPartsPostsTwoReceiptsOnceEach() throws {
        let before = try onHand("TS-BLU-L", "LA")
        let wro = try newWRO()
        try receive(wro, 10)
        try emit("receiving.updated", ["--wro-id", String(wro)])
        try runJob()
        try receive(wro, 14)
        try emit("receiving.completed", ["--wro-id", String(wro)])
        try runJob()

        let rows = try receipts(wro)
        XCTAssertEqual(rows.map { ($0["TrnQty"] as! NSNumber).intValue }.sorted(), [10, 14])
        let references = rows.map { trimmed($0["Reference"]) }.sorted()
        XCTAssertEqual(references.map { $0.split(separator: "/").last.map(String.init) ?? "" }, ["1", "2"], "\(references)")
        XCTAssertEqual(Set(references.map { $0.split(separator: "/")[0] }).count, 1, "one WRO item, two posts: \(references)")
        XCTAssertEqual(Set(rows.map { trimmed($0["Warehouse"]) }), ["LA"], "fulfillment center 10 maps to LA")
        XCTAssertEqual(try onHand("TS-BLU-L", "LA"), before + 24)
        let synced = try json(try demo.control("GET", "/_control/shipbob/receiving/\(wro)"))
        XCTAssertFalse(synced["external_sync_timestamp"] is NSNull, "the completed WRO is marked synced in ShipBob")

        // Redelivered and re-emitted: nothing more is posted.
        try emit("wro.completed", ["--wro-id", String(wro)])
        try runJob()
        XCTAssertEqual(try receipts(wro).count, 2)
        XCTAssertEqual(demo.files("attention"), [])
        let ledger = try String(contentsOfFile: demo.tenantDir + "/ledger/receipts/" + (demo.files("ledger/receipts").first { $0.hasPrefix("wro-\(wro)-") } ?? "-"), encoding: .utf8)
        XCTAssertTrue(ledger.contains(#""posted_qty" : "24""#) || ledger.contains(#""posted_qty":"24""#), ledger)
    }

    func testKillBetweenReceiptPostAndLedgerIsResolvedWithoutADoublePost() throws {
        let wro = try newWRO()
        try receive(wro, 24)
        try emit("receiving.completed", ["--wro-id", String(wro)])
        _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "INVTMR",
                                                         "delay_ms": 5000, "delay_after_commit": true, "count": 1])
        let p = try startProgram("shipbob-to-syspro", env: demo.env)
        // SYSPRO has committed the receipt and is holding its answer: kill the job now.
        let deadline = Date().addingTimeInterval(20)
        while try receipts(wro).isEmpty, Date() < deadline { usleep(50_000) }
        XCTAssertTrue(p.isRunning, "the job is still waiting for SYSPRO's answer")
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        let pending = try String(contentsOfFile: demo.tenantDir + "/ledger/receipts/" + demo.files("ledger/receipts")
            .first { $0.hasPrefix("wro-\(wro)-") }!, encoding: .utf8)
        XCTAssertTrue(pending.contains("pending"), "killed between post and ledger: \(pending)")

        _ = try demo.control("DELETE", "/_control/faults")
        try runJob()
        XCTAssertEqual(try receipts(wro).count, 1, "resolved through InvMovements, not posted twice")
        let audit = try String(contentsOfFile: demo.tenantDir + "/audit/" + demo.files("audit").last!, encoding: .utf8)
        XCTAssertTrue(audit.contains("found in InvMovements after an interrupted post"), audit)
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
