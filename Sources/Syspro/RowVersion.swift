import ConnectorKit
import WebhookCore

/// A SQL Server rowversion (SYSPRO's `TimeStamp` column): 8 bytes, big-endian, monotonic
/// across the database, compared as unsigned 64-bit (docs/vendors/syspro.md, "TimeStamp is a
/// rowversion"). How OData renders it is unconfirmed, so both base64 (Edm.Binary, standard or url-safe) and `0x` hex
/// are read. Stored in cursors as `0x` + 16 hex digits.
public struct RowVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public init?(odata text: String) {
        // Byte by byte, no intermediate strings: this runs once per row a poll reads and
        // once per record a job loads from state.
        let t = text.trimmed
        guard let v = t.utf8.withContiguousStorageIfAvailable(Self.parse) ?? Array(t.utf8).withUnsafeBufferPointer(Self.parse) else {
            return nil
        }
        value = v
    }

    /// `0x` + 1...16 hex digits; exactly 16 hex digits (base64 of 8 bytes is 11 or 12
    /// characters, so the two cannot be confused); otherwise base64, standard or url-safe,
    /// padded or not, of 1...8 bytes.
    private static func parse(_ b: UnsafeBufferPointer<UInt8>) -> UInt64? {
        if b.count >= 2, b[0] == UInt8(ascii: "0"), b[1] | 0x20 == UInt8(ascii: "x") {
            return b.count > 2 && b.count <= 18 ? hex(UnsafeBufferPointer(rebasing: b[2...])) : nil
        }
        if b.count == 16, let v = hex(b) { return v }
        return base64(b)
    }

    private static func hex(_ b: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var v: UInt64 = 0
        for c in b {
            guard let d = HexDigit.value(c) else { return nil }
            v = v << 4 | UInt64(d)
        }
        return v
    }

    /// As strict as `Base64.decode` after mapping `-_` to `+/` and padding to a multiple
    /// of 4: `=` only at the end, and only where the last quad lacks characters.
    private static func base64(_ b: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var n = b.count
        var pads = 0
        while n > 0, b[n - 1] == UInt8(ascii: "=") { n -= 1; pads += 1 }
        // Characters left in the last quad: 1 is not base64; 2 and 3 carry 1 and 2 bytes,
        // and may be followed by no more `=` than fill the quad.
        let tail = n % 4
        guard n > 0, tail != 1, pads <= (4 - tail) % 4 else { return nil }
        let byteCount = n / 4 * 3 + (tail == 0 ? 0 : tail - 1)
        guard byteCount >= 1, byteCount <= 8 else { return nil }
        var bits: UInt64 = 0   // the decoded bytes, most significant first
        var acc: UInt32 = 0, accBits = 0
        for c in b[0..<n] {
            // base64url's `-_` are standard base64's `+/`.
            let standard = c == UInt8(ascii: "-") ? UInt8(ascii: "+") : c == UInt8(ascii: "_") ? UInt8(ascii: "/") : c
            guard let v = Base64.value(of: standard) else { return nil }
            acc = acc << 6 | UInt32(v)
            accBits += 6
            if accBits >= 8 {
                accBits -= 8
                bits = bits << 8 | UInt64(acc >> UInt32(accBits) & 0xff)
                acc &= (1 << UInt32(accBits)) - 1
            }
        }
        return bits
    }

    /// `0x` + 16 upper-case hex digits, as state and cursors hold it, appended to JSON
    /// being written (quoted).
    public func appendQuotedHex(to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        out.append(UInt8(ascii: "0")); out.append(UInt8(ascii: "x"))
        for shift in stride(from: 60, through: 0, by: -4) {
            let d = UInt8(truncatingIfNeeded: value >> UInt64(shift)) & 0xf
            out.append(d < 10 ? UInt8(ascii: "0") + d : UInt8(ascii: "A") + d - 10)
        }
        out.append(UInt8(ascii: "\""))
    }

    /// A string in either form, or a plain JSON number.
    public init?(json: JSONValue) {
        if case .number(let n) = json, n >= 0, n < 9_007_199_254_740_992, n == n.rounded() { self.init(UInt64(n)); return }
        guard let s = json.string else { return nil }
        self.init(odata: s)
    }

    public var bytes: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    /// For `$filter=TimeStamp gt binary'...'`.
    public var odataLiteral: String { SysproFacts.binaryLiteral(bytes) }

    public var hex: String {
        var out: [UInt8] = []
        out.reserveCapacity(20)
        appendQuotedHex(to: &out)
        return String(decoding: out[1..<19], as: UTF8.self)
    }

    public var description: String { hex }

    public static func < (a: RowVersion, b: RowVersion) -> Bool { a.value < b.value }

    public init(from decoder: Decoder) throws {
        let s = try decoder.singleValueContainer().decode(String.self)
        guard let v = RowVersion(odata: s) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(s)\" is not a rowversion"))
        }
        self = v
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(hex)
    }
}

extension RowVersion: JSONRecord {
    public var jsonBytes: [UInt8] { var out: [UInt8] = []; appendQuotedHex(to: &out); return out }
    public func appendJSON(to out: inout [UInt8]) { appendQuotedHex(to: &out) }
    public init(json: JSONValue, source: String) throws {
        guard let v = RowVersion(json: json) else { throw DataError(source: source, problem: "a value is not a rowversion") }
        self = v
    }
}

/// The rowversion of each row a job has fully handled, keyed as `IncrementalRead.rowKey`
/// makes it: what a keyed read (docs/vendors/syspro.md, "OData binary comparisons") compares
/// with, for jobs whose own state does not hold it. One records file (`RecordsFile`), replaced
/// after the rows it covers are safely elsewhere; a missing file means "none handled yet".
public struct RowVersionIndex {
    public let path: String

    public init(path: String) { self.path = path }

    public func load() throws -> [String: RowVersion] { try RecordsFile.load(path) }

    public func save(_ versions: [String: RowVersion]) throws {
        try Posix.makeDirectories(PathString(path).parent)
        try RecordsFile.write(versions, to: path)
    }
}
