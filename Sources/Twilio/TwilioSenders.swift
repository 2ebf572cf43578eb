import ConnectorKit
import ConnectorNet

/// A number the account sends from, and whether Twilio lists it as able to send SMS
/// (docs/vendors/twilio.md, "Senders: numbers and Messaging Services").
public struct TwilioSender: Sendable, Equatable {
    public let phoneNumber: String
    public let sms: Bool

    public init(phoneNumber: String, sms: Bool) { self.phoneNumber = phoneNumber; self.sms = sms }
}

/// The reads `ml-connector probe` makes to tell whether the configured sender can send: a
/// number must be the account's own and SMS-capable; a Messaging Service must exist and hold
/// at least one SMS-capable number.
extension TwilioClient {
    /// The account's number `phone`, nil when the account has no such number.
    public func incomingNumber(_ phone: String) throws -> TwilioSender? {
        let (status, json) = try get(URLEncoding.url(url(TwilioFacts.incomingPhoneNumbers(account)), query: [("PhoneNumber", phone)]),
                                     operation: "numbers")
        guard status == 200, let rows = json["incoming_phone_numbers"]?.array else {
            throw VendorError(.twilio, .badAnswer, operation: "numbers", message: "HTTP \(status) without an incoming_phone_numbers array")
        }
        return rows.first { $0["phone_number"]?.string == phone }.map {
            TwilioSender(phoneNumber: phone, sms: $0["capabilities"]?["sms"] == .bool(true) || $0["capabilities"]?["SMS"] == .bool(true))
        }
    }

    /// The numbers in Messaging Service `sid`'s sender pool, every page; nil when the account
    /// has no such service (404). Capabilities are words (`SMS`, `Voice`), compared without case.
    public func messagingServiceNumbers(_ sid: String) throws -> [TwilioSender]? {
        let service = URLEncoding.join(settings.messagingURL, TwilioFacts.messagingService(sid))
        guard try get(service, operation: "messaging service").0 != 404 else { return nil }
        var found: [TwilioSender] = []
        var next: String? = URLEncoding.url(URLEncoding.join(settings.messagingURL, TwilioFacts.messagingServiceNumbers(sid)),
                                            query: [("PageSize", "1000")])
        var seen = Set<String>()
        while let page = next, seen.insert(page).inserted {
            let (status, json) = try get(page, operation: "messaging service numbers")
            guard status == 200, let rows = json["phone_numbers"]?.array else {
                throw VendorError(.twilio, .badAnswer, operation: "messaging service numbers", message: "HTTP \(status) without a phone_numbers array")
            }
            found += rows.compactMap { row in
                row["phone_number"]?.string.map { number in
                    TwilioSender(phoneNumber: number, sms: row["capabilities"]?.array?.contains { $0.string?.lowercased() == "sms" } ?? false)
                }
            }
            next = json["meta"]?["next_page_url"]?.string
        }
        return found
    }
}
