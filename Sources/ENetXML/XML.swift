import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// SYSPRO speaks XML inside query strings and answers with XML that declares
/// Windows-1252, pads numbers and may change element case (docs/vendors/syspro.md). This is a
/// small, tolerant reader (elements, text, entities, CDATA; attributes skipped) and
/// an escaper for building requests, shared by the client and the sandbox.
public final class XMLElement: @unchecked Sendable {
    public let name: String
    public internal(set) var text: String = ""
    public internal(set) var children: [XMLElement] = []

    init(name: String) { self.name = name }

    /// First descendant (depth-first) whose name matches case-insensitively.
    public func first(_ name: String) -> XMLElement? {
        for c in children {
            if c.name.caseInsensitiveEquals(name) { return c }
            if let d = c.first(name) { return d }
        }
        return nil
    }

    /// Every descendant with that name, in document order.
    public func all(_ name: String) -> [XMLElement] {
        var out: [XMLElement] = []
        for c in children {
            if c.name.caseInsensitiveEquals(name) { out.append(c) }
            out += c.all(name)
        }
        return out
    }

    /// Trimmed text of the first descendant named `name`, `nil` if absent or empty.
    public func value(_ name: String) -> String? {
        guard let t = first(name)?.trimmedText, !t.isEmpty else { return nil }
        return t
    }

    public var trimmedText: String { text.trimmed }
}

public struct XMLParseError: Error, CustomStringConvertible {
    public let offset: Int
    public let problem: String
    public var description: String { "malformed XML at byte \(offset): \(problem)" }
}

public enum XML {
    public static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Control characters other than tab/newline are not allowed in XML 1.0.
                if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }

    /// `<name>escaped value</name>`
    public static func element(_ name: String, _ value: String) -> String {
        "<\(name)>\(escape(value))</\(name)>"
    }

    /// Decodes bytes as UTF-8 or, failing that, Windows-1252 (what SYSPRO declares).
    public static func decodeText(_ data: Data) -> String {
        if let s = String(validating: data, as: UTF8.self) { return s }
        var out = String.UnicodeScalarView()
        for b in data {
            if b >= 0x80 && b <= 0x9f, let u = Unicode.Scalar(cp1252High[Int(b - 0x80)]) { out.append(u) }
            else { out.append(Unicode.Scalar(b)) }
        }
        return String(out)
    }

    private static let cp1252High: [UInt32] = [
        0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
        0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
    ]

    /// Deeper documents are refused: lookups and the tree's release recurse once per level,
    /// so `<a>` repeated a few hundred thousand times would overflow the stack. SYSPRO's
    /// answers nest under ten.
    static let maxDepth = 256

    public static func parse(_ data: Data) throws -> XMLElement { try parse(decodeText(data)) }

    /// Returns a synthetic root whose children are the document's top-level elements.
    public static func parse(_ text: String) throws -> XMLElement {
        let s = Array(text.unicodeScalars)
        var i = 0
        let root = XMLElement(name: "#document")
        var stack: [XMLElement] = [root]

        func starts(_ p: String) -> Bool {
            let ps = Array(p.unicodeScalars)
            guard i + ps.count <= s.count else { return false }
            for k in 0..<ps.count where s[i + k] != ps[k] { return false }
            return true
        }
        func skip(past end: String) throws {
            let e = Array(end.unicodeScalars)
            while i + e.count <= s.count {
                if Array(s[i..<(i + e.count)]) == e { i += e.count; return }
                i += 1
            }
            throw XMLParseError(offset: i, problem: "unterminated construct, expected \(end)")
        }

        while i < s.count {
            if s[i] != "<" {
                let start = i
                while i < s.count && s[i] != "<" { i += 1 }
                stack.last!.text += decodeEntities(String(String.UnicodeScalarView(s[start..<i])))
                continue
            }
            if starts("<?") { try skip(past: "?>"); continue }
            if starts("<!--") { try skip(past: "-->"); continue }
            if starts("<![CDATA[") {
                i += 9
                let start = i
                try skip(past: "]]>")
                stack.last!.text += String(String.UnicodeScalarView(s[start..<(i - 3)]))
                continue
            }
            if starts("<!") { try skip(past: ">"); continue }
            if starts("</") {
                i += 2
                let start = i
                while i < s.count && s[i] != ">" { i += 1 }
                guard i < s.count else { throw XMLParseError(offset: start, problem: "unterminated end tag") }
                let name = String(String.UnicodeScalarView(s[start..<i])).trimmed
                i += 1
                guard stack.count > 1, stack.last!.name.caseInsensitiveEquals(name) else {
                    throw XMLParseError(offset: start, problem: "unexpected </\(name)>")
                }
                stack.removeLast()
                continue
            }
            // Start tag: name, then attributes (skipped, quotes respected), then > or />.
            i += 1
            let start = i
            while i < s.count && !" \t\r\n/>".unicodeScalars.contains(s[i]) { i += 1 }
            let name = String(String.UnicodeScalarView(s[start..<i]))
            guard !name.isEmpty else { throw XMLParseError(offset: start, problem: "empty element name") }
            var quote: Unicode.Scalar? = nil
            var selfClosing = false
            while i < s.count {
                let c = s[i]
                if let q = quote { if c == q { quote = nil } }
                else if c == "\"" || c == "'" { quote = c }
                else if c == ">" { selfClosing = i > 0 && s[i - 1] == "/"; break }
                i += 1
            }
            guard i < s.count else { throw XMLParseError(offset: start, problem: "unterminated <\(name)>") }
            i += 1
            let el = XMLElement(name: name)
            stack.last!.children.append(el)
            if !selfClosing {
                guard stack.count <= maxDepth else {
                    throw XMLParseError(offset: start, problem: "elements nested deeper than \(maxDepth)")
                }
                stack.append(el)
            }
        }
        guard stack.count == 1 else {
            throw XMLParseError(offset: s.count, problem: "<\(stack.last!.name)> is never closed")
        }
        return root
    }

    static func decodeEntities(_ s: String) -> String {
        guard s.contains("&") else { return s }
        var out = ""
        var rest = Substring(s)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";"), rest.distance(from: amp, to: semi) <= 10 else {
                out += "&"; rest = rest[rest.index(after: amp)...]; continue
            }
            let ent = rest[rest.index(after: amp)..<semi]
            switch ent {
            case "amp": out += "&"
            case "lt": out += "<"
            case "gt": out += ">"
            case "quot": out += "\""
            case "apos": out += "'"
            default:
                var scalar: Unicode.Scalar? = nil
                if ent.hasPrefix("#x") || ent.hasPrefix("#X") { scalar = UInt32(ent.dropFirst(2), radix: 16).flatMap(Unicode.Scalar.init) }
                else if ent.hasPrefix("#") { scalar = UInt32(ent.dropFirst()).flatMap(Unicode.Scalar.init) }
                if let scalar { out.unicodeScalars.append(scalar) } else { out += "&" + ent + ";" }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return out + rest
    }
}

extension String {
    func caseInsensitiveEquals(_ other: String) -> Bool {
        utf8.count == other.utf8.count && lowercased() == other.lowercased()
    }
}
