import ConnectorKit
import Foundation
import WebhookCore

/// One outbound Message resource of Twilio's 2010-04-01 API, with what the sandbox adds for
/// assertions: every status it passed through and every status callback it posted.
/// Fields and formats as in twilio/twilio-oai `spec/json/twilio_api_v2010.json`
/// (`api.v2010.account.message`): dates RFC 2822 in GMT, `num_segments` and `num_media` as
/// strings, `uri` relative to `https://api.twilio.com`.
struct TwilioMessage: Sendable {
    struct Step: Sendable {
        let status: String
        let at: Double
        let errorCode: Int?
    }

    struct Delivery: Sendable {
        let status: String
        let at: Double
        /// The listener's HTTP status, or nil when it could not be reached.
        let httpStatus: Int?
        let error: String?
    }

    let sid: String
    let accountSid: String
    let to: String
    /// Nil until a Messaging Service assigns a sender (at `queued`).
    var from: String?
    let messagingServiceSid: String?
    let body: String
    let numMedia: Int
    let statusCallback: String?
    let created: Double
    var status: String
    var errorCode: Int?
    var updated: Double
    var sent: Double?
    var history: [Step]
    var callbacks: [Delivery] = []
    /// When the time-driven lifecycle moves it next (`--twilio-status-step`).
    var nextStepAt: Double
    /// Where that lifecycle ends: `delivered`, or `undelivered` 30003 for a number set
    /// unreachable through the control endpoint.
    let outcome: Step

    static let finalStatuses: Set<String> = ["delivered", "undelivered", "failed", "read", "canceled"]

    var isFinal: Bool { TwilioMessage.finalStatuses.contains(status) }

    /// Segments: GSM-7 bodies fit 160 characters in one SMS and 153 per part of a
    /// concatenated one (the extension table's characters take two); anything else is
    /// UCS-2, 70 and 67 (twilio.com/docs/glossary/what-sms-character-limit). With a
    /// Messaging Service it stays 0 until a sender is assigned (the OpenAPI description of
    /// `num_segments`).
    var numSegments: Int {
        if messagingServiceSid != nil && status == "accepted" { return 0 }
        return TwilioMessage.segments(body)
    }

    static func segments(_ body: String) -> Int {
        if body.isEmpty { return 1 }
        var septets = 0
        var gsm = true
        for c in body.unicodeScalars {
            if gsmBasic.contains(c) { septets += 1 } else if gsmExtension.contains(c) { septets += 2 } else { gsm = false; break }
        }
        if gsm { return septets <= 160 ? 1 : (septets + 152) / 153 }
        let units = body.utf16.count
        return units <= 70 ? 1 : (units + 66) / 67
    }

    private static let gsmBasic = Set(("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
        + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)
    private static let gsmExtension = Set("^{}\\[~]|€\u{0C}".unicodeScalars)

    /// The descriptions of Twilio's delivery errors (twilio.com/docs/errors/<code>).
    static func errorMessage(_ code: Int) -> String? {
        switch code {
        case 30001: return "Queue overflow"
        case 30002: return "Account suspended"
        case 30003: return "Unreachable destination handset"
        case 30004: return "Message blocked"
        case 30005: return "Unknown destination handset"
        case 30006: return "Landline or unreachable carrier"
        case 30007: return "Message filtered"
        case 30008: return "Unknown error"
        default: return nil
        }
    }

    var uri: String { "/2010-04-01/Accounts/\(accountSid)/Messages/\(sid).json" }

    var json: JSONValue {
        let segments = numSegments
        // Twilio prices a message once it is sent: a US SMS at $0.0079 per segment.
        let price: JSONValue = sent == nil ? .null : .string(String(format: "-%.5f", 0.0079 * Double(segments)))
        return [
            "account_sid": .string(accountSid), "api_version": "2010-04-01", "body": .string(body),
            "date_created": .string(TwilioMessage.rfc2822(created)), "date_updated": .string(TwilioMessage.rfc2822(updated)),
            "date_sent": sent.map { .string(TwilioMessage.rfc2822($0)) } ?? .null,
            "direction": "outbound-api", "error_code": errorCode.map { .int($0) } ?? .null,
            "error_message": errorCode.flatMap(TwilioMessage.errorMessage).map(JSONValue.string) ?? .null,
            "from": .str(from), "messaging_service_sid": .str(messagingServiceSid),
            "num_media": .string(String(numMedia)), "num_segments": .string(String(segments)),
            "price": price, "price_unit": "USD", "sid": .string(sid), "status": .string(status),
            "subresource_uris": [
                "media": .string("/2010-04-01/Accounts/\(accountSid)/Messages/\(sid)/Media.json"),
                "feedback": .string("/2010-04-01/Accounts/\(accountSid)/Messages/\(sid)/Feedback.json"),
            ],
            "to": .string(to), "uri": .string(uri),
        ]
    }

    /// `Thu, 26 Nov 2026 14:05:09 +0000`: RFC 2822 in GMT, as every Twilio date is.
    static func rfc2822(_ t: Double) -> String {
        var seconds = time_t(t.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) +0000"
    }

    /// `SM` + 32 hex digits (the OpenAPI pattern `^(SM|MM)[0-9a-fA-F]{32}$`).
    static func newSid() -> String {
        "SM" + Crypto.randomBytes(16).map { String(format: "%02x", $0) }.joined()
    }
}
