#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
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
        let v = value.trimmed
        if let at = v.firstIndex(of: "@"), at != v.startIndex, v[at...].contains("."), !v.contains(" ") { return true }
        return v.hasPrefix("+") && v.count >= 8 && v.count <= 16 && v.dropFirst().allSatisfy(\.isNumber)
    }

    /// A URL with the values of sensitive query parameters replaced, and XML documents carried in
    /// the query string (SYSPRO's XmlIn) redacted element by element.
    public static func url(_ url: String) -> String {
        let q = url.firstIndex(of: "?") ?? url.endIndex
        let path = url[url.startIndex..<q].split(separator: "/", omittingEmptySubsequences: false).map { segment in
            looksPersonal(FormURLEncoded.component(segment, plusIsSpace: false) ?? String(segment)) ? escape(mark) : String(segment)
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
            let value = FormURLEncoded.component(raw) ?? raw.replacing("+", with: " ")
            if isSensitive(FormURLEncoded.component(name, plusIsSpace: false) ?? name) || looksPersonal(value) { return name + "=" + escape(mark) }
            if value.hasPrefix("<") {
                let cleaned = xml(value)
                return cleaned == value ? String(pair) : name + "=" + escape(cleaned)
            }
            return String(pair)
        }.joined(separator: "&")
    }

    /// XML text with the content of sensitive elements replaced (attributes are kept): each
    /// `<Name attrs>text</Name>` with no child element inside, left to right, none overlapping.
    public static func xml(_ text: String) -> String {
        let b = Array(text.utf8)
        var out: [UInt8] = [], last = 0, i = 0, changed = false
        while let open = b[i...].firstIndex(of: UInt8(ascii: "<")) {
            guard let element = simpleElement(b, at: open) else { i = open + 1; continue }
            let name = String(decoding: b[element.name], as: UTF8.self)
            if isSensitive(name) || looksPersonal(String(decoding: b[element.content], as: UTF8.self)) {
                out += b[last..<element.content.lowerBound] + Array(mark.utf8)
                last = element.content.upperBound
                changed = true
            }
            i = element.end
        }
        return changed ? String(decoding: out + b[last...], as: UTF8.self) : text
    }

    /// The element starting at `start` if it is `<Name( attrs)?>text</Name\s*>` with no `<`
    /// in its text: the ranges of its name and text, and where it ends.
    private static func simpleElement(_ b: [UInt8], at start: Int) -> (name: Range<Int>, content: Range<Int>, end: Int)? {
        func isSpace(_ c: UInt8) -> Bool { c == 0x20 || (0x09...0x0d).contains(c) }
        func isLetter(_ c: UInt8) -> Bool { (0x41...0x5a).contains(c) || (0x61...0x7a).contains(c) || c == UInt8(ascii: "_") }
        func isNameChar(_ c: UInt8) -> Bool { isLetter(c) || (0x30...0x39).contains(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-") }
        var i = start + 1
        guard i < b.count, isLetter(b[i]) else { return nil }
        while i < b.count, isNameChar(b[i]) { i += 1 }
        let name = (start + 1)..<i
        guard i < b.count else { return nil }
        if isSpace(b[i]) {
            guard let close = b[i...].firstIndex(of: UInt8(ascii: ">")) else { return nil }
            i = close
        }
        guard b[i] == UInt8(ascii: ">") else { return nil }
        let contentStart = i + 1
        let contentEnd = b[contentStart...].firstIndex(of: UInt8(ascii: "<")) ?? b.count
        var j = contentEnd
        guard j + 1 < b.count, b[j + 1] == UInt8(ascii: "/") else { return nil }
        j += 2
        guard b.count - j >= name.count, b[j..<(j + name.count)].elementsEqual(b[name]) else { return nil }
        j += name.count
        while j < b.count, isSpace(b[j]) { j += 1 }
        guard j < b.count, b[j] == UInt8(ascii: ">") else { return nil }
        return (name, contentStart..<contentEnd, j + 1)
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
        if type.contains("xml") || text.trimmed.hasPrefix("<") { return xml(text) }
        return text
    }

    /// Percent-encodes all but RFC 3986's unreserved characters.
    private static func escape(_ s: String) -> String {
        var out = ""
        for c in s.utf8 {
            switch c {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(c))
            default:
                out += "%" + String(c >> 4, radix: 16, uppercase: true) + String(c & 0x0f, radix: 16, uppercase: true)
            }
        }
        return out
    }
}
