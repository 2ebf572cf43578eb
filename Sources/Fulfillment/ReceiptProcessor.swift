import ConnectorKit
import Syspro
import ShipBob
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorNet

/// Warehouse receiving orders -> SYSPRO inventory receipts (INVTMR), exactly once per
/// unit stowed.
///
/// ShipBob counts received units as on hand only once they are stowed, and its own sync
/// recipe books `stowed_quantity` (docs/vendors/shipbob.md, "Receiving: stowed, not
/// received, is on hand"), so SYSPRO is given what was stowed, never what was merely received.
///
/// The webhook (or reconcile envelope) only names the WRO: its quantities are read with
/// `GET /receiving/{id}`, since bodies can be stale or out of order. Per inventory item the
/// `receipts` ledger (`wro-<wro>-<inventory id>`) holds `posted_qty`, what SYSPRO has been
/// given so far; only ShipBob's stowed quantity minus that is posted, so a second
/// partial stow posts its own part and a redelivery posts nothing. Each post carries a
/// unique Reference `WRO<wro>-<inventory id>/<n>` (n = that item's nth post) and is
/// recorded `pending` first; a `pending` entry found later is resolved by looking for the
/// Reference in InvMovements before anything is posted again, and not before the first post
/// can no longer be in flight (`PostInFlight`). An answer with neither an error nor a
/// journal is not a refusal: the entry stays `pending` and the Reference is looked up
/// (docs/vendors/syspro.md, "INVTMR and INVTMA answers").
///
/// Upgrade from releases that booked `received_quantity` (entries without `basis`): their
/// `posted_qty` counts received units SYSPRO already has, so it is kept as is and compared
/// with the stowed quantity from now on. Nothing is posted for such an item until ShipBob
/// has stowed more than was posted; from then on only the stowed surplus is posted and the
/// entry is marked `basis: stowed`. A completed WRO that stowed less than such an entry
/// posted needs a person (SYSPRO holds units ShipBob never stowed). `setExternalSync` is
/// called only once every item's stowed quantity is in SYSPRO.
public struct ReceiptProcessor {
    let mapping: OrderMapping
    let syspro: InventorySystem
    let shipbob: ReceivingSource
    let ledger: Ledger
    let audit: AuditLog
    /// How long an interrupted post may still commit at SYSPRO (`PostInFlight.window`).
    let inFlightWindow: TimeInterval
    let now: () -> Date

    public init(mapping: OrderMapping, syspro: InventorySystem, shipbob: ReceivingSource, ledger: Ledger, audit: AuditLog,
                inFlightWindow: TimeInterval, now: @escaping () -> Date) {
        self.mapping = mapping; self.syspro = syspro; self.shipbob = shipbob; self.ledger = ledger; self.audit = audit
        self.inFlightWindow = inFlightWindow; self.now = now
    }

    static func key(wro: Int64, inventoryID: Int64) -> String { "wro-\(wro)-\(inventoryID)" }

    /// `WRO880101-5264253/2`: unique per WRO, item and post (an item key, not the stock code,
    /// so two items mapped to one stock code never share it), at most 28 characters for
    /// 10-digit ids, within SYSPRO's 30 (`SysproFacts.maxMovementReferenceLength`).
    static func reference(wro: Int64, inventoryID: Int64, sequence: Int) -> String { "WRO\(wro)-\(inventoryID)/\(sequence)" }

