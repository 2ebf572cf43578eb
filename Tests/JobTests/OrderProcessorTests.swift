import Foundation
import WebhookCore
import XCTest
import ConnectorKit
import Syspro
import ShipBob
import Fulfillment
import ConnectorConfig

/// A SYSPRO that does NOT refuse duplicate customer POs, so these tests pin the
/// connector's own exactly-once logic, not SYSPRO's last-resort guard.
final class FakeSyspro: SalesOrderSystem {
    var stockCodes: Set<String> = ["TS-BLU-M", "TS-WHT-M"]
    var orders: [(po: String, so: String, customer: String, lines: [StockLine])] = []
    var imports = 0
    /// Commit the order, then fail as a killed process or a lost answer would.
    var failAfterCommit: Error?
    var omitOrderBlock = false

    func existingStockCodes(_ codes: [String]) throws -> Set<String> { stockCodes.intersection(codes) }
    /// Status and header texts per sales order, as SORTOS and SORTOI changes leave them.
    var statuses: [String: String] = [:]
    var texts: [String: [String: String]] = [:]
    var statusPosts: [(so: String, status: String)] = []
    var textPosts = 0
    /// Refuse every status change (as SYSPRO would an invalid transition).
    var refuseStatus = false

    func salesOrders(customerPoNumber: String) throws -> [SorMasterRow] {
        orders.filter { $0.po == customerPoNumber }.map {
            SorMasterRow(salesOrder: $0.so, customer: $0.customer, customerPoNumber: $0.po, orderStatus: statuses[$0.so] ?? "1",
                         shippingInstrs: texts[$0.so]?["ShippingInstrs"] ?? "", specialInstrs: texts[$0.so]?["SpecialInstrs"] ?? "")
        }
    }
    func changeOrderStatus(salesOrder: String, current: String?, new: String) throws -> SalesOrderUpdateResult {
        if refuseStatus { return SalesOrderUpdateResult(itemsProcessed: 0, errors: ["neworderstatus '\(new)' [1]: not allowed"]) }
        statusPosts.append((salesOrder, new))
        statuses[salesOrder] = new
        return SalesOrderUpdateResult(itemsProcessed: 1, errors: [])
    }
    func changeOrderTexts(salesOrder: String, customerPoNumber: String, fields: [String: String]) throws -> SalesOrderUpdateResult {
        textPosts += 1
        texts[salesOrder, default: [:]].merge(fields) { $1 }
        return SalesOrderUpdateResult(itemsProcessed: 1, errors: [])
    }
    /// Dispatch notes, invoices and cancels as SORTDN, SORTNC and SORTOX leave them.
    var dispatchPosts: [(so: String, reference: String, lines: [SalesOrderLifecycle.DispatchLine])] = []
    var invoices: [String] = []
    var cancels: [String] = []
    /// Commit the next dispatch note, then fail as a lost answer would.
    var failDispatchAfterCommit: Error?

    func salesOrderLines(salesOrder: String) throws -> [SorDetailRow] {
        (orders.first { $0.so == salesOrder }?.lines ?? []).map {
            SorDetailRow(salesOrderLine: $0.customerPoLine, stockCode: $0.stockCode, warehouse: $0.warehouse, orderQty: $0.quantity)
        }
    }
    func dispatchNotes(salesOrder: String) throws -> [DispatchNoteRow] {
        dispatchPosts.enumerated().filter { $0.element.so == salesOrder }.map { n, d in
            DispatchNoteRow(dispatchNote: "DN\(n + 1)", salesOrder: d.so, reference: d.reference, status: invoices.contains("DN\(n + 1)") ? "9" : "7")
        }
    }
    func postDispatchNote(salesOrder: String, reference: String, comments: [String],
                          lines: [SalesOrderLifecycle.DispatchLine]) throws -> LifecyclePostResult {
        dispatchPosts.append((salesOrder, reference, lines))
        // Like the sandbox: nothing left open completes the order.
        let ordered = try salesOrderLines(salesOrder: salesOrder).reduce(Decimal(0)) { $0 + $1.orderQty }
        let dispatched = dispatchPosts.filter { $0.so == salesOrder }.flatMap(\.lines).reduce(Decimal(0)) { $0 + $1.quantity }
        if dispatched >= ordered { statuses[salesOrder] = "9" }
        if let e = failDispatchAfterCommit { failDispatchAfterCommit = nil; throw e }
        return LifecyclePostResult(itemsProcessed: 1, errors: [], number: "DN\(dispatchPosts.count)")
    }
    func invoiceDispatchNote(_ dispatchNote: String) throws -> LifecyclePostResult {
        invoices.append(dispatchNote)
        return LifecyclePostResult(itemsProcessed: 1, errors: [], number: "INV\(invoices.count)")
    }
    func cancelSalesOrder(_ salesOrder: String) throws -> LifecyclePostResult {
        cancels.append(salesOrder)
        statuses[salesOrder] = "\\"
        return LifecyclePostResult(itemsProcessed: 1, errors: [])
    }
    func importOrder(_ order: SysproSalesOrder) throws -> SortoiResult {
        imports += 1
        let so = String(format: "%06d", 15000 + orders.count)
        orders.append((order.customerPoNumber, so, order.customer, order.lines))
        if let e = failAfterCommit { failAfterCommit = nil; throw e }
        return SortoiResult(salesOrder: omitOrderBlock ? nil : so, itemsProcessed: 1, itemsRejected: 0, errors: [], isDuplicatePo: false, isRejected: false)
    }
}

