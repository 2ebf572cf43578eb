import ArgumentParser
import Foundation
import ConnectorKit
import JobCLI
import ConnectorNet
import Syspro
import ShipBob

/// One pass over the tenant's ShipBob spool, under the job's lock: claim each event,
/// apply it, and file it in done/, failed/ (bad data) or failed/ + attention/ (a person
/// must act). A remote system that is down stops the pass and leaves the event queued.
@main
struct ShipbobToSyspro: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shipbob-to-syspro",
        abstract: "Drain spooled ShipBob webhooks into SYSPRO sales orders, exactly once.",
        discussion: """
        Prints one JSON line per event handled on stdout with --json. \
        Exit status: 0 ok, 64 usage, 69 SYSPRO or ShipBob unavailable (events stay queued), \
        75 another run holds the lock or a rate limit was spent, 78 configuration error.
        """,
        version: ConnectorVersion.current)

    static let job = "shipbob-to-syspro"

    @OptionGroup var common: CommonOptions
    @Option(help: "Handle at most this many events in this pass.") var limit: Int?
    @Flag(help: "Print one JSON line per event handled.") var json = false
    @Flag(help: "Print one readable line per event handled.") var report = false

    func run() throws {
        guarded(Self.job) { try pass() }
    }

    func pass() throws {
        try common.withJobLock(Self.job) { job in
            let tenant = job.tenant, config = job.config, logger = job.logger
            let queue = tenant.spool("shipbob")
            try queue.prepare()
            let restored = try queue.recover()
            if restored > 0 { logger.info("requeued events an interrupted run left behind", ["count": String(restored)]) }
            let pending = try queue.pending()
            if pending.isEmpty { return }

            let secrets = try job.secrets()
            let http = try HTTPClient(settings: config.http, logger: logger)
            let policy = RetryPolicy(settings: config.http)
            let session = SysproSession(settings: config.syspro, tenant: tenant, secrets: secrets, http: http, policy: policy)
            let processor = OrderProcessor(
                mapping: OrderMapping(config: config),
                syspro: LiveSyspro(client: SysproClient(settings: config.syspro, session: session, http: http, policy: policy),
                                   odata: try ODataClient(settings: config.syspro, secrets: secrets, tenant: tenant, http: http, policy: policy)),
                shipbob: LiveShipBob(client: ShipBobClient(
                    settings: config.shipbob,
                    auth: ShipBobAuth(settings: config.shipbob, tenant: tenant, secrets: secrets, http: http, policy: policy),
                    http: http, policy: policy, logger: logger)),
                ledger: tenant.ledger("orders"))
            let filer = EventFiler(queue: queue, attention: AttentionBox(directory: tenant.attention),
                                   audit: AuditLog(directory: tenant.audit, job: Self.job),
                                   output: json ? .json : report ? .report : .quiet)
            for id in pending.prefix(limit ?? .max) {
                guard try queue.claim(id) else { continue }
                try filer.handle(id) { envelope in try processor.apply(envelope) }
            }
        }
    }
}
