import ConnectorKit
import Syspro
import ShipBob
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the order flow needs from SYSPRO. The live implementation is e.net + OData;
/// the seam keeps `OrderProcessor` about decisions, not transport.
public protocol SalesOrderSystem {
    func existingStockCodes(_ codes: [String]) throws -> Set<String>
    func salesOrders(customerPoNumber: String) throws -> [SorMasterRow]
    func importOrder(_ order: SysproSalesOrder) throws -> SortoiResult
    func changeOrderStatus(salesOrder: String, current: String?, new: String) throws -> SalesOrderUpdateResult
    func changeOrderTexts(salesOrder: String, customerPoNumber: String, fields: [String: String]) throws -> SalesOrderUpdateResult
    func salesOrderLines(salesOrder: String) throws -> [SorDetailRow]
    func dispatchNotes(salesOrder: String) throws -> [DispatchNoteRow]
    func postDispatchNote(salesOrder: String, reference: String, comments: [String],
                          lines: [SalesOrderLifecycle.DispatchLine]) throws -> LifecyclePostResult
    func invoiceDispatchNote(_ dispatchNote: String) throws -> LifecyclePostResult
    func cancelSalesOrder(_ salesOrder: String) throws -> LifecyclePostResult
}

/// What receipts need from SYSPRO: stock codes, the movement a reference left, the post.
public protocol InventorySystem {
    func existingStockCodes(_ codes: [String]) throws -> Set<String>
    func movements(reference: String, stockCode: String) throws -> [InvMovementRow]
    func postReceipt(_ line: InventoryMovementLine, transactionDate: String) throws -> InventoryPostResult
}

/// What the order flow needs from ShipBob: the order behind a shipment-only event.
public protocol OrderSource {
    func order(id: Int64) throws -> ShipBobOrder?
}

/// What receipts need from ShipBob: the WRO as it stands now, an item's lot, the synced flag.
public protocol ReceivingSource {
    func receivingOrder(id: Int64) throws -> ShipBobReceivingOrder?
    /// The one lot number the WRO's boxes give the item; `nil` for none or several.
    func lot(wro: Int64, inventoryID: Int64) throws -> String?
    func markSynced(id: Int64) throws
}

/// What `--reconcile` reads from ShipBob.
protocol ReconcileSource {
    func ordersUpdated(since: Date) throws -> [JSONValue]
    /// Orders whose shipments' tracking changed (`LastTrackingUpdateStartDate`).
    func ordersWithTrackingUpdated(since: Date) throws -> [JSONValue]
    func receivingOrdersWithStock() throws -> [JSONValue]
}

struct LiveSyspro: SalesOrderSystem, InventorySystem {
    let client: SysproClient
    let odata: ODataClient
    /// IgnoreWarnings and the cancel reason (config `orders`).
    let orders: OrdersSettings

    func existingStockCodes(_ codes: [String]) throws -> Set<String> { try odata.stockCodes(codes) }
    func salesOrders(customerPoNumber: String) throws -> [SorMasterRow] { try odata.salesOrders(customerPoNumber: customerPoNumber) }
    func importOrder(_ order: SysproSalesOrder) throws -> SortoiResult {
        try client.importSalesOrder(order, ignoreWarnings: orders.ignoreWarnings)
    }
    func salesOrderLines(salesOrder: String) throws -> [SorDetailRow] { try odata.salesOrderLines(salesOrder: salesOrder) }
    func dispatchNotes(salesOrder: String) throws -> [DispatchNoteRow] { try odata.dispatchNotes(salesOrder: salesOrder) }
    func postDispatchNote(salesOrder: String, reference: String, comments: [String],
                          lines: [SalesOrderLifecycle.DispatchLine]) throws -> LifecyclePostResult {
        try client.postDispatchNote(salesOrder: salesOrder, reference: reference, comments: comments, lines: lines,
                                    ignoreWarnings: orders.ignoreWarnings)
    }
    func invoiceDispatchNote(_ dispatchNote: String) throws -> LifecyclePostResult {
        try client.invoiceDispatchNote(dispatchNote, ignoreWarnings: orders.ignoreWarnings)
    }
    func cancelSalesOrder(_ salesOrder: String) throws -> LifecyclePostResult {
        try client.cancelSalesOrder(salesOrder, reasonCode: orders.cancelReasonCode, ignoreWarnings: orders.ignoreWarnings)
    }
    func changeOrderStatus(salesOrder: String, current: String?, new: String) throws -> SalesOrderUpdateResult {
        try client.changeOrderStatus(salesOrder: salesOrder, current: current, new: new)
    }
    func changeOrderTexts(salesOrder: String, customerPoNumber: String, fields: [String: String]) throws -> SalesOrderUpdateResult {
        try client.changeOrderTexts(salesOrder: salesOrder, customerPoNumber: customerPoNumber, fields: fields)
    }
    func movements(reference: String, stockCode: String) throws -> [InvMovementRow] {
        try odata.inventoryMovements(reference: reference, stockCode: stockCode)
    }
    func postReceipt(_ line: InventoryMovementLine, transactionDate: String) throws -> InventoryPostResult {
        try client.postInventoryReceipts([line], transactionDate: transactionDate)
    }
}

struct LiveShipBob: OrderSource, ReceivingSource, ReconcileSource {
    let client: ShipBobClient
    func order(id: Int64) throws -> ShipBobOrder? { try client.order(id: id).map { try ShipBobOrder(json: $0) } }
    func receivingOrder(id: Int64) throws -> ShipBobReceivingOrder? {
        try client.receivingOrder(id: id).map { try ShipBobReceivingOrder(json: $0) }
    }
    func lot(wro: Int64, inventoryID: Int64) throws -> String? {
        let lots = ShipBobReceivingOrder.lots(boxes: try client.receivingBoxes(id: wro), inventoryID: inventoryID)
        return lots.count == 1 ? lots.first : nil
    }
    func markSynced(id: Int64) throws { try client.setExternalSync(ids: [id]) }
    func ordersUpdated(since: Date) throws -> [JSONValue] {
        try client.orders(query: [("LastUpdateStartDate", Timestamp.iso8601(since))])
    }
    func ordersWithTrackingUpdated(since: Date) throws -> [JSONValue] {
        try client.orders(query: [("LastTrackingUpdateStartDate", Timestamp.iso8601(since))])
    }
    func receivingOrdersWithStock() throws -> [JSONValue] {
        try client.receivingOrders(query: [("Statuses", ShipBobFacts.receivingStatusesWithStock.joined(separator: ",")),
                                           ("ExternalSync", "false")])
    }
}
