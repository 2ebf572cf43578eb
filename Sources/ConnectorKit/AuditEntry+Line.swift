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

    /// The entry as WebhookCore's `AuditLine` writes it; `job` when the entry names none.
    public func line(job defaultJob: String = "") -> AuditLine {
        AuditLine(ts: Timestamp.iso8601(ts), job: job.isEmpty ? defaultJob : job, action: action, source: source, id: id,
                  outcome: outcome, reason: reason, target: target, detail: detail, personal: personal)
    }
}
