#if canImport(Glibc)
import Glibc
#endif
import WebhookCore
/// Where everything lives under `$ML_CONNECTOR_STATE` (docs/state-directory.md, "State directory").
/// One value type so no job builds a state path by hand.
public struct StateLayout: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    /// `--state`, else `$ML_CONNECTOR_STATE`, else `/var/lib/ml-connector`.
    public static func resolve(_ flag: String? = nil) -> StateLayout {
        StateLayout(root: StateRoot.resolve(flag))
    }

    public var masterKeyPath: String {
        StateRoot.masterKeyPath(root: root)
    }
    /// Refusals that belong to no tenant (an unknown tenant in a webhook URL).
    public var globalAudit: String { root / "audit" }
    public var tenantsDirectory: String { root / "tenants" }
    public func tenant(_ name: String) -> TenantPaths { TenantPaths(root: root / "tenants" / name, name: name) }

    public func tenantNames() throws -> [String] {
        try Posix.list(tenantsDirectory).filter { TenantPaths.isValidName($0) }.sorted()
    }
}

public struct TenantPaths: Sendable {
    public let root: String
    public let name: String

    public static func isValidName(_ n: String) -> Bool { StateRoot.isValidTenant(n) }

    public var config: String { root / "config.json" }
    public var secrets: String { root / "secrets.json" }
    public var tokens: String { root / "tokens" }
    public var attention: String { root / "attention" }
    public var audit: String { root / "audit" }
    public var inventory: String { root / "inventory" }
    public func lock(_ job: String) -> String { root / "locks" / "\(job).lock" }
    public func cursor(_ job: String) -> String { root / "cursors" / "\(job).json" }
    public func spool(_ source: String) -> SpoolQueue { SpoolQueue(root: root / "spool" / source) }
    public func outbox(_ target: String) -> SpoolQueue { SpoolQueue(root: root / "outbox" / target) }
    public func ledger(_ kind: String) -> Ledger { Ledger(directory: root / "ledger" / kind) }
    public func token(_ name: String) -> String { root / "tokens" / "\(name).json" }
    /// A token bucket shared by the tenant's processes calling one API (docs/architecture.md `rate/`).
    public func rate(_ api: String) -> String { root / "rate" / "\(api).json" }
    /// What a job keeps about another system's records (ids it was given, last states).
    public func state(_ job: String) -> String { root / "state" / job }

    /// Creates every directory a tenant needs; idempotent.
    public func prepare() throws {
        for d in [attention, audit, inventory, root / "locks", root / "cursors", root / "ledger"] {
            try Posix.makeDirectories(d)
        }
        // Sealed tokens are no one else's business even sealed; a tenant created by an older
        // version (0755) is tightened here too.
        try Posix.makeDirectories(tokens, mode: 0o700)
        guard chmod(tokens, 0o700) == 0 else { throw StateError(path: tokens, operation: "chmod 700", errno: errno) }
        try spool("shipbob").prepare()
        try spool("twilio").prepare()
    }
}
