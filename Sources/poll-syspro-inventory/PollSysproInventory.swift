import ArgumentParser
import ConnectorKit
import JobCLI
import ConnectorNet
import Syspro
import Inventory
import WebhookCore

/// One pass: SYSPRO InvWarehouse, InvMaster (and InvPrice when configured) changed since
/// the cursor (or, on a server refusing binary comparisons, whose rowversion differs from
/// the stored one; rows deleted in SYSPRO are then forgotten and printed `"vanished":true`)
/// -> the tenant's stored levels, items and prices; each change printed as a JSON line. The levels
/// are stored before they are printed and the cursor advances only after both, so a
/// crash at any point re-reads rather than loses.
@main
struct PollSysproInventory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "poll-syspro-inventory",
        abstract: "Read SYSPRO stock levels changed since the last run; print each change as a JSON line.",
        discussion: """
        State: inventory/levels/<warehouse>.json, syspro-items.json (and syspro-prices.json), cursors/poll-syspro-inventory.json, \
        state/syspro-odata.json (the server's change-detection mode). \
        Exit status: 0 ok, 64 usage, 65 bad data from SYSPRO, 69 SYSPRO unavailable, \
        75 another run holds the lock, 78 configuration error.
        """,
        version: ConnectorVersion.current)

    static let job = "poll-syspro-inventory"

    @OptionGroup var common: JobOptions
    @Flag(help: "Re-read every row (a periodic full reconcile) and print every level.") var full = false

    func run() throws {
        guarded(Self.job) { try pass() }
    }

    func pass() throws {
        try common.withJobLock(Self.job, sections: [SysproSettings.self]) { job in
            let tenant = job.tenant, config = job.config
            let odata = try job.vendors.odata()
            let cursorFile = CursorFile<PollCursor>(path: tenant.cursor(Self.job))
            var cursor = full ? PollCursor() : (try cursorFile.load() ?? PollCursor())
            let audit = AuditLog(directory: tenant.audit, job: Self.job)
            try Posix.makeDirectories(tenant.inventory)

            let files = InventoryFiles(tenant: tenant)
            let overlap = config.inventory.rowversionOverlap
            let warehouses = config.inventory.warehouses
            let modes = ODataModeStore(tenant: tenant, odata: odata)
            let keyedOnly = Set(warehouses)
            cursor.levels = try poll(IncrementalRead(
                odata: odata, entitySet: SysproFacts.EntitySet.invWarehouse, keyFields: ["StockCode", "Warehouse"],
                select: ["StockCode", "Warehouse", "QtyOnHand", "QtyAllocated", "QtyOnOrder", "QtyInTransit", "TimeStamp"],
                condition: warehouses.isEmpty ? nil : ODataFilter.anyOf("Warehouse", warehouses)),
                since: cursor.levels, overlap: overlap, modes: modes, audit: audit, kind: "level", flow: Flow("stock_levels", "syspro->state"), metrics: job.metrics,
                known: { try files.levels.load(warehouses.isEmpty ? nil : warehouses).values
                    .filter { keyedOnly.isEmpty || keyedOnly.contains($0.warehouse) }.map { ($0.key, $0.rowversion) } },
                parse: { try StockLevel(row: $0, source: "SYSPRO OData InvWarehouse") },
                store: { try files.levels.merge($0, printAll: full) }, remove: { try files.levels.remove($0) })
            let barcode = config.inventory.barcodeField
            cursor.items = try poll(IncrementalRead(
                odata: odata, entitySet: SysproFacts.EntitySet.invMaster, keyFields: ["StockCode"],
                select: ["StockCode", "Description", "ProductClass", barcode, "TimeStamp"], condition: nil),
                since: cursor.items, overlap: overlap, modes: modes, audit: audit, kind: "item", flow: Flow("items", "syspro->state"), metrics: job.metrics,
                known: { try files.items.load().values.map { ($0.key, $0.rowversion) } },
                parse: { try StockItem(row: $0, barcodeField: barcode, source: "SYSPRO OData InvMaster") },
                store: { try files.items.merge($0, printAll: full) { $0.sameProduct($1) } }, remove: { try files.items.remove($0) })
            if config.inventory.includePrices {
                let priceCode = config.inventory.priceCode
                cursor.prices = try poll(IncrementalRead(
                    odata: odata, entitySet: SysproFacts.EntitySet.invPrice, keyFields: ["StockCode", "PriceCode"],
                    select: ["StockCode", "PriceCode", "SellingPrice", "TimeStamp"],
                    condition: ODataFilter.eq("PriceCode", priceCode)),
                    since: cursor.prices, overlap: overlap, modes: modes, audit: audit, kind: "price", flow: Flow("prices", "syspro->state"), metrics: job.metrics,
                    // The store is keyed by StockCode; a keyed read by StockCode|PriceCode.
                    known: { try files.prices.load().values.filter { $0.priceCode == priceCode }.map { ("\($0.key)|\(priceCode)", $0.rowversion) } },
                    parse: { try StockPrice(row: $0, source: "SYSPRO OData InvPrice") },
                    store: { try files.prices.merge($0, printAll: full) { $0.sellingPrice == $1.sellingPrice } },
                    remove: { keys in try files.prices.remove(keys.map { String($0.prefix { $0 != "|" }) }) })
            }
            try cursorFile.save(cursor)
        }
    }

    /// Reads what changed in one entity set (a rowversion window from `cursor - overlap`,
    /// or a keyed read compared with the rowversions stored per row where the server
    /// refuses binary comparisons), stores it, forgets rows a keyed read found deleted,
    /// reports both, and returns the new cursor (unchanged when nothing was read).
    private func poll<T: StockRecord>(_ read: IncrementalRead, since cursor: RowVersion?, overlap: UInt64, modes: ODataModeStore,
                                      audit: AuditLog, kind: String, flow: Flow, metrics: JobMetrics,
                                      known: () throws -> [(String, RowVersion)], parse: (JSONValue) throws -> T,
                                      store: ([T]) throws -> LevelStore<T>.Changes, remove: ([String]) throws -> [T]) throws -> RowVersion? {
        // --full: every row counts as changed, and is printed.
        let changes = try read.changed(since: cursor, overlap: overlap, modes: modes,
                                       known: { full ? nil : Dictionary(try known(), uniquingKeysWith: { a, _ in a }) }, each: parse)
        if !changes.rows.isEmpty {
            let stored = try store(changes.rows)
            metrics.moved(flow.kind, flow.direction, stored.records.count)
            try report(stored, audit: audit, kind: kind)
        }
        if !changes.vanished.isEmpty {
            let removed = try remove(changes.vanished)
            var lines: [UInt8] = []
            for r in removed { r.appendVanishedJSON(to: &lines); lines.append(0x0a) }
            if !removed.isEmpty {
                try lines.withUnsafeBytes { try Posix.writeAll(1, $0, path: "stdout") }
                try audit.record(AuditEntry(action: "poll-\(kind)", source: "syspro", id: "run", outcome: "vanished",
                                            detail: ["count": String(removed.count), "first": removed.first!.key, "last": removed.last!.key]))
            }
        }
        return changes.ceiling
    }

    /// stdout first (the pipeline's data, one write), then one audit line per kind: the
    /// poll moves nothing to another system, so the records themselves are in state and on
    /// stdout, and the audit says how many changed.
    private func report<T: StockRecord>(_ changes: LevelStore<T>.Changes, audit: AuditLog, kind: String) throws {
        let changed = changes.records
        guard !changed.isEmpty else { return }
        try changes.lines.withUnsafeBytes { try Posix.writeAll(1, $0, path: "stdout") }
        try audit.record(AuditEntry(action: "poll-\(kind)", source: "syspro", id: "run", outcome: "changed",
                                    detail: ["count": String(changed.count), "first": changed.first!.key, "last": changed.last!.key,
                                             "highest_rowversion": changed.map(\.rowversion).max()!.hex]))
    }
}
