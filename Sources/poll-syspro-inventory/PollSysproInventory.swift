import ArgumentParser
import ConnectorKit
import JobCLI
import ConnectorNet
import Syspro

/// One pass: SYSPRO InvWarehouse (and InvPrice when configured) changed since the cursor
/// -> the tenant's stored levels; each changed level printed as a JSON line. The levels
/// are stored before they are printed and the cursor advances only after both, so a
/// crash at any point re-reads rather than loses.
@main
struct PollSysproInventory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll-syspro-inventory",
        abstract: "Read SYSPRO stock levels changed since the last run; print each change as a JSON line.",
        discussion: """
        State: inventory/syspro-levels.json (and syspro-prices.json), cursors/poll-syspro-inventory.json. \
        Exit status: 0 ok, 64 usage, 65 bad data from SYSPRO, 69 SYSPRO unavailable, \
        75 another run holds the lock, 78 configuration error.
        """,
        version: ConnectorVersion.current)

    static let job = "poll-syspro-inventory"

    @OptionGroup var common: CommonOptions
    @Flag(help: "Re-read every row (a periodic full reconcile) and print every level.") var full = false

    func run() throws {
        guarded(Self.job) { try pass() }
    }

    func pass() throws {
        try common.withJobLock(Self.job) { job in
            let tenant = job.tenant, config = job.config
            let secrets = try job.secrets()
            let http = try HTTPClient(settings: config.http, logger: job.logger)
            let odata = try ODataClient(settings: config.syspro, secrets: secrets, tenant: tenant, http: http,
                                        policy: RetryPolicy(settings: config.http))
            let cursorFile = CursorFile<PollCursor>(path: tenant.cursor(Self.job))
            var cursor = full ? PollCursor() : (try cursorFile.load() ?? PollCursor())
            let audit = AuditLog(directory: tenant.audit, job: Self.job)
            try Posix.makeDirectories(tenant.inventory)

            let warehouses = config.inventory.warehouses
            let levels = IncrementalRead(
                odata: odata, entitySet: SysproFacts.EntitySet.invWarehouse, keyFields: ["StockCode", "Warehouse"],
                select: ["StockCode", "Warehouse", "QtyOnHand", "QtyAllocated", "QtyOnOrder", "QtyInTransit", "TimeStamp"],
                condition: warehouses.isEmpty ? nil : ODataFilter.anyOf("Warehouse", warehouses))
            if let ceiling = try levels.ceiling() {
                let rows = try levels.rows(from: IncrementalRead.windowStart(cursor: cursor.levels, overlap: config.inventory.rowversionOverlap),
                                           to: ceiling)
                let store = LevelStore<StockLevel>(path: tenant.inventory / "syspro-levels.json")
                let changed = try store.merge(try rows.map { try StockLevel(row: $0, source: "SYSPRO OData InvWarehouse") },
                                              printAll: full) { $0.sameQuantities($1) }
                try report(changed, audit: audit, kind: "level")
                cursor.levels = ceiling
            }
            if config.inventory.includePrices {
                let prices = IncrementalRead(
                    odata: odata, entitySet: SysproFacts.EntitySet.invPrice, keyFields: ["StockCode", "PriceCode"],
                    select: ["StockCode", "PriceCode", "SellingPrice", "TimeStamp"],
                    condition: ODataFilter.eq("PriceCode", config.inventory.priceCode))
                if let ceiling = try prices.ceiling() {
                    let rows = try prices.rows(from: IncrementalRead.windowStart(cursor: cursor.prices, overlap: config.inventory.rowversionOverlap),
                                               to: ceiling)
                    let store = LevelStore<StockPrice>(path: tenant.inventory / "syspro-prices.json")
                    let changed = try store.merge(try rows.map { try StockPrice(row: $0, source: "SYSPRO OData InvPrice") },
                                                  printAll: full) { $0.sellingPrice == $1.sellingPrice }
                    try report(changed, audit: audit, kind: "price")
                    cursor.prices = ceiling
                }
            }
            try cursorFile.save(cursor)
        }
    }

    /// stdout first (the pipeline's data), then one audit line per changed record.
    private func report<T: Codable & Keyed>(_ changed: [T], audit: AuditLog, kind: String) throws {
        for item in changed { print(try JSON.encodeLine(item)) }
        Output.flush()
        for item in changed {
            try audit.record(AuditEntry(action: "poll-\(kind)", source: "syspro", id: item.key, outcome: "changed",
                                        detail: item.auditDetail))
        }
    }
}
