import ConnectorKit
import ShipBob
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--reconcile`: finds what webhooks missed and feeds it through the same path as a
/// webhook, by spooling a synthetic envelope the normal pass then drains (ShipBob's own
/// advice: "You should not solely rely on webhooks. We recommend using GET endpoints to
/// periodically reconcile data", seed 003).
///
/// Orders: `GET /order` updated, or with tracking updated, since the cursor less the
/// overlap (each order once); an order is spooled
/// when a shipment has left `processing` and the ledgers either lack the order or hold an
/// older state of that shipment. Receiving orders: ShipBob's sync loop (`Statuses=...` and
/// `ExternalSync=false`, docs/vendors/shipbob.md) needs no date: a WRO is spooled when ShipBob has
/// received more of an item than the `receipts` ledger has posted, or it is Completed and
/// still unsynced. Envelope ids carry a digest of what was seen, so running reconcile again
/// over the same data spools nothing new; the cursor moves to the run's start only after
/// every envelope is durably in the spool.
public struct Reconciler {
    struct Cursor: Codable, Sendable, Equatable {
        /// Orders updated before this instant were seen by an earlier run.
        var ceiling: Date
    }

    public struct Summary: Equatable {
        public var spooled = 0
        public var alreadySpooled = 0
        public var upToDate = 0
    }

    let source: ReconcileSource
    let queue: SpoolQueue
    let cursor: CursorFile<Cursor>
    let overlap: TimeInterval
    let orders: Ledger
    let tracker: ShipmentTracker
    let receipts: Ledger
    /// Seals what it spools, as webhook-cgi does.
    let key: MasterKey
    let now: Date

    func run() throws -> Summary {
        var summary = Summary()
        let since = (try cursor.load()?.ceiling ?? now).addingTimeInterval(-overlap)
        // Two passes: a carrier's tracking update (InTransit, Delivered) may move a shipment's
        // `last_tracking_update_at` without its `last_update_at`, so the last-update filter
        // alone can miss it (docs/vendors/shipbob.md, "Listing orders: Limit and paging headers").
        var seen = Set<Int64>()
        let updated = try source.ordersUpdated(since: since) + source.ordersWithTrackingUpdated(since: since)
        for order in updated where order["id"]?.int64.map({ seen.insert($0).inserted }) ?? true {
            guard let id = order["id"]?.int64, try orderIsBehind(order, id: id) else { summary.upToDate += 1; continue }
            try spool("reconcile-order-\(id)-\(Self.digest(order, fields: ["shipments"]))", topic: EventKind.reconcileOrderTopic,
                      body: order, into: &summary)
        }
        for wro in try source.receivingOrdersWithStock() {
            let parsed = try ShipBobReceivingOrder(json: wro)
            guard try receivingIsBehind(parsed) else { summary.upToDate += 1; continue }
            try spool("reconcile-wro-\(parsed.id)-\(Self.digest(wro, fields: ["status", "last_updated_date", "inventory_quantities"]))",
                      topic: EventKind.reconcileReceivingTopic, body: wro, into: &summary)
        }
        try cursor.save(Cursor(ceiling: now))
        return summary
    }

    private func orderIsBehind(_ order: JSONValue, id: Int64) throws -> Bool {
        let states = (order["shipments"]?.array ?? []).compactMap { ShipmentState(json: $0, orderID: id) }
            .filter { $0.phase != .processing }
        if states.isEmpty { return false }
        guard let entry = try orders.get(OrderMapping.customerPoNumber(orderID: id)), entry.status == .done else { return true }
        for s in states {
            guard let recorded = try tracker.stored(s.id) else { return true }
            if s.supersedes(recorded) { return true }
        }
        return false
    }

    private func receivingIsBehind(_ wro: ShipBobReceivingOrder) throws -> Bool {
        if wro.isCompleted && !wro.isExternallySynced { return true }
        // Receipts book what was stowed (docs/vendors/shipbob.md, "Receiving: stowed, not received, is on hand").
        for item in wro.items where item.stowed > 0 {
            let posted = try receipts.get(ReceiptProcessor.key(wro: wro.id, inventoryID: item.inventoryID))?.detail?["posted_qty"]
            if Int(posted ?? "0") != item.stowed { return true }
        }
        return false
    }

    private func spool(_ id: String, topic: String, body: JSONValue, into summary: inout Summary) throws {
        let envelope = WebhookEnvelope(id: id, source: "shipbob", topic: topic, receivedAt: now,
                                       headers: ["x-ml-connector-origin": "reconcile"], body: try JSON.encode(body))
        switch try queue.put(id: id, data: try envelope.sealedJSON(key: key)) {
        case .stored: summary.spooled += 1
        case .duplicate: summary.alreadySpooled += 1
        }
    }

    /// FNV-1a 64 of the named fields as sorted-key JSON: the same data gives the same id.
    static func digest(_ value: JSONValue, fields: [String]) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for f in fields {
            let bytes = (try? JSON.encode(value[f] ?? .null)) ?? Data()
            for b in Array(f.utf8) + Array(bytes) {
                hash ^= UInt64(b)
                hash = hash &* 0x0000_0100_0000_01b3
            }
        }
        return String(hash, radix: 16)
    }
}
