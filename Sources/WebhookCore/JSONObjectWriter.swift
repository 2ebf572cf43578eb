#if canImport(Glibc)
import Glibc
#endif

/// Writes flat JSON objects (string fields, string maps) without JSONEncoder, for the
/// spooled envelope and the audit line. Keys are written in the order given; callers
/// give them sorted, as the rest of the state is.
public struct JSONObjectWriter {
    /// Always a complete object: each field goes in before the closing brace, so `bytes`
    /// hands the buffer over without copying it. Room for a typical state record up front:
    /// growing from empty cost a 100,000-row poll eight reallocations per record.
    private var out: [UInt8]
    /// Where this object starts in `out` (0, or the end of what a continued buffer held).
    private let start: Int

    public init() {
        out = []
        out.reserveCapacity(160)
        out.append(UInt8(ascii: "{"))
        out.append(UInt8(ascii: "}"))
        start = 0
    }

    /// Writes the object onto the end of `buffer`, which it holds until `finish(into:)`
    /// hands it back: records bound for one file or stream go into one buffer, with no
    /// array of their own each.
    public init(continuing buffer: inout [UInt8]) {
        out = []
        swap(&out, &buffer)
        start = out.count
        out.append(UInt8(ascii: "{"))
        out.append(UInt8(ascii: "}"))
    }

    public mutating func finish(into buffer: inout [UInt8]) {
        swap(&out, &buffer)
    }

    public mutating func field(_ key: String, _ value: String?) {
        guard let value else { return }
        separator(key)
        JSONObjectWriter.appendString(value, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    public mutating func field(_ key: String, _ value: [String: String]?) {
        guard let value else { return }
        separator(key)
        out.append(UInt8(ascii: "{"))
        for (i, k) in value.keys.sorted().enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            JSONObjectWriter.appendString(k, to: &out)
            out.append(UInt8(ascii: ":"))
            JSONObjectWriter.appendString(value[k]!, to: &out)
        }
        out.append(UInt8(ascii: "}"))
        out.append(UInt8(ascii: "}"))
    }

    /// A number: whole numbers without a fraction, as JSONEncoder writes them.
    public mutating func field(_ key: String, number: Double) {
        separator(key)
        JSONObjectWriter.appendNumber(number, to: &out)
        out.append(UInt8(ascii: "}"))
    }

    /// Already-encoded JSON (a nested object written by another writer).
    public mutating func field(_ key: String, raw: [UInt8]) {
        separator(key)
        out += raw
        out.append(UInt8(ascii: "}"))
    }

    /// JSON that `write` appends (a value that writes itself without an intermediate string).
    public mutating func field(_ key: String, write: (inout [UInt8]) -> Void) {
        separator(key)
        write(&out)
        out.append(UInt8(ascii: "}"))
    }

    public var bytes: [UInt8] { out }

    /// Opens the next field: the closing brace comes off, a comma goes in after a field.
    private mutating func separator(_ key: String) {
        out.removeLast()
        if out.count > start + 1 { out.append(UInt8(ascii: ",")) }
        JSONObjectWriter.appendString(key, to: &out)
        out.append(UInt8(ascii: ":"))
    }

    /// Escapes on UTF-8 bytes: quote, backslash and control characters; a string needing
    /// none (nearly all) is copied in one go.
    public static func appendString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        if s.utf8.withContiguousStorageIfAvailable({ appendEscaped($0, to: &out) }) == nil {
            Array(s.utf8).withUnsafeBufferPointer { appendEscaped($0, to: &out) }
        }
        out.append(UInt8(ascii: "\""))
    }

    private static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var plain = true
        for c in bytes where c < 0x20 || c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") { plain = false; break }
        if plain {
            out.append(contentsOf: bytes)
            return
        }
        for c in bytes {
            switch c {
            case UInt8(ascii: "\""): out += [UInt8(ascii: "\\"), UInt8(ascii: "\"")]
            case UInt8(ascii: "\\"): out += [UInt8(ascii: "\\"), UInt8(ascii: "\\")]
            case 0x0a: out += [UInt8(ascii: "\\"), UInt8(ascii: "n")]
            case 0x0d: out += [UInt8(ascii: "\\"), UInt8(ascii: "r")]
            case 0x09: out += [UInt8(ascii: "\\"), UInt8(ascii: "t")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                out += [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(c >> 4)], hex[Int(c & 15)]]
            default: out.append(c)
            }
        }
    }

    /// Whole numbers as digits (no fraction), others as Swift prints a Double.
    static func appendNumber(_ n: Double, to out: inout [UInt8]) {
        guard n.isExactWhole else { out += Array(n.plainText.utf8); return }
        var v = Int64(n)
        if v < 0 { out.append(UInt8(ascii: "-")); v = -v }
        // Digits least significant first, then turned around in place.
        let start = out.count
        repeat { out.append(UInt8(ascii: "0") + UInt8(v % 10)); v /= 10 } while v > 0
        out[start...].reverse()
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
