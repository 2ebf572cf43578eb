import ConnectorKit
import Syspro
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How times, durations and counts read in the text table and the HTML page.
enum StatusFormat {
    static func time(_ date: Date?) -> String { date.map(Timestamp.iso8601) ?? "never" }

    /// `keyed (probed 2026-12-06T05:00:00Z: InvWarehouse: ... refused (HTTP 400): ...)`.
    static func changeDetection(_ record: ODataModeRecord?) -> String {
        guard let record else { return "not probed yet (the next job reading OData probes)" }
        return "\(record.mode.rawValue) (probed \(record.probedAt): \(record.evidence))"
    }

    /// `2025-03-01T10:00:00Z (4 min ago)`.
    static func when(_ date: Date?, now: Date) -> String {
        guard let date else { return "never" }
        return "\(Timestamp.iso8601(date)) (\(ago(now.timeIntervalSince(date))))"
    }

    static func ago(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        if s < 0 { return "in \(ago(-seconds).replacing(" ago", with: ""))" }
        if s < 90 { return "\(s) s ago" }
        if s < 90 * 60 { return "\(s / 60) min ago" }
        if s < 36 * 3600 { return "\(s / 3600) h ago" }
        return "\(s / 86400) d ago"
    }

    static func duration(_ seconds: Double?) -> String {
        guard let seconds else { return "-" }
        return seconds < 10 ? "\(seconds.fixed(2)) s" : "\(seconds.fixed(0)) s"
    }

    /// `orders 3, shipments 2; 429: shipbob 1`, or `nothing` for a run that moved nothing.
    static func moved(_ job: JobStatus) -> String {
        guard job.lastRun != nil else { return "-" }
        var text = job.moved.map { "\($0.kind) \($0.count)" }.joined(separator: ", ")
        if text.isEmpty { text = "nothing" }
        let limited = job.http429.keys.sorted().filter { job.http429[$0]! > 0 }.map { "\($0) \(job.http429[$0]!)" }
        if !limited.isEmpty { text += "; 429: " + limited.joined(separator: ", ") }
        return text
    }

    /// A cursor file in one line: `levels=0x…` and `po-approved.version=0x…` for nested keys.
    static func position(_ value: JSONValue?) -> String {
        guard let value else { return "unreadable" }
        return flatten(value, prefix: "").map { $0.key.isEmpty ? $0.value : "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    private static func flatten(_ value: JSONValue, prefix: String) -> [(key: String, value: String)] {
        switch value {
        case .object(let o):
            return o.keys.sorted().flatMap { flatten(o[$0]!, prefix: prefix.isEmpty ? $0 : "\(prefix).\($0)") }
        case .array(let a):
            return [(prefix, "[" + a.map { position($0) }.joined(separator: ",") + "]")]
        case .string(let s): return [(prefix, s)]
        case .number(let n): return [(prefix, n.plainText)]
        case .bool(let b): return [(prefix, String(b))]
        case .null: return [(prefix, "null")]
        }
    }
}
