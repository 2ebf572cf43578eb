import WebhookCore

/// A time zone read from the system's tz database (`/usr/share/zoneinfo`, or `$TZDIR`), the
/// files glibc's `localtime` reads.
///
/// Why not Foundation's `TimeZone`: outside UTC it needs ICU, and linking Foundation's ICU
/// costs every job about 18 ms and 20 MB before it does anything (docs/benchmarks.md, "Start-up"). The
/// connector needs one thing from a zone, the calendar date SYSPRO's server sees at an
/// instant, and the compiled tz files answer that exactly: RFC 8536's transition table for
/// the past, and its footer's POSIX TZ rule for instants after the table ends.
public struct ZoneInfo: Sendable, Equatable {
    public let identifier: String
    /// UTC seconds at which `types[typeOfTransition[i]]` starts.
    let transitions: [Int64]
    let typeOfTransition: [Int]
    /// UT offsets in seconds, one per local time type.
    let offsets: [Int]
    let rule: PosixTZRule?

    public static let utc = ZoneInfo(identifier: "UTC", transitions: [], typeOfTransition: [], offsets: [0], rule: nil)

    /// Loads `identifier` (an IANA name such as `America/Chicago`). UTC needs no file, so a
    /// machine without tzdata still runs a UTC tenant.
    public init(identifier: String, directory: String? = nil) throws(ZoneInfoError) {
        if identifier == "UTC" || identifier == "Etc/UTC" { self = .utc; return }
        let parts = identifier.split(separator: "/", omittingEmptySubsequences: false)
        guard !identifier.isEmpty, !identifier.hasPrefix("/"),
              parts.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else {
            throw ZoneInfoError(identifier: identifier, problem: "is not an IANA zone name such as America/Chicago")
        }
        let dir = directory ?? Environment.get("TZDIR") ?? "/usr/share/zoneinfo"
        let path = dir + "/" + identifier
        let bytes: [UInt8]
        do { bytes = try Posix.readBytes(path) } catch {
            throw ZoneInfoError(identifier: identifier, problem: "is not in \(dir) (is the tzdata package installed?)")
        }
        do { self = try ZoneInfo.parse(identifier: identifier, bytes) } catch {
            throw ZoneInfoError(identifier: identifier, problem: "\(path) is not a usable TZif file: \(error.problem)")
        }
    }

    init(identifier: String, transitions: [Int64], typeOfTransition: [Int], offsets: [Int], rule: PosixTZRule?) {
        self.identifier = identifier; self.transitions = transitions; self.typeOfTransition = typeOfTransition
        self.offsets = offsets; self.rule = rule
    }

    /// Seconds to add to UTC for local time at `utc` (seconds since the epoch).
    public func offset(atUTC utc: Int64) -> Int {
        guard let last = transitions.last, utc >= transitions[0] else {
            // RFC 8536 3.2: before the first transition (or with none), local time type 0,
            // unless the footer governs all time.
            return transitions.isEmpty && rule != nil ? rule!.offset(atUTC: utc) : offsets[0]
        }
        if utc >= last, let rule { return rule.offset(atUTC: utc) }
        var lo = 0, hi = transitions.count - 1   // the last transition at or before utc
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if transitions[mid] <= utc { lo = mid } else { hi = mid - 1 }
        }
        return offsets[typeOfTransition[lo]]
    }

    /// `yyyy-MM-dd` of the local calendar date at `utc`.
    public func localDate(atUTC utc: Int64) -> String {
        let local = utc + Int64(offset(atUTC: utc))
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let (y, m, d) = CivilDate.fromDays(days)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))"
    }
}

public struct ZoneInfoError: Error, CustomStringConvertible, Equatable {
    public let identifier: String
    public let problem: String
    public var description: String { "time zone \"\(identifier)\" \(problem)" }
}

/// Days since 1970-01-01 to and from the proleptic Gregorian calendar (the era-based
/// arithmetic, exact for any Int64 day count a timestamp can produce).
enum CivilDate {
    static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    static func fromDays(_ z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func isLeap(_ y: Int64) -> Bool { y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) }

    static func monthLength(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
