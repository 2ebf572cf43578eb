import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Writes the audit line without JSONEncoder: its generic machinery costs more, once per
/// process, than the rest of a short run. The output is ordinary JSON that the Codable
/// type reads back (pinned by round-trip tests).
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
