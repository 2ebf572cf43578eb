#if canImport(Glibc)
import Glibc
#endif

/// Writes flat JSON objects (string fields, string maps) without JSONEncoder, for the
/// spooled envelope and the audit line. Keys are written in the order given; callers
/// give them sorted, as the rest of the state is.
public struct JSONObjectWriter {
    private var text = "{"
    private var empty = true

    public init() {}

    public mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        separator(key)
        JSONObjectWriter.appendString(value, to: &text)
    }

    public mutating func field(_ key: String, _ value: [String: String]?) {
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

    public var bytes: [UInt8] { Array((text + "}").utf8) }

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

/// UTC timestamps in the one format state and logs use: `yyyy-MM-ddTHH:mm:ssZ`.
public enum UTC {
    public static func now() -> Int { Int(time(nil)) }

    public static func iso8601(seconds: Int) -> String {
        var t = time_t(seconds)
        var tm = tm()
        gmtime_r(&t, &tm)
        func pad(_ v: Int32, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(tm.tm_year + 1900, 4))-\(pad(tm.tm_mon + 1, 2))-\(pad(tm.tm_mday, 2))T\(pad(tm.tm_hour, 2)):\(pad(tm.tm_min, 2)):\(pad(tm.tm_sec, 2))Z"
    }
}
