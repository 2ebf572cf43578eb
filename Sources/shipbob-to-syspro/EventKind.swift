/// What a spooled ShipBob topic asks of this job. Both generations are accepted
/// (api-notes.md: "Webhooks now" dotted topics, "Webhooks, legacy" underscore topics;
/// seed 003 for the legacy payloads: the full order, or the full shipment).
enum EventKind: Equatable {
    /// The payload is (or wraps) the whole order.
    case order
    /// The payload is one shipment naming its `order_id`.
    case shipment(cancelled: Bool)
    /// Returns, receiving, billing: not this job's business (yet); audited, not dropped.
    case other

    init(topic: String) {
        switch topic {
        case "order_shipped", "order.shipped", "order.delivered":
            self = .order
        case "shipment_cancelled", "order.shipment.cancelled":
            self = .shipment(cancelled: true)
        case "shipment_delivered", "shipment_exception", "shipment_onhold",
             "order.shipment.delivered", "order.shipment.exception", "order.shipment.on_hold",
             "order.shipment.tracking.updated", "order.shipment.address.updated":
            self = .shipment(cancelled: false)
        default:
            self = topic.hasPrefix("order.shipment.line_item.") ? .shipment(cancelled: false) : .other
        }
    }
}
