import ConnectorKit
import ShipBob

/// What shipment tracking writes on a sales order, worked out from every shipment of the
/// order the connector knows: the order's state, and the two header texts.
public struct TrackingText {
    let settings: TrackingSettings

    public init(settings: TrackingSettings) { self.settings = settings }

    /// The order's state over its shipments: cancelled only when all are; otherwise the
    /// cancelled ones are left out. On hold or exception as soon as one shipment is (a person
    /// must act); shipped only when every shipment has shipped (or been delivered), delivered
    /// when every one is. `nil` while any is still processing: SYSPRO is left alone.
    static func orderPhase(_ shipments: [ShipmentState]) -> ShipmentState.Phase? {
        guard !shipments.isEmpty else { return nil }
        let active = shipments.filter { $0.phase != .cancelled }
        if active.isEmpty { return .cancelled }
        if active.contains(where: { $0.phase == .onHold }) { return .onHold }
        if active.contains(where: { $0.phase == .exception }) { return .exception }
        if active.allSatisfy({ $0.phase == .delivered }) { return .delivered }
        if active.allSatisfy({ $0.phase == .shipped || $0.phase == .delivered }) { return .shipped }
        return nil
    }

    /// Carrier and tracking number of every shipment not cancelled that has one, by shipment
    /// id: `UPS 1Z999; USPS 9261...` when that fits `max_length`, else the numbers alone, else
    /// as many numbers as fit and `+N` for the rest (the order keeps all numbers in ShipBob).
    public func tracking(_ shipments: [ShipmentState]) -> String? {
        let tracked = shipments.filter { $0.phase != .cancelled && $0.trackingNumber != nil }.sorted { $0.id < $1.id }
        guard !tracked.isEmpty else { return nil }
        let full = tracked.map { s in [s.carrier, s.trackingNumber].compactMap { $0 }.joined(separator: " ") }.joined(separator: "; ")
        if full.count <= settings.maxLength { return full }
        let numbers = tracked.compactMap(\.trackingNumber)
        if numbers.joined(separator: " ").count <= settings.maxLength { return numbers.joined(separator: " ") }
        for n in stride(from: numbers.count - 1, through: 1, by: -1) {
            let text = numbers.prefix(n).joined(separator: " ") + " +\(numbers.count - n)"
            if text.count <= settings.maxLength { return text }
        }
        return String(numbers[0].prefix(settings.maxLength))
    }

    /// `Shp 2026-08-04 Dlv 2026-08-05` (29 characters): the first day a shipment left and,
    /// once every shipment not cancelled is delivered, the last delivery day. Days are the
    /// dates ShipBob sends (its `+00:00` UTC), not converted.
    public func dates(_ shipments: [ShipmentState]) -> String? {
        let active = shipments.filter { $0.phase != .cancelled }
        let shipped = active.filter { $0.phase == .shipped || $0.phase == .delivered }
            .compactMap { ($0.shippedAt ?? $0.lastUpdateAt).map { String($0.prefix(10)) } }.min()
        guard let shipped else { return nil }
        var text = "Shp \(shipped)"
        if !active.isEmpty, active.allSatisfy({ $0.phase == .delivered }),
           let delivered = active.compactMap({ ($0.deliveredAt ?? $0.lastUpdateAt).map { String($0.prefix(10)) } }).max() {
            text += " Dlv \(delivered)"
        }
        return String(text.prefix(settings.maxLength))
    }
}
