import ConnectorKit
import ShipBob

/// Where the shipments sit in a webhook body (api-notes: legacy bodies are the full order
/// or the full shipment; current ones are not published, so `data`/`order`/`shipment`
/// wrappers are unwrapped too: `ShipBobFacts.orderEnvelopeKeys`, unconfirmed).
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

    /// The shipment of a shipment body: an object with its own `id` and the `order_id`.
    static func shipment(_ body: JSONValue) -> JSONValue? {
        let s = unwrap(body) { $0["order_id"] != nil }
        return s["order_id"] != nil && s["id"] != nil ? s : nil
    }
}
