import ArgumentParser
import ConnectorKit
import JobCLI
import ConnectorNet
import Syspro
import ShipBob
import Fulfillment
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One pass over the tenant's ShipBob spool, under the job's lock: claim each event,
/// apply it, and file it in done/, failed/ (bad data) or failed/ + attention/ (a person
/// must act). A remote system that is down stops the pass and leaves the event queued.
/// With `--reconcile`, spools what webhooks missed instead (its own lock and cursor).
@main
struct ShipbobToSyspro: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shipbob-to-syspro",
        abstract: "Drain spooled ShipBob webhooks into SYSPRO: sales orders, shipment status and tracking, inventory receipts.",
        discussion: """
        Orders become SYSPRO sales orders exactly once; each shipped shipment becomes a dispatch \
        note (SORTDN, optionally invoiced with SORTNC), a cancelled order is cancelled (SORTOX), \
        an order on hold is suspended (SORTOS), tracking goes into header texts (SORTOI change); receiving orders become INVTMR receipts of what was \
        received since the last post. --reconcile lists ShipBob orders and receiving orders the \
        webhooks may have missed and spools them for the next pass. \
        Prints one JSON line per event handled on stdout with --json. \
        Exit status: 0 ok, 64 usage, 69 SYSPRO or ShipBob unavailable (events stay queued), \
        75 another run holds the lock or a rate limit was spent, 78 configuration error.
        """,
        version: ConnectorVersion.current)

    @OptionGroup var common: JobOptions
    @Option(help: "Handle at most this many events in this pass.") var limit: Int?
    @Flag(help: "Print one JSON line per event handled.") var json = false
    @Flag(help: "Spool ShipBob orders and receiving orders the webhooks missed, then exit.") var reconcile = false

    func run() throws {
        guarded(FulfillmentPass.job) { try reconcile ? reconcilePass() : pass() }
    }

    /// The clients of one tenant, and the passes over them.
    func wiring(_ job: JobContext) throws -> FulfillmentPass {
        let vendors = job.vendors
        return FulfillmentPass(tenant: job.tenant, config: job.config,
                               syspro: try vendors.syspro(), odata: try vendors.odata(), shipbob: try vendors.shipbob())
    }

    func pass() throws {
        try common.withJobLock(FulfillmentPass.job, sections: FulfillmentPass.configSections) { job in
            let tenant = job.tenant, logger = job.logger
            let queue = tenant.spool("shipbob")
            try queue.prepare()
            let restored = try queue.recover()
            if restored > 0 { logger.info("requeued events an interrupted run left behind", ["count": String(restored)]) }
            let pending = try queue.pending()
            if pending.isEmpty { return }

            try wiring(job).drain(queue, pending: pending, limit: limit, output: json ? .json : common.report ? .report : .quiet,
                                  metrics: job.metrics, key: try job.secrets().key)
        }
    }

    func reconcilePass() throws {
        try common.withJobLock(FulfillmentPass.reconcileJob, sections: FulfillmentPass.configSections) { job in
            let tenant = job.tenant
            let queue = tenant.spool("shipbob")
            try queue.prepare()
            let summary = try wiring(job).reconcile(queue, key: try job.secrets().key, now: Date())
            job.metrics.moved("events", "shipbob->spool", summary.spooled)
            job.logger.info("reconciled", ["spooled": String(summary.spooled), "already_spooled": String(summary.alreadySpooled),
                                           "up_to_date": String(summary.upToDate)])
            if common.report { print("reconcile: spooled \(summary.spooled), already spooled \(summary.alreadySpooled), up to date \(summary.upToDate)") }
        }
    }
}
