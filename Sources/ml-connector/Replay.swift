import ArgumentParser
import ConnectorKit
import JobCLI

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Requeue items parked in attention/ or failed/ so the next run retries them.",
        discussion: "Fix the cause first (a mapping in config.json, a stock code in SYSPRO). Without ids, every parked item of the source is requeued.")

    @OptionGroup var common: CommonOptions
    @Option(help: "Queue to replay from: shipbob (webhooks), hubspot (records HubSpot refused) or twilio (SMS alerts refused or undelivered).")
    var source = "shipbob"
    @Argument(help: "Item ids (webhook ids); all when omitted.") var ids: [String] = []

    func run() throws {
        guarded("ml-connector") {
            let tenant = try common.tenantPaths()
            let queue = ["hubspot", "twilio"].contains(source) ? tenant.outbox(source) : tenant.spool(source)
            let attention = AttentionBox(directory: tenant.attention)
            let audit = AuditLog(directory: tenant.audit, job: "ml-connector")
            let parked = try queue.list(.failed)
            let wanted = ids.isEmpty ? parked : ids
            var count = 0
            for id in wanted {
                guard parked.contains(id) else {
                    throw UsageError(message: "\(id) is not parked in \(queue.path(.failed))")
                }
                try FileLock.withLock(tenant.lock(jobName(for: source)), wait: 30) {
                    try queue.requeue(id)
                }
                try attention.resolve(source: source, id: id)
                try audit.record(AuditEntry(action: "replay", source: source, id: id, outcome: "requeued"), durable: true)
                print("requeued \(source) \(id)")
                count += 1
            }
            if count == 0 { print("nothing to replay for \(source)") }
        }
    }

    /// The job that consumes a queue holds its lock; requeueing takes the same lock.
    func jobName(for source: String) -> String {
        switch source {
        case "shipbob": return "shipbob-to-syspro"
        case "hubspot": return "syspro-to-hubspot"
        case "twilio": return "po-alerts-twilio"
        default: return source
        }
    }
}
