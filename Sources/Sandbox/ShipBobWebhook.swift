import ConnectorKit
import Foundation
import WebhookCore

/// One webhook delivery as ShipBob may send it: Standard Webhooks headers signed with the
/// subscription secret, and (unless left out) the topic header of its generation: dated
/// topics in `x-webhook-topic`, legacy ones in `shipbob-topic` with `shipbob-subscription-id`
/// (docs/vendors/shipbob.md, "Standard Webhooks signing" and "Webhook topics and payload shapes").
public struct ShipBobWebhook: Sendable {
    public static let legacyTopics: Set<String> = [
        "order_shipped", "shipment_delivered", "shipment_exception", "shipment_onhold", "shipment_cancelled",
    ]
    /// The subscription id legacy deliveries carry (seed file 003's example).
    public static let legacySubscriptionId = "1582"
    /// The order of seed file 003, used when no order is named.
    public static let defaultOrderId = 15949208

    public let topic: String
    public let body: [UInt8]
    public let headers: [(String, String)]

    /// The bodies a delivery may plausibly carry (ShipBob publishes no current payloads;
    /// docs/vendors/shipbob.md, "Webhook topics and payload shapes").
    public enum BodyShape: String, Sendable, CaseIterable {
        /// The order model (order topics) or one shipment of it (shipment topics), as legacy
        /// webhooks sent them.
        case model
        /// The documented tracking-received body: the order's id, reference, a status and the
        /// tracking, and no shipment id.
        case orderReference = "order-reference"
        /// A Standard Webhooks style envelope: `type` (the topic), `timestamp`, `data` (the model).
        case envelope
    }

    /// `topicHeader: false` leaves out the topic header, as a delivery of unknown headers may.
    public init(topic: String, body: [UInt8], secret: String, id: String? = nil, timestamp: Int64? = nil,
                topicHeader: Bool = true) throws {
        let msgId = id ?? "msg_" + Data(Crypto.randomBytes(18)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "").replacingOccurrences(of: "/", with: "").replacingOccurrences(of: "=", with: "")
        let ts = timestamp ?? Int64(Date().timeIntervalSince1970)
        let signature = try StandardWebhooks(secret: secret).signature(id: msgId, timestamp: ts, body: body)
        var h: [(String, String)] = [
            ("content-type", "application/json"), ("webhook-id", msgId),
            ("webhook-timestamp", String(ts)), ("webhook-signature", signature),
        ]
        if ShipBobWebhook.legacyTopics.contains(topic) {
            if topicHeader { h.append(("shipbob-topic", topic)) }
            h.append(("shipbob-subscription-id", ShipBobWebhook.legacySubscriptionId))
        } else if topicHeader {
            h.append(("x-webhook-topic", topic))
        }
        self.topic = topic
        self.body = body
        self.headers = h
    }

    /// Shipment topics carry one shipment; order topics (`order_shipped`, `order.shipped`,
    /// `order.delivered`) the full order.
    public static func isShipmentTopic(_ topic: String) -> Bool {
        topic.hasPrefix("shipment_") || topic.hasPrefix("order.shipment.")
    }

    /// The payload for `topic` cut from an order in `shape`: the order itself or one of its
    /// shipments (the first unless `shipmentId` names another).
    public static func payload(topic: String, order: JSONValue, shipmentId: Int?, shape: BodyShape = .model) -> JSONValue? {
        let shipments = order["shipments"]?.array ?? []
        let shipment = shipmentId.map { id in shipments.first { $0["id"]?.int64 == Int64(id) } } ?? shipments.first
        switch shape {
        case .model:
            guard isShipmentTopic(topic) else { return order }
            return shipment
        case .envelope:
            guard let data = isShipmentTopic(topic) ? shipment : order else { return nil }
            return ["type": .string(topic), "timestamp": .string(SandboxClock.iso(SandboxClock.now())), "data": data]
        case .orderReference:
            guard let shipment else { return nil }
            let t = shipment["tracking"]
            return [
                "event_time": .string(SandboxClock.iso(SandboxClock.now())), "order_id": order["id"] ?? nil,
                "reference_id": order["reference_id"] ?? nil, "status": shipment["status"] ?? nil,
                "tracking": t?.isNull == false ? [
                    "carrier": t?["carrier"] ?? nil, "carrier_service": t?["carrier_service"] ?? nil,
                    "tracking_id": t?["tracking_number"] ?? nil, "tracking_url": t?["tracking_url"] ?? nil,
                ] : nil,
            ]
        }
    }

    /// A warehouse receiving order of the demo data, as the sandbox would serve it at start.
    public static func seedReceivingOrder(id: Int) -> JSONValue? {
        SeedData.shipBob().receivings.first { $0["id"]?.int64 == Int64(id) }
    }

    /// An order of the demo data, as the sandbox would serve it at start.
    public static func seedOrder(id: Int) -> JSONValue? { SeedData.shipBob().orders[id] }
}
