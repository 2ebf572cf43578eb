/// Reads an `application/x-www-form-urlencoded` body (WHATWG URL, "application/x-www-form-
/// urlencoded parsing") without Foundation: Twilio's status callbacks arrive this way, and
/// X-Twilio-Signature is computed over the decoded names and values (docs/vendors/twilio.md), so
/// decoding must be exact: `+` is a space, `%XX` a byte, the bytes UTF-8.
public enum FormURLEncoded {
    public enum Failure: Error, Equatable, Sendable, CustomStringConvertible {
        /// `%` not followed by two hex digits, at this byte of the body.
        case badPercentEscape(offset: Int)
        /// The pair starting at this byte does not decode to UTF-8.
        case notUTF8(offset: Int)

        public var description: String {
            switch self {
            case .badPercentEscape(let at): return "form body: % not followed by two hex digits at byte \(at)"
            case .notUTF8(let at): return "form body: the pair at byte \(at) is not UTF-8 once decoded"
            }
        }
    }

    /// Every `name=value` pair in body order, repeats kept (the signature covers each).
    /// Empty pieces between `&`s are skipped; a piece without `=` is a name with an empty value.
    /// Strict where browsers are lenient: a stray `%` is refused rather than kept, so what
    /// is spooled is exactly what was signed.
    public static func decode(_ body: [UInt8]) throws -> [(name: String, value: String)] {
        var pairs: [(name: String, value: String)] = []
        var start = 0
        while start <= body.count {
            let end = body[start...].firstIndex(of: UInt8(ascii: "&")) ?? body.count
            if end > start {
                let equals = body[start..<end].firstIndex(of: UInt8(ascii: "=")) ?? end
                let name = try text(body, start, equals, pair: start)
                let value = equals < end ? try text(body, equals + 1, end, pair: start) : ""
                pairs.append((name, value))
            }
            start = end + 1
        }
        return pairs
    }

    /// One name or value decoded (`%XX` a byte, `+` a space unless `plusIsSpace` is false, as
    /// in a URL's path); nil when an escape is broken or the bytes are not UTF-8.
    public static func component<S: StringProtocol>(_ s: S, plusIsSpace: Bool = true) -> String? {
        let b = Array(s.utf8)
        return try? text(b, 0, b.count, pair: 0, plusIsSpace: plusIsSpace)
    }

    private static func text(_ b: [UInt8], _ from: Int, _ to: Int, pair: Int, plusIsSpace: Bool = true) throws -> String {
        var out: [UInt8] = []
        out.reserveCapacity(to - from)
        var i = from
        while i < to {
            switch b[i] {
            case UInt8(ascii: "+") where plusIsSpace:
                out.append(UInt8(ascii: " "))
                i += 1
            case UInt8(ascii: "%"):
                guard i + 2 < to, let high = HexDigit.value(b[i + 1]), let low = HexDigit.value(b[i + 2]) else {
                    throw Failure.badPercentEscape(offset: i)
                }
                out.append(high << 4 | low)
                i += 3
            default:
                out.append(b[i])
                i += 1
            }
        }
        guard let s = String(validating: out, as: UTF8.self) else { throw Failure.notUTF8(offset: pair) }
        return s
    }
}
