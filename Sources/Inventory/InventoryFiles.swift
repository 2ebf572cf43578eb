import ConnectorKit
import WebhookCore

/// The tenant's inventory state (levels read from SYSPRO, what ShipBob was last told;
/// docs/state-directory.md, "State directory"), named once for the three inventory jobs.
public struct InventoryFiles: Sendable {
    public let directory: String
    public init(tenant: TenantPaths) { directory = tenant.inventory }

    /// What SYSPRO said at the last poll: levels per warehouse (keyed StockCode|Warehouse),
    /// prices and items per StockCode.
    public var levels: WarehouseLevels { WarehouseLevels(directory: directory / "levels") }
    public var prices: LevelStore<StockPrice> { LevelStore(path: directory / "syspro-prices.json") }
    public var items: LevelStore<StockItem> { LevelStore(path: directory / "syspro-items.json") }
    /// What ShipBob was last told (or last seen to hold), per SKU: snapshot + journal.
    public var shipBobProducts: String { directory / "shipbob-products.json" }
    /// Keys of one-sided SKUs already sent to attention/, so each is reported once.
    public var oneSided: String { directory / "one-sided.json" }
    /// The last variance report, for `ml-connector status` and people.
    public var varianceReport: String { directory / "variance.json" }
}
