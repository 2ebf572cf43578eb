import ConnectorKit
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// ShipBob's webhook subscriptions (docs/vendors/shipbob.md, "Webhook subscriptions"): a page
/// `{items, next, prev}` of `{id, url, topics, enabled, created_at, description}`; topics only
/// from the published enum, the URL https only.
enum ShipBobWebhookSubscriptions {
    static let topics: Set<String> = ["order.shipped", "order.shipment.delivered", "order.shipment.exception",
                                      "order.shipment.on_hold", "order.shipment.cancelled", "return.created", "return.updated",
                                      "return.completed", "billing.charge.created", "billing.refund.created", "billing.credit.created"]

    static func route(_ req: SandboxRequest, _ p: [String], _ s: inout ShipBobStore, _ now: Double) -> Reply {
        switch (req.method, p.count) {
        case ("GET", 1):
            return .json(["items": .array(s.webhooks), "next": .null, "prev": .null])
        case ("POST", 1):
            guard let body = try? JSONValue.parse(Data(req.body)), let url = body["url"]?.string,
                  let topics = body["topics"]?.array?.compactMap(\.string), !topics.isEmpty else {
                return .json(["message": "url and topics are required"], status: 400)
            }
            guard url.hasPrefix("https://") else { return .json(["message": "url must be https"], status: 400) }
            if let bad = topics.first(where: { !Self.topics.contains($0) }) {
                return .json(["message": .string("unknown topic \(bad)")], status: 400)
            }
            let made: JSONValue = ["id": .string(String(s.webhooks.count + 1)), "url": .string(url),
                                   "topics": .array(topics.map(JSONValue.string)), "enabled": .bool(body["enabled"] != .bool(false)),
                                   "description": body["description"] ?? .null, "created_at": .string(SandboxClock.iso(now))]
            s.webhooks.append(made)
            return .json(made, status: 201)
        case ("DELETE", 2):
            let before = s.webhooks.count
            s.webhooks.removeAll { $0["id"]?.string == p[1] }
            return s.webhooks.count < before ? Reply(status: 204) : .json(["message": "Resource not found"], status: 404)
        default:
            return .json(["message": "Resource not found"], status: 404)
        }
    }
}
