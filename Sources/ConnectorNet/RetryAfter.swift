import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How long a server asked us to wait before the next request.
public enum RetryAfter {
    /// `Retry-After` (RFC 9110 §10.2.3: delay-seconds or an HTTP-date) or ShipBob's
    /// `x-retry-after` (seconds; docs/vendors/shipbob.md: "429 with `x-retry-after` (seconds)").
    /// `nil` when neither is present or readable; a date in the past is 0.
    public static func delay(in response: HTTPResponse, now: Date) -> Double? {
        if let v = response.header("retry-after"), let d = parse(v, now: now) { return d }
        if let v = response.header("x-retry-after"), let s = Double(v.trimmed), s.isFinite, s >= 0 { return s }
        return nil
    }

    public static func parse(_ value: String, now: Date) -> Double? {
        let v = value.trimmed
        if let s = Double(v) { return s.isFinite && s >= 0 ? s : nil }
        guard let date = httpDate(v) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }

    /// RFC 9110 §5.6.7: recipients must read IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`),
    /// RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
    /// In all three the numbers other than the time come as day, then year, and the year has
    /// 2 or 4 digits: a longer one is refused, as its seconds since 1970 would overflow (a
    /// Twilio `date_created` in the year 999999999999 trapped). Parsed by hand: no locale or
    /// calendar involved, so the answer never depends on the host's settings.
    public static func httpDate(_ s: String) -> Date? {
        let tokens = s.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "-" }).map(String.init)
        var month: Int?
        var time: [Int]?
        var numbers: [String] = []
        for t in tokens {
            if let m = months.firstIndex(of: t.lowercased()) { month = m + 1 }
            else if t.contains(":") {
                let parts = t.split(separator: ":").compactMap { Int($0) }
                guard parts.count == 3 else { return nil }
                time = parts
            } else if t.allSatisfy(\.isASCIIDigit) { numbers.append(t) }
        }
        guard let month, let time, numbers.count == 2, [2, 4].contains(numbers[1].count),
              let day = Int(numbers[0]), var year = Int(numbers[1]),
              (1...31).contains(day), (0...23).contains(time[0]), (0...59).contains(time[1]), (0...60).contains(time[2])
        else { return nil }
        if numbers[1].count == 2 { year += year < 70 ? 2000 : 1900 }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: Double(days * 86_400 + time[0] * 3600 + time[1] * 60 + time[2]))
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
