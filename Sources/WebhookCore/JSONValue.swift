/// Any JSON value, and a reader for it that needs no Foundation: webhook-cgi reads the
/// tenant config's `webhook` section and `secrets.json` with it, and the jobs read every
/// vendor answer with it (JSONDecoder's generic machinery cost a 100,000-row poll a third
/// of its CPU). Vendors' shapes are read tolerantly through the accessors.
public enum JSONValue: Equatable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    public struct ParseFailure: Error, CustomStringConvertible {
        public let offset: Int
        public var description: String { "not valid JSON (at byte \(offset))" }
    }

    public subscript(key: String) -> JSONValue? {
        if case .object(let o) = self { return o[key] }
        return nil
    }

    /// A string, or a number as its text (vendors send ids either way).
    public var string: String? {
        switch self {
        case .string(let s): return s
        case .number(let n): return n.plainText
        default: return nil
        }
    }
    /// A finite number, or a string holding one. `"nan"`, `"inf"` or `1e400` in a vendor answer
    /// is no quantity: read as one, it was written to state as `nan`, which no JSON reader
    /// takes back.
    public var double: Double? {
        switch self {
        case .number(let n): return n.isFinite ? n : nil
        case .string(let s): return Double(s).flatMap { $0.isFinite ? $0 : nil }
        default: return nil
        }
    }
    public var int64: Int64? { double.flatMap { $0 == $0.rounded() && abs($0) < 9.2e18 ? Int64($0) : nil } }
    public var array: [JSONValue]? { if case .array(let a) = self { return a }; return nil }
    public var object: [String: JSONValue]? { if case .object(let o) = self { return o }; return nil }
    public var isNull: Bool { self == .null }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try parse($0) }
    }

    /// From bytes held elsewhere (a file or an HTTP body read into `Data`), not copied.
    public static func parse(_ buffer: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        var p = Parser(b: buffer)
        let v = try p.value()
        p.skipSpace()
        guard p.i == buffer.count else { throw ParseFailure(offset: p.i) }
        return v
    }

    /// The members of a top-level object one at a time, for state files of many records:
    /// no dictionary of all of them is built, and each value can be freed before the next
    /// is read. A later duplicate key comes later, as it overwrites in `parse`. Returns
    /// false, calling `body` never, for valid JSON that is not an object.
    public static func forEachMember(in buffer: UnsafeBufferPointer<UInt8>, _ body: (String, JSONValue) throws -> Void) throws -> Bool {
        var p = Parser(b: buffer)
        let isObject = try p.members(body)
        p.skipSpace()
        guard p.i == buffer.count else { throw ParseFailure(offset: p.i) }
        return isObject
    }

    /// Deeper arrays and objects are refused, not parsed: the reader recurses once per level,
    /// and a body of nothing but `[` would otherwise overflow the stack. No vendor nests
    /// beyond a dozen.
    static let maxDepth = 512

    /// `-?digits(.digits)?` with at most 15 digits in all, read without a string or strtod
    /// (quantities, prices and ids: most numbers a vendor sends). Exact: the digits make an
    /// integer below 2^53 and the divisor is a power of ten below 10^23, both exact
    /// doubles, and one IEEE division of exact operands is correctly rounded (Clinger's
    /// fast path). Anything else is nil and goes to the general reader.
    static func shortDecimal(_ s: UnsafeBufferPointer<UInt8>) -> Double? {
        var i = s.startIndex
        let negative = i < s.endIndex && s[i] == UInt8(ascii: "-")
        if negative { i += 1 }
        var mantissa: Int64 = 0, digits = 0, fraction = -1
        while i < s.endIndex {
            let c = s[i]
            if c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9") {
                digits += 1
                guard digits <= 15 else { return nil }  // before the mantissa can overflow (fuzzing found it)
                mantissa = mantissa * 10 + Int64(c - UInt8(ascii: "0"))
                if fraction >= 0 { fraction += 1 }
            } else if c == UInt8(ascii: "."), fraction < 0, digits > 0 {
                fraction = 0
            } else {
                return nil
            }
            i += 1
        }
        guard digits > 0, fraction != 0 else { return nil }
        let magnitude = fraction > 0 ? Double(mantissa) / powersOfTen[fraction] : Double(mantissa)
        return negative ? -magnitude : magnitude
    }

    private static let powersOfTen: [Double] = (0...15).map { p in (0..<p).reduce(1.0) { r, _ in r * 10 } }

    /// Reads through a pointer, every index checked against `b.count` by hand: the
    /// array's own bounds checks cost a poll of 100,000 rows a tenth of its parse.
    private struct Parser {
        let b: UnsafeBufferPointer<UInt8>
        var i = 0
        var depth = 0

        mutating func skipSpace() {
            while i < b.count {
                switch b[i] {
                case 0x20, 0x09, 0x0a, 0x0d: i += 1
                default: return
                }
            }
        }

        mutating func expect(_ word: String) throws {
            for c in word.utf8 {
                guard i < b.count, b[i] == c else { throw ParseFailure(offset: i) }
                i += 1
            }
        }

        mutating func value() throws -> JSONValue {
            skipSpace()
            guard i < b.count else { throw ParseFailure(offset: i) }
            switch b[i] {
            case UInt8(ascii: "{"):
                try enter()
                defer { depth -= 1 }
                i += 1
                var o: [String: JSONValue] = [:]
                o.reserveCapacity(8)  // a row or record: saves the rehashes of growing 1, 2, 4, 8
                if !closesEmpty() {
                    repeat { let (k, v) = try member(); o[k] = v } while try moreMembers()
                }
                return .object(o)
            case UInt8(ascii: "["):
                try enter()
                defer { depth -= 1 }
                i += 1
                var a: [JSONValue] = []
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    a.append(try value())
                    skipSpace()
                    guard i < b.count else { throw ParseFailure(offset: i) }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect("]")
                    return .array(a)
                }
            case UInt8(ascii: "\""): return .string(try string())
            case UInt8(ascii: "t"): try expect("true"); return .bool(true)
            case UInt8(ascii: "f"): try expect("false"); return .bool(false)
            case UInt8(ascii: "n"): try expect("null"); return .null
            default:
                let start = i
                scan: while i < b.count {
                    switch b[i] {
                    case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
                         UInt8(ascii: "e"), UInt8(ascii: "E"): i += 1
                    default: break scan
                    }
                }
                let text = UnsafeBufferPointer(rebasing: b[start..<i])
                if let n = JSONValue.shortDecimal(text) { return .number(n) }
                guard let n = Double(String(decoding: text, as: UTF8.self)) else { throw ParseFailure(offset: start) }
                return .number(n)
            }
        }

        mutating func members(_ body: (String, JSONValue) throws -> Void) throws -> Bool {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "{") else { _ = try value(); return false }
            try enter()
            defer { depth -= 1 }
            i += 1
            if !closesEmpty() {
                repeat { let (k, v) = try member(); try body(k, v) } while try moreMembers()
            }
            return true
        }

        /// Just after `{`: true (and past it) when `}` follows at once.
        mutating func closesEmpty() -> Bool {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "}") else { return false }
            i += 1
            return true
        }

        /// `"key": value`, after any space.
        mutating func member() throws -> (String, JSONValue) {
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw ParseFailure(offset: i) }
            let k = try string()
            skipSpace()
            guard i < b.count, b[i] == UInt8(ascii: ":") else { throw ParseFailure(offset: i) }
            i += 1
            return (k, try value())
        }

        /// After a member: true past a `,` (another follows), false past the closing `}`.
        mutating func moreMembers() throws -> Bool {
            skipSpace()
            guard i < b.count else { throw ParseFailure(offset: i) }
            if b[i] == UInt8(ascii: ",") { i += 1; return true }
            try expect("}")
            return false
        }

        mutating func enter() throws {
            guard depth < JSONValue.maxDepth else { throw ParseFailure(offset: i) }
            depth += 1
        }

        mutating func string() throws -> String {
            i += 1
            // Most strings hold no escape: one scan, one String.
            let start = i
            while i < b.count, b[i] != UInt8(ascii: "\""), b[i] != UInt8(ascii: "\\") { i += 1 }
            if i < b.count, b[i] == UInt8(ascii: "\"") {
                i += 1
                return String(decoding: UnsafeBufferPointer(rebasing: b[start..<(i - 1)]), as: UTF8.self)
            }
            var out = Array(b[start..<i])
            while i < b.count {
                let c = b[i]
                i += 1
                if c == UInt8(ascii: "\"") { return String(decoding: out, as: UTF8.self) }
                guard c == UInt8(ascii: "\\") else { out.append(c); continue }
                guard i < b.count else { break }
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "n"): out.append(0x0a)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "r"): out.append(0x0d)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0c)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    // A high surrogate pairs only with a low one (`\uD800\u0041` is two
                    // escapes): the lone half becomes U+FFFD below, like any invalid scalar.
                    if (0xD800...0xDBFF).contains(scalar), i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                        let next = i
                        i += 2
                        let low = try hex4()
                        if (0xDC00...0xDFFF).contains(low) { scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00) }
                        else { i = next }
                    }
                    out += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(e)
                }
            }
            throw ParseFailure(offset: i)
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= b.count, let v = UInt32(String(decoding: UnsafeBufferPointer(rebasing: b[i..<(i + 4)]), as: UTF8.self), radix: 16) else {
                throw ParseFailure(offset: i)
            }
            i += 4
            return v
        }
    }
}
