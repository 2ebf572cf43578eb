import ConnectorKit

/// The parts of Twilio's Message resource the connector reads (api-notes, Twilio: `sid`,
/// `status`, `to`, `body`, `num_segments`, `error_code`; dates RFC 2822 in GMT).
public struct TwilioMessage: Sendable, Equatable {
    public let sid: String
    public let status: String
    public let to: String
    public let body: String
    public let segments: Int
    public let errorCode: Int?
    /// Seconds since 1970, from `date_created`.
    public let created: Double?

    public init(sid: String, status: String, to: String, body: String, segments: Int = 1, errorCode: Int? = nil, created: Double?) {
        self.sid = sid; self.status = status; self.to = to; self.body = body
        self.segments = segments; self.errorCode = errorCode; self.created = created
    }

    init(json j: JSONValue) throws(TwilioError) {
        guard let sid = j["sid"]?.string, let status = j["status"]?.string else {
            throw TwilioError(kind: .badAnswer, operation: "message", message: "a message without sid or status")
        }
        self.sid = sid
        self.status = status
        to = j["to"]?.string ?? ""
        body = j["body"]?.string ?? ""
        // num_segments is a string in the 2010-04-01 API ("1").
        segments = j["num_segments"]?.string.flatMap { Int($0) } ?? Int(j["num_segments"]?.int64 ?? 0)
        errorCode = j["error_code"]?.int64.map(Int.init)
        created = j["date_created"]?.string.flatMap(TwilioMessage.rfc2822)
    }

    /// `Thu, 26 Nov 2026 14:05:09 +0000` -> seconds since 1970 (GMT, as every Twilio date).
    static func rfc2822(_ s: String) -> Double? {
        let p = s.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard p.count == 6, let day = Int(p[1]), let m = months.firstIndex(of: String(p[2])), let year = Int(p[3]) else { return nil }
        let hms = p[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3, let offset = Int(p[5].dropFirst()), p[5].count == 5 else { return nil }
        let sign = p[5].hasPrefix("-") ? -1 : 1
        let days = daysFromCivil(year, m + 1, day)
        let local = Double(days * 86_400 + hms[0] * 3600 + hms[1] * 60 + hms[2])
        return local - Double(sign * ((offset / 100) * 3600 + (offset % 100) * 60))
    }

    /// Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    private static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
