import ConnectorKit
import WebhookCore

/// Which order a webhook body is about, across both generations of ShipBob webhooks
/// (docs/vendors/shipbob.md, "Webhook topics and payload shapes": legacy bodies are the full
/// order or the full shipment; current bodies are not published, so an envelope holding the
/// order, or a shipment's `order_id`, is accepted too).
public enum ShipBobEvent {
    /// `orderID` whenever the body names an order; `embeddedOrder` when it carries a full order
    /// that parses (so the job can skip a `GET /order/{id}`).
    public static func orderReference(from body: JSONValue) -> (orderID: Int64?, embeddedOrder: ShipBobOrder?) {
        var payload = body
        // Unwrap `{"data": {...}}`, `{"order": {...}}` and nestings of them (ShipBobFacts, unconfirmed).
        for _ in 0..<3 {
            guard payload["products"] == nil, payload["order_id"] == nil,
                  let inner = ShipBobFacts.orderEnvelopeKeys.lazy.compactMap({ payload[$0] }).first(where: { $0.object != nil })
            else { break }
            payload = inner
        }
        // A shipment names its order in `order_id` (its own `id` is the shipment's).
        if let orderID = payload["order_id"]?.int64 { return (orderID, nil) }
        guard let id = payload["id"]?.int64 else { return (nil, nil) }
        if payload["products"] != nil { return (id, try? ShipBobOrder(json: payload)) }
        // An order summary without lines: still an order if it carries order-only fields.
        let orderish = ["order_number", "reference_id", "shipments", "channel"].contains { payload[$0] != nil }
        return (orderish ? id : nil, nil)
    }

    /// The WRO id in a receiving webhook body (shape unconfirmed: `ShipBobFacts`), or in a
    /// reconcile envelope (the WRO itself).
    public static func receivingOrderID(from body: JSONValue) -> Int64? {
        var payload = body
        for _ in 0..<3 {
            if let id = ShipBobFacts.receivingIDKeys.lazy.compactMap({ payload[$0]?.int64 }).first { return id }
            guard let inner = ShipBobFacts.receivingEnvelopeKeys.lazy.compactMap({ payload[$0] }).first(where: { $0.object != nil })
            else { return nil }
            payload = inner
        }
        return nil
    }
}
