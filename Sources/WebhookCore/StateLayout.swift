/// Where everything lives under `$ML_CONNECTOR_STATE`
/// (docs/state-directory.md, "State directory"): one value type for webhook-cgi and the
/// jobs, so no program builds a state path by hand. ConnectorKit adds the queues and ledgers themselves (`TenantPaths.spool`).
public struct StateLayout: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    /// `--state`, else `$ML_CONNECTOR_STATE`, else `/var/lib/ml-connector`.
    public static func resolve(_ flag: String? = nil) -> StateLayout {
        if let flag, !flag.isEmpty { return StateLayout(root: flag) }
        return StateLayout(root: Environment.nonEmpty("ML_CONNECTOR_STATE") ?? "/var/lib/ml-connector")
    }

    public var masterKeyPath: String {
        Environment.nonEmpty("ML_CONNECTOR_KEY_FILE") ?? root / "master.key"
    }

    /// Held shared by webhook-cgi for the whole of a request and exclusively by
    /// `ml-connector rotate-key` once its new key is in place, so no request that read the
    /// keys before the rotation began is still sealing when the rotation walks the spool.
    public var keyLockPath: String { root / "rotate-key.lock" }

    /// Refusals that belong to no tenant (an unknown tenant in a webhook URL).
    public var globalAudit: String { root / "audit" }
    public var tenantsDirectory: String { root / "tenants" }
    public func tenant(_ name: String) -> TenantPaths { TenantPaths(root: tenantsDirectory / name, name: name) }

    public func tenantNames() throws -> [String] {
        try Posix.list(tenantsDirectory).filter { TenantPaths.isValidName($0) }.sorted()
    }
}

public struct TenantPaths: Sendable {
    public let root: String
    public let name: String

    /// Tenant names are directory names and URL segments: lower-case letters, digits, - and _.
    public static func isValidName(_ n: String) -> Bool {
        !n.isEmpty && n.utf8.count <= 64 && n.first != "." && n.first != "-"
            && n.utf8.allSatisfy { c in
                switch c {
                case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "-"), UInt8(ascii: "_"): return true
                default: return false
                }
            }
    }

    public var config: String { root / "config.json" }
    public var secrets: String { root / "secrets.json" }
    public var tokens: String { root / "tokens" }
    public var attention: String { root / "attention" }
    public var audit: String { root / "audit" }
    public var inventory: String { root / "inventory" }
    public var locks: String { root / "locks" }
    public var cursors: String { root / "cursors" }
    public var ledgers: String { root / "ledger" }
    public var holds: String { root / "holds" }
    public func lock(_ job: String) -> String { locks / "\(job).lock" }
    public func cursor(_ job: String) -> String { cursors / "\(job).json" }
    public func hold(_ job: String) -> String { holds / job }
    public func token(_ name: String) -> String { tokens / "\(name).json" }
    /// A token bucket shared by the tenant's processes calling one API (docs/architecture.md `rate/`).
    public func rate(_ api: String) -> String { root / "rate" / "\(api).json" }
    /// What a job keeps about another system's records (ids it was given, last states).
    public func state(_ job: String) -> String { root / "state" / job }
    /// Where a job's last run is recorded (next to what the job keeps in `state/<job>/`).
    public func lastRun(_ job: String) -> String { state(job) / "last-run.json" }

    /// The kinds of queue a tenant has: `spool/<source>` (deliveries from a vendor) and
    /// `outbox/<target>` (calls to make to one).
    public static let queueKinds = ["spool", "outbox"]
    /// A queue's directory, by its name (`spool/shipbob`, `outbox/twilio`).
    public func queueDirectory(_ queue: String) -> String { root / queue }
    public func spoolDirectory(_ source: String) -> String { queueDirectory("spool/\(source)") }
    public func outboxDirectory(_ target: String) -> String { queueDirectory("outbox/\(target)") }
    public func ledgerDirectory(_ kind: String) -> String { ledgers / kind }
}
