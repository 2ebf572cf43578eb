import ConnectorKit
import ConnectorNet
import ShipBob
import WebhookCore
import XCTest

final class ShipBobOrderTests: XCTestCase {
    func json(_ text: String) throws -> JSONValue { try JSONValue.parse(Data(text.utf8)) }

    func testLegacyOrderShippedPayload() throws {
        let o = try ShipBobOrder(json: json(ShipBobSeedPayloads.orderShipped))
        XCTAssertEqual(o.id, 15949208)
        XCTAssertEqual(o.referenceID, "ORD-12348")
        XCTAssertEqual(o.orderNumber, "ORD-12348")
        XCTAssertEqual(o.channelID, 55176)
        XCTAssertEqual(o.channelName, "Privileged Access Token Thursday, February 9, 2023")
        XCTAssertEqual(o.recipientName, "John Doe co Wayne Enterprises")
        XCTAssertEqual(o.recipientCompany, "Wayne Enterprises")
        XCTAssertEqual(o.recipientAddress, ["123 Main St", "Suite 100", "Anytown", "NY", "US"])
        XCTAssertEqual(o.recipientZip, "12345")
        XCTAssertNotNil(o.recipientEmail)
        XCTAssertEqual(o.products, [.init(sku: "TShirtBlueM", quantity: 4, unitPrice: 0.1)])
        XCTAssertEqual(o.shipments.count, 1)
        XCTAssertEqual(o.shipments[0].id, 101199713)
        XCTAssertEqual(o.shipments[0].status, "LabeledCreated")
        XCTAssertEqual(o.shipments[0].trackingNumber, "9261290306529427911297")
        XCTAssertEqual(o.shipments[0].carrier, "OSMWorldwide")
        XCTAssertEqual(o.shipments[0].locationID, 10)
        XCTAssertEqual(o.purchaseDateText, "2024-04-08T10:25:53.9009945+00:00")
        XCTAssertEqual(o.purchaseDate, Timestamp.parse("2024-04-08T10:25:53Z"))
    }

    func testMissingRequiredFieldsAreNamed() throws {
        XCTAssertThrowsError(try ShipBobOrder(json: json(#"{"products": []}"#))) {
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .dataError)
            XCTAssertTrue("\($0)".contains("id is missing"), "\($0)")
        }
        XCTAssertThrowsError(try ShipBobOrder(json: json(#"{"id": 5}"#))) {
            XCTAssertTrue("\($0)".contains("products is missing"), "\($0)")
        }
        XCTAssertThrowsError(try ShipBobOrder(json: json(#"{"id": 5, "products": [{"quantity": 1}]}"#))) {
            XCTAssertTrue("\($0)".contains("products[0].sku"), "\($0)")
        }
    }

    func testToleratesNullsAndStringNumbers() throws {
        let o = try ShipBobOrder(json: json(#"""
            {"id": "77", "channel": null, "recipient": {"name": null, "address": {"address1": " 1 Rd ", "city": ""}},
             "products": [{"sku": "A", "quantity": "2", "unit_price": null}], "shipments": [{"id": 9, "tracking": null, "location": null}]}
            """#))
        XCTAssertEqual(o.id, 77)
        XCTAssertNil(o.channelID)
        XCTAssertNil(o.recipientName)
        XCTAssertEqual(o.recipientAddress, ["1 Rd"])
        XCTAssertEqual(o.products, [.init(sku: "A", quantity: 2, unitPrice: nil)])
        XCTAssertNil(o.shipments[0].trackingNumber)
        XCTAssertNil(o.purchaseDate)
    }

    func testEventOrderReferenceAcrossGenerations() throws {
        let legacy = ShipBobEvent.orderReference(from: try json(ShipBobSeedPayloads.orderShipped))
        XCTAssertEqual(legacy.orderID, 15949208)
        XCTAssertEqual(legacy.embeddedOrder?.id, 15949208)

        let delivered = ShipBobEvent.orderReference(from: try json(ShipBobSeedPayloads.shipmentDelivered))
        XCTAssertEqual(delivered.orderID, 15948959, "a shipment names its order in order_id, not id")
        XCTAssertNil(delivered.embeddedOrder)
        XCTAssertEqual(ShipBobEvent.orderReference(from: try json(ShipBobSeedPayloads.shipmentOnHold)).orderID, 15947699)

        let wrapped = ShipBobEvent.orderReference(from: try json(#"{"topic":"order.shipped","data":\#(ShipBobSeedPayloads.orderShipped)}"#))
        XCTAssertEqual(wrapped.embeddedOrder?.id, 15949208)
        let nested = ShipBobEvent.orderReference(from: try json(#"{"data":{"order":\#(ShipBobSeedPayloads.orderShipped)}}"#))
        XCTAssertEqual(nested.orderID, 15949208)
        let shipment = ShipBobEvent.orderReference(from: try json(#"{"data":{"id":555,"order_id":"15949208","status":"Completed"}}"#))
        XCTAssertEqual(shipment.orderID, 15949208)
        XCTAssertNil(shipment.embeddedOrder)
        let summary = ShipBobEvent.orderReference(from: try json(#"{"order":{"id":42,"reference_id":"R"}}"#))
        XCTAssertEqual(summary.orderID, 42)
        XCTAssertNil(summary.embeddedOrder)
        let unknown = ShipBobEvent.orderReference(from: try json(#"{"id":1,"foo":2}"#))
        XCTAssertNil(unknown.orderID)
    }

    func testRemainingCallsEitherHeader() {
        XCTAssertEqual(ShipBobFacts.remainingCalls(HTTPResponse(status: 200, headers: ["x-remaining-calls": "12"], body: Data())), 12)
        XCTAssertEqual(ShipBobFacts.remainingCalls(HTTPResponse(status: 200, headers: ["X-RateLimit-Remaining": "3"], body: Data())), 3)
        XCTAssertNil(ShipBobFacts.remainingCalls(HTTPResponse(status: 200, headers: [:], body: Data())))
    }
}
