/// Writes the two documents on webhook-cgi's path (the spooled envelope and the audit
/// line) without JSONEncoder: its generic machinery costs more, once per process, than
/// the rest of a request, and webhook-cgi is one process per request. The output is
/// ordinary JSON that the Codable types read back (pinned by round-trip tests).
extension WebhookEnvelope {
    /// The spooled form; `JSON.decoder` reads it back as a `WebhookEnvelope`.
    public func jsonData() -> Data {
        var w = JSONObjectWriter()
        w.field("body", body.base64EncodedString())
        w.field("headers", headers)
        w.field("id", id)
        w.field("received_at", Timestamp.iso8601(receivedAt))
        w.field("source", source)
        w.field("topic", topic)
        return Data(w.bytes)
    }
}

extension AuditEntry {
    /// One audit line (without the newline); `JSON.decoder` reads it back as an `AuditEntry`.
    public func jsonData() -> Data {
        var w = JSONObjectWriter()
        w.field("action", action)
        w.field("detail", detail)
        w.field("id", id)
        w.field("job", job)
        w.field("outcome", outcome)
        w.field("personal", personal)
        w.field("reason", reason)
        w.field("source", source)
        w.field("target", target)
        w.field("ts", Timestamp.iso8601(ts))
        return Data(w.bytes)
    }
}
