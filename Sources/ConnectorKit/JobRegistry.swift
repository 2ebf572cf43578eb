/// The jobs cron runs (each name is also its lock, `locks/<job>.lock`) and the queues
/// they consume: what `hold` validates, `replay` requeues into and `rotate-key` locks.
public enum ConnectorJobs {
    public struct Job: Sendable {
        public let name: String
        /// The systems it moves records between, for `ml-connector audit --system`.
        public let systems: [String]
    }

    public static let all: [Job] = [
        Job(name: "shipbob-to-syspro", systems: ["shipbob", "syspro"]),
        Job(name: "shipbob-to-syspro-reconcile", systems: ["shipbob", "syspro"]),
        Job(name: "poll-syspro-inventory", systems: ["syspro"]),
        Job(name: "push-shipbob-inventory", systems: ["syspro", "shipbob"]),
        Job(name: "inventory-variance", systems: ["shipbob", "syspro"]),
        Job(name: "syspro-to-hubspot", systems: ["syspro", "hubspot"]),
        Job(name: "po-alerts-twilio", systems: ["syspro", "twilio"]),
    ]

    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) -> Job? { all.first { $0.name == name } }
}

/// A tenant queue that can park items in `failed/` (with `.<id>.why`), and the job that
/// drains it under its lock. `source` is the name `replay --source` and attention items use.
public struct ConnectorQueue: Sendable {
    public let source: String
    /// Under the tenant directory: `spool/<x>` or `outbox/<x>`.
    public let directory: String
    public let job: String

    public static let all: [ConnectorQueue] = [
        ConnectorQueue(source: "shipbob", directory: "spool/shipbob", job: "shipbob-to-syspro"),
        ConnectorQueue(source: "hubspot", directory: "outbox/hubspot", job: "syspro-to-hubspot"),
        ConnectorQueue(source: "twilio", directory: "outbox/twilio", job: "po-alerts-twilio"),
        ConnectorQueue(source: "twilio-callbacks", directory: "spool/twilio", job: "po-alerts-twilio"),
    ]

    public func queue(_ tenant: TenantPaths) -> SpoolQueue { SpoolQueue(root: tenant.root / directory) }
}
