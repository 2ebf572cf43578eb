import ConnectorKit
import Syspro
import ShipBob
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorNet

/// Applies shipment states to the SYSPRO sales order made from their ShipBob order.
///
/// Each shipment's newest state is kept in the `shipments` ledger (`shipment-<id>`), so a
/// late `order_shipped` never overwrites a `shipment_delivered` (ShipBob delivers out of
/// order, docs/vendors/syspro.md). What SYSPRO should show is then worked out from every shipment of the
/// order and compared with SorMaster as it is: only differences are posted. Texts and the
/// on-hold status are repeatable that way. The lifecycle posts are not (a second dispatch
/// note relieves stock twice): each is in the `order-posts` ledger before it is sent, and
/// an entry left `pending` is looked up in SYSPRO before any second post
/// (`SalesOrderLifecycle.ledgerName`; docs/vendors/syspro.md, "Shipped orders relieve stock
/// through dispatch notes", "Cancelled orders go through SORTOX").
public struct ShipmentTracker {
    let text: TrackingText
    let syspro: SalesOrderSystem
    let shipments: Ledger
    let audit: AuditLog
    let mapping: OrderMapping
    let orders: OrdersSettings
    let posts: Ledger
    /// How long an interrupted post may still commit at SYSPRO (`PostInFlight`).
    let inFlightWindow: TimeInterval
    let now: () -> Date

    public init(text: TrackingText, syspro: SalesOrderSystem, shipments: Ledger, audit: AuditLog, mapping: OrderMapping,
                orders: OrdersSettings, posts: Ledger, inFlightWindow: TimeInterval, now: @escaping () -> Date) {
        self.text = text; self.syspro = syspro; self.shipments = shipments; self.audit = audit; self.mapping = mapping
        self.orders = orders; self.posts = posts; self.inFlightWindow = inFlightWindow; self.now = now
    }

    /// Why SYSPRO refused a tracking change: a person must look.
    struct Refused: Error {
        let reason: String
    }

    static func key(_ shipmentID: Int64) -> String { "shipment-\(shipmentID)" }

