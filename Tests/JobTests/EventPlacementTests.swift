import Foundation
import WebhookCore
import XCTest
import ConnectorKit
import ShipBob
import Fulfillment

/// How shipbob-to-syspro places a spooled delivery whose topic header was missing or unknown,
/// or whose body is not the model it expected (docs/vendors/shipbob.md, "Webhook topics and
/// payload shapes").
final class EventPlacementTests: XCTestCase {
    func place(_ topic: String, _ body: String) -> EventKind.Placement {
        EventKind.place(topic: topic, body: try? JSONValue.parse(Data(body.utf8)))
    }

    let order = #"{"id": 15949208, "reference_id": "R1", "products": [{"sku": "A", "quantity": 1}], "shipments": [{"id": 1, "order_id": 15949208, "status": "Completed"}]}"#
    let shipment = #"{"id": 101199464, "order_id": 15949208, "status": "Completed"}"#
    let trackingReceived = #"{"event_time": "2025-10-23T15:55:09.3614767Z", "order_id": 15949208, "reference_id": "R1", "status": "LabelCreated", "tracking": {"carrier": "USPS", "tracking_id": "9261"}}"#

    func testAKnownHeaderTopicIsKeptWhateverTheBody() {
        XCTAssertEqual(place("order.shipped", order), .topic("order.shipped"))
        XCTAssertEqual(place("order.shipment.tracking_received", trackingReceived), .topic("order.shipment.tracking_received"))
        XCTAssertEqual(place("return.created", #"{"id": 5}"#), .topic("return.created"), "ShipBob's, not ours: ignored, not attention")
    }

    func testWithoutAHeaderTheTopicNamedInTheBodyIsUsed() {
        XCTAssertEqual(place("", #"{"type": "order.shipment.delivered", "timestamp": "x", "data": \#(shipment)}"#),
                       .topic("order.shipment.delivered"))
        XCTAssertEqual(place(" ", #"{"topic": "order_shipped", "order": \#(order)}"#), .topic("order_shipped"))
    }

    func testWithoutAnyTopicTheBodysShapePlacesIt() {
        XCTAssertEqual(place("", order), .topic(EventKind.bodyOrderTopic))
        XCTAssertEqual(place("", shipment), .topic(EventKind.bodyShipmentTopic))
        XCTAssertEqual(place("", trackingReceived), .topic(EventKind.bodyShipmentTopic), "a shipment naming only its order")
        XCTAssertEqual(place("order.shipment.something_new", trackingReceived), .topic(EventKind.bodyShipmentTopic),
                       "an unknown topic is placed by its body too")
    }

    func testAReceivingOrderWithoutATopicIsPlacedAsReceiving() {
        let wro = #"{"id": 880101, "status": "Completed", "inventory_quantities": [{"inventory_id": 1, "received_quantity": 2}]}"#
        XCTAssertEqual(place("", wro), .topic(EventKind.bodyReceivingTopic))
        XCTAssertEqual(place("", #"{"data": \#(wro)}"#), .topic(EventKind.bodyReceivingTopic))
        XCTAssertEqual(EventKind(topic: EventKind.bodyReceivingTopic), .receiving)
    }

    func testWhatNeitherTopicNorShapePlacesIsUnplaced() {
        guard case .unplaced = place("", #"{"hello": 1}"#) else { return XCTFail("a body naming no order") }
        guard case .unplaced = place("inventory.changed", #"{"sku": "A"}"#) else { return XCTFail("an unknown topic and shape") }
        guard case .unplaced = place("", "not json") else { return XCTFail("not JSON") }
    }

    func testPlacedTopicsMapToTheKindsTheProcessorsHandle() {
        XCTAssertEqual(EventKind(topic: EventKind.bodyOrderTopic), .order(phase: nil))
        XCTAssertEqual(EventKind(topic: EventKind.bodyShipmentTopic), .shipment(phase: nil))
        XCTAssertEqual(EventKind(topic: "order.shipment.tracking_received"), .shipment(phase: nil))
        XCTAssertEqual(EventKind(topic: EventKind.reconcileReceivingTopic), .receiving)
    }
}
