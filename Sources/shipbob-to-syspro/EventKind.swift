import ShipBob

/// What a spooled ShipBob topic asks of this job. Both generations are accepted
/// (api-notes.md: "Webhooks now" dotted topics, "Webhooks, legacy" underscore topics;
/// seed 003 for the legacy payloads: the full order, or the full shipment), plus the
/// receiving topics (names unconfirmed: `ShipBobFacts.receivingTopicPrefixes`) and the
/// synthetic topics `--reconcile` files for what webhooks missed.
enum EventKind: Equatable {
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
    static let reconcileOrderTopic = "ml-connector.reconcile.order"
    static let reconcileReceivingTopic = "ml-connector.reconcile.receiving"

    init(topic: String) {
        switch topic {
        case "order_shipped", "order.shipped", EventKind.reconcileOrderTopic:
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
        case "order.shipment.tracking.updated", "order.shipment.address.updated", EventKind.reconcileReceivingTopic:
            self = topic == EventKind.reconcileReceivingTopic ? .receiving : .shipment(phase: nil)
        default:
            if topic.hasPrefix("order.shipment.line_item.") { self = .shipment(phase: nil) }
            else if ShipBobFacts.receivingTopicPrefixes.contains(where: { topic.hasPrefix($0) }) { self = .receiving }
            else { self = .other }
        }
    }
}
