import ConnectorKit
import Syspro
import ShipBob

/// Applies shipment states to the SYSPRO sales order made from their ShipBob order.
///
/// Each shipment's newest state is kept in the `shipments` ledger (`shipment-<id>`), so a
/// late `order_shipped` never overwrites a `shipment_delivered` (ShipBob delivers out of
/// order, api-notes). What SYSPRO should show is then worked out from every shipment of the
/// order and compared with SorMaster as it is: only differences are posted. That makes
/// every step repeatable: a crash after the ledger write is healed by the next event or
/// replay, which finds SYSPRO still different and posts again.
struct ShipmentTracker {
    let text: TrackingText
    let syspro: SalesOrderSystem
    let shipments: Ledger
    let audit: AuditLog

    /// Why SYSPRO refused a tracking change: a person must look.
    struct Refused: Error {
        let reason: String
    }

    static func key(_ shipmentID: Int64) -> String { "shipment-\(shipmentID)" }

    /// Records what is newer in `incoming`, then brings the sales order in line with all
    /// of `shipmentIDs`. Returns one line per change made in SYSPRO.
    func track(customerPo: String, salesOrder: String, incoming: [ShipmentState], shipmentIDs: Set<Int64>,
               eventID: String) throws -> [String] {
        for state in incoming {
            let recorded = try stored(state.id)
            if recorded == nil || state.supersedes(recorded!) {
                try shipments.put(.init(key: Self.key(state.id), status: .done, target: salesOrder, detail: detail(state)))
            }
        }
        let all = try shipmentIDs.sorted().compactMap { try stored($0) }
        guard let row = try syspro.salesOrders(customerPoNumber: customerPo).first(where: { $0.salesOrder == salesOrder }) else {
            throw DataError(source: "SYSPRO SorMaster", problem: "sales order \(salesOrder) (\(customerPo)) named by the ledger is not there")
        }
        var changes: [String] = []
        let phase = TrackingText.orderPhase(all)
        if let phase, let wanted = text.settings.status(for: phase.rawValue), wanted != row.orderStatus,
           !SysproFacts.finalSalesOrderStatuses.contains(row.orderStatus) {
            let result = try syspro.changeOrderStatus(salesOrder: salesOrder, current: row.orderStatus, new: wanted)
            guard result.isApplied else {
                throw Refused(reason: "SYSPRO refused status \(wanted) for sales order \(salesOrder) (\(customerPo)): \(result.errors.joined(separator: "; "))")
            }
            changes.append("status \(row.orderStatus) -> \(wanted) (\(phase.rawValue))")
            try record(eventID, customerPo, salesOrder, "status", ["from": row.orderStatus, "to": wanted, "state": phase.rawValue])
        }
        var fields: [String: String] = [:]
        let current = ["ShippingInstrs": row.shippingInstrs, "SpecialInstrs": row.specialInstrs]
        if let tracking = text.tracking(all), current[text.settings.trackingField] != tracking {
            fields[text.settings.trackingField] = tracking
        }
        if let datesField = text.settings.datesField, let dates = text.dates(all), current[datesField] != dates {
            fields[datesField] = dates
        }
        if !fields.isEmpty {
            let result = try syspro.changeOrderTexts(salesOrder: salesOrder, customerPoNumber: customerPo, fields: fields)
            guard result.isApplied else {
                throw Refused(reason: "SYSPRO refused the tracking text of sales order \(salesOrder) (\(customerPo)): \(result.errors.joined(separator: "; "))")
            }
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                changes.append("\(name) \"\(value)\"")
            }
            try record(eventID, customerPo, salesOrder, "tracking", fields)
        }
        return changes
    }

    func stored(_ shipmentID: Int64) throws -> ShipmentState? {
        guard let d = try shipments.get(Self.key(shipmentID))?.detail,
              let phase = d["status"].flatMap(ShipmentState.Phase.init(rawValue:)) else { return nil }
        return ShipmentState(id: shipmentID, orderID: d["order_id"].flatMap { Int64($0) }, phase: phase,
                             lastUpdateAt: d["last_update_at"], carrier: d["carrier"], trackingNumber: d["tracking_number"],
                             shippedAt: d["shipped_at"], deliveredAt: d["delivered_at"])
    }

    private func detail(_ s: ShipmentState) -> [String: String] {
        var d = ["status": s.phase.rawValue]
        d["order_id"] = s.orderID.map(String.init)
        d["last_update_at"] = s.lastUpdateAt
        d["carrier"] = s.carrier
        d["tracking_number"] = s.trackingNumber
        d["shipped_at"] = s.shippedAt
        d["delivered_at"] = s.deliveredAt
        return d
    }

    private func record(_ eventID: String, _ po: String, _ so: String, _ what: String, _ detail: [String: String]) throws {
        var d = detail
        d["customer_po"] = po
        d["change"] = what
        try audit.record(AuditEntry(action: "tracking", source: "shipbob", id: eventID, outcome: "updated",
                                    target: so, detail: d), durable: true)
    }
}
