import ConnectorKit

/// A SQL Server rowversion (SYSPRO's `TimeStamp` column): 8 bytes, big-endian, monotonic
/// across the database, compared as unsigned 64-bit (api-notes, Change detection). How OData
/// renders it is unconfirmed, so both base64 (Edm.Binary, standard or url-safe) and `0x` hex
/// are read. Stored in cursors as `0x` + 16 hex digits.
public struct RowVersion: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let value: UInt64

    public init(_ value: UInt64) { self.value = value }

    public init?(odata text: String) {
        let t = text.trimmed
        if t.hasPrefix("0x") || t.hasPrefix("0X") {
            let digits = t.dropFirst(2)
            guard !digits.isEmpty, digits.count <= 16, let v = UInt64(digits, radix: 16) else { return nil }
            value = v
            return
        }
        // Exactly 16 hex digits cannot be base64 of 8 bytes (that is 11 or 12 characters).
        if t.count == 16, let v = UInt64(t, radix: 16) { value = v; return }
        // base64url to base64, padded: byte by byte (this runs once per row read).
        var chars = t.utf8.map { c -> UInt8 in c == UInt8(ascii: "-") ? UInt8(ascii: "+") : c == UInt8(ascii: "_") ? UInt8(ascii: "/") : c }
        while chars.count % 4 != 0 { chars.append(UInt8(ascii: "=")) }
        guard let data = Base64.decode(String(decoding: chars, as: UTF8.self)), !data.isEmpty, data.count <= 8 else { return nil }
        value = data.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
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
        let h = String(value, radix: 16, uppercase: true)
        return "0x" + String(repeating: "0", count: 16 - h.count) + h
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
