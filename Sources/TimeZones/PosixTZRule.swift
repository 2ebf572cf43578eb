/// A POSIX TZ rule as a TZif footer holds it (POSIX.1-2017 8.3, with RFC 8536's extension of
/// rule times to -167..167 hours): `CST6CDT,M3.2.0,M11.1.0`, `<+0545>-5:45`,
/// `AEST-10AEDT,M10.1.0,M4.1.0/3`. It decides local time after a zone's transition table ends.
struct PosixTZRule: Sendable, Equatable {
    struct Malformed: Error { let problem: String }

    /// A day of the year on which daylight time starts or ends.
    enum Day: Sendable, Equatable {
        /// `Jn`: 1...365, February 29 never counted.
        case julian(Int64)
        /// `n`: 0...365, February 29 counted in leap years.
        case zeroBased(Int64)
        /// `Mm.w.d`: weekday d (0 = Sunday) of week w (5 = the last) of month m.
        case monthWeekDay(month: Int64, week: Int64, weekday: Int64)

        func daysSinceEpoch(year: Int64) -> Int64 {
            let jan1 = CivilDate.days(year: year, month: 1, day: 1)
            switch self {
            case .julian(let n): return jan1 + n - 1 + (CivilDate.isLeap(year) && n >= 60 ? 1 : 0)
            case .zeroBased(let n): return jan1 + n
            case .monthWeekDay(let m, let w, let d):
                let first = CivilDate.days(year: year, month: m, day: 1)
                let firstWeekday = ((first + 4) % 7 + 7) % 7   // 1970-01-01 was a Thursday
                var day = 1 + (d - firstWeekday + 7) % 7 + (w - 1) * 7
                while day > CivilDate.monthLength(year: year, month: m) { day -= 7 }
                return first + day - 1
            }
        }
    }

    /// UT offsets in seconds (east positive, the opposite of POSIX's sign).
    let standard: Int
    let daylight: (offset: Int, start: Day, startTime: Int, end: Day, endTime: Int)?

    static func == (a: PosixTZRule, b: PosixTZRule) -> Bool {
        a.standard == b.standard && a.daylight?.offset == b.daylight?.offset && a.daylight?.start == b.daylight?.start
            && a.daylight?.startTime == b.daylight?.startTime && a.daylight?.end == b.daylight?.end
            && a.daylight?.endTime == b.daylight?.endTime
    }

    init(_ text: String) throws(Malformed) {
        var p = Parser(chars: Array(text.utf8))
        try p.name()
        standard = -(try p.offset(maxHours: 24))
        guard !p.atEnd else { daylight = nil; return }
        try p.name()
        let dst = p.peek == UInt8(ascii: ",") || p.atEnd ? standard + 3600 : -(try p.offset(maxHours: 24))
        // POSIX leaves the rule to the implementation when absent; glibc and tzcode use the US one.
        var start = Day.monthWeekDay(month: 3, week: 2, weekday: 0), startTime = 7200
        var end = Day.monthWeekDay(month: 11, week: 1, weekday: 0), endTime = 7200
        if !p.atEnd {
            try p.expect(",")
            start = try p.day(); startTime = try p.time()
            try p.expect(",")
            end = try p.day(); endTime = try p.time()
        }
        guard p.atEnd else { throw Malformed(problem: "has text after the rule") }
        daylight = (dst, start, startTime, end, endTime)
    }

    func offset(atUTC utc: Int64) -> Int {
        guard let dst = daylight else { return standard }
        let local = utc + Int64(standard)
        let year = CivilDate.fromDays(local >= 0 ? local / 86_400 : (local - 86_399) / 86_400).year
        // The start is written in standard time, the end in daylight time.
        let start = dst.start.daysSinceEpoch(year: year) * 86_400 + Int64(dst.startTime) - Int64(standard)
        let end = dst.end.daysSinceEpoch(year: year) * 86_400 + Int64(dst.endTime) - Int64(dst.offset)
        let inDaylight = start < end ? (utc >= start && utc < end) : (utc < end || utc >= start)
        return inDaylight ? dst.offset : standard
    }

    private struct Parser {
        let chars: [UInt8]
        var at = 0
        var atEnd: Bool { at >= chars.count }
        var peek: UInt8? { atEnd ? nil : chars[at] }

        mutating func expect(_ c: Unicode.Scalar) throws(Malformed) {
            guard peek == UInt8(ascii: c) else { throw Malformed(problem: "expected \"\(c)\" at offset \(at)") }
            at += 1
        }

        mutating func name() throws(Malformed) {
            let start = at
            if peek == UInt8(ascii: "<") {
                at += 1
                while let c = peek, c != UInt8(ascii: ">") { at += 1 }
                try expect(">")
                guard at - start >= 5 else { throw Malformed(problem: "has a zone abbreviation shorter than 3") }
            } else {
                while let c = peek, (c | 0x20) >= UInt8(ascii: "a"), (c | 0x20) <= UInt8(ascii: "z") { at += 1 }
                guard at - start >= 3 else { throw Malformed(problem: "has a zone abbreviation shorter than 3") }
            }
        }

        mutating func number(max: Int64) throws(Malformed) -> Int64 {
            var v: Int64 = 0, digits = 0
            while let c = peek, c >= UInt8(ascii: "0"), c <= UInt8(ascii: "9"), digits < 4 {
                v = v * 10 + Int64(c - UInt8(ascii: "0")); at += 1; digits += 1
            }
            guard digits > 0, v <= max else { throw Malformed(problem: "expected a number up to \(max) at offset \(at)") }
            return v
        }

        /// `[+-]hh[:mm[:ss]]` in seconds.
        mutating func offset(maxHours: Int64) throws(Malformed) -> Int {
            var sign: Int64 = 1
            if peek == UInt8(ascii: "+") { at += 1 } else if peek == UInt8(ascii: "-") { sign = -1; at += 1 }
            var seconds = try number(max: maxHours) * 3600
            if peek == UInt8(ascii: ":") { at += 1; seconds += try number(max: 59) * 60 }
            if peek == UInt8(ascii: ":") { at += 1; seconds += try number(max: 59) }
            return Int(sign * seconds)
        }

        mutating func day() throws(Malformed) -> Day {
            switch peek {
            case UInt8(ascii: "J"):
                at += 1
                let n = try number(max: 365)
                guard n >= 1 else { throw Malformed(problem: "has day J0") }
                return .julian(n)
            case UInt8(ascii: "M"):
                at += 1
                let m = try number(max: 12); try expect(".")
                let w = try number(max: 5); try expect(".")
                let d = try number(max: 6)
                guard m >= 1, w >= 1 else { throw Malformed(problem: "has month or week 0") }
                return .monthWeekDay(month: m, week: w, weekday: d)
            default:
                return .zeroBased(try number(max: 365))
            }
        }

        mutating func time() throws(Malformed) -> Int {
            guard peek == UInt8(ascii: "/") else { return 7200 }
            at += 1
            return try offset(maxHours: 167)
        }
    }
}
