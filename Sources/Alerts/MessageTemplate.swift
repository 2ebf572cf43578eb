import ConnectorKit
import WebhookCore

/// Fills a rule's template: `{Column}` from the row or a lookup, `{Column:2}` with two
/// decimals, `{Column:date}` the date of an OData date-time, `{LineCount}` and `{Total}` from the lines, `{From}` and `{To}` the watched
/// values. An unknown name renders as "?" rather than failing the alert: a person can
/// still act on a message with a gap.
public struct MessageTemplate {
    let text: String
    let maxLength: Int

    public init(text: String, maxLength: Int) { self.text = text; self.maxLength = maxLength }

    public func render(_ values: [String: JSONValue]) -> String {
        var out = "", i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "{", let close = text[i...].firstIndex(of: "}") {
                let spec = text[text.index(after: i)..<close].split(separator: ":", maxSplits: 1).map(String.init)
                if let name = spec.first, !name.isEmpty, !name.contains(" ") {
                    out += format(values[name], spec: spec.count > 1 ? spec[1] : nil)
                    i = text.index(after: close)
                    continue
                }
            }
            out.append(c)
            i = text.index(after: i)
        }
        return MessageTemplate.cut(out, to: maxLength)
    }

    private func format(_ v: JSONValue?, spec: String?) -> String {
        guard let v, !v.isNull else { return "?" }
        if let d = spec.flatMap({ Int($0) }), let n = v.double { return MessageTemplate.fixed(n, decimals: min(max(d, 0), 6)) }
        if spec == "date", let s = v.string, s.count >= 10 { return String(s.prefix(10)) }
        let t = AlertDetector.text(v)
        return t.isEmpty ? "?" : t
    }

    /// `1234.5` with 2 decimals -> `1,234.50`: money as a person reads it on a phone.
    /// A value whose scaled digits do not fit in Int64 (a SYSPRO field of 1e300, inf or nan
    /// trapped here) is written as Swift prints a Double.
    public static func fixed(_ n: Double, decimals: Int) -> String {
        let plain = n.fixed(decimals)
        guard plain.allSatisfy({ "-0123456789.".contains($0) }) else { return plain }
        let sign = plain.hasPrefix("-") ? "-" : ""
        let unsigned = plain.dropFirst(sign.count)
        var digits = String(unsigned.prefix { $0 != "." }), grouped = ""
        while digits.count > 3 { grouped = "," + digits.suffix(3) + grouped; digits = String(digits.dropLast(3)) }
        return sign + digits + grouped + unsigned.drop { $0 != "." }
    }

    /// At most `limit` characters, the last an ellipsis when cut.
    static func cut(_ s: String, to limit: Int) -> String {
        s.count <= limit ? s : String(s.prefix(limit - 1)) + "…"
    }
}
