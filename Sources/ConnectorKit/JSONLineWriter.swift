/// Writes the two documents on webhook-cgi's path (the spooled envelope and the audit
/// line) without JSONEncoder: its generic machinery costs more, once per process, than
/// the rest of a request, and webhook-cgi is one process per request. The output is
/// ordinary JSON that the Codable types read back (pinned by round-trip tests).
struct JSONObjectWriter {
    private var text = "{"
    private var empty = true

    mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        separator(key)
        JSONObjectWriter.appendString(value, to: &text)
    }

    mutating func field(_ key: String, _ value: [String: String]?) {
        guard let value else { return }
        separator(key)
        text += "{"
        for (i, k) in value.keys.sorted().enumerated() {
            if i > 0 { text += "," }
            JSONObjectWriter.appendString(k, to: &text)
            text += ":"
            JSONObjectWriter.appendString(value[k]!, to: &text)
        }
        text += "}"
    }

    var bytes: Data { Data((text + "}").utf8) }

    private mutating func separator(_ key: String) {
        if !empty { text += "," }
        empty = false
        JSONObjectWriter.appendString(key, to: &text)
        text += ":"
    }

    static func appendString(_ s: String, to out: inout String) {
        out += "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out += "\""
    }
}

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
        return w.bytes
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
        return w.bytes
    }
}
