import Foundation
import WebhookCore

/// What a recording of vendor exchanges must not keep: credentials (passwords, tokens, session
/// ids, signatures) and personal data (names, emails, phone numbers, addresses, SMS text).
/// Values are recognised by the name they travel under, whatever the carrier: a header, a
/// query or form parameter, a JSON key, an XML element. Over-redacting a product name costs a
/// fixture some fidelity; under-redacting would put a customer's data in a bug report.
public enum Redaction {
    public static let mark = "[redacted]"

    /// Names containing one of these are always redacted.
    static let fragments = ["password", "secret", "token", "signature", "authorization", "cookie", "apikey", "api-key",
                            "email", "phone", "telephone", "addr", "contact", "postal", "zip", "name"]
    /// Names redacted only as a whole: Twilio's `To`/`From`/`Body` (a person's number, the SMS
    /// text), SYSPRO's `UserId` (the session) and `Operator`, an OAuth `code`.
    static let exactNames: Set<String> = ["to", "from", "body", "userid", "operator", "code"]

    public static func isSensitive(_ name: String) -> Bool {
        let n = name.lowercased()
        return exactNames.contains(n) || fragments.contains { n.contains($0) }
    }

    /// A value that is personal whatever it is called: an email address (HubSpot upserts
    /// contacts with the email as their `id`) or an E.164 phone number.
    public static func looksPersonal(_ value: String) -> Bool {
        let v = value.trimmingCharacters(in: .whitespaces)
        if let at = v.firstIndex(of: "@"), at != v.startIndex, v[at...].contains("."), !v.contains(" ") { return true }
        return v.hasPrefix("+") && v.count >= 8 && v.count <= 16 && v.dropFirst().allSatisfy(\.isNumber)
    }

    /// A URL with the values of sensitive query parameters replaced, and XML documents carried in
    /// the query string (SYSPRO's XmlIn) redacted element by element.
    public static func url(_ url: String) -> String {
        let q = url.firstIndex(of: "?") ?? url.endIndex
        let path = url[..<q].split(separator: "/", omittingEmptySubsequences: false).map { segment in
            looksPersonal(segment.removingPercentEncoding ?? String(segment)) ? escape(mark) : String(segment)
        }.joined(separator: "/")
        guard q < url.endIndex else { return path }
        return path + "?" + form(String(url[url.index(after: q)...]))
    }

    /// `application/x-www-form-urlencoded` text (also a query string).
    public static func form(_ text: String) -> String {
        text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2 else { return String(pair) }
            let name = String(parts[0])
            let raw = String(parts[1])
            let value = raw.replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? raw
            if isSensitive(name.removingPercentEncoding ?? name) || looksPersonal(value) { return name + "=" + escape(mark) }
            if value.hasPrefix("<") {
                let cleaned = xml(value)
                return cleaned == value ? String(pair) : name + "=" + escape(cleaned)
            }
            return String(pair)
        }.joined(separator: "&")
    }

    /// XML text with the content of sensitive elements replaced (attributes are kept).
    public static func xml(_ text: String) -> String {
        let ns = text as NSString
        var out = ""
        var last = 0
        for m in elementPattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
            let name = ns.substring(with: m.range(at: 1))
            let content = m.range(at: 3)
            guard isSensitive(name) || looksPersonal(ns.substring(with: content)) else { continue }
            out += ns.substring(with: NSRange(location: last, length: content.location - last)) + mark
            last = content.location + content.length
        }
        return last == 0 ? text : out + ns.substring(from: last)
    }

    /// JSON text with the values of sensitive keys replaced; text that is not JSON is replaced
    /// whole, since nothing in it can be told apart.
    public static func json(_ text: String) -> String {
        guard let value = try? JSONValue.parse(Data(text.utf8)),
              let data = try? JSON.encode(json(value)) else { return mark }
        return String(decoding: data, as: UTF8.self)
    }

    public static func json(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let items): return .array(items.map(json))
        case .object(let members):
            var out: [String: JSONValue] = [:]
            for (key, v) in members {
                let k = key.lowercased()
                if exactNames.contains(k) {
                    // HubSpot's association `to`/`from` are objects of ids: only a scalar is a person's.
                    switch v {
                    case .object, .array: out[key] = json(v)
                    default: out[key] = .string(mark)
                    }
                } else if fragments.contains(where: { k.contains($0) }) {
                    out[key] = v.isNull ? .null : .string(mark)
                } else {
                    out[key] = json(v)
                }
            }
            return .object(out)
        case .string(let text) where looksPersonal(text): return .string(mark)
        default: return value
        }
    }

    /// A body by its content type: JSON, form, XML; other text passes unless `whole` says the
    /// exchange's plain-text answer is itself a credential (SYSPRO's Logon answers the session id).
    public static func body(_ text: String, contentType: String?, whole: Bool = false) -> String {
        let type = (contentType ?? "").lowercased()
        if whole { return text.isEmpty ? text : mark }
        if type.contains("json") { return json(text) }
        if type.contains("x-www-form-urlencoded") { return form(text) }
        if type.contains("xml") || text.trimmingCharacters(in: .whitespacesAndNewlines).hasPrefix("<") { return xml(text) }
        return text
    }

    private static func escape(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? s
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// `<Name attrs>text</Name>` with no child element inside.
    private nonisolated(unsafe) static let elementPattern = try! NSRegularExpression(
        pattern: "<([A-Za-z_][A-Za-z0-9_.-]*)(\\s[^>]*)?>([^<]*)</\\1\\s*>")
}
