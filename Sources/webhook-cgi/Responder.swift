import WebhookCore

/// Every answer webhook-cgi gives, each with its one audit line, so an operator can see
/// why a sender was turned away as well as what was accepted.
struct Responder {
    /// The `audit/` directory: the tenant's, or the state root's when no tenant is known.
    let audit: String
    /// `shipbob`, `twilio`, or `-` when the route named no known source.
    let source: String
    let now: Int

    /// A refusal's line is written within the directory's `RefusalBudget` (anyone can cause
    /// refusals); beyond it the refusal is only counted, and the count is written later.
    func refuse(_ status: Int, _ reason: String, id: String, headers: [(String, String)] = []) -> CGIResponse {
        try? Posix.makeDirectories(audit)
        switch RefusalBudget.take(directory: audit, now: now) {
        case .record(let summary):
            if let summary {
                let from = UTC.iso8601(seconds: summary.windowStart)
                record(id: "-", outcome: "refusals-counted", source: "-",
                       reason: "\(summary.suppressed) more refusals in the minute from \(from) were counted, not written (more than \(RefusalBudget.linesPerWindow) a minute)",
                       detail: ["count": String(summary.suppressed), "window_start": from, "window_seconds": String(RefusalBudget.windowSeconds)])
            }
            record(id: id, outcome: "refused", reason: reason, detail: ["status": String(status)])
        case .count:
            break
        }
        return CGIResponse(status: status, body: Responder.cut(reason, to: Responder.maxReasonBytes), headers: headers)
    }

    /// Our fault, not the sender's (config, secret, spool): 503 with Retry-After so a sender
    /// that retries comes back later, and an error line on stderr for nginx's log.
    func unavailable(_ reason: String, id: String) -> CGIResponse {
        Logfmt.write(Logfmt.line(ts: UTC.iso8601(seconds: now), level: "error", job: "webhook-cgi", msg: "cannot accept webhook",
                                 ["source": source, "id": Responder.cut(id, to: Responder.maxIDBytes), "reason": reason]))
        record(id: id, outcome: "deferred", reason: reason, detail: ["status": "503"])
        return CGIResponse(status: 503, body: "temporarily unable to accept; retry later", headers: [("Retry-After", "60")])
    }

    /// 200 once the delivery is on disk, now or by an earlier identical delivery.
    func stored(_ result: Maildir.PutResult, id: String, detail: [String: String]) -> CGIResponse {
        let outcome = result == .stored ? "accepted" : "duplicate"
        record(id: id, outcome: outcome, reason: nil, detail: detail)
        return CGIResponse(status: 200, body: outcome)
    }

    /// Longest id, reason and detail value a line keeps, in UTF-8 bytes: ids and reasons of
    /// refusals carry what an unverified sender chose (webhook-id, path, tenant, method),
    /// so a line's size must not be theirs to choose. A valid spool id (at most 200) is
    /// never cut.
    static let maxIDBytes = 200, maxReasonBytes = 400, maxDetailBytes = 120

    /// `text` cut to at most `limit` bytes on a character boundary, `...` marking the cut.
    static func cut(_ text: String, to limit: Int) -> String {
        guard text.utf8.count > limit else { return text }
        var kept = "", used = 0
        for c in text {
            let n = c.utf8.count
            guard used + n <= limit - 3 else { break }
            kept.append(c); used += n
        }
        return kept + "..."
    }

    /// One `AuditLine`, as ConnectorKit's AuditEntry reads it back; best effort (the answer
    /// to the sender does not depend on it).
    private func record(id: String, outcome: String, source: String? = nil, reason: String?, detail: [String: String]) {
        let line = AuditLine(ts: UTC.iso8601(seconds: now), job: "webhook-cgi", action: "webhook", source: source ?? self.source,
                             id: Responder.cut(id, to: Responder.maxIDBytes), outcome: outcome,
                             reason: reason.map { Responder.cut($0, to: Responder.maxReasonBytes) },
                             detail: detail.mapValues { Responder.cut($0, to: Responder.maxDetailBytes) })
        try? line.append(to: audit)
    }
}
