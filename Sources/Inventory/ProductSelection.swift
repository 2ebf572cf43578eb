import ConnectorKit
import ShipBob
import ConnectorConfig

/// A SYSPRO stock code as the ShipBob product it should be.
public struct DesiredProduct: Sendable, Equatable {
    public var stockCode: String
    public var spec: ProductSpec
    public init(stockCode: String, spec: ProductSpec) { self.stockCode = stockCode; self.spec = spec }
}

/// Which stock codes are kept as ShipBob products, and what each should say
/// (`inventory.push_*` in config: the listed codes, plus those matching every non-empty
/// filter). The SKU is the stock code unless `mappings.sku_stock_codes` maps a ShipBob SKU
/// to it.
public struct ProductSelection: Sendable {
    let settings: InventorySettings
    let skuByStockCode: [String: String]

    public init(config: TenantConfig) {
        settings = config.inventory
        var skus: [String: String] = [:]
        for (sku, code) in config.mappings.skuStockCodes { skus[code] = sku }
        skuByStockCode = skus
    }

    public func sku(for stockCode: String) -> String { skuByStockCode[stockCode] ?? stockCode }

    /// The products to keep, sorted by stock code; with `only`, just those stock codes.
    public func desired(items: [String: StockItem], levels: [String: StockLevel], prices: [String: StockPrice],
                        only: Set<String>? = nil) -> [DesiredProduct] {
        let listed = Set(settings.pushStockCodes)
        let classes = Set(settings.pushProductClasses)
        let warehouses = Set(settings.pushWarehouses)
        let filtered = !classes.isEmpty || !warehouses.isEmpty
        var stocked = Set<String>()
        if !warehouses.isEmpty {
            for level in levels.values where warehouses.contains(level.warehouse) { stocked.insert(level.stockCode) }
        }
        return items.values.filter { item in
            if let only, !only.contains(item.stockCode) { return false }
            if listed.contains(item.stockCode) { return true }
            guard filtered else { return false }
            if !classes.isEmpty && !classes.contains(item.productClass ?? "") { return false }
            if !warehouses.isEmpty && !stocked.contains(item.stockCode) { return false }
            return true
        }
        .sorted { $0.stockCode < $1.stockCode }
        .map { item in
            DesiredProduct(stockCode: item.stockCode, spec: ProductSpec(
                sku: sku(for: item.stockCode), name: item.description, barcode: item.barcode,
                value: settings.includePrices ? prices[item.stockCode]?.sellingPrice : nil))
        }
    }
}
