import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The plain-text report: per tenant, one row per job, then what waits and why.
enum StatusText {
    /// Lists longer than this show their first items and a count; `--json` has them all.
    static let listLimit = 20

    static func render(_ report: StatusReport) -> String {
        var out = "ml-connector status at \(Timestamp.iso8601(report.generated)): \(report.verdict.rawValue)\n"
        for t in report.tenants { out += "\n" + tenant(t, now: report.generated) }
        return out
    }

    static func tenant(_ t: TenantStatus, now: Date) -> String {
        var out = "tenant \(t.tenant): \(t.verdict.rawValue)"
            + (t.stateVersion.map { " (state version \($0)\($0 < StateVersion.current ? ", migrated at the next run" : ""))" } ?? "") + "\n"
        for p in t.problems { out += "  problem: \(p)\n" }
        out += table(["JOB", "HEALTH", "LAST RUN", "EXIT", "TOOK", "LAST SUCCESS", "MOVED (LAST RUN)"], t.jobs.map { j in
            [j.job, j.verdict.rawValue, StatusFormat.when(j.lastRun, now: now), j.exitStatus.map { String($0) } ?? "-",
             StatusFormat.duration(j.durationSeconds), StatusFormat.time(j.lastSuccess), StatusFormat.moved(j)]
        })
        for j in t.jobs where j.verdict != .ok && j.verdict != .neverRun { out += "  \(j.job): \(j.why)\n" }
        if !t.queues.isEmpty {
            out += "queues\n" + table(["QUEUE", "NEW", "FAILED", "DRAINED BY"], t.queues.map { q in
                [q.queue, String(q.new), String(q.failed), q.job ?? "-"]
            })
        }
        out += list("attention/", t.attention) { "\($0.file) since \(StatusFormat.time($0.since)): \($0.reason) -> \($0.action)" }
        out += list("failed/", t.failed) { "\($0.queue)/failed/\($0.id) since \(StatusFormat.time($0.since)): \($0.reason)" }
        out += list("cursors", t.cursors) { "\($0.name) (updated \(StatusFormat.time($0.updated))): \(StatusFormat.position($0.position))" }
        out += "SYSPRO OData change detection: " + StatusFormat.changeDetection(t.odataChangeDetection) + "\n"
        if let p = t.probe {
            out += "probe at \(StatusFormat.time(p.finished)): \(p.ok) ok, \(p.differs) differ, \(p.cannotCheck) cannot check\n"
            for d in p.differing.prefix(listLimit) { out += "  differs: \(d)\n" }
        }
        out += list("tokens", t.tokens) { "\($0.name): \($0.state)\($0.expires.map { ", expires \(StatusFormat.when($0, now: now))" } ?? ""); \($0.detail)" }
        return out
    }

    static func list<T>(_ title: String, _ items: [T], _ line: (T) -> String) -> String {
        guard !items.isEmpty else { return "" }
        var out = "\(title) (\(items.count))\n"
        for item in items.prefix(listLimit) { out += "  \(line(item))\n" }
        if items.count > listLimit { out += "  ... and \(items.count - listLimit) more (--json lists all)\n" }
        return out
    }

    /// Columns padded to their widest cell, two spaces apart.
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        let all = [header] + rows
        let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
        return all.map { row in
            "  " + row.indices.map { i in i == row.count - 1 ? row[i] : row[i].padded(to: widths[i]) }
                .joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
