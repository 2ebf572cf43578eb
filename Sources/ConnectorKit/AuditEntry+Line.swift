extension AuditEntry {
    /// The entry as WebhookCore's `AuditLine` writes it; `job` when the entry names none.
    public func line(job defaultJob: String = "") -> AuditLine {
        AuditLine(ts: Timestamp.iso8601(ts), job: job.isEmpty ? defaultJob : job, action: action, source: source, id: id,
                  outcome: outcome, reason: reason, target: target, detail: detail, personal: personal)
    }
}
