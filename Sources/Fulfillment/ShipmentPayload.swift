import ConnectorKit
import ShipBob
import WebhookCore

/// Where the shipments sit in a webhook body (docs/vendors/shipbob.md, "Webhook topics and
/// payload shapes": legacy bodies are the full order or the full shipment; current ones are
/// not published, so `data`/`order`/`shipment` wrappers are unwrapped too, and a shipment
/// body may name only its `order_id`, as the documented tracking-received body does).
enum ShipmentPayload {
    static let wrapperKeys = ShipBobFacts.orderEnvelopeKeys + ["shipment"]

    private static func unwrap(_ body: JSONValue, until done: (JSONValue) -> Bool) -> JSONValue {
        var payload = body
        for _ in 0..<3 {
            guard !done(payload), let inner = wrapperKeys.lazy.compactMap({ payload[$0] }).first(where: { $0.object != nil })
            else { break }
            payload = inner
        }
        return payload
    }

    /// The `shipments` array of an order body.
    static func orderShipments(_ body: JSONValue) -> [JSONValue]? {
        unwrap(body) { $0["shipments"] != nil || $0["products"] != nil }["shipments"]?.array
    }

    /// Whether the body is about a shipment of an order (it names an `order_id`), with or
    /// without the shipment's own id.
    static func namesItsOrder(_ body: JSONValue) -> Bool {
        unwrap(body) { $0["order_id"] != nil }["order_id"] != nil
    }

    /// The shipment of a shipment body: an object with its own `id` and the `order_id`.
    static func shipment(_ body: JSONValue) -> JSONValue? {
        let s = unwrap(body) { $0["order_id"] != nil }
        return s["order_id"] != nil && s["id"] != nil ? s : nil
    }
}
