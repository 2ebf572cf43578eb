import ConnectorKit
import WebhookCore

/// Where one ShipBob shipment stands, read from a shipment payload (legacy `shipment_*`
/// webhooks, an order's `shipments[]`; seed file 003 shapes).
public struct ShipmentState: Sendable, Equatable {
    /// The connector's names for shipment states (config `tracking.status_map` keys, plus
    /// `processing`, which never changes SYSPRO).
    public enum Phase: String, Sendable, CaseIterable {
        case processing, shipped, delivered, onHold = "on_hold", exception, cancelled
    }

    public let id: Int64
    public let orderID: Int64?
    public var phase: Phase
    /// ShipBob's `last_update_at`, as sent: events are applied in this order per shipment.
    /// Seed 003 shows it null on on-hold and exception shipments.
    public let lastUpdateAt: String?
    public let carrier: String?
    public let trackingNumber: String?
    /// `actual_fulfillment_date` (when the label went out) and `delivery_date`.
    public let shippedAt: String?
    public let deliveredAt: String?

    public init(id: Int64, orderID: Int64?, phase: Phase, lastUpdateAt: String?, carrier: String?, trackingNumber: String?,
                shippedAt: String? = nil, deliveredAt: String? = nil) {
        self.id = id; self.orderID = orderID; self.phase = phase; self.lastUpdateAt = lastUpdateAt
        self.carrier = carrier; self.trackingNumber = trackingNumber; self.shippedAt = shippedAt; self.deliveredAt = deliveredAt
    }

    /// `nil` when the JSON is not a shipment (no numeric `id`).
    public init?(json: JSONValue, orderID: Int64? = nil) {
        guard let id = json["id"]?.int64 else { return nil }
        self.id = id
        self.orderID = json["order_id"]?.int64 ?? orderID
        lastUpdateAt = json["last_update_at"]?.nonEmptyString
        carrier = json["tracking"]?["carrier"]?.nonEmptyString
        // `tracking_id` in the documented tracking-received body (docs/vendors/shipbob.md,
        // "Webhook topics and payload shapes"), `tracking_number` in the order model.
        trackingNumber = json["tracking"]?["tracking_number"]?.nonEmptyString ?? json["tracking"]?["tracking_id"]?.nonEmptyString
        shippedAt = json["actual_fulfillment_date"]?.nonEmptyString ?? json["tracking"]?["shipping_date"]?.nonEmptyString
        deliveredAt = json["delivery_date"]?.nonEmptyString
        let details = (json["status_details"]?.array ?? []).compactMap { $0["name"]?.string?.lowercased() }
        phase = ShipmentState.phase(status: json["status"]?.string ?? "", details: details,
                                    delivered: deliveredAt != nil, tracked: trackingNumber != nil)
    }

    /// ShipBob shipment statuses (seed 003 and the 2026-07 status reference): Cancelled,
    /// OnHold, Exception as such; a `Delivered` status detail or a delivery date means
    /// delivered; LabeledCreated (label printed, `order_shipped` fires), Completed, and any
    /// later status carrying a tracking number mean shipped; the rest is still processing.
    static func phase(status: String, details: [String], delivered: Bool, tracked: Bool) -> Phase {
        switch status.lowercased() {
        case "cancelled": return .cancelled
        case "onhold", "on_hold": return .onHold
        case "exception": return .exception
        default:
            if details.contains("delivered") || delivered { return .delivered }
            if ["labeledcreated", "completed", "sorted", "shipped", "intransit"].contains(status.lowercased()) || tracked {
                return .shipped
            }
            return .processing
        }
    }
}

extension ShipmentState {
    /// `last_update_at` as an instant, fractional seconds kept (ShipBob sends up to 7
    /// digits, and two updates can fall in one second); `nil` when absent or unreadable.
    public static func instant(_ text: String?) -> Double? {
        guard let text, let whole = ShipBobOrder.parseDate(text) else { return nil }
        var fraction = 0.0
        if let dot = text.firstIndex(of: "."), let t = text.firstIndex(of: "T"), dot > t {
            let digits = text[text.index(after: dot)...].prefix { $0.isNumber }
            fraction = Double("0." + digits) ?? 0
        }
        return whole.timeIntervalSince1970 + fraction
    }

    /// Whether this state should replace `recorded`: strictly newer `last_update_at`; a
    /// state without one never replaces a dated state (it cannot be placed in time). At
    /// equal times the further phase wins (delivered over shipped), so redeliveries are no-ops.
    public func supersedes(_ recorded: ShipmentState) -> Bool {
        let mine = ShipmentState.instant(lastUpdateAt), theirs = ShipmentState.instant(recorded.lastUpdateAt)
        switch (mine, theirs) {
        case (nil, .some): return false
        case (.some, nil): return true
        case let (.some(a), .some(b)) where a != b: return a > b
        default: return phase.rank > recorded.phase.rank
        }
    }
}

extension ShipmentState.Phase {
    /// Tie-break order for states stamped with the same time.
    var rank: Int {
        switch self {
        case .processing: return 0
        case .onHold, .exception: return 1
        case .shipped: return 2
        case .delivered: return 3
        case .cancelled: return 4
        }
    }
}
