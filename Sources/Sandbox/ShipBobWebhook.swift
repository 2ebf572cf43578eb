import ConnectorKit
import Foundation

/// One webhook delivery exactly as ShipBob sends it: Standard Webhooks headers signed with
/// the subscription secret, and the topic header of its generation (api-notes: dated
/// topics in `x-webhook-topic`; legacy topics in `shipbob-topic` with
/// `shipbob-subscription-id`, seed file 003).
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

    public init(topic: String, body: [UInt8], secret: String, id: String? = nil, timestamp: Int64? = nil) throws {
        let msgId = id ?? "msg_" + Data(Crypto.randomBytes(18)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "").replacingOccurrences(of: "/", with: "").replacingOccurrences(of: "=", with: "")
        let ts = timestamp ?? Int64(Date().timeIntervalSince1970)
        let signature = try StandardWebhooks(secret: secret).signature(id: msgId, timestamp: ts, body: body)
        var h: [(String, String)] = [
            ("content-type", "application/json"), ("webhook-id", msgId),
            ("webhook-timestamp", String(ts)), ("webhook-signature", signature),
        ]
        if ShipBobWebhook.legacyTopics.contains(topic) {
            h += [("shipbob-topic", topic), ("shipbob-subscription-id", ShipBobWebhook.legacySubscriptionId)]
        } else {
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

    /// The payload for `topic` cut from an order: the order itself or one of its
    /// shipments (the first unless `shipmentId` names another).
    public static func payload(topic: String, order: JSONValue, shipmentId: Int?) -> JSONValue? {
        guard isShipmentTopic(topic) else { return order }
        let shipments = order["shipments"]?.array ?? []
        guard let shipmentId else { return shipments.first }
        return shipments.first { $0["id"]?.int64 == Int64(shipmentId) }
    }

    /// A warehouse receiving order of the demo data, as the sandbox would serve it at start.
    public static func seedReceivingOrder(id: Int) -> JSONValue? {
        SeedData.shipBob().receivings.first { $0["id"]?.int64 == Int64(id) }
    }

    /// An order of the demo data, as the sandbox would serve it at start.
    public static func seedOrder(id: Int) -> JSONValue? { SeedData.shipBob().orders[id] }
}