    public func apply(_ envelope: WebhookEnvelope) throws -> OrderProcessor.Outcome {
        let payload: JSONValue
        do { payload = try JSONValue.parse(envelope.body) }
        catch { throw DataError(source: "webhook \(envelope.id)", problem: "body is not JSON") }
        guard let wroID = ShipBobEvent.receivingOrderID(from: payload) else {
            throw DataError(source: "webhook \(envelope.id) (\(envelope.topic))", problem: "names no receiving order id")
        }
        guard let wro = try shipbob.receivingOrder(id: wroID) else {
            throw DataError(source: "ShipBob", problem: "receiving order \(wroID) named by webhook \(envelope.id) does not exist")
        }
        let wroKey = "WRO\(wroID)"
        guard let fc = wro.fulfillmentCenterID, let warehouse = mapping.config.mappings.locationWarehouses[String(fc)] else {
            let fcText = wro.fulfillmentCenterID.map { "\($0) (\(wro.fulfillmentCenterName ?? "unnamed"))" } ?? "(none named)"
            return .attention(reason: "ShipBob fulfillment center \(fcText) of receiving order \(wroID) has no SYSPRO warehouse",
                              action: "add \"\(wro.fulfillmentCenterID.map(String.init) ?? "<fc id>")\": \"<warehouse>\" to mappings.location_warehouses in config.json, then run `ml-connector replay --attention --source shipbob`")
        }
        let existing = try syspro.existingStockCodes(wro.items.map { mapping.stockCode(for: $0.sku) })
        var problems: [String] = []
        var posted: [String] = []
        var waiting: [String] = []
        var complete = true
        for item in wro.items {
            let stockCode = mapping.stockCode(for: item.sku)
            guard existing.contains(stockCode) else {
                problems.append("SKU \(item.sku)\(stockCode == item.sku ? "" : " (as \(stockCode))") is not a SYSPRO stock code")
                complete = false
                continue
            }
            let line = Line(wro: wro, item: item, fc: fc, warehouse: warehouse, stockCode: stockCode)
            switch try receive(line, eventID: envelope.id) {
            case .posted(let text): posted.append(text)
            case .upToDate: break
            case .waiting(let text): waiting.append(text); complete = false
            case .problem(let text): problems.append(text); complete = false
            }
        }
        if complete, wro.isCompleted, !wro.isExternallySynced {
            // ShipBob's own sync loop marks applied WROs once what was stowed is booked
            // (docs/vendors/shipbob.md, "Receiving: stowed, not received, is on hand"): a
            // second guard, and what keeps `--reconcile` from listing this WRO again.
            try shipbob.markSynced(id: wroID)
            try audit.record(AuditEntry(action: "receipt", source: "shipbob", id: envelope.id, outcome: "synced",
                                        detail: ["wro": String(wroID)]), durable: true)
        }
        if !problems.isEmpty {
            let done = posted.isEmpty ? "" : " (posted meanwhile: \(posted.joined(separator: "; ")))"
            return .attention(reason: "receiving order \(wroID): \(problems.joined(separator: "; "))\(done)",
                              action: "create the stock code in SYSPRO or map it in mappings.sku_stock_codes, name its bin or lot in config `movements` (or fix the receipt named), then run `ml-connector replay --attention --source shipbob`; what was posted is not posted again")
        }
        if posted.isEmpty {
            return .ignored("receiving order \(wroID): nothing stowed beyond what SYSPRO has" + (waiting.isEmpty ? "" : " (\(waiting.joined(separator: "; ")))"))
        }
        return .applied(key: wroKey, target: nil, summary: posted.joined(separator: "; "))
    }

    struct Line {
        let wro: ShipBobReceivingOrder
        let item: ShipBobReceivingOrder.Item
        let fc: Int64
        let warehouse: String
        let stockCode: String
    }

    enum ItemResult { case posted(String), upToDate, waiting(String), problem(String) }

    /// `basis` of entries whose `posted_qty` counts stowed units (see the type's comment).
    static let stowedBasis = "stowed"

