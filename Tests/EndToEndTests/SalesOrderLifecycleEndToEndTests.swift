import Foundation
import XCTest

/// The sales order's life in SYSPRO against the strict sandbox (docs/vendors/syspro.md):
/// SORTOI's documented parameters, warnings, answers without `<Order>`, one dispatch note per
/// shipped shipment (stock relieved in the mapped warehouse), the invoice option, SORTOX for
/// cancelled orders, and orders the previous release completed with SORTOS 9.
final class SalesOrderLifecycleEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func tearDown() { demo?.stop() }

    func start(omitOrderPercent: Int = 50) throws {
        demo = try DemoTenant(sandboxArgs: ["--syspro-omit-order-percent", String(omitOrderPercent)])
    }

    func trimmed(_ v: Any?) -> String { (v as? String ?? (v as? NSNumber)?.stringValue ?? "").trimmingCharacters(in: .whitespaces) }
    func table(_ name: String) throws -> [[String: Any]] {
        try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/" + name) as! [[String: Any]]
    }
    func json(_ r: HTTP.Response) throws -> [String: Any] { try JSONSerialization.jsonObject(with: r.body) as! [String: Any] }
    func order(po: String) throws -> [String: Any]? { try demo.salesOrders().first { trimmed($0["CustomerPoNumber"]) == po } }
    func onHand(_ code: String, _ warehouse: String) throws -> Double {
        let row = try table("InvWarehouse").first { trimmed($0["StockCode"]) == code && trimmed($0["Warehouse"]) == warehouse }
        return (row?["QtyOnHand"] as? NSNumber)?.doubleValue ?? .nan
    }
    func runJob() throws {
        let r = try demo.job("shipbob-to-syspro")
        XCTAssertEqual(r.status, 0, r.stderr)
    }

    /// Every SYSPRO business-object post the connector made: (business object, XmlParameters).
    func posts() throws -> [(bo: String, parameters: String)] {
        let log = try HTTP.json(demo.sandboxURL + "/_control/requests?service=syspro") as! [[String: Any]]
        return log.compactMap { e in
            guard (e["path"] as? String ?? "").hasSuffix("Transaction/Post"),
                  let items = URLComponents(string: "http://x/?" + (e["query"] as? String ?? ""))?.queryItems else { return nil }
            let value = { (name: String) in items.first { $0.name == name }?.value ?? "" }
            return (value("BusinessObject"), value("XmlParameters"))
        }
    }

    /// A ShipBob order at location 10 (LA), its shipments given as product lists.
    func createOrder(_ products: [(String, Int, Double?)], shipments: [[(String, Int)]]? = nil) throws -> (id: Int, shipments: [Int]) {
        var body: [String: Any] = ["channel": ["id": 55176], "location_id": 10,
                                   "products": products.map { p -> [String: Any] in
                                       var line: [String: Any] = ["sku": p.0, "quantity": p.1]
                                       if let price = p.2 { line["unit_price"] = price }
                                       return line
                                   }]
        if let shipments {
            body["shipments"] = shipments.map { items in
                ["products": items.map { ["sku": $0.0, "inventory_items": [["quantity": $0.1]]] }]
            }
        }
        let created = try json(try demo.control("POST", "/_control/shipbob/orders", body))
        let ids = (created["shipments"] as! [[String: Any]]).map { ($0["id"] as! NSNumber).intValue }
        return ((created["id"] as! NSNumber).intValue, ids)
    }

    func ship(_ order: Int, _ shipment: Int, tracking: String = "9400111899223197428490", status: String = "Completed") throws {
        let r = try demo.control("POST", "/_control/shipbob/orders/\(order)/shipments/\(shipment)", [
            "status": status, "tracking": ["carrier": "USPS", "tracking_number": tracking],
            // Whole seconds, so a second past the order's fractional creation time.
            "last_update_at": ISO8601DateFormatter().string(from: Date().addingTimeInterval(1))])
        XCTAssertEqual(r.status, 200, r.text)
    }

    func dispatchNotes(po: String) throws -> [[String: Any]] {
        try table("MdnMaster").filter { trimmed($0["CustomerPoNumber"]) == po }
    }

    // MARK: SORTOI

    func testSortoiRefusesADuplicateCustomerPoThroughAllowDuplicateOrderNumbersAndNeverSendsYOrA() throws {
        try start(omitOrderPercent: 0)
        let o = try createOrder([("TS-BLU-M", 1, nil)])
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        // A lost ledger: the connector posts again and SYSPRO's own guard refuses the PO.
        try FileManager.default.removeItem(atPath: demo.tenantDir + "/ledger/orders/SB\(o.id).json")
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        XCTAssertEqual(try demo.salesOrders().filter { trimmed($0["CustomerPoNumber"]) == "SB\(o.id)" }.count, 1)
        XCTAssertTrue(demo.auditLines().contains { ($0["reason"] as? String ?? "").contains("refused a duplicate customer PO") },
                      "the second post was refused by AllowDuplicateOrderNumbers=N and resolved through SorMaster")
        let imports = try posts().filter { $0.bo == "SORTOI" && $0.parameters.contains("IMPORT") && !$0.parameters.contains("<CheckForCustomerPoNumbers>N") }
        XCTAssertEqual(imports.count, 2)
        for p in imports {
            XCTAssertTrue(p.parameters.contains("<AllowDuplicateOrderNumbers>N</AllowDuplicateOrderNumbers>"), p.parameters)
            XCTAssertFalse(p.parameters.contains("<CheckForCustomerPoNumbers>Y") || p.parameters.contains("<CheckForCustomerPoNumbers>A"),
                           "CheckForCustomerPoNumbers is no duplicate guard: \(p.parameters)")
        }
    }

    func testAZeroPricedLineIsImportedWithAllowZeroPrice() throws {
        try start()
        let o = try createOrder([("TS-BLU-M", 1, 0), ("JN-SLM-IND-32", 1, nil)])
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        let so = try XCTUnwrap(try order(po: "SB\(o.id)"))
        let prices = ((so["lines"] as? [[String: Any]]) ?? []).map { (trimmed($0["MStockCode"]), ($0["MPrice"] as? NSNumber)?.doubleValue) }
        XCTAssertTrue(prices.contains { $0.0 == "TS-BLU-M" && $0.1 == 0 }, "\(prices)")
        XCTAssertTrue(try posts().contains { $0.bo == "SORTOI" && $0.parameters.contains("<AllowZeroPrice>Y</AllowZeroPrice>") })
        XCTAssertEqual(demo.files("attention"), [])
    }

    func testMarginWarningsAreAcceptedAndAuditedWithTheDefaultW() throws {
        try start()
        let o = try createOrder([("TS-BLU-M", 1, 1.00)])   // far below its list price
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        XCTAssertNotNil(try order(po: "SB\(o.id)"))
        let warning = demo.auditLines().first { $0["outcome"] as? String == "warning" }
        XCTAssertTrue((warning?["reason"] as? String ?? "").contains("minimum margin"), "\(String(describing: warning))")
    }

    func testWithIgnoreWarningsNAMarginWarningIsAnErrorForAPerson() throws {
        try start()
        try demo.editConfig { c in c["orders"] = ["ignore_warnings": "N"] }
        let o = try createOrder([("TS-BLU-M", 1, 1.00)])
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        XCTAssertNil(try order(po: "SB\(o.id)"))
        XCTAssertEqual(demo.files("attention").count, 1)
    }

    func importsExactlyOnceEach(omitOrderPercent: Int) throws {
        try start(omitOrderPercent: omitOrderPercent)
        var ids: [Int] = []
        for _ in 0..<3 { ids.append(try createOrder([("TS-BLU-M", 1, nil)]).id) }
        for id in ids + ids { XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(id)).status, 0) }
        try runJob()
        for id in ids {
            XCTAssertEqual(try demo.salesOrders().filter { trimmed($0["CustomerPoNumber"]) == "SB\(id)" }.count, 1)
        }
        XCTAssertEqual(demo.files("attention"), [])
        let postedCount = demo.auditLines().filter { $0["outcome"] as? String == "posted" }.count
        XCTAssertEqual(postedCount, 3, "each order posted once, found in SorMaster when the answer had no <Order>")
    }

    func testEveryAnswerWithoutItsOrderBlockStillMakesOneSalesOrderEach() throws { try importsExactlyOnceEach(omitOrderPercent: 100) }
    func testEveryAnswerWithItsOrderBlockMakesOneSalesOrderEach() throws { try importsExactlyOnceEach(omitOrderPercent: 0) }

    // MARK: shipped

    func testOneShipmentBecomesOneDispatchNoteRelievingTheMappedWarehouse() throws {
        try start()
        let o = try createOrder([("TS-BLU-M", 1, nil), ("JN-SLM-IND-32", 2, nil)])
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        XCTAssertEqual(try dispatchNotes(po: "SB\(o.id)").count, 0, "nothing shipped yet")
        let before = (try onHand("TS-BLU-M", "LA"), try onHand("JN-SLM-IND-32", "LA"), try onHand("TS-BLU-M", "FG"))
        try ship(o.id, o.shipments[0])
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        XCTAssertEqual(try demo.emit("order_shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        let notes = try dispatchNotes(po: "SB\(o.id)")
        XCTAssertEqual(notes.count, 1)
        XCTAssertEqual(trimmed(notes.first?["SpecialInstrs"]), "SB\(o.id) S\(o.shipments[0])")
        XCTAssertEqual(try onHand("TS-BLU-M", "LA"), before.0 - 1)
        XCTAssertEqual(try onHand("JN-SLM-IND-32", "LA"), before.1 - 2)
        XCTAssertEqual(try onHand("TS-BLU-M", "FG"), before.2, "no other warehouse touched")
        XCTAssertEqual(trimmed(try order(po: "SB\(o.id)")?["OrderStatus"]), "9", "everything dispatched")
        XCTAssertFalse(try posts().contains { $0.bo == "SORTOS" }, "no status change for a shipped order")
        XCTAssertFalse(try posts().contains { $0.bo == "SORTNC" }, "no invoice by default")
        XCTAssertEqual(demo.files("attention"), [])
    }

    func testTwoShipmentsBecomeTwoDispatchNotesOfTheirOwnQuantities() throws {
        try start()
        let o = try createOrder([("TS-BLU-M", 1, nil), ("JN-SLM-IND-32", 2, nil)],
                                shipments: [[("TS-BLU-M", 1)], [("JN-SLM-IND-32", 2)]])
        XCTAssertEqual(o.shipments.count, 2)
        try ship(o.id, o.shipments[0])
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        XCTAssertEqual(try dispatchNotes(po: "SB\(o.id)").count, 1)
        XCTAssertNotEqual(trimmed(try order(po: "SB\(o.id)")?["OrderStatus"]), "9", "a line is still open")
        try ship(o.id, o.shipments[1], tracking: "9400111899223197428491")
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        let attention = demo.files("attention").map { (try? String(contentsOfFile: demo.tenantDir + "/attention/" + $0, encoding: .utf8)) ?? "" }
        XCTAssertEqual(attention, [])
        let notes = try dispatchNotes(po: "SB\(o.id)")
        XCTAssertEqual(Set(notes.map { trimmed($0["SpecialInstrs"]) }), Set(o.shipments.map { "SB\(o.id) S\($0)" }))
        let detail = try table("MdnDetail").filter { d in notes.contains { trimmed($0["DispatchNote"]) == trimmed(d["DispatchNote"]) } }
        XCTAssertEqual(detail.map { "\(trimmed($0["MStockCode"])) \(($0["MQtyToDispatch"] as! NSNumber).intValue)" }.sorted(),
                       ["JN-SLM-IND-32 2", "TS-BLU-M 1"])
        XCTAssertEqual(trimmed(try order(po: "SB\(o.id)")?["OrderStatus"]), "9")
    }

    func testInvoiceOptionInvoicesEachDispatchNote() throws {
        try start()
        try demo.editConfig { c in c["orders"] = ["on_shipped": "dispatch_and_invoice"] }
        let o = try createOrder([("TS-BLU-M", 1, nil)])
        try ship(o.id, o.shipments[0])
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        XCTAssertEqual(try demo.emit("order_shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        let note = try XCTUnwrap(try dispatchNotes(po: "SB\(o.id)").first)
        XCTAssertEqual(trimmed(note["DispatchNoteStatus"]), "9", "invoiced")
        let invoices = try table("ArInvoice").filter { trimmed($0["CustomerPoNumber"]) == "SB\(o.id)" }
        XCTAssertEqual(invoices.count, 1)
        XCTAssertEqual(trimmed(invoices.first?["Invoice"]), trimmed(note["Invoice"]))
    }

    // MARK: cancelled

    func testACancelledOrderIsCancelledThroughSortoxNeverSortos() throws {
        try start()
        let o = try createOrder([("TS-BLU-M", 1, nil)])
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        let allocated = { try self.table("InvWarehouse").first { self.trimmed($0["StockCode"]) == "TS-BLU-M" && self.trimmed($0["Warehouse"]) == "LA" }?["QtyAllocated"] as? NSNumber }
        let before = try allocated()?.doubleValue ?? .nan
        let r = try demo.control("POST", "/_control/shipbob/orders/\(o.id)/shipments/\(o.shipments[0])", ["status": "Cancelled"])
        XCTAssertEqual(r.status, 200, r.text)
        XCTAssertEqual(try demo.emit("order.shipment.cancelled", orderID: Int64(o.id)).status, 0)
        XCTAssertEqual(try demo.emit("shipment_cancelled", orderID: Int64(o.id)).status, 0)
        try runJob()
        let so = try XCTUnwrap(try order(po: "SB\(o.id)"))
        XCTAssertEqual(trimmed(so["CancelledFlag"]), "Y")
        XCTAssertEqual(try posts().filter { $0.bo == "SORTOX" }.count, 1, "cancelled once")
        XCTAssertFalse(try posts().contains { $0.bo == "SORTOS" })
        XCTAssertEqual(try allocated()?.doubleValue ?? .nan, before - 1, "the allocation is released")
        XCTAssertEqual(demo.files("attention"), [])
    }

    // MARK: upgrade

    /// The previous release completed shipped orders with SORTOS 9 and wrote no dispatch
    /// entry. After the upgrade such an order gets no dispatch note (SYSPRO would refuse a
    /// complete order), raises no attention, and is recorded once.
    func testAnOrderThePreviousReleaseCompletedWithStatus9IsNotDispatchedAgain() throws {
        try start()
        let o = try createOrder([("TS-BLU-M", 1, nil)])
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        let so = trimmed(try order(po: "SB\(o.id)")?["SalesOrder"])
        // What the old release left: status 9 in SYSPRO, the shipment recorded as shipped.
        XCTAssertEqual(try demo.control("POST", "/_control/syspro/tables/SorMaster", ["SalesOrder": so, "OrderStatus": "9"]).status, 200)
        try ship(o.id, o.shipments[0])
        let shipment = ["key": "shipment-\(o.shipments[0])", "status": "done", "target": so, "attempts": 1,
                        "updated": "2026-08-04T18:30:00Z", "detail": ["status": "shipped", "order_id": String(o.id)]] as [String: Any]
        try JSONSerialization.data(withJSONObject: shipment).write(to: URL(fileURLWithPath: demo.tenantDir + "/ledger/shipments/shipment-\(o.shipments[0]).json"))
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        XCTAssertEqual(try dispatchNotes(po: "SB\(o.id)").count, 0)
        XCTAssertEqual(demo.files("attention"), [])
        XCTAssertEqual(demo.auditLines().filter { ($0["detail"] as? [String: Any])?["change"] as? String == "dispatch-skipped" }.count, 1)
        XCTAssertEqual(try demo.emit("order.shipped", orderID: Int64(o.id)).status, 0)
        try runJob()
        XCTAssertEqual(try dispatchNotes(po: "SB\(o.id)").count, 0)
        XCTAssertEqual(demo.auditLines().filter { ($0["detail"] as? [String: Any])?["change"] as? String == "dispatch-skipped" }.count, 1,
                       "recorded once, then settled")
    }
}