final class FakeShipBob: OrderSource {
    var orders: [Int64: JSONValue] = [:]
    var fetches = 0
    func order(id: Int64) throws -> ShipBobOrder? {
        fetches += 1
        return try orders[id].map { try ShipBobOrder(json: $0) }
    }
}

struct Interrupted: ConnectorError {
    var exitStatus: ExitStatus { .unavailable }
    var description: String { "connection lost after sending" }
}

final class OrderProcessorTests: XCTestCase {
    var dir: String!
    var syspro: FakeSyspro!
    var shipbob: FakeShipBob!
    var processor: OrderProcessor!
    var tracker: ShipmentTracker!
    var config: TenantConfig!

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "mlc-job-" + UUID().uuidString
        syspro = FakeSyspro(); shipbob = FakeShipBob()
        config = TenantConfig(
            mappings: Mappings(channelCustomers: ["55176": "0000100"], skuStockCodes: ["TShirtBlueM": "TS-BLU-M"],
                               locationWarehouses: ["10": "LA"]),
            sections: [SysproSettings(restURL: "http://x/Rest", odataURL: "http://x/odata", operator: "ADMIN", companyID: "C",
                                      odataUser: "o", orderWarehouse: "FG"),
                       ShipBobSettings(apiURL: "http://x/shipbob/2026-07", auth: .pat)])
        tracker = ShipmentTracker(text: TrackingText(settings: TrackingSettings()), syspro: syspro,
                                      shipments: Ledger(directory: dir + "/ledger/shipments"),
                                      audit: AuditLog(directory: dir + "/audit", job: "test"), mapping: OrderMapping(config: config),
                                      orders: OrdersSettings(), posts: Ledger(directory: dir + "/ledger/order-posts"),
                                      inFlightWindow: 60, now: { Date() })
        processor = OrderProcessor(mapping: OrderMapping(config: config), syspro: syspro, shipbob: shipbob,
                                   ledger: Ledger(directory: dir + "/ledger/orders"), tracker: tracker)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func orderJSON(id: Int64 = 15949208, channel: Int = 55176, skus: [String] = ["TShirtBlueM"], location: Int = 10) -> String {
        let products = skus.map { #"{"sku": "\#($0)", "quantity": 2, "unit_price": 9.5}"# }.joined(separator: ",")
        return #"""
        {"id": \#(id), "reference_id": "ORD-1", "purchase_date": "2026-08-03T10:25:53+00:00",
         "channel": {"id": \#(channel), "name": "Shop"},
         "recipient": {"name": "Jane Doe", "address": {"address1": "1 Main St", "city": "Chicago", "zip_code": "60607"}, "email": "j@example.com"},
         "products": [\#(products)],
         "shipments": [{"id": 1, "order_id": \#(id), "status": "LabeledCreated", "location": {"id": \#(location), "name": "FC"},
                        "products": [\#(products)]}]}
        """#
    }

    func envelope(_ topic: String, _ body: String, id: String = UUID().uuidString) -> WebhookEnvelope {
        WebhookEnvelope(id: id, source: "shipbob", topic: topic, receivedAt: Date(), headers: [:], body: Data(body.utf8))
    }

    func testOrderEventPostsOneSalesOrderWithMappedCustomerStockCodeAndWarehouse() throws {
        let outcome = try processor.apply(envelope("order_shipped", orderJSON()))
        XCTAssertEqual(outcome, .posted(key: "SB15949208", salesOrder: "015000"))
        XCTAssertEqual(syspro.orders.first?.customer, "0000100")
        XCTAssertEqual(syspro.orders.first?.lines.map(\.stockCode), ["TS-BLU-M"])
        XCTAssertEqual(syspro.orders.first?.lines.map(\.warehouse), ["LA"], "fulfillment center 10 maps to LA")
    }

    func testSecondEventForTheSameOrderDoesNotPostAgain() throws {
        _ = try processor.apply(envelope("order_shipped", orderJSON()))
        let again = try processor.apply(envelope("order.shipped", orderJSON()))
        XCTAssertEqual(again, .alreadyInSyspro(key: "SB15949208", salesOrder: "015000", how: "ledger"))
        XCTAssertEqual(syspro.imports, 1)
    }

    func testCrashAfterSysproCommittedIsResolvedBySorMasterNotByASecondPost() throws {
        syspro.failAfterCommit = Interrupted()
        XCTAssertThrowsError(try processor.apply(envelope("order_shipped", orderJSON())))
        let retry = try processor.apply(envelope("order_shipped", orderJSON()))
        XCTAssertEqual(retry, .alreadyInSyspro(key: "SB15949208", salesOrder: "015000", how: "SorMaster after an interrupted post"))
        XCTAssertEqual(syspro.imports, 1, "no second post")
        XCTAssertEqual(syspro.orders.count, 1)
    }

    func testPendingEntryWithNothingInSysproPostsExactlyOnceMore() throws {
        try Ledger(directory: dir + "/ledger/orders").put(.init(key: "SB15949208", status: .pending))
        XCTAssertEqual(try processor.apply(envelope("order_shipped", orderJSON())), .posted(key: "SB15949208", salesOrder: "015000"))
        XCTAssertEqual(syspro.imports, 1)
    }

    func testCleanImportWithoutOrderBlockIsLookedUpBySorMaster() throws {
        syspro.omitOrderBlock = true
        XCTAssertEqual(try processor.apply(envelope("order_shipped", orderJSON())), .posted(key: "SB15949208", salesOrder: "015000"))
        XCTAssertEqual(try Ledger(directory: dir + "/ledger/orders").get("SB15949208")?.target, "015000")
    }

    func testUnmappedChannelAndUnknownSkuNeedAPerson() throws {
        guard case .attention(let r1, let a1) = try processor.apply(envelope("order_shipped", orderJSON(channel: 99))) else { return XCTFail() }
        XCTAssertTrue(r1.contains("channel 99") && a1.contains("mappings.channel_customers"), r1)
        guard case .attention(let r2, _) = try processor.apply(envelope("order_shipped", orderJSON(id: 2, skus: ["MUG"]))) else { return XCTFail() }
        XCTAssertTrue(r2.contains("SKU MUG"), r2)
        XCTAssertEqual(syspro.imports, 0)
    }

    func testShipmentOnlyEventFetchesTheOrderFromShipBob() throws {
        shipbob.orders[15949208] = try JSONValue.parse(Data(orderJSON().utf8))
        let shipment = #"{"id": 1, "order_id": 15949208, "status": "Completed"}"#
        XCTAssertEqual(try processor.apply(envelope("shipment_delivered", shipment)), .posted(key: "SB15949208", salesOrder: "015000"))
        XCTAssertEqual(shipbob.fetches, 1, "one fetch serves the import and the dispatch note")
        XCTAssertEqual(syspro.dispatchPosts.map { $0.lines.map(\.quantity) }, [[2]], "the shipment's quantity, read from the fetched order")
    }

    func testAShipmentEventNamingOnlyItsOrderIsReadFromTheOrderFetchedOnce() throws {
        let order = orderJSON().replacingOccurrences(of: #""status": "LabeledCreated", "location": {"id": 10, "name": "FC"},"#,
            with: #""status": "Completed", "last_update_at": "2026-08-04T10:00:00+00:00", "location": {"id": 10}, "tracking": {"carrier": "USPS", "tracking_number": "9261"},"#)
        XCTAssertNotEqual(order, orderJSON())
        shipbob.orders[15949208] = try JSONValue.parse(Data(order.utf8))
        // The documented tracking-received body: no shipment id, `tracking_id` for the number.
        let body = #"{"event_time": "2026-08-04T10:00:01Z", "order_id": 15949208, "reference_id": "ORD-1", "status": "LabelCreated", "tracking": {"carrier": "USPS", "tracking_id": "9261"}}"#
        XCTAssertEqual(try processor.apply(envelope("order.shipment.tracking_received", body)), .posted(key: "SB15949208", salesOrder: "015000"))
        XCTAssertEqual(shipbob.fetches, 1, "the order fetched for its shipments is the one imported")
        XCTAssertEqual(try tracker.stored(1)?.phase, .shipped)
        XCTAssertEqual(try tracker.stored(1)?.trackingNumber, "9261")
    }

    func testCancelledShipmentOfAnOrderNeverImportedCreatesNothing() throws {
        let shipment = #"{"id": 101199464, "order_id": 15949208, "status": "Cancelled"}"#
        guard case .ignored = try processor.apply(envelope("order.shipment.cancelled", shipment)) else { return XCTFail() }
        XCTAssertEqual(syspro.imports, 0)
        XCTAssertEqual(shipbob.fetches, 0)
    }

    func testBodyThatIsNotJsonIsBadData() {
        XCTAssertThrowsError(try processor.apply(envelope("order_shipped", "{nope"))) {
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .dataError)
        }
    }

    func testOrderDateIsTheSysproServersLocalDay() {
        var config = config!
        config.syspro.timeZone = "America/Chicago"
        // 03:00 UTC on Aug 4 is still Aug 3 in Chicago.
        XCTAssertEqual(try OrderMapping(config: config).orderDate(Date(timeIntervalSince1970: 1_785_812_400)), "2026-08-03")
    }
}
