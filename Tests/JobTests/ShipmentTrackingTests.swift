import Foundation
import XCTest
import ConnectorKit
import Syspro
import ShipBob
@testable import shipbob_to_syspro

final class ShipmentTrackingTests: XCTestCase {
    var dir: String!
    var syspro: FakeSyspro!
    var shipbob: FakeShipBob!
    var processor: OrderProcessor!
    var tracking = TrackingSettings()

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "mlc-tracking-" + UUID().uuidString
        syspro = FakeSyspro(); shipbob = FakeShipBob()
        tracking.maxLength = 60
        makeProcessor()
    }

    func makeProcessor() {
        let config = TenantConfig(
            syspro: SysproSettings(restURL: "http://x/Rest", odataURL: "http://x/odata", operator: "ADMIN", companyID: "C",
                                   odataUser: "o", orderWarehouse: "FG"),
            shipbob: ShipBobSettings(apiURL: "http://x/shipbob/2026-07", auth: .pat),
            mappings: Mappings(channelCustomers: ["55176": "0000100"], skuStockCodes: ["TShirtBlueM": "TS-BLU-M"]))
        let tracker = ShipmentTracker(text: TrackingText(settings: tracking), syspro: syspro,
                                      shipments: Ledger(directory: dir + "/ledger/shipments"),
                                      audit: AuditLog(directory: dir + "/audit", job: "test"))
        processor = OrderProcessor(mapping: OrderMapping(config: config), syspro: syspro, shipbob: shipbob,
                                   ledger: Ledger(directory: dir + "/ledger/orders"), tracker: tracker)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func shipment(_ id: Int, status: String, at: String, tracking: String? = nil, delivered: Bool = false) -> String {
        let t = tracking.map { #"{"carrier": "UPS", "tracking_number": "\#($0)"}"# } ?? "null"
        let details = delivered ? #"[{"name": "Delivered"}]"# : "[]"
        return #"{"id": \#(id), "order_id": 15949212, "status": "\#(status)", "last_update_at": "\#(at)", "tracking": \#(t), "status_details": \#(details), "location": {"id": 10}}"#
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
        XCTAssertEqual(syspro.statuses[so], "9")
        XCTAssertEqual(syspro.texts[so]?["ShippingInstrs"], "Shp 2026-08-05 Dlv 2026-08-05")
    }

    func testSplitOrderIsShippedOnlyWhenEveryShipmentShippedAndKeepsAllTrackingNumbers() throws {
        let open2 = shipment(2, status: "Processing", at: "2026-08-04T11:05:00Z")
        _ = try apply("order_shipped", order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA"), open2]))
        XCTAssertNil(syspro.statuses[so], "one shipment still processing: status left alone")
        XCTAssertEqual(syspro.texts[so]?["SpecialInstrs"], "UPS 1ZA")
        _ = try apply("order.shipment.tracking.updated", shipment(2, status: "LabeledCreated", at: "2026-08-05T09:00:00Z", tracking: "1ZB"))
        XCTAssertEqual(syspro.statuses[so], "9")
        XCTAssertEqual(syspro.texts[so]?["SpecialInstrs"], "UPS 1ZA; UPS 1ZB")
    }

    func testOrderIsCancelledOnlyWhenAllItsShipmentsAre() throws {
        _ = try apply("order_shipped", order([shipment(1, status: "Processing", at: "2026-08-04T10:00:00Z"),
                                              shipment(2, status: "Processing", at: "2026-08-04T10:00:00Z")]))
        _ = try apply("order.shipment.cancelled", shipment(1, status: "Cancelled", at: "2026-08-04T12:00:00Z"))
        XCTAssertNil(syspro.statuses[so])
        _ = try apply("shipment_cancelled", shipment(2, status: "Cancelled", at: "2026-08-04T12:01:00Z"))
        XCTAssertEqual(syspro.statuses[so], "\\")
    }

    func testRepeatedEventChangesNothingAndSkipsStatusAlreadySet() throws {
        let body = order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA")])
        _ = try apply("order_shipped", body)
        XCTAssertEqual(syspro.statusPosts.count, 1)
        XCTAssertEqual(syspro.textPosts, 1)
        XCTAssertEqual(try apply("order.shipped", body), .alreadyInSyspro(key: "SB15949212", salesOrder: so, how: "ledger"))
        XCTAssertEqual(syspro.statusPosts.count, 1, "SORTOS to the current status is skipped")
        XCTAssertEqual(syspro.textPosts, 1, "unchanged texts are not posted")
    }

    func testCompleteOrderIsNeverMovedBackByALaterHold() throws {
        _ = try apply("order_shipped", order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA")]))
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

    func testRefusedStatusChangeNeedsAPerson() throws {
        syspro.refuseStatus = true
        guard case .attention(let reason, _) = try apply("order_shipped",
            order([shipment(1, status: "LabeledCreated", at: "2026-08-04T18:30:00Z", tracking: "1ZA")])) else { return XCTFail() }
        XCTAssertTrue(reason.contains("refused status 9"), reason)
    }

    func testTrackingTextFitsTheFieldWidth() {
        let text = TrackingText(settings: TrackingSettings())
        let two = [ShipmentState(id: 1, orderID: 1, phase: .shipped, lastUpdateAt: nil, carrier: "OSMWorldwide", trackingNumber: "9261290306529427911297"),
                   ShipmentState(id: 2, orderID: 1, phase: .shipped, lastUpdateAt: nil, carrier: "UPS", trackingNumber: "1Z999AA10123456784")]
        XCTAssertEqual(text.tracking(Array(two.prefix(1))), "9261290306529427911297", "carrier dropped when it does not fit 30")
        XCTAssertEqual(text.tracking(two), "9261290306529427911297 +1")
    }
}
