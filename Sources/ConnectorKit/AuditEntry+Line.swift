import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension AuditEntry {
    /// An entry read by WebhookCore's `AuditLine` (its `ts` parsed by the caller).
    public init(_ line: AuditLine, ts: Date) {
        self.init(action: line.action, source: line.source, id: line.id, outcome: line.outcome, reason: line.reason,
                  target: line.target, detail: line.detail, personal: line.personal, job: line.job, ts: ts)
    }

    /// One line of a day file (without its newline), read by `AuditLine`: the one reader of
    /// the format, and cheaper than JSONDecoder over a busy day's 100,000 lines.
    public init(lineBytes bytes: some Collection<UInt8>) throws {
        let line: AuditLine
        do { line = try AuditLine(try JSONValue.parse(Array(bytes))) } catch { throw AuditEntry.NotAnEntry(description: "\(error)") }
        guard let ts = Timestamp.parse(line.ts) else { throw AuditEntry.NotAnEntry(description: "ts is not an ISO-8601 time") }
        self.init(line, ts: ts)
    }

    /// A line that is not an audit entry, and why.
    public struct NotAnEntry: Error, CustomStringConvertible {
        public let description: String
    }

    /// The entry as WebhookCore's `AuditLine` writes it; `job` when the entry names none.
    public func line(job defaultJob: String = "") -> AuditLine {
        AuditLine(ts: Timestamp.iso8601(ts), job: job.isEmpty ? defaultJob : job, action: action, source: source, id: id,
                  outcome: outcome, reason: reason, target: target, detail: detail, personal: personal)
    }
}
