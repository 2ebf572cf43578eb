#if canImport(Glibc)
import Glibc
#endif
import ArgumentParser
import ConnectorKit
import ConnectorNet
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore
import ConnectorConfig

/// What every job takes: the common options, and `--dry-run` / `--report`.
///
/// A dry run reads the real systems and takes every decision, but writes nothing to any vendor
/// (`DryRunGuard`: SYSPRO posts go with ValidateOnly=Y, other writes are withheld and printed as
/// JSON lines) and changes none of the tenant's state: the job runs on a scratch copy of the
/// tenant, which is deleted afterwards. Only what the jobs share with the real state on purpose
/// is shared: the job locks (a dry run and a real run never overlap), the cached SYSPRO session
/// and ShipBob tokens (a refresh must not spend a grant the real state still holds), and the
/// rate-limit windows (a dry run's reads count against the same budgets).
public struct JobOptions: ParsableArguments {
    @OptionGroup public var common: CommonOptions

    @Flag(help: "Read, decide and print what would be done (JSON Lines); write nothing to any vendor or to the state.")
    public var dryRun = false

    @Flag(help: "Print readable lines instead of JSON Lines (with --dry-run: a table of what would be sent).")
    public var report = false

    public init() {}

    public func withJobLock(_ job: String, sections: [any ConfigSection.Type], _ body: (JobContext) throws -> Void) throws {
        guard dryRun else { return try common.withJobLock(job, sections: sections, body) }
        let real = try common.tenantPaths()
        _ = try TenantConfig.load(real.config, sections: sections)
        let scratch = try DryRunState.make(from: common.layout, tenant: real)
        defer { DryRunState.remove(scratch) }
        var copy = common
        copy.state = scratch
        setenv("ML_CONNECTOR_METRICS_DIR", scratch + "/metrics", 1)
        // Best effort, as a pipe's reader may be gone: the run's outcome does not depend on it.
        func out(_ text: String) { try? Posix.writeAll(1, Array(text.utf8), path: "stdout") }
        let guardian = DryRunGuard { line in if !report { out(line + "\n") } }
        DryRunGuard.active = guardian
        defer {
            DryRunGuard.active = nil
            if report { out(DryRunState.table(guardian)) }
        }
        try copy.withJobLock(job, sections: sections, body)
    }
}

/// The scratch copy a dry run works on.
enum DryRunState {
    /// Shared with the real tenant, not copied (see `JobOptions`).
    static let shared = ["locks", "tokens", "rate"]
    /// Not needed by a run and possibly large: a dry run starts them empty.
    static let fresh = ["audit"]

    static func make(from layout: StateLayout, tenant: TenantPaths) throws -> String {
        let temporary = Environment.nonEmpty("TMPDIR") ?? "/tmp"
        var template = Array((temporary / "ml-connector-dry-run-XXXXXX").utf8CString)
        guard let made = mkdtemp(&template) else { throw StateError(path: temporary, operation: "mkdtemp", errno: errno) }
        let root = String(cString: made)
        let scratch = StateLayout(root: root)
        let fm = FileManager.default
        // $ML_CONNECTOR_KEY_FILE, when set, names the key for the scratch root as well.
        if Environment.nonEmpty("ML_CONNECTOR_KEY_FILE") == nil, fm.fileExists(atPath: layout.masterKeyPath) {
            try fm.createSymbolicLink(atPath: scratch.masterKeyPath, withDestinationPath: layout.masterKeyPath)
        }
        if fm.fileExists(atPath: layout.root / StateVersion.fileName) {
            try fm.copyItem(atPath: layout.root / StateVersion.fileName, toPath: scratch.root / StateVersion.fileName)
        }
        let target = scratch.tenant(tenant.name).root
        try fm.createDirectory(atPath: target, withIntermediateDirectories: true)
        for entry in try fm.contentsOfDirectory(atPath: tenant.root) {
            let from = tenant.root / entry, to = target / entry
            if shared.contains(entry) { try fm.createSymbolicLink(atPath: to, withDestinationPath: from) }
            else if fresh.contains(entry) { try fm.createDirectory(atPath: to, withIntermediateDirectories: true) }
            else { try fm.copyItem(atPath: from, toPath: to) }
        }
        for entry in shared where !fm.fileExists(atPath: target / entry) {
            try fm.createDirectory(atPath: tenant.root / entry, withIntermediateDirectories: true)
            try fm.createSymbolicLink(atPath: target / entry, withDestinationPath: tenant.root / entry)
        }
        return root
    }

    static func remove(_ root: String) { try? FileManager.default.removeItem(atPath: root) }

    static func table(_ g: DryRunGuard) -> String {
        var out = "dry run: \(g.withheld.count) request(s) withheld, \(g.validated.count) SYSPRO post(s) validated only\n"
        for w in g.withheld {
            out += "  would \(w.method) \(w.url)\(w.body.map { " " + String($0.prefix(200)) } ?? "")\n"
        }
        let objects = Dictionary(grouping: g.validated, by: { $0 }).map { "\($0.key) x\($0.value.count)" }.sorted()
        if !objects.isEmpty { out += "  validated: \(objects.joined(separator: ", "))\n" }
        return out
    }
}
