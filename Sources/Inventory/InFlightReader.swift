import ConnectorKit
import Syspro
import ShipBob
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig

/// Finds the movements one system has counted and the other not yet (`InFlight`), from
/// the systems themselves and the connector's receipt ledger:
/// - receipts: WROs ShipBob lists as not externally synced (its own sync loop, docs/vendors/shipbob.md
///   "Receiving") whose received quantity exceeds what the `receipts` ledger says was
///   posted to SYSPRO; a `pending` ledger entry (post interrupted) makes the level uncertain;
/// - shipments: shipments ShipBob shipped within `inventory.in_flight_days` whose dispatch
///   note SYSPRO has not posted yet: stock leaves SYSPRO only when the dispatch note posts
///   (docs/vendors/syspro.md, "Shipped orders relieve stock through dispatch notes"), which
///   the `order-posts` ledger records; a `pending` dispatch makes the level uncertain. A
///   shipment without a dispatch entry whose order SYSPRO shows complete or cancelled is not
///   in flight (orders the previous release completed with status 9, or cancelled ones).
public struct InFlightReader {
    let shipbob: ShipBobClient
    let odata: ODataClient
    let receipts: Ledger
    let dispatches: Ledger
    let locationWarehouses: [Int64: String]
    let stockCodeForSku: (String) -> String
    let days: Int

    public init(shipbob: ShipBobClient, odata: ODataClient, receipts: Ledger, dispatches: Ledger, config: TenantConfig) {
        self.shipbob = shipbob; self.odata = odata; self.receipts = receipts; self.dispatches = dispatches
        let check = VarianceCheck(config: config)
        locationWarehouses = check.locationWarehouses
        stockCodeForSku = check.stockCodeForSku
        days = config.inventory.inFlightDays
    }

    public func read(now: Date = Date()) throws -> InFlight {
        var inFlight = InFlight()
        try addReceipts(&inFlight)
        try addShipments(&inFlight, since: now.addingTimeInterval(-Double(days) * 86_400))
        return inFlight
    }

    private func addReceipts(_ inFlight: inout InFlight) throws {
        let listed = try shipbob.receivingOrders(query: [
            ("Statuses", ShipBobFacts.receivingStatusesWithStock.joined(separator: ",")), ("ExternalSync", "false"),
        ])
        for json in listed {
            let wro = try ShipBobReceivingOrder(json: json)
            guard let fc = wro.fulfillmentCenterID, let warehouse = locationWarehouses[fc] else { continue }
            // ShipBob's on-hand rises when units are stowed, and receipts post what was stowed
            // (docs/vendors/shipbob.md, "Receiving: stowed, not received, is on hand").
            for item in wro.items where item.stowed > 0 {
                let key = LevelKey(warehouse: warehouse, stockCode: stockCodeForSku(item.sku))
                let entry = try receipts.get(InFlightReader.receiptKey(wro: wro.id, inventory: item.inventoryID))
                if entry?.status == .pending { inFlight.uncertain.insert(key); continue }
                let posted = entry.flatMap { Int($0.detail?["posted_qty"] ?? "") } ?? 0
                if item.stowed > posted { inFlight.receipts[key, default: 0] += Double(item.stowed - posted) }
            }
        }
    }

    private func addShipments(_ inFlight: inout InFlight, since: Date) throws {
        let orders = try shipbob.orders(query: [("LastUpdateStartDate", Timestamp.iso8601(since))])
        var undispatchedByPo: [String: [(LevelKey, Double)]] = [:]
        for order in orders {
            guard let id = order["id"]?.int64 else { continue }
            for shipment in order["shipments"]?.array ?? [] {
                guard let state = ShipmentState(json: shipment, orderID: id),
                      state.phase == ShipmentState.Phase.shipped || state.phase == ShipmentState.Phase.delivered,
                      let fc = shipment["location"]?["id"]?.int64, let warehouse = locationWarehouses[fc] else { continue }
                let dispatch = try dispatches.get(SalesOrderLifecycle.dispatchKey(shipmentID: state.id))
                if dispatch?.status == .done { continue }
                for p in shipment["products"]?.array ?? [] {
                    guard let sku = p["sku"]?.string else { continue }
                    let key = LevelKey(warehouse: warehouse, stockCode: stockCodeForSku(sku))
                    if dispatch?.status == .pending { inFlight.uncertain.insert(key); continue }
                    let items: [JSONValue] = p["inventory_items"]?.array ?? []
                    let quantity = items.compactMap { (item: JSONValue) -> Double? in item["quantity"]?.double }.reduce(0, +)
                    let q = quantity > 0 ? quantity : p["quantity"]?.double ?? 0
                    undispatchedByPo["SB\(id)", default: []].append((key, q))
                }
            }
        }
        guard !undispatchedByPo.isEmpty else { return }
        let final = try finalSalesOrders(customerPos: Array(undispatchedByPo.keys))
        for (po, lines) in undispatchedByPo where !final.contains(po) {
            for (key, q) in lines { inFlight.shipments[key, default: 0] += q }
        }
    }

    /// Customer POs whose SYSPRO sales order is complete or cancelled: nothing more will be
    /// dispatched from them.
    private func finalSalesOrders(customerPos: [String]) throws -> Set<String> {
        var done = Set<String>()
        let sorted = customerPos.sorted()
        for start in stride(from: 0, to: sorted.count, by: 40) {
            let chunk = Array(sorted[start..<min(start + 40, sorted.count)])
            let rows = try odata.fetch(entitySet: SysproFacts.EntitySet.sorMaster, filter: ODataFilter.anyOf("CustomerPoNumber", chunk),
                                       select: ["CustomerPoNumber", "OrderStatus", "CancelledFlag"])
            for row in rows where SysproFacts.finalSalesOrderStatuses.contains(row["OrderStatus"]?.string?.trimmed ?? "")
                || row["CancelledFlag"]?.string?.trimmed.uppercased() == "Y" {
                if let po = row["CustomerPoNumber"]?.string?.trimmed { done.insert(po) }
            }
        }
        return done
    }

    /// The `receipts` ledger key `shipbob-to-syspro` writes per (WRO, inventory item).
    static func receiptKey(wro: Int64, inventory: Int64) -> String { "wro-\(wro)-\(inventory)" }
}
