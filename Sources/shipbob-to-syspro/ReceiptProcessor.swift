import ConnectorKit
import Syspro
import ShipBob

/// Warehouse receiving orders -> SYSPRO inventory receipts (INVTMR), exactly once per
/// unit received.
///
/// The webhook (or reconcile envelope) only names the WRO: its quantities are read with
/// `GET /receiving/{id}`, since bodies can be stale or out of order. Per inventory item the
/// `receipts` ledger (`wro-<wro>-<inventory id>`) holds `posted_qty`, what SYSPRO has been
/// given so far; only ShipBob's received quantity minus that is posted, so a second
/// partial receipt posts its own part and a redelivery posts nothing. Each post carries a
/// unique Reference `WRO<wro>-<inventory id>/<n>` (n = that item's nth post) and is
/// recorded `pending` first; a `pending` entry found later is resolved by looking for the
/// Reference in InvMovements before anything is posted again, and not before the first post
/// can no longer be in flight (`PostInFlight`).
struct ReceiptProcessor {
    let mapping: OrderMapping
    let syspro: InventorySystem
    let shipbob: ReceivingSource
    let ledger: Ledger
    let audit: AuditLog
    /// How long an interrupted post may still commit at SYSPRO (`PostInFlight.window`).
    let inFlightWindow: TimeInterval
    let now: () -> Date

    static func key(wro: Int64, inventoryID: Int64) -> String { "wro-\(wro)-\(inventoryID)" }

    /// `WRO880101-5264253/2`: unique per WRO, item and post (an item key, not the stock code,
    /// so two items mapped to one stock code never share it), at most 28 characters for
    /// 10-digit ids, within SYSPRO's 30 (`SysproFacts.maxMovementReferenceLength`).
    static func reference(wro: Int64, inventoryID: Int64, sequence: Int) -> String { "WRO\(wro)-\(inventoryID)/\(sequence)" }

    func apply(_ envelope: WebhookEnvelope) throws -> OrderProcessor.Outcome {
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
            case .problem(let text): problems.append(text); complete = false
            }
        }
        if complete, wro.isCompleted, !wro.isExternallySynced {
            // ShipBob's own sync loop marks applied WROs (api-notes): a second guard, and what
            // keeps `--reconcile` from listing this WRO again.
            try shipbob.markSynced(id: wroID)
            try audit.record(AuditEntry(action: "receipt", source: "shipbob", id: envelope.id, outcome: "synced",
                                        detail: ["wro": String(wroID)]), durable: true)
        }
        if !problems.isEmpty {
            let done = posted.isEmpty ? "" : " (posted meanwhile: \(posted.joined(separator: "; ")))"
            return .attention(reason: "receiving order \(wroID): \(problems.joined(separator: "; "))\(done)",
                              action: "create the stock code in SYSPRO or map it in mappings.sku_stock_codes (or fix the receipt named), then run `ml-connector replay --attention --source shipbob`; what was posted is not posted again")
        }
        if posted.isEmpty { return .ignored("receiving order \(wroID): nothing received beyond what SYSPRO has") }
        return .applied(key: wroKey, target: nil, summary: posted.joined(separator: "; "))
    }

    struct Line {
        let wro: ShipBobReceivingOrder
        let item: ShipBobReceivingOrder.Item
        let fc: Int64
        let warehouse: String
        let stockCode: String
    }

    enum ItemResult { case posted(String), upToDate, problem(String) }

    private func receive(_ l: Line, eventID: String) throws -> ItemResult {
        let key = Self.key(wro: l.wro.id, inventoryID: l.item.inventoryID)
        var entry = try ledger.get(key) ?? Ledger.Entry(key: key, status: .done, attempts: 0, detail: [:])
        var detail = entry.detail ?? [:]
        var postedQty = Int(detail["posted_qty"] ?? "0") ?? 0
        var sequence = Int(detail["seq"] ?? "0") ?? 0

        if entry.status == .pending, let pendingQty = detail["pending_qty"].flatMap({ Int($0) }) {
            let reference = Self.reference(wro: l.wro.id, inventoryID: l.item.inventoryID, sequence: sequence + 1)
            if let found = try syspro.movements(reference: reference, stockCode: l.stockCode).first {
                // The post went through before the crash: record it, never post it again.
                postedQty += pendingQty
                sequence += 1
                detail["journal"] = found.journal
                try finish(&entry, &detail, postedQty: postedQty, sequence: sequence)
                try auditPost(l, eventID: eventID, qty: pendingQty, journal: found.journal, reference: reference,
                              how: "found in InvMovements after an interrupted post")
            } else {
                try PostInFlight.check("receipt \(reference) of \(pendingQty) \(l.stockCode) into \(l.warehouse)",
                                       since: entry.updated, window: inFlightWindow, now: now())
            }
        }
        let delta = l.item.received - postedQty
        if delta == 0 { return .upToDate }
        if delta < 0 {
            return .problem("SKU \(l.item.sku) received quantity fell to \(l.item.received) below the \(postedQty) already received into SYSPRO warehouse \(l.warehouse); adjust SYSPRO by hand")
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
                                         reference: reference, notation: "ShipBob WRO \(l.wro.id) \(l.wro.purchaseOrderNumber ?? "")".trimmed)
        let result = try syspro.postReceipt(line, transactionDate: try mapping.orderDate(now()))
        guard result.isComplete, let journal = result.items.first?.journal else {
            // Refused as a whole (ApplyIfEntireDocumentValid=Y): nothing was posted under
            // this reference, so the entry goes back to what SYSPRO has.
            detail["pending_qty"] = nil
            try finish(&entry, &detail, postedQty: postedQty, sequence: sequence)
            let errors = result.items.flatMap(\.errors)
            return .problem("SYSPRO refused receipt \(reference) of \(delta) \(l.stockCode) into \(l.warehouse): \(errors.isEmpty ? "no journal and no error text" : errors.joined(separator: "; "))")
        }
        detail["journal"] = journal
        try finish(&entry, &detail, postedQty: postedQty + delta, sequence: sequence + 1)
        try auditPost(l, eventID: eventID, qty: delta, journal: journal, reference: reference, how: nil)
        return .posted("\(delta) \(l.stockCode) into \(l.warehouse) (journal \(journal))")
    }

    private func finish(_ entry: inout Ledger.Entry, _ detail: inout [String: String], postedQty: Int, sequence: Int) throws {
        detail["posted_qty"] = String(postedQty)
        detail["seq"] = String(sequence)
        detail["pending_qty"] = nil
        entry.status = .done
        entry.detail = detail
        entry.updated = now()
        try ledger.put(entry)
    }

    private func auditPost(_ l: Line, eventID: String, qty: Int, journal: String, reference: String, how: String?) throws {
        try audit.record(AuditEntry(action: "receipt", source: "shipbob", id: eventID, outcome: how == nil ? "posted" : "already-in-syspro",
                                    reason: how, target: journal,
                                    detail: ["wro": String(l.wro.id), "sku": l.item.sku, "stock_code": l.stockCode,
                                             "warehouse": l.warehouse, "qty": String(qty), "journal": journal,
                                             "reference": reference]), durable: true)
    }
}
