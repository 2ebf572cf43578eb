/// Twilio's Messages API as the connector uses it (docs/vendors/twilio.md; in one place so a new
/// API version is one edit).
public enum TwilioFacts {
    public static let apiVersion = "2010-04-01"

    /// `.../Accounts/{AccountSid}/Messages.json`
    static func messages(_ account: String) -> String { "/\(apiVersion)/Accounts/\(account)/Messages.json" }
    static func message(_ account: String, _ sid: String) -> String { "/\(apiVersion)/Accounts/\(account)/Messages/\(sid).json" }
    /// `.../Accounts/{AccountSid}/IncomingPhoneNumbers.json`, the account's own numbers
    /// (docs/vendors/twilio.md, "Senders: numbers and Messaging Services").
    static func incomingPhoneNumbers(_ account: String) -> String { "/\(apiVersion)/Accounts/\(account)/IncomingPhoneNumbers.json" }
    /// `/v1/Services/{Sid}` on the Messaging API's host, and the numbers in its sender pool.
    static func messagingService(_ sid: String) -> String { "/v1/Services/\(sid)" }
    static func messagingServiceNumbers(_ sid: String) -> String { "/v1/Services/\(sid)/PhoneNumbers" }

    /// How far a message has got. Callbacks can arrive out of order and none comes for the
    /// initial status (docs/vendors/twilio.md): the furthest status is the one to keep.
    public static func rank(_ status: String) -> Int {
        switch status {
        case "accepted", "scheduled", "queued": return 1
        case "sending": return 2
        case "sent": return 3
        case "delivered", "undelivered", "failed", "canceled", "partially_delivered": return 4
        case "read": return 5
        default: return 0
        }
    }

    /// How long after sending a message's status may still change: the status poll leaves
    /// older messages alone (docs/vendors/twilio.md, "Status poll"; Twilio keeps trying a
    /// queued message for its validity period, at most 36,000 s, then fails it).
    public static let statusSettled: Double = 72 * 3600

    /// Statuses after which the message went nowhere: the alert is parked for replay.
    public static let undelivered: Set<String> = ["undelivered", "failed", "canceled"]

    /// Delivery errors that may clear by themselves (30003 unreachable handset, docs/vendors/twilio.md;
    /// 30001 queue overflow, 30008 unknown): worth a replay later, unlike 30006 (landline)
    /// or 30007 (filtered).
    public static let transientDeliveryErrors: Set<Int> = [30001, 30003, 30008]

    /// What a delivery error code means (twilio.com/docs/errors/<code>), for the person
    /// reading the audit or the failed item's reason.
    public static func deliveryError(_ code: Int) -> String {
        switch code {
        case 30001: return "queue overflow"
        case 30002: return "account suspended"
        case 30003: return "unreachable destination handset"
        case 30004: return "message blocked"
        case 30005: return "unknown destination handset"
        case 30006: return "landline or unreachable carrier"
        case 30007: return "message filtered"
        case 30008: return "unknown error"
        default: return "see twilio.com/docs/errors/\(code)"
        }
    }
}
