import Foundation
import WebhookCore
import XCTest
import ConnectorKit
import Syspro
import ShipBob
import Fulfillment
import ConnectorConfig
import ConnectorNet

final class ShipmentTrackingTests: XCTestCase {
    var dir: String!
    var syspro: FakeSyspro!
    var shipbob: FakeShipBob!
    var processor: OrderProcessor!
    var tracking = TrackingSettings()
    var orders = OrdersSettings()
    var window: TimeInterval = 60
    var clock = Date()

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "mlc-tracking-" + UUID().uuidString
        syspro = FakeSyspro(); shipbob = FakeShipBob()
        tracking.maxLength = 60
        makeProcessor()
    }

    func makeProcessor() {
        let config = TenantConfig(
            mappings: Mappings(channelCustomers: ["55176": "0000100"], skuStockCodes: ["TShirtBlueM": "TS-BLU-M"]),
            sections: [SysproSettings(restURL: "http://x/Rest", odataURL: "http://x/odata", operator: "ADMIN", companyID: "C",
                                      odataUser: "o", orderWarehouse: "FG"),
                       ShipBobSettings(apiURL: "http://x/shipbob/2026-07", auth: .pat)])
        let tracker = ShipmentTracker(text: TrackingText(settings: tracking), syspro: syspro,
                                      shipments: Ledger(directory: dir + "/ledger/shipments"),
                                      audit: AuditLog(directory: dir + "/audit", job: "test"), mapping: OrderMapping(config: config),
                                      orders: orders, posts: Ledger(directory: dir + "/ledger/order-posts"),
                                      inFlightWindow: window, now: { self.clock })
        processor = OrderProcessor(mapping: OrderMapping(config: config), syspro: syspro, shipbob: shipbob,
                                   ledger: Ledger(directory: dir + "/ledger/orders"), tracker: tracker)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func shipment(_ id: Int, status: String, at: String, tracking: String? = nil, delivered: Bool = false) -> String {
        let t = tracking.map { #"{"carrier": "UPS", "tracking_number": "\#($0)"}"# } ?? "null"
        let details = delivered ? #"[{"name": "Delivered"}]"# : "[]"
        let sku = id == 1 ? "TShirtBlueM" : "TS-WHT-M"
        return #"{"id": \#(id), "order_id": 15949212, "status": "\#(status)", "last_update_at": "\#(at)", "tracking": \#(t), "status_details": \#(details), "location": {"id": 10}, "products": [{"sku": "\#(sku)", "inventory_items": [{"quantity": 1}]}]}"#
    }

    func order(_ shipments: [String]) -> String {
        #"""
        {"id": 15949212, "reference_id": "#1044", "channel": {"id": 55176, "name": "Shop"},
         "recipient": {"name": "Jane", "address": {"address1": "1 Main St", "city": "Chicago", "zip_code": "60607"}},
         "products": [{"sku": "TShirtBlueM", "quantity": 1}, {"sku": "TS-WHT-M", "quantity": 1}],
         "shipments": [\#(shipments.joined(separator: ","))]}
        """#
    }

    func apply(_ topic: String, _ body: String) throws -> OrderProcessor.Outcome {
        try processor.apply(WebhookEnvelope(id: UUID().uuidString, source: "shipbob", topic: topic, receivedAt: Date(),
                                            headers: [:], body: Data(body.utf8)))
    }

    var so: String { "015000" }

    func testLateShippedEventNeverOverwritesDelivered() throws {
        shipbob.orders[15949212] = try JSONValue.parse(Data(order([shipment(1, status: "Processing", at: "2026-08-04T10:00:00Z")]).utf8))
        _ = try apply("shipment_delivered", shipment(1, status: "Completed", at: "2026-08-05T12:00:00.5Z", tracking: "1ZA", delivered: true))
        _ = try apply("order_shipped", order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA")]))
        let stored = try Ledger(directory: dir + "/ledger/shipments").get("shipment-1")
        XCTAssertEqual(stored?.detail?["status"], "delivered")
        XCTAssertEqual(stored?.detail?["last_update_at"], "2026-08-05T12:00:00.5Z")
        XCTAssertEqual(syspro.dispatchPosts.count, 1, "one dispatch note for the one shipment")
        XCTAssertTrue(syspro.statusPosts.isEmpty, "no SORTOS for a shipped order")
        XCTAssertEqual(syspro.texts[so]?["ShippingInstrs"], "Shp 2026-08-05 Dlv 2026-08-05")
    }

    func testEachShipmentOfASplitOrderGetsItsOwnDispatchNoteAndAllTrackingNumbersAreKept() throws {
        let open2 = shipment(2, status: "Processing", at: "2026-08-04T11:05:00Z")
        shipbob.orders[15949212] = try JSONValue.parse(Data(order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA"),
                                                                   shipment(2, status: "LabeledCreated", at: "2026-08-05T09:00:00Z", tracking: "1ZB")]).utf8))
        _ = try apply("order_shipped", order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA"), open2]))
        XCTAssertEqual(syspro.dispatchPosts.map { $0.lines.map(\.salesOrderLine) }, [[1]], "only the shipped shipment is dispatched")
        XCTAssertEqual(syspro.texts[so]?["SpecialInstrs"], "UPS 1ZA")
        _ = try apply("order.shipment.tracking.updated", shipment(2, status: "LabeledCreated", at: "2026-08-05T09:00:00Z", tracking: "1ZB"))
        XCTAssertEqual(syspro.dispatchPosts.map { $0.lines.map(\.salesOrderLine) }, [[1], [2]], "second shipment, second note")
        XCTAssertEqual(syspro.dispatchPosts.map(\.reference), ["SB15949212 S1", "SB15949212 S2"])
        XCTAssertEqual(syspro.texts[so]?["SpecialInstrs"], "UPS 1ZA; UPS 1ZB")
        XCTAssertTrue(syspro.invoices.isEmpty, "orders.on_shipped defaults to the dispatch note alone")
    }

    func testInvoiceOptionInvoicesEachDispatchNoteOnce() throws {
        orders.onShipped = .dispatchAndInvoice
        makeProcessor()
        let body = order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA")])
        _ = try apply("order_shipped", body)
        _ = try apply("order.shipped", body)
        XCTAssertEqual(syspro.invoices, ["DN1"])
    }

    func testLostDispatchAnswerIsFoundBySalesOrderAndReferenceNotPostedAgain() throws {
        let body = order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA")])
        syspro.failDispatchAfterCommit = Interrupted()
        XCTAssertThrowsError(try apply("order_shipped", body))
        XCTAssertEqual(try Ledger(directory: dir + "/ledger/order-posts").get("dispatch-1")?.status, .pending)
        _ = try apply("order_shipped", body)
        XCTAssertEqual(syspro.dispatchPosts.count, 1, "found in MdnMaster, not posted twice")
        XCTAssertEqual(try Ledger(directory: dir + "/ledger/order-posts").get("dispatch-1")?.target, "DN1")
    }

    func testUnclearDispatchNotFoundWaitsOutTheInFlightWindowBeforeReposting() throws {
        let body = order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA")])
        _ = try apply("order_shipped", order([shipment(1, status: "Processing", at: "2026-08-04T10:00:00Z")]))
        try Ledger(directory: dir + "/ledger/order-posts").put(.init(key: "dispatch-1", status: .pending, updated: clock))
        XCTAssertThrowsError(try apply("order_shipped", body)) { XCTAssertTrue($0 is PostInFlight, "\($0)") }
        XCTAssertTrue(syspro.dispatchPosts.isEmpty)
        clock = clock.addingTimeInterval(61)
        makeProcessor()
        _ = try apply("order_shipped", body)
        XCTAssertEqual(syspro.dispatchPosts.count, 1, "absent after the window: posted once")
    }

    func testOrderCompletedByThePreviousReleaseGetsNoDispatchNote() throws {
        // The previous release imported the order and set status 9 through SORTOS.
        _ = try apply("order_shipped", order([shipment(1, status: "Processing", at: "2026-08-04T10:00:00Z")]))
        syspro.statuses[so] = "9"
        _ = try apply("order_shipped", order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA")]))
        XCTAssertTrue(syspro.dispatchPosts.isEmpty)
        XCTAssertEqual(try Ledger(directory: dir + "/ledger/order-posts").get("dispatch-1")?.detail?["legacy"], "order status 9 before dispatch notes")
    }

    func testOrderIsCancelledOnlyWhenAllItsShipmentsAre() throws {
        _ = try apply("order_shipped", order([shipment(1, status: "Processing", at: "2026-08-04T10:00:00Z"),
                                              shipment(2, status: "Processing", at: "2026-08-04T10:00:00Z")]))
        _ = try apply("order.shipment.cancelled", shipment(1, status: "Cancelled", at: "2026-08-04T12:00:00Z"))
        XCTAssertNil(syspro.statuses[so])
        XCTAssertTrue(syspro.cancels.isEmpty)
        _ = try apply("shipment_cancelled", shipment(2, status: "Cancelled", at: "2026-08-04T12:01:00Z"))
        _ = try apply("shipment_cancelled", shipment(2, status: "Cancelled", at: "2026-08-04T12:01:00Z"))
        XCTAssertEqual(syspro.cancels, [so], "SORTOX once")
        XCTAssertTrue(syspro.statusPosts.isEmpty, "never SORTOS \\")
    }

    func testRepeatedEventChangesNothingAndSkipsStatusAlreadySet() throws {
        let body = order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA")])
        _ = try apply("order_shipped", body)
        XCTAssertEqual(syspro.dispatchPosts.count, 1)
        XCTAssertEqual(syspro.textPosts, 1)
        XCTAssertEqual(try apply("order.shipped", body), .alreadyInSyspro(key: "SB15949212", salesOrder: so, how: "ledger"))
        XCTAssertEqual(syspro.dispatchPosts.count, 1, "a dispatched shipment is not dispatched again")
        XCTAssertEqual(syspro.textPosts, 1, "unchanged texts are not posted")
    }

    func testCompleteOrderIsNeverMovedBackByALaterHold() throws {
        _ = try apply("order_shipped", order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA"),
                                              shipment(2, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZB")]))
        XCTAssertEqual(syspro.statuses[so], "9", "every line dispatched")
        _ = try apply("shipment_onhold", shipment(1, status: "OnHold", at: "2026-08-06T00:00:00Z"))
        XCTAssertEqual(syspro.statuses[so], "9")
    }

    func testOnHoldSuspendsAndTheStatusMapIsTheTenantsChoice() throws {
        shipbob.orders[15949212] = try JSONValue.parse(Data(order([shipment(1, status: "Processing", at: "2026-08-04T09:00:00Z")]).utf8))
        tracking.statusMap["on_hold"] = .some(nil)
        makeProcessor()
        _ = try apply("shipment_onhold", shipment(1, status: "OnHold", at: "2026-08-04T10:00:00Z"))
        XCTAssertTrue(syspro.statusPosts.isEmpty, "on_hold mapped to null leaves the status alone")
        tracking = TrackingSettings()
        makeProcessor()
        _ = try apply("shipment_onhold", shipment(1, status: "OnHold", at: "2026-08-04T11:00:00Z"))
        XCTAssertEqual(syspro.statuses[so], "S")
    }

    func testAHeldOrderIsReleasedFromSuspenseBeforeItsDispatchNote() throws {
        _ = try apply("order_shipped", order([shipment(1, status: "OnHold", at: "2026-08-04T10:00:00Z")]))
        XCTAssertEqual(syspro.statuses[so], "S")
        _ = try apply("order_shipped", order([shipment(1, status: "LabeledCreated", at: "2026-08-05T10:00:00Z", tracking: "1ZA")]))
        XCTAssertEqual(syspro.statusPosts.map(\.status), ["S", "1"], "released (SORTOS 1), never set to 9")
        XCTAssertEqual(syspro.dispatchPosts.count, 1)
    }

    func testRefusedStatusChangeNeedsAPerson() throws {
        syspro.refuseStatus = true
        guard case .attention(let reason, _) = try apply("order_shipped",
            order([shipment(1, status: "OnHold", at: "2026-08-04T18:30:00Z")])) else { return XCTFail() }
        XCTAssertTrue(reason.contains("refused status S"), reason)
    }

    func testTrackingTextFitsTheFieldWidth() {
        let text = TrackingText(settings: TrackingSettings())
        let two = [ShipmentState(id: 1, orderID: 1, phase: .shipped, lastUpdateAt: nil, carrier: "OSMWorldwide", trackingNumber: "9261290306529427911297"),
                   ShipmentState(id: 2, orderID: 1, phase: .shipped, lastUpdateAt: nil, carrier: "UPS", trackingNumber: "1Z999AA10123456784")]
        XCTAssertEqual(text.tracking(Array(two.prefix(1))), "9261290306529427911297", "carrier dropped when it does not fit 30")
        XCTAssertEqual(text.tracking(two), "9261290306529427911297 +1")
    }
}
