import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// One assumption checked against a tenant's real system: `ok`, `differs` (what the connector
/// expected, what was found, what to change) or `cannot check` (and why).
public struct ProbeResult: Codable, Sendable, Equatable {
    public enum Outcome: String, Codable, Sendable { case ok, differs, cannotCheck = "cannot check" }

    public var system: String
    public var check: String
    public var outcome: Outcome
    /// What was found (ok), or what was expected and found (differs), or why not (cannot check).
    public var detail: String
    /// For `differs`: what to change in config (or at the vendor).
    public var change: String?

    public init(system: String, check: String, outcome: Outcome, detail: String, change: String? = nil) {
        self.system = system; self.check = check; self.outcome = outcome; self.detail = detail; self.change = change
    }
}

/// A whole probe run as `ml-connector probe` stores it per tenant (`state/probe/last.json`) for
/// `ml-connector status`.
public struct ProbeRun: Codable, Sendable {
    public var finished: Date
    public var results: [ProbeResult]

    public init(finished: Date, results: [ProbeResult]) { self.finished = finished; self.results = results }

    public func count(_ o: ProbeResult.Outcome) -> Int { results.filter { $0.outcome == o }.count }

    /// `3 ok, 1 differs, 0 cannot check`.
    public var summary: String {
        "\(count(.ok)) ok, \(count(.differs)) differ\(count(.differs) == 1 ? "s" : ""), \(count(.cannotCheck)) cannot check"
    }

    public static func path(_ tenant: TenantPaths) -> String { tenant.state("probe") + "/last.json" }

    public static func load(_ tenant: TenantPaths) throws -> ProbeRun? { try AtomicFile.readJSON(ProbeRun.self, from: path(tenant)) }

    public func save(_ tenant: TenantPaths) throws {
        try Posix.makeDirectories(tenant.state("probe"))
        try AtomicFile.writeJSON(self, to: ProbeRun.path(tenant))
    }

    /// One line per check, columns aligned; `differs` lines carry what to change.
    public var table: String {
        let rows = results.map { [$0.outcome.rawValue, $0.system, $0.check, $0.detail + ($0.change.map { " -> change: \($0)" } ?? "")] }
        let widths = (0..<3).map { i in rows.map { $0[i].count }.max() ?? 0 }
        return rows.map { row in
            (0..<3).map { i in row[i] + String(repeating: " ", count: widths[i] - row[i].count) }.joined(separator: "  ") + "  " + row[3]
        }.joined(separator: "\n") + "\n" + summary + "\n"
    }
}
