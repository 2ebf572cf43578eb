import ConnectorKit
import ConnectorNet
import WebhookCore

/// The parts of Twilio's Message resource the connector reads (docs/vendors/twilio.md: `sid`,
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

    init(json j: JSONValue) throws(VendorError) {
        guard let sid = j["sid"]?.string, let status = j["status"]?.string else {
            throw VendorError(.twilio, .badAnswer, operation: "message", message: "a message without sid or status")
        }
        self.sid = sid
        self.status = status
        to = j["to"]?.string ?? ""
        body = j["body"]?.string ?? ""
        // num_segments is a string in the 2010-04-01 API ("1").
        segments = j["num_segments"]?.string.flatMap { Int($0) } ?? Int(j["num_segments"]?.int64 ?? 0)
        errorCode = j["error_code"]?.int64.map(Int.init)
        // RFC 2822 in GMT (`Thu, 26 Nov 2026 14:05:09 +0000`), which the HTTP-date reader takes.
        created = j["date_created"]?.string.flatMap(RetryAfter.httpDate)?.timeIntervalSince1970
    }
}
