import WebhookCore

/// Records of one kind moving one way: the `kind` and `direction` labels of
/// `ml_connector_records_total`.
public struct Flow: Hashable, Codable, Sendable, Comparable {
    public var kind: String
    public var direction: String

    public init(_ kind: String, _ direction: String) { self.kind = kind; self.direction = direction }

    public static func < (a: Flow, b: Flow) -> Bool { (a.kind, a.direction) < (b.kind, b.direction) }
}

/// One job as cron runs it (`crontab`), and what monitoring expects of it.
public struct JobSpec: Sendable {
    public let name: String
    /// How often `crontab` runs it; `monitor.interval_minutes` overrides it per tenant.
    public let intervalMinutes: Int
    /// The vendor APIs it calls: its 429 counters start at zero so `rate()` sees the first one.
    public let apis: [String]
    /// The systems it moves records between (`ml-connector audit --system`): the APIs it
    /// calls and the systems whose data it carries from state (the push reads SYSPRO's
    /// levels from files).
    public let systems: [String]
    /// What it moves; these counters start at zero too.
    public let flows: [Flow]
    /// The queues it drains (`spool/<source>`, `outbox/<target>`) and the `attention/`
    /// sources it raises: its metrics report their depth, and status blames it for what is
    /// parked there, so each queue is reported by exactly one job.
    public let queues: [String]
    public let attentionSources: [String]
}

/// The jobs of a tenant, in the order status lists them. One table, so the metrics files,
/// `ml-connector status` and docs/jobs.md name the same jobs, flows and queues.
public enum JobCatalog {
    public static let all: [JobSpec] = [
        JobSpec(name: "shipbob-to-syspro", intervalMinutes: 1, apis: ["shipbob", "syspro"], systems: ["shipbob", "syspro"],
                flows: [Flow("orders", "shipbob->syspro"), Flow("shipments", "shipbob->syspro"), Flow("receipts", "shipbob->syspro")],
                queues: ["spool/shipbob"], attentionSources: ["shipbob"]),
        JobSpec(name: "shipbob-to-syspro-reconcile", intervalMinutes: 60, apis: ["shipbob"], systems: ["shipbob", "syspro"],
                flows: [Flow("events", "shipbob->spool")], queues: [], attentionSources: []),
        JobSpec(name: "poll-syspro-inventory", intervalMinutes: 5, apis: ["syspro"], systems: ["syspro"],
                flows: [Flow("stock_levels", "syspro->state"), Flow("items", "syspro->state"), Flow("prices", "syspro->state")],
                queues: [], attentionSources: []),
        JobSpec(name: "push-shipbob-inventory", intervalMinutes: 5, apis: ["shipbob"], systems: ["syspro", "shipbob"],
                flows: [Flow("products", "syspro->shipbob")], queues: [], attentionSources: []),
        JobSpec(name: "inventory-variance", intervalMinutes: 60, apis: ["shipbob", "syspro"], systems: ["shipbob", "syspro"],
                flows: [Flow("variances", "shipbob->report"), Flow("adjustments", "shipbob->syspro")],
                queues: [], attentionSources: ["inventory"]),
        JobSpec(name: "syspro-to-hubspot", intervalMinutes: 10, apis: ["hubspot", "syspro"], systems: ["syspro", "hubspot"],
                flows: [Flow("companies", "syspro->hubspot"), Flow("contacts", "syspro->hubspot"),
                        Flow("invoices", "syspro->hubspot"), Flow("line_items", "syspro->hubspot")],
                queues: ["outbox/hubspot"], attentionSources: []),
        JobSpec(name: "hubspot-to-syspro", intervalMinutes: 10, apis: ["hubspot", "syspro"], systems: ["hubspot", "syspro"],
                flows: [Flow("customer_fields", "hubspot->syspro")], queues: ["outbox/syspro"], attentionSources: []),
        JobSpec(name: "po-alerts-twilio", intervalMinutes: 5, apis: ["syspro", "twilio"], systems: ["syspro", "twilio"],
                flows: [Flow("sms", "syspro->twilio"), Flow("delivery_reports", "twilio->connector")],
                queues: ["outbox/twilio", "spool/twilio"], attentionSources: ["twilio"]),
    ]

    public static func spec(_ name: String) -> JobSpec? { all.first { $0.name == name } }

    /// Every job name: each is also its lock (`locks/<job>.lock`), what `hold` validates and
    /// what `rotate-key` locks.
    public static var names: [String] { all.map(\.name) }

    /// The job that drains `queue` (`spool/shipbob`) or raises attention items of `source`.
    public static func owner(queue: String) -> JobSpec? { all.first { $0.queues.contains(queue) } }
    public static func owner(attentionSource: String) -> JobSpec? { all.first { $0.attentionSources.contains(attentionSource) } }
}

/// A tenant queue that can park items in `failed/` (with `.<id>.why`): the name
/// `replay --source` and attention items use for it, and the job that drains it (the
/// catalogue's owner of its directory).
public struct ConnectorQueue: Sendable {
    public let source: String
    /// Under the tenant directory: `spool/<x>` or `outbox/<x>`.
    public let directory: String
    public var job: String { JobCatalog.owner(queue: directory)!.name }

    public static let all: [ConnectorQueue] = [
        ConnectorQueue(source: "shipbob", directory: "spool/shipbob"),
        ConnectorQueue(source: "hubspot", directory: "outbox/hubspot"),
        ConnectorQueue(source: "twilio", directory: "outbox/twilio"),
        ConnectorQueue(source: "syspro", directory: "outbox/syspro"),
        ConnectorQueue(source: "twilio-callbacks", directory: "spool/twilio"),
    ]

    public func queue(_ tenant: TenantPaths) -> SpoolQueue { tenant.queue(directory) }
}
