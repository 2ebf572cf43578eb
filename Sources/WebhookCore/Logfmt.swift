/// One logfmt line per event on stderr: `ts=... level=info job=... msg="..." k=v`, written
/// the same way by the jobs (ConnectorKit's `Logger`) and webhook-cgi, so one parser
/// reads both.
public enum Logfmt {
    /// The line, newline included; every value quoted by `quote`.
    public static func line(ts: String, level: String, job: String, msg: String, _ fields: KeyValuePairs<String, String>) -> String {
        var line = "ts=\(ts) level=\(level) job=\(quote(job)) msg=\(quote(msg))"
        for (k, v) in fields { line += " \(k)=\(quote(v))" }
        return line + "\n"
    }

    /// To stderr (stdout stays free for data); best effort.
    public static func write(_ line: String) {
        CGIResponse.writeRaw(line, to: 2)
    }

    /// logfmt quoting: bare when safe, otherwise double-quoted with escapes.
    public static func quote(_ s: String) -> String {
        if !s.isEmpty, s.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0 != "\"" && $0 != "=" && $0 != "\\" && $0.value < 0x7f }) {
            return s
        }
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