    /// Records what is newer in `incoming`, then brings the sales order in line with all
    /// of `shipmentIDs`. `contents` gives a ShipBob shipment (what it holds, where it left)
    /// when a dispatch note is due. Returns one line per change made in SYSPRO.
    func track(customerPo: String, salesOrder: String, incoming: [ShipmentState], shipmentIDs: Set<Int64>,
               eventID: String, contents: (Int64) throws -> ShipBobOrder.Shipment?) throws -> [String] {
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
           !SysproFacts.finalSalesOrderStatuses.contains(row.orderStatus), !row.isCancelled {
            try changeStatus(row, to: wanted, why: phase.rawValue, customerPo, eventID, &changes)
        }
        var fields: [String: String] = [:]
        let current = ["ShippingInstrs": row.shippingInstrs, "SpecialInstrs": row.specialInstrs]
        if let tracking = text.tracking(all), current[text.settings.trackingField] != tracking {
            fields[text.settings.trackingField] = tracking
        }
        if let datesField = text.settings.datesField, let dates = text.dates(all), current[datesField] != dates {
            fields[datesField] = dates
        }
        if !fields.isEmpty, !row.isCancelled {
            let result = try syspro.changeOrderTexts(salesOrder: salesOrder, customerPoNumber: customerPo, fields: fields)
            guard result.isApplied else {
                throw Refused(reason: "SYSPRO refused the tracking text of sales order \(salesOrder) (\(customerPo)): \(result.errors.joined(separator: "; "))")
            }
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                changes.append("\(name) \"\(value)\"")
            }
            try record(eventID, customerPo, salesOrder, "tracking", fields)
        }
        if phase == .cancelled {
            try cancel(row, customerPo, eventID, &changes)
        } else {
            var row = row
            for s in all where s.phase == .shipped || s.phase == .delivered {
                try dispatch(s, &row, customerPo, shipmentIDs, eventID, contents, &changes)
            }
            if orders.onShipped == .dispatchAndInvoice {
                for s in all where s.phase == .shipped || s.phase == .delivered {
                    try invoice(s, row, customerPo, eventID, &changes)
                }
            }
        }
        return changes
    }

    private func changeStatus(_ row: SorMasterRow, to wanted: String, why: String, _ po: String, _ eventID: String,
                              _ changes: inout [String]) throws {
        let result = try syspro.changeOrderStatus(salesOrder: row.salesOrder, current: row.orderStatus, new: wanted)
        guard result.isApplied else {
            throw Refused(reason: "SYSPRO refused status \(wanted) for sales order \(row.salesOrder) (\(po)): \(result.errors.joined(separator: "; "))")
        }
        changes.append("status \(row.orderStatus) -> \(wanted) (\(why))")
        try record(eventID, po, row.salesOrder, "status", ["from": row.orderStatus, "to": wanted, "state": why])
    }

    /// Every shipment of the order cancelled: SORTOX cancels the whole order, once.
    private func cancel(_ row: SorMasterRow, _ po: String, _ eventID: String, _ changes: inout [String]) throws {
        let key = SalesOrderLifecycle.cancelKey(customerPo: po)
        let entry = try posts.get(key)
        if row.isCancelled {
            if entry?.status != .done {
                try posts.put(.init(key: key, status: .done, target: row.salesOrder, attempts: entry?.attempts ?? 0))
                if entry != nil { changes.append("sales order \(row.salesOrder) found cancelled after an interrupted SORTOX") }
            }
            return
        }
        if entry?.status == .done { return }
        guard row.orderStatus != "9" else {
            throw Refused(reason: "ShipBob cancelled order \(po), but its sales order \(row.salesOrder) is complete in SYSPRO")
        }
        if let entry, entry.status == .pending {
            try PostInFlight.check("SORTOX of sales order \(row.salesOrder) (\(po))", since: entry.updated, window: inFlightWindow, now: now())
        }
        try posts.put(.init(key: key, status: .pending, target: row.salesOrder, attempts: (entry?.attempts ?? 0) + 1))
        let result = try syspro.cancelSalesOrder(row.salesOrder)
        guard result.isApplied else {
            if try syspro.salesOrders(customerPoNumber: po).first(where: { $0.salesOrder == row.salesOrder })?.isCancelled == true {
                try posts.put(.init(key: key, status: .done, target: row.salesOrder, attempts: (entry?.attempts ?? 0) + 1))
                return
            }
            try posts.remove(key)
            throw Refused(reason: "SYSPRO refused to cancel sales order \(row.salesOrder) (\(po)): \(result.errors.joined(separator: "; "))")
        }
        try posts.put(.init(key: key, status: .done, target: row.salesOrder, attempts: (entry?.attempts ?? 0) + 1))
        changes.append("cancelled (SORTOX)")
        try record(eventID, po, row.salesOrder, "cancel", warningsDetail(result))
    }

    /// One dispatch note per shipped shipment, of what that shipment holds.
    private func dispatch(_ s: ShipmentState, _ row: inout SorMasterRow, _ po: String, _ ids: Set<Int64>, _ eventID: String,
                          _ contents: (Int64) throws -> ShipBobOrder.Shipment?, _ changes: inout [String]) throws {
        let key = SalesOrderLifecycle.dispatchKey(shipmentID: s.id)
        let entry = try posts.get(key)
        if entry?.status == .done { return }
        let reference = Self.dispatchReference(po: po, shipmentID: s.id)
        if let entry {
            if let found = try syspro.dispatchNotes(salesOrder: row.salesOrder).first(where: { $0.reference == reference }) {
                try posts.put(.init(key: key, status: .done, target: found.dispatchNote, attempts: entry.attempts, detail: entry.detail))
                changes.append("dispatch note \(found.dispatchNote) of shipment \(s.id) found after an interrupted post")
                return
            }
            try PostInFlight.check("dispatch note of shipment \(s.id) (\(po))", since: entry.updated, window: inFlightWindow, now: now())
        } else if row.orderStatus == "9" {
            // Completed through SORTOS 9 by the release before dispatch notes: SYSPRO will
            // not dispatch a complete order. Recorded, so it is neither posted nor counted
            // in flight (docs/vendors/syspro.md, "Orders completed by the previous release").
            try posts.put(.init(key: key, status: .done, attempts: 0, detail: ["legacy": "order status 9 before dispatch notes"]))
            changes.append("shipment \(s.id): sales order \(row.salesOrder) was completed (status 9) by the previous release; no dispatch note posted, check its stock relief in SYSPRO")
            try record(eventID, po, row.salesOrder, "dispatch-skipped", ["shipment": String(s.id), "order_status": "9"])
            return
        }
        if row.isCancelled {
            throw Refused(reason: "ShipBob shipped shipment \(s.id) of order \(po), but sales order \(row.salesOrder) is cancelled in SYSPRO")
        }
        guard let shipment = try contents(s.id) else {
            throw Refused(reason: "ShipBob does not list shipment \(s.id) under order \(po), so its contents are unknown")
        }
        let lines = try dispatchLines(shipment, po: po, salesOrder: row.salesOrder, others: ids.subtracting([s.id]))
        if row.orderStatus == SysproFacts.suspendedSalesOrderStatus {
            try changeStatus(row, to: "1", why: "released to dispatch shipment \(s.id)", po, eventID, &changes)
            row = SorMasterRow(salesOrder: row.salesOrder, customer: row.customer, customerPoNumber: row.customerPoNumber, orderStatus: "1",
                               shippingInstrs: row.shippingInstrs, specialInstrs: row.specialInstrs, cancelledFlag: row.cancelledFlag)
        }
        let lineText = lines.map { "\($0.salesOrderLine):\($0.quantity)" }.joined(separator: ",")
        try posts.put(.init(key: key, status: .pending, target: nil, attempts: (entry?.attempts ?? 0) + 1,
                            detail: ["lines": lineText, "sales_order": row.salesOrder, "reference": reference]))
        let comments = [s.carrier, s.trackingNumber].compactMap { $0 }.joined(separator: " ")
        let result = try syspro.postDispatchNote(salesOrder: row.salesOrder, reference: reference, comments: [comments], lines: lines)
        guard result.isApplied else {
            try posts.remove(key)
            throw Refused(reason: "SYSPRO refused the dispatch note of shipment \(s.id) for sales order \(row.salesOrder) (\(po)): \(result.errors.joined(separator: "; "))")
        }
        // SYSPRO processed it: done even when the answer names no number (the lookup gives it if it can).
        let number = try result.number ?? syspro.dispatchNotes(salesOrder: row.salesOrder).first { $0.reference == reference }?.dispatchNote
        try posts.put(.init(key: key, status: .done, target: number, attempts: (entry?.attempts ?? 0) + 1,
                            detail: ["lines": lineText, "sales_order": row.salesOrder, "reference": reference]))
        changes.append("dispatch note \(number ?? "(number not returned)") for shipment \(s.id) (\(lineText))")
        var d = warningsDetail(result)
        d["shipment"] = String(s.id); d["lines"] = lineText; d["dispatch_note"] = number ?? ""
        try record(eventID, po, row.salesOrder, "dispatch", d)
    }

    /// Shipment contents as sales order lines: SKU -> stock code, then the open quantity of
    /// that stock code's lines (less what earlier dispatch notes of the order took). A line
    /// in a warehouse other than the one the shipment's location maps to is refused: the
    /// stock must leave the mapped warehouse.
    private func dispatchLines(_ shipment: ShipBobOrder.Shipment, po: String, salesOrder: String,
                               others: Set<Int64>) throws -> [SalesOrderLifecycle.DispatchLine] {
        guard !shipment.quantities.isEmpty else {
            throw Refused(reason: "ShipBob lists no products in shipment \(shipment.id) of order \(po)")
        }
        var taken: [Int: Decimal] = [:]
        for id in others {
            guard let e = try posts.get(SalesOrderLifecycle.dispatchKey(shipmentID: id)), let text = e.detail?["lines"] else { continue }
            for pair in text.split(separator: ",") {
                let parts = pair.split(separator: ":")
                if parts.count == 2, let line = Int(parts[0]), let q = Decimal(string: String(parts[1])) { taken[line, default: 0] += q }
            }
        }
        let sorLines = try syspro.salesOrderLines(salesOrder: salesOrder)
        let warehouse = shipment.locationID.flatMap { mapping.config.mappings.locationWarehouses[String($0)] }
        var out: [SalesOrderLifecycle.DispatchLine] = []
        for (sku, quantity) in shipment.quantities.sorted(by: { $0.key < $1.key }) {
            let code = mapping.stockCode(for: sku)
            var left = Decimal(quantity)
            for line in sorLines where line.stockCode == code && left > 0 {
                if let warehouse, line.warehouse != warehouse {
                    throw Refused(reason: "sales order \(salesOrder) line \(line.salesOrderLine) (\(code)) is in warehouse \(line.warehouse), but shipment \(shipment.id) left location \(shipment.locationID.map(String.init) ?? "?"), mapped to \(warehouse)")
                }
                let open = line.orderQty - taken[line.salesOrderLine, default: 0]
                guard open > 0 else { continue }
                let q = min(open, left)
                out.append(.init(salesOrderLine: line.salesOrderLine, quantity: q))
                taken[line.salesOrderLine, default: 0] += q
                left -= q
            }
            if left > 0 {
                throw Refused(reason: "shipment \(shipment.id) of order \(po) ships \(left) more of \(code) than sales order \(salesOrder) has open")
            }
        }
        return out
    }

    /// `orders.on_shipped = dispatch_and_invoice`: the invoice of each dispatch note (SORTNC).
    private func invoice(_ s: ShipmentState, _ row: SorMasterRow, _ po: String, _ eventID: String, _ changes: inout [String]) throws {
        guard let dispatched = try posts.get(SalesOrderLifecycle.dispatchKey(shipmentID: s.id)), dispatched.status == .done,
              let note = dispatched.target else { return }
        let key = SalesOrderLifecycle.invoiceKey(shipmentID: s.id)
        let entry = try posts.get(key)
        if entry?.status == .done { return }
        if let entry {
            if try syspro.dispatchNotes(salesOrder: row.salesOrder).first(where: { $0.dispatchNote == note })?.status
                == SysproFacts.invoicedDispatchNoteStatus {
                try posts.put(.init(key: key, status: .done, target: note, attempts: entry.attempts))
                changes.append("dispatch note \(note) found invoiced after an interrupted post")
                return
            }
            try PostInFlight.check("invoice of dispatch note \(note) (\(po))", since: entry.updated, window: inFlightWindow, now: now())
        }
        try posts.put(.init(key: key, status: .pending, target: note, attempts: (entry?.attempts ?? 0) + 1))
        let result = try syspro.invoiceDispatchNote(note)
        guard result.isApplied else {
            try posts.remove(key)
            throw Refused(reason: "SYSPRO refused to invoice dispatch note \(note) of sales order \(row.salesOrder) (\(po)): \(result.errors.joined(separator: "; "))")
        }
        try posts.put(.init(key: key, status: .done, target: result.number ?? note, attempts: (entry?.attempts ?? 0) + 1,
                            detail: ["dispatch_note": note]))
        changes.append("invoice \(result.number ?? "(number not returned)") of dispatch note \(note)")
        var d = warningsDetail(result)
        d["dispatch_note"] = note; d["invoice"] = result.number ?? ""
        try record(eventID, po, row.salesOrder, "invoice", d)
    }

    /// What the connector writes on a dispatch note to find it again: the customer PO and
    /// the shipment (at most 30 characters).
    static func dispatchReference(po: String, shipmentID: Int64) -> String { String("\(po) S\(shipmentID)".prefix(30)) }

    private func warningsDetail(_ result: LifecyclePostResult) -> [String: String] {
        result.warnings.isEmpty ? [:] : ["warnings": result.warnings.joined(separator: "; ")]
    }

    /// What the connector last recorded of a shipment (its ledger entry), nil when nothing.
    public func stored(_ shipmentID: Int64) throws -> ShipmentState? {
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
