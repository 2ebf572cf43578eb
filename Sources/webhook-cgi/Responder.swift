import WebhookCore

/// Every answer webhook-cgi gives, each with its one audit line, so an operator can see
/// why a sender was turned away as well as what was accepted.
struct Responder {
    /// The `audit/` directory: the tenant's, or the state root's when no tenant is known.
    let audit: String
    /// `shipbob`, `twilio`, or `-` when the route named no known source.
    let source: String
    let now: Int

    func refuse(_ status: Int, _ reason: String, id: String, headers: [(String, String)] = []) -> CGIResponse {
        record(id: id, outcome: "refused", reason: reason, detail: ["status": String(status)])
        return CGIResponse(status: status, body: reason, headers: headers)
    }

    /// Our fault, not the sender's (config, secret, spool): 503 with Retry-After so a sender
    /// that retries comes back later, and an error line on stderr for nginx's log.
    func unavailable(_ reason: String, id: String) -> CGIResponse {
        let line = "ts=\(UTC.iso8601(seconds: now)) level=error job=webhook-cgi msg=\"cannot accept webhook\" source=\(source) id=\(id) reason=\"\(reason.replacing("\"", with: "'"))\"\n"
        CGIResponse.writeRaw(line, to: 2)
        record(id: id, outcome: "deferred", reason: reason, detail: ["status": "503"])
        return CGIResponse(status: 503, body: "temporarily unable to accept; retry later", headers: [("Retry-After", "60")])
    }

    /// 200 once the delivery is on disk, now or by an earlier identical delivery.
    func stored(_ result: Maildir.PutResult, id: String, detail: [String: String]) -> CGIResponse {
        let outcome = result == .stored ? "accepted" : "duplicate"
        record(id: id, outcome: outcome, reason: nil, detail: detail)
        return CGIResponse(status: 200, body: outcome)
    }

    /// One line as ConnectorKit's AuditEntry reads it back; best effort (the answer to the
    /// sender does not depend on it).
    private func record(id: String, outcome: String, reason: String?, detail: [String: String]) {
        var w = JSONObjectWriter()
        w.field("action", "webhook")
        w.field("detail", detail)
        w.field("id", id)
        w.field("job", "webhook-cgi")
        w.field("outcome", outcome)
        w.field("reason", reason)
        w.field("source", source)
        let ts = UTC.iso8601(seconds: now)
        w.field("ts", ts)
        try? RawFile.makeDirectories(audit)
        try? RawFile.append(w.bytes + [0x0a], to: "\(audit)/\(ts.prefix(10)).jsonl")
    }
}