    private func receive(_ l: Line, eventID: String) throws -> ItemResult {
        let key = Self.key(wro: l.wro.id, inventoryID: l.item.inventoryID)
        let stored = try ledger.get(key)
        var entry = stored ?? Ledger.Entry(key: key, status: .done, attempts: 0, detail: [:])
        var detail = entry.detail ?? [:]
        var postedQty = Int(detail["posted_qty"] ?? "0") ?? 0
        var sequence = Int(detail["seq"] ?? "0") ?? 0
        let legacy = stored != nil && detail["basis"] != Self.stowedBasis

        if entry.status == .pending, let pendingQty = detail["pending_qty"].flatMap({ Int($0) }) {
            let reference = Self.reference(wro: l.wro.id, inventoryID: l.item.inventoryID, sequence: sequence + 1)
            if let found = try syspro.movements(reference: reference, stockCode: l.stockCode).first {
                // The post went through before the crash: record it, never post it again.
                postedQty += pendingQty
                sequence += 1
                detail["journal"] = found.journal
                try finish(&entry, &detail, postedQty: postedQty, sequence: sequence, legacy: legacy)
                try auditPost(l, eventID: eventID, qty: pendingQty, journal: found.journal, reference: reference,
                              how: "found in InvMovements after an interrupted post")
            } else {
                try PostInFlight.check("receipt \(reference) of \(pendingQty) \(l.stockCode) into \(l.warehouse)",
                                       since: entry.updated, window: inFlightWindow, now: now())
            }
        }
        let delta = l.item.stowed - postedQty
        if delta == 0 { return .upToDate }
        if delta < 0 {
            if legacy && !l.wro.isCompleted {
                return .waiting("SKU \(l.item.sku): \(l.item.stowed) stowed of the \(postedQty) an earlier release booked as received")
            }
            let earlier = legacy ? "an earlier release booked \(postedQty) received units" : "\(postedQty) were already booked"
            return .problem("SKU \(l.item.sku) has \(l.item.stowed) stowed but \(earlier) into SYSPRO warehouse \(l.warehouse); adjust SYSPRO by hand")
        }
        let movements = mapping.config.movements
        var lot: String? = nil
        if movements.isLotTraceable(l.stockCode) {
            guard let found = try movements.configuredLot(l.stockCode) ?? shipbob.lot(wro: l.wro.id, inventoryID: l.item.inventoryID) else {
                return .problem("stock code \(l.stockCode) is lot-traceable, but movements.lots names no lot for it and ShipBob's boxes of receiving order \(l.wro.id) name no single lot")
            }
            lot = found
        }
        let reference = Self.reference(wro: l.wro.id, inventoryID: l.item.inventoryID, sequence: sequence + 1)
        detail.merge(["warehouse": l.warehouse, "stock_code": l.stockCode, "sku": l.item.sku, "fc": String(l.fc),
                      "posted_qty": String(postedQty), "seq": String(sequence), "pending_qty": String(delta),
                      "reference": reference]) { $1 }
        entry.status = .pending
        entry.attempts += 1
        entry.detail = detail
        entry.updated = now()
        try ledger.put(entry)

        let line = InventoryMovementLine(warehouse: l.warehouse, stockCode: l.stockCode, quantity: Decimal(delta),
                                         reference: reference, notation: "ShipBob WRO \(l.wro.id) \(l.wro.purchaseOrderNumber ?? "")".trimmed,
                                         binLocation: movements.bin(warehouse: l.warehouse, stockCode: l.stockCode), lot: lot)
        let journal: String
        var how: String? = nil
        switch try syspro.postReceipt(line, transactionDate: try mapping.orderDate(now())).outcome {
        case .posted(let j):
            journal = j
        case .refused(let errors):
            // Refused as a whole (ApplyIfEntireDocumentValid=Y): nothing was posted under
            // this reference, so the entry goes back to what SYSPRO has.
            detail["pending_qty"] = nil
            try finish(&entry, &detail, postedQty: postedQty, sequence: sequence, legacy: legacy)
            return .problem("SYSPRO refused receipt \(reference) of \(delta) \(l.stockCode) into \(l.warehouse): \(errors.joined(separator: "; "))")
        case .unknown:
            // Neither a journal nor an error: the entry stays pending until InvMovements
            // shows the Reference, or the in-flight window has passed without it.
            guard let found = try syspro.movements(reference: reference, stockCode: l.stockCode).first else {
                throw PostInFlight(what: "receipt \(reference) of \(delta) \(l.stockCode) into \(l.warehouse) (SYSPRO answered with neither a journal nor an error)",
                                   age: 0, window: inFlightWindow)
            }
            journal = found.journal
            how = "answer carried no journal; found in InvMovements"
        }
        detail["journal"] = journal
        try finish(&entry, &detail, postedQty: postedQty + delta, sequence: sequence + 1, legacy: false)
        try auditPost(l, eventID: eventID, qty: delta, journal: journal, reference: reference, how: how, outcome: "posted")
        return .posted("\(delta) \(l.stockCode) into \(l.warehouse) (journal \(journal))")
    }

    /// Records what SYSPRO has; `legacy` keeps an entry of an earlier release (posted_qty
    /// counting received units) unmarked until this release posts for it.
    private func finish(_ entry: inout Ledger.Entry, _ detail: inout [String: String], postedQty: Int, sequence: Int,
                        legacy: Bool) throws {
        if !legacy { detail["basis"] = Self.stowedBasis }
        detail["posted_qty"] = String(postedQty)
        detail["seq"] = String(sequence)
        detail["pending_qty"] = nil
        entry.status = .done
        entry.detail = detail
        entry.updated = now()
        try ledger.put(entry)
    }

    private func auditPost(_ l: Line, eventID: String, qty: Int, journal: String, reference: String, how: String?,
                           outcome: String = "already-in-syspro") throws {
        try audit.record(AuditEntry(action: "receipt", source: "shipbob", id: eventID, outcome: outcome,
                                    reason: how, target: journal,
                                    detail: ["wro": String(l.wro.id), "sku": l.item.sku, "stock_code": l.stockCode,
                                             "warehouse": l.warehouse, "qty": String(qty), "journal": journal,
                                             "reference": reference]), durable: true)
    }
}
