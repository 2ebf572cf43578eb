import ConnectorKit
import Syspro
import ShipBob
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig

/// Why an order cannot be mapped: a person must fix config or SYSPRO, then replay.
struct MappingProblem: Error {
    let reason: String
    let action: String
}

/// Turns a ShipBob order into the SORTOI sales order, using the tenant's mappings:
/// channel -> customer, SKU -> stock code (config overrides, else the SKU itself, which
/// must exist in InvMaster), fulfillment center -> warehouse.
public struct OrderMapping {
    let config: TenantConfig

    public init(config: TenantConfig) { self.config = config }

    /// ShipBob's numeric order id is unique and short: `SB15949208` fits SYSPRO's
    /// 30-character CustomerPoNumber (docs/vendors/syspro.md, SORTOI) and is our idempotency key.
    static func customerPoNumber(orderID: Int64) -> String { "SB\(orderID)" }

    func customer(for order: ShipBobOrder) throws -> String {
        guard let channel = order.channelID else {
            throw MappingProblem(reason: "ShipBob order \(order.id) names no channel",
                                 action: "check the order in ShipBob; orders without a channel cannot be mapped to a SYSPRO customer")
        }
        guard let customer = config.mappings.channelCustomers[String(channel)] else {
            throw MappingProblem(reason: "ShipBob channel \(channel) (\(order.channelName ?? "unnamed")) has no SYSPRO customer",
                                 action: "add \"\(channel)\": \"<customer code>\" to mappings.channel_customers in config.json, then run `ml-connector replay --attention --source shipbob`")
        }
        return customer
    }

    /// Stock code per SKU, before the InvMaster check.
    func stockCode(for sku: String) -> String { config.mappings.skuStockCodes[sku] ?? sku }

    func warehouse(for order: ShipBobOrder) -> String { warehouse(of: order.shipments) }

    /// The warehouse a SKU's line is taken from: the one mapped to the location of the
    /// shipments holding it (so its dispatch note relieves the warehouse ShipBob shipped
    /// from), else the order's, else `syspro.order_warehouse`.
    func warehouse(for sku: String, in order: ShipBobOrder) -> String {
        let holding = order.shipments.filter { $0.quantities[sku] != nil }
        return holding.isEmpty ? warehouse(for: order) : warehouse(of: holding)
    }

    private func warehouse(of shipments: [ShipBobOrder.Shipment]) -> String {
        let mapped = Set(shipments.compactMap { $0.locationID }.map { config.mappings.locationWarehouses[String($0)] })
        if mapped.count == 1, let only = mapped.first, let warehouse = only { return warehouse }
        return config.syspro.orderWarehouse
    }

    func salesOrder(_ order: ShipBobOrder, existing: Set<String>) throws -> SysproSalesOrder {
        let customer = try customer(for: order)
        let missing = order.products.filter { !existing.contains(stockCode(for: $0.sku)) }
        if !missing.isEmpty {
            let list = missing.map { p in p.sku == stockCode(for: p.sku) ? p.sku : "\(p.sku) (as \(stockCode(for: p.sku)))" }
            throw MappingProblem(reason: "SKU \(list.joined(separator: ", ")) of ShipBob order \(order.id) is not a SYSPRO stock code",
                                 action: "create the stock code in SYSPRO or map it in mappings.sku_stock_codes, then run `ml-connector replay --attention --source shipbob`")
        }
        let lines = order.products.enumerated().map { i, p in
            StockLine(customerPoLine: i + 1, stockCode: stockCode(for: p.sku), warehouse: warehouse(for: p.sku, in: order),
                      quantity: Decimal(p.quantity), price: p.unitPrice)
        }
        let address = order.recipientAddress.filter { !$0.trimmed.isEmpty }.prefix(SysproSalesOrder.maxShipAddressLines)
        return SysproSalesOrder(
            customerPoNumber: OrderMapping.customerPoNumber(orderID: order.id), customer: customer,
            orderDate: try orderDate(order.purchaseDate ?? Date()), customerName: String((order.recipientName ?? "").prefix(50)),
            shipAddress: Array(address), shipPostalCode: order.recipientZip ?? "", email: order.recipientEmail ?? "",
            shippingInstrs: "ShipBob \(order.referenceID ?? String(order.id))", specialInstrs: "", lines: lines)
    }

    /// SYSPRO dates are local to its server (config `syspro.time_zone`).
    public func orderDate(_ date: Date) throws -> String { try config.syspro.localDate(date) }
}
