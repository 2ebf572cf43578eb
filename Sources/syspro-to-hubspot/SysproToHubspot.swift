import ArgumentParser
import ConnectorKit
import JobCLI
import ConnectorNet
import Syspro
import HubSpot
import HubSpotSync
import WebhookCore

/// One pass: SYSPRO customers and invoices changed since the cursors into HubSpot companies,
/// contacts, invoices and line items (`SyncPass`).
@main
struct SysproToHubspot: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "syspro-to-hubspot",
        abstract: "Upsert SYSPRO customers and invoices into HubSpot, batched and within HubSpot's rate limits.",
        discussion: """
        State: cursors/syspro-to-hubspot.json, state/syspro-to-hubspot/ (HubSpot ids, rowversions per row), state/syspro-odata.json, outbox/hubspot/failed/ \
        (records HubSpot refused, with its message; `ml-connector replay --source hubspot` resends them), rate/hubspot.json. \
        Exit status: 0 ok, 64 usage, 65 bad data, 69 SYSPRO or HubSpot unavailable, 75 another run holds the lock, \
        the rate budget is spent or records still fail transiently (the next run resends them), 78 configuration error or token refused.
        """,
        version: ConnectorVersion.current)

    @OptionGroup var common: JobOptions
    @Flag(help: "Read every customer and invoice again (a full re-sync; upserts keep it duplicate-free) and check that HubSpot still holds each record sent before (one batch read per 100), sending again what was deleted or merged there.") var full = false

    func run() throws {
        guarded(SyncPass.job) { try pass() }
    }

    func pass() throws {
        try common.withJobLock(SyncPass.job, sections: SyncPass.configSections) { job in
            let tenant = job.tenant, config = job.config, logger = job.logger
            let odata = try job.vendors.odata()
            try Posix.makeDirectories(tenant.state(SyncPass.job))
            let (client, limiter) = try job.vendors.hubspot()
            let sync = SyncPass(tenant: tenant, config: config, client: client, odata: odata, key: try job.secrets().key,
                                logger: logger, metrics: job.metrics, full: full)
            // A dry run shows the records it would send; creating the custom properties is a write too.
            if !common.dryRun { try sync.ensureProperties() }
            let summary = try sync.run()

            logger.info("pass done", [
                "customers": String(summary.customers), "invoices": String(summary.invoices), "lines": String(summary.lines),
                "parked": String(summary.parked), "hubspot_calls": String(client.totalCalls),
                "calls": client.calls.keys.sorted().map { "\($0)=\(client.calls[$0]!)" }.joined(separator: ","),
                "rate_limited": String(client.rateLimited), "waited_s": limiter.waited.fixed(1),
            ])
        }
    }
}
