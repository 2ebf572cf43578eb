/// RFC 8536's TZif format, the files `zic` compiles into /usr/share/zoneinfo: a v1 block of
/// 32-bit times, then (version 2 and later) the same data with 64-bit times and a footer
/// holding the POSIX TZ rule for instants after the last transition.
extension ZoneInfo {
    struct Malformed: Error { let problem: String }

    static func parse(identifier: String, _ b: [UInt8]) throws(Malformed) -> ZoneInfo {
        var r = Reader(bytes: b)
        let v1 = try r.header()
        guard v1.version >= 2 else {
            let block = try r.block(v1, timeSize: 4)
            return ZoneInfo(identifier: identifier, transitions: block.times, typeOfTransition: block.types,
                            offsets: block.offsets, rule: nil)
        }
        try r.skip(v1.size(timeSize: 4))
        let v2 = try r.header()
        let block = try r.block(v2, timeSize: 8)
        let footer = try r.footer()
        let rule: PosixTZRule?
        do { rule = footer.isEmpty ? nil : try PosixTZRule(footer) } catch { throw Malformed(problem: "footer \"\(footer)\": \(error.problem)") }
        return ZoneInfo(identifier: identifier, transitions: block.times, typeOfTransition: block.types,
                        offsets: block.offsets, rule: rule)
    }

    private struct Counts {
        var version: Int, isut: Int, isstd: Int, leap: Int, time: Int, type: Int, char: Int
        func size(timeSize: Int) -> Int {
            time * timeSize + time + type * 6 + char + leap * (timeSize + 4) + isstd + isut
        }
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        mutating func take(_ n: Int) throws(Malformed) -> ArraySlice<UInt8> {
            guard n >= 0, at + n <= bytes.count else { throw Malformed(problem: "ends early") }
            defer { at += n }
            return bytes[at..<at + n]
        }

        mutating func skip(_ n: Int) throws(Malformed) { _ = try take(n) }

        mutating func int(_ size: Int) throws(Malformed) -> Int64 {
            var v: UInt64 = 0
            for byte in try take(size) { v = v << 8 | UInt64(byte) }
            return size == 4 ? Int64(Int32(bitPattern: UInt32(truncatingIfNeeded: v))) : Int64(bitPattern: v)
        }

        mutating func header() throws(Malformed) -> Counts {
            guard Array(try take(4)) == Array("TZif".utf8) else { throw Malformed(problem: "has no TZif magic") }
            let version = try take(1).first!
            try skip(15)
            var c: [Int] = []
            for _ in 0..<6 {
                let n = try int(4)
                guard (0...1_000_000).contains(n) else { throw Malformed(problem: "has an impossible count \(n)") }
                c.append(Int(n))
            }
            guard c[4] >= 1 else { throw Malformed(problem: "has no local time types") }
            return Counts(version: version == 0 ? 1 : Int(version) - Int(UInt8(ascii: "0")),
                          isut: c[0], isstd: c[1], leap: c[2], time: c[3], type: c[4], char: c[5])
        }

        mutating func block(_ c: Counts, timeSize: Int) throws(Malformed) -> (times: [Int64], types: [Int], offsets: [Int]) {
            var times: [Int64] = []
            for _ in 0..<c.time { times.append(try int(timeSize)) }
            let types = try take(c.time).map(Int.init)
            var offsets: [Int] = []
            for _ in 0..<c.type {
                let off = try int(4)
                guard (-89_999...93_599).contains(off) else { throw Malformed(problem: "has an offset of \(off) s") }
                offsets.append(Int(off))
                try skip(2)
            }
            guard types.allSatisfy({ $0 < c.type }) else { throw Malformed(problem: "names a local time type it lacks") }
            guard zip(times, times.dropFirst()).allSatisfy({ $0 < $1 }) else { throw Malformed(problem: "has transitions out of order") }
            try skip(c.char + c.leap * (timeSize + 4) + c.isstd + c.isut)
            return (times, types, offsets)
        }

        mutating func footer() throws(Malformed) -> String {
            guard at < bytes.count else { return "" }
            guard try take(1).first == UInt8(ascii: "\n") else { throw Malformed(problem: "has no footer") }
            guard let end = bytes[at...].firstIndex(of: UInt8(ascii: "\n")) else { throw Malformed(problem: "has an unterminated footer") }
            return String(decoding: try take(end - at), as: UTF8.self)
        }
    }
}
