import ArgumentParser
import ConnectorKit
import JobCLI
import WebhookCore

struct Replay: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Requeue parked items so the next run of their job retries them.",
        discussion: """
        Fix the cause first (a mapping in config.json, a stock code in SYSPRO, a phone number), then name \
        what to requeue: ids (the queue holding each is found), --failed (everything in failed/) or \
        --attention (everything an attention item points at). --job and --source narrow the queues: \
        shipbob-to-syspro drains spool/shipbob (source shipbob), syspro-to-hubspot outbox/hubspot (hubspot), \
        po-alerts-twilio outbox/twilio (twilio) and spool/twilio (twilio-callbacks), hubspot-to-syspro \
        outbox/syspro (syspro). --source alone, as \
        before, means --failed for that queue.

        A requeued item goes back to new/ under the job's lock (waiting up to 30 s for a run to finish) and \
        its attention item is removed; the next run of the job handles it the normal way, so what was \
        already done is not done twice (ledgers, idempotency keys, SMS lookups). Attention items that are \
        not queued work (inventory differences) are explained, not requeued: they clear when their cause does.

        Examples:
          ml-connector replay --tenant acme msg_8dlzACJe8YwEfnO29Uuultcf
          ml-connector replay --tenant acme --attention --job shipbob-to-syspro
          ml-connector replay --tenant acme --failed --source hubspot --dry-run
          ml-connector replay --tenant acme --source twilio

        Exit status: 0 requeued (or nothing to requeue), 64 usage (unknown id, job or source; an id in \
        several queues), 75 a run of the job held its lock for 30 s.
        """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "Ids of parked items (webhook ids, outbox ids).") var ids: [String] = []
    @Flag(help: "Requeue everything parked in failed/ of the chosen queues.") var failed = false
    @Flag(help: "Requeue everything an attention item points at.") var attention = false
    @Option(help: "Only the queues this job drains (shipbob-to-syspro, syspro-to-hubspot, po-alerts-twilio, hubspot-to-syspro).") var job: String?
    @Option(help: "Only this queue: shipbob, hubspot, twilio, twilio-callbacks or syspro.") var source: String?
    @Flag(help: "Say what would be requeued; change nothing.") var dryRun = false

    struct Planned {
        let queue: ConnectorQueue
        let id: String
        let reason: String
    }

    func run() throws {
        guarded("ml-connector") {
            let tenant = try common.tenantPaths()
            guard Posix.exists(tenant.config) else {
                throw UsageError(message: "tenant \(tenant.name) does not exist in \(common.layout.tenantsDirectory)")
            }
            let queues = try selectedQueues()
            let waiting = Waiting(tenant: tenant)
            let (plan, notes) = try planned(queues, waiting)
            for note in notes { print(note) }
            if plan.isEmpty {
                print("nothing to replay in tenant \(tenant.name)")
                return
            }
            if dryRun {
                for p in plan { print("would requeue \(p.queue.source) \(p.id): \(p.reason)") }
                return
            }
            try requeue(plan, tenant)
        }
    }

    func selectedQueues() throws -> [ConnectorQueue] {
        var queues = ConnectorQueue.all
        if let job {
            queues = queues.filter { $0.job == job }
            if queues.isEmpty {
                let withQueues = Array(Set(ConnectorQueue.all.map(\.job))).sorted()
                throw UsageError(message: "--job \(job): not a job with a queue to replay; one of \(withQueues.joined(separator: ", "))")
            }
        }
        if let source {
            queues = queues.filter { $0.source == source }
            if queues.isEmpty {
                throw UsageError(message: "--source \(source): not a queue\(job.map { " of \($0)" } ?? ""); one of "
                                 + ConnectorQueue.all.map { "\($0.source) (\($0.directory))" }.joined(separator: ", "))
            }
        }
        return queues
    }

    /// What to requeue, and lines for a person about what is not.
    func planned(_ queues: [ConnectorQueue], _ waiting: Waiting) throws -> ([Planned], [String]) {
        let modes = [!ids.isEmpty, failed, attention].filter { $0 }.count
        guard modes <= 1 else { throw UsageError(message: "give ids, --failed or --attention, not several") }
        let parked = try waiting.parked(in: queues)
        if failed || (modes == 0 && source != nil) {
            return (parked.map { Planned(queue: $0.queue, id: $0.id, reason: $0.reason) }, [])
        }
        let (items, _) = try waiting.attention()
        if attention { return attentionPlan(items, parked, queues) }
        guard !ids.isEmpty else {
            throw UsageError(message: "name what to replay: ids, --failed or --attention (\(parked.count) parked, "
                             + "\(items.count) attention item(s); `ml-connector attention` lists them)")
        }
        var plan: [Planned] = [], notes: [String] = []
        for id in ids {
            let holders = parked.filter { $0.id == id }
            if holders.count > 1 {
                throw UsageError(message: "\(id) is parked in \(holders.map(\.queue.directory).joined(separator: " and ")); say which with --source")
            }
            if let p = holders.first { plan.append(Planned(queue: p.queue, id: id, reason: p.reason)); continue }
            if let item = items.first(where: { $0.id == id && Waiting.queue(forAttentionSource: $0.source) == nil }) {
                notes.append(Replay.explain(item))
                continue
            }
            throw UsageError(message: "\(id) is not parked in \(Replay.whereIs(id, queues, waiting.tenant))")
        }
        return (plan, notes)
    }

    func attentionPlan(_ items: [AttentionItem], _ parked: [Waiting.Parked], _ queues: [ConnectorQueue]) -> ([Planned], [String]) {
        var plan: [Planned] = [], notes: [String] = []
        for item in items {
            guard let queue = Waiting.queue(forAttentionSource: item.source) else {
                if job == nil && source == nil { notes.append(Replay.explain(item)) }
                continue
            }
            guard queues.contains(where: { $0.directory == queue.directory }) else { continue }
            if let p = parked.first(where: { $0.queue.directory == queue.directory && $0.id == item.id }) {
                plan.append(Planned(queue: queue, id: item.id, reason: p.reason))
            } else {
                notes.append("attention item \(item.source) \(item.id) has nothing parked in \(queue.directory)/failed/ "
                             + "(requeued already?); left as it is")
            }
        }
        return (plan, notes)
    }

    /// Under each job's lock, so a run never sees half a requeue; the audit line too, so
    /// `rotate-key`, which holds every lock, never rewrites a file under a writer.
    func requeue(_ plan: [Planned], _ tenant: TenantPaths) throws {
        let attentionBox = AttentionBox(directory: tenant.attention)
        let audit = AuditLog(directory: tenant.audit, job: "ml-connector")
        for job in Array(Set(plan.map(\.queue.job))).sorted() {
            try FileLock.withLock(tenant.lock(job), wait: 30) {
                for p in plan where p.queue.job == job {
                    try p.queue.queue(tenant).requeue(p.id)
                    try attentionBox.resolve(source: p.queue.source, id: p.id)
                    try audit.record(AuditEntry(action: "replay", source: p.queue.source, id: p.id, outcome: "requeued",
                                                reason: p.reason, detail: ["queue": p.queue.directory]), durable: true)
                    print("requeued \(p.queue.source) \(p.id)")
                }
            }
            if let hold = try JobHold.load(tenant, job: job) {
                print("note: \(hold.notice(job: job, tenant: tenant.name)); requeued items wait until then")
            }
        }
    }

    static func explain(_ item: AttentionItem) -> String {
        let clears = item.source == "inventory" ? "; inventory-variance removes it on the run that no longer finds the difference" : ""
        return "\(item.source) \(item.id) is not queued work, nothing to replay: \(item.reason). To do: \(item.action)\(clears)"
    }

    /// Where an id that is not parked is, for the error.
    static func whereIs(_ id: String, _ queues: [ConnectorQueue], _ tenant: TenantPaths) -> String {
        for q in queues {
            let queue = q.queue(tenant)
            for state in [SpoolQueue.State.new, .cur, .done] where Posix.exists(queue.path(state, id)) {
                return "\(q.directory)/failed/: it is in \(q.directory)/\(state.rawValue)/"
                    + (state == .done ? " (handled already)" : " (queued already)")
            }
        }
        return "any of " + queues.map { "\($0.directory)/failed/" }.joined(separator: ", ")
    }
}
