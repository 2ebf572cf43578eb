import ArgumentParser
import ConnectorKit
import JobCLI
import ConnectorNet
import Syspro
import ShipBob
import Inventory
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One pass: ShipBob's on-hand per fulfillment center against SYSPRO's on-hand in the
/// warehouse mapped to it, after the movements one side has counted and the other not yet.
/// Reports by default; for `inventory.shipbob_master_warehouses`, posts each difference
/// to SYSPRO as an INVTMA adjustment.
@main
struct InventoryVariance: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inventory-variance",
        abstract: "Compare ShipBob's stock per fulfillment center with SYSPRO's; report differences or adjust SYSPRO.",
        discussion: """
        Writes inventory/variance.json, one attention/ item per difference and per SKU known on one side only \
        (each once, removed when it clears), and the differences and actions to the audit. \
        Exit status: 0 ok (differences are not an error), 64 usage, 65 bad data from SYSPRO or ShipBob, \
        69 a system unavailable, 75 another run holds the lock, 78 configuration error.
        """,
        version: ConnectorVersion.current)

    static let job = "inventory-variance"

    enum Format: String, ExpressibleByArgument, CaseIterable { case table, json, none }

    @OptionGroup var common: JobOptions
    @Option(help: "What to print on stdout: a readable table of differences, JSON Lines, or nothing.") var format: Format = .table

    func run() throws {
        guarded(Self.job) { try pass() }
    }

    func pass() throws {
        try common.withJobLock(Self.job, sections: [SysproSettings.self, ShipBobSettings.self, MovementSettings.self]) { job in
            let config = job.config, tenant = job.tenant, logger = job.logger
            let check = VarianceCheck(config: config)
            guard !check.warehouses.isEmpty else {
                logger.info("nothing to compare: mappings.location_warehouses maps no ShipBob location to a warehouse")
                return
            }
            let odata = try job.vendors.odata(), shipbob = try job.vendors.shipbob()

            // In-flight movements first, then the two counts: a movement that lands between
            // reading it and reading a count can only make a level look uncertain or
            // different this run, never adjust stock that the movement then moves again.
            let inFlight = try InFlightReader(shipbob: shipbob, odata: odata, receipts: tenant.ledger("receipts"),
                                              dispatches: tenant.ledger(SalesOrderLifecycle.ledgerName), config: config).read()
            let syspro = try SysproLevels.read(odata, warehouses: check.warehouses)
            var report = check.compare(syspro: syspro, shipbob: try shipbob.levelsByLocation(), inFlight: inFlight)

            let audit = AuditLog(directory: tenant.audit, job: Self.job)
            let files = InventoryFiles(tenant: tenant)
            let attention = AttentionBox(directory: tenant.attention)
            let master = Set(config.inventory.shipbobMasterWarehouses)
            if !common.dryRun && report.differences.contains(where: { master.contains($0.warehouse) }) {
                let adjuster = LevelAdjuster(
                    poster: LiveAdjustmentPoster(client: try job.vendors.syspro(), odata: odata),
                    ledger: tenant.ledger("adjustments"), transactionDate: try config.syspro.localDate(Date()),
                    inFlightWindow: PostInFlight.window(config.http), movements: config.movements)
                for (i, line) in report.differences.enumerated() where master.contains(line.warehouse) {
                    switch try adjuster.apply(line) {
                    case .adjusted(let reference, let journal):
                        report.differences[i].action = "adjusted \(reference)" + (journal.map { " journal \($0)" } ?? "")
                        job.metrics.moved("adjustments", "shipbob->syspro")
                    case .alreadyAdjusted(let reference):
                        report.differences[i].action = "adjusted earlier \(reference)"
                    case .refused(let reference, let errors):
                        report.differences[i].action = "refused \(reference): \(errors)"
                    }
                }
            }
            try VarianceFindings(attention: attention, audit: audit, previous: try VarianceFindings.load(files.oneSided))
                .file(report, store: files.oneSided)
            try AtomicFile.writeJSON(report, to: files.varianceReport)
            job.metrics.moved("variances", "shipbob->report", report.differences.count)
            try audit.record(AuditEntry(action: "compare-levels", source: "shipbob", id: "run", outcome: "compared",
                                        detail: ["compared": String(report.compared), "differences": String(report.differences.count),
                                                 "one_sided": String(report.oneSided.count), "skipped": String(report.skipped.count)]))
            switch format {
            case .none: break
            case .json: for line in report.differences { print(try JSON.encodeLine(line)) }
            case .table: if !report.differences.isEmpty { print(VarianceTable.render(report), terminator: "") }
            }
            logger.info("pass done", ["compared": String(report.compared), "differences": String(report.differences.count)])
        }
    }
}
