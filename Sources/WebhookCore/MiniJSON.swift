/// A small JSON reader for the two documents webhook-cgi reads per request (the tenant
/// config's `webhook` section and `secrets.json`): JSONDecoder's generic machinery costs
/// more than the rest of a request in a process that lives for one request.
public enum MiniJSON: Equatable, Sendable {
    case null, bool(Bool), number(Double), string(String), array([MiniJSON]), object([String: MiniJSON])

    public struct Failure: Error, CustomStringConvertible {
        public let offset: Int
        public var description: String { "not valid JSON (at byte \(offset))" }
    }

    public subscript(key: String) -> MiniJSON? {
        if case .object(let o) = self { return o[key] }
        return nil
    }
    public var string: String? { if case .string(let s) = self { return s }; return nil }
    public var number: Double? { if case .number(let n) = self { return n }; return nil }

    public static func parse(_ bytes: [UInt8]) throws -> MiniJSON {
        var p = Parser(b: bytes)
        let v = try p.value()
        p.skipSpace()
        guard p.i == bytes.count else { throw Failure(offset: p.i) }
        return v
    }

    private struct Parser {
        let b: [UInt8]
        var i = 0

        mutating func skipSpace() {
            while i < b.count, [0x20, 0x09, 0x0a, 0x0d].contains(b[i]) { i += 1 }
        }

        mutating func expect(_ word: String) throws {
            for c in word.utf8 {
                guard i < b.count, b[i] == c else { throw Failure(offset: i) }
                i += 1
            }
        }

        mutating func value() throws -> MiniJSON {
            skipSpace()
            guard i < b.count else { throw Failure(offset: i) }
            switch b[i] {
            case UInt8(ascii: "{"):
                i += 1
                var o: [String: MiniJSON] = [:]
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "}") { i += 1; return .object(o) }
                while true {
                    skipSpace()
                    guard i < b.count, b[i] == UInt8(ascii: "\"") else { throw Failure(offset: i) }
                    let k = try string()
                    skipSpace()
                    try expect(":")
                    o[k] = try value()
                    skipSpace()
                    guard i < b.count else { throw Failure(offset: i) }
                    if b[i] == UInt8(ascii: ",") { i += 1; continue }
                    try expect("}")
                    return .object(o)
                }
            case UInt8(ascii: "["):
                i += 1
                var a: [MiniJSON] = []
                skipSpace()
                if i < b.count, b[i] == UInt8(ascii: "]") { i += 1; return .array(a) }
                while true {
                    a.append(try value())
                    skipSpace()
                    guard i < b.count else { throw Failure(offset: i) }
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
                while i < b.count, "+-.0123456789eE".utf8.contains(b[i]) { i += 1 }
                guard let n = Double(String(decoding: b[start..<i], as: UTF8.self)) else { throw Failure(offset: start) }
                return .number(n)
            }
        }

        mutating func string() throws -> String {
            i += 1
            var out = [UInt8]()
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
                    if (0xD800...0xDBFF).contains(scalar), i + 1 < b.count, b[i] == UInt8(ascii: "\\"), b[i + 1] == UInt8(ascii: "u") {
                        i += 2
                        let low = try hex4()
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    out += Array(String(Unicode.Scalar(scalar).map(Character.init) ?? "\u{FFFD}").utf8)
                default: out.append(e)
                }
            }
            throw Failure(offset: i)
        }

        mutating func hex4() throws -> UInt32 {
            guard i + 4 <= b.count, let v = UInt32(String(decoding: b[i..<(i + 4)], as: UTF8.self), radix: 16) else {
                throw Failure(offset: i)
            }
            i += 4
            return v
        }
    }
}
