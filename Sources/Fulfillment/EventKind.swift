import ConnectorKit
import ShipBob
import WebhookCore

/// What a spooled ShipBob topic asks of this job. Both generations are accepted (dotted
/// topics, legacy underscore ones: docs/vendors/shipbob.md, "Webhook topics and payload
/// shapes"; seed 003 for the legacy payloads: the full order, or the full shipment), plus the
/// receiving topics (names unconfirmed: `ShipBobFacts.receivingTopicPrefixes`) and the
/// synthetic topics `--reconcile` and `place` file for what webhooks missed or left unnamed.
public enum EventKind: Equatable {
    /// The payload is (or wraps) the whole order. `phase`, when set, is what the topic says
    /// of every shipment not cancelled (`order.delivered`); otherwise each shipment's own
    /// status says where it stands.
    case order(phase: ShipmentState.Phase?)
    /// The payload is one shipment naming its `order_id`; `phase` is what the topic says,
    /// `nil` when only the payload's status can tell (tracking or address updates).
    case shipment(phase: ShipmentState.Phase?)
    /// A warehouse receiving order: its id only matters, quantities are fetched.
    case receiving
    /// Returns, billing: not this job's business; audited, not dropped.
    case other

    /// Topics of the envelopes `--reconcile` spools: ours, so no vendor topic is faked.
    public static let reconcileOrderTopic = "ml-connector.reconcile.order"
    public static let reconcileReceivingTopic = "ml-connector.reconcile.receiving"
    /// Ours too: a delivery whose topic was missing or unknown, placed by its body's shape.
    public static let bodyOrderTopic = "ml-connector.body.order"
    public static let bodyShipmentTopic = "ml-connector.body.shipment"
    public static let bodyReceivingTopic = "ml-connector.body.receiving"

    public init(topic: String) {
        switch topic {
        case "order_shipped", "order.shipped", EventKind.reconcileOrderTopic, EventKind.bodyOrderTopic:
            self = .order(phase: nil)
        case "order.delivered":
            self = .order(phase: .delivered)
        case "shipment_delivered", "order.shipment.delivered":
            self = .shipment(phase: .delivered)
        case "shipment_exception", "order.shipment.exception":
            self = .shipment(phase: .exception)
        case "shipment_onhold", "order.shipment.on_hold":
            self = .shipment(phase: .onHold)
        case "shipment_cancelled", "order.shipment.cancelled":
            self = .shipment(phase: .cancelled)
        case "order.shipment.tracking.updated", "order.shipment.tracking_received", "order.shipment.address.updated",
             EventKind.bodyShipmentTopic:
            self = .shipment(phase: nil)
        case EventKind.reconcileReceivingTopic, EventKind.bodyReceivingTopic:
            self = .receiving
        default:
            if topic.hasPrefix("order.shipment.line_item.") { self = .shipment(phase: nil) }
            else if ShipBobFacts.receivingTopicPrefixes.contains(where: { topic.hasPrefix($0) }) { self = .receiving }
            else { self = .other }
        }
    }
}

extension EventKind {
    /// Topic families that are ShipBob's but not this job's (returns, billing): audited as
    /// ignored, never guessed at from their bodies.
    static let foreignTopicPrefixes = ["return.", "billing.", "returns_", "return_"]

    /// What to act on for a delivery: its topic as spooled (the header's), else one named in
    /// the body, else what the body's shape says. ShipBob publishes neither a header table
    /// nor current bodies (docs/vendors/shipbob.md, "Webhook topics and payload shapes") and
    /// disables an endpoint that keeps failing, so webhook-cgi spools every signed delivery
    /// and the placing happens here.
    public enum Placement: Equatable {
        /// Act as for this topic (the spooled one, or the one it resolved to).
        case topic(String)
        /// Neither topic nor shape says what it is: a person must look.
        case unplaced(String)
    }

    public static func place(topic raw: String, body: JSONValue?) -> Placement {
        let topic = raw.trimmed
        if isKnown(topic) { return .topic(topic) }
        if topic.isEmpty, let named = body.flatMap(bodyTopic), isKnown(named) { return .topic(named) }
        guard let body else { return .unplaced("its body is not JSON") }
        guard ShipBobEvent.orderReference(from: body).orderID != nil else {
            // A warehouse receiving order: an id and per-item `inventory_quantities`.
            if ShipBobEvent.receivingOrderID(from: body) != nil, receivingShaped(body) { return .topic(bodyReceivingTopic) }
            return .unplaced("its body is neither an order, a shipment naming its order_id, nor a receiving order")
        }
        return .topic(ShipmentPayload.namesItsOrder(body) ? bodyShipmentTopic : bodyOrderTopic)
    }

    private static func receivingShaped(_ body: JSONValue) -> Bool {
        var payload = body
        for _ in 0..<3 {
            if payload["inventory_quantities"] != nil { return true }
            guard let inner = ShipBobFacts.receivingEnvelopeKeys.lazy.compactMap({ payload[$0] }).first(where: { $0.object != nil }) else { return false }
            payload = inner
        }
        return false
    }

    /// A topic this job knows: one it acts on, or one of ShipBob's it leaves alone.
    static func isKnown(_ topic: String) -> Bool {
        !topic.isEmpty && (EventKind(topic: topic) != .other || foreignTopicPrefixes.contains { topic.hasPrefix($0) })
    }

    /// A topic named inside the body (at the top, or beside a `data` wrapper).
    static func bodyTopic(_ body: JSONValue) -> String? {
        ShipBobFacts.bodyTopicKeys.lazy.compactMap { body[$0]?.string?.trimmed }.first { !$0.isEmpty }
    }
}
