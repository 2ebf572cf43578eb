import ConnectorKit
import ConnectorConfig

/// How `po-alerts-twilio` reaches Twilio (config `twilio`). The Auth Token and API Key
/// secret are secrets (`twilio_auth_token`, `twilio_api_key_secret`), never here.
public struct TwilioSettings: VendorSection {
    public static let key = "twilio"
    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))
    public static let absent: TwilioSettings? = TwilioSettings()

    /// `https://api.twilio.com` (the sandbox serves it under `/twilio`).
    public var apiURL: String = "https://api.twilio.com"
    /// `https://messaging.twilio.com`, where Messaging Services are read (the sandbox serves
    /// it under `/twilio-messaging`); only `ml-connector probe` calls it.
    public var messagingURL: String = "https://messaging.twilio.com"
    /// `AC...`: the account every Messages path names.
    public var accountSid: String?
    /// `SK...`: when set, requests authenticate as this API Key with `twilio_api_key_secret`
    /// (Twilio's recommended credential, docs/vendors/twilio.md); otherwise as the account with
    /// `twilio_auth_token`. Callbacks are always signed with the Auth Token.
    public var apiKeySid: String?
    /// The sending number (E.164), or instead `messaging_service_sid` (`MG...`).
    public var from: String?
    public var messagingServiceSid: String?
    /// The public URL Twilio posts status callbacks to, e.g.
    /// `https://connector.example.com/webhooks/acme/twilio`. webhook-cgi checks
    /// X-Twilio-Signature against exactly this URL, not against what nginx reports.
    public var statusCallbackURL: String?
    /// Attempts per message, across runs, before it is parked in `outbox/twilio/failed/`.
    public var maxAttempts: Int = 8
    /// A message still unsent this long after its event is parked instead of sent late.
    public var maxAgeMinutes: Int = 1440
    /// A message without a final status this long after it was sent is fetched from Twilio
    /// (the status poll), in case its status callback was lost; 0 turns the poll off.
    public var statusPollMinutes: Double = 10

    enum CodingKeys: String, CodingKey, CaseIterable {
        case apiURL = "api_url", messagingURL = "messaging_url", accountSid = "account_sid", apiKeySid = "api_key_sid", from
        case messagingServiceSid = "messaging_service_sid", statusCallbackURL = "status_callback_url"
        case maxAttempts = "max_attempts", maxAgeMinutes = "max_age_minutes", statusPollMinutes = "status_poll_minutes"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
        messagingURL = try c.decodeIfPresent(String.self, forKey: .messagingURL) ?? messagingURL
        accountSid = try c.decodeIfPresent(String.self, forKey: .accountSid)
        apiKeySid = try c.decodeIfPresent(String.self, forKey: .apiKeySid)
        from = try c.decodeIfPresent(String.self, forKey: .from)
        messagingServiceSid = try c.decodeIfPresent(String.self, forKey: .messagingServiceSid)
        statusCallbackURL = try c.decodeIfPresent(String.self, forKey: .statusCallbackURL)
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? maxAttempts
        maxAgeMinutes = try c.decodeIfPresent(Int.self, forKey: .maxAgeMinutes) ?? maxAgeMinutes
        statusPollMinutes = try c.decodeIfPresent(Double.self, forKey: .statusPollMinutes) ?? statusPollMinutes
    }

    public var apiURLs: [String] { [apiURL] }

    /// `+` and 2 to 15 digits, the first not 0 (twilio.com/docs/glossary/what-e164).
    public static func isE164(_ n: String) -> Bool {
        let digits = n.utf8.dropFirst()
        return n.hasPrefix("+") && (2...15).contains(digits.count) && digits.allSatisfy { (0x30...0x39).contains($0) } && digits.first != 0x30
    }

    /// Whether a sender is set is checked by the alerts section: a tenant without alert rules
    /// needs no Twilio account.
    public func validate(file: String, config: TenantConfig) throws {
        try ConfigError.checkURL(apiURL, file: file, key: "twilio.api_url")
        if let statusCallbackURL { try ConfigError.checkURL(statusCallbackURL, file: file, key: "twilio.status_callback_url") }
        guard maxAttempts >= 1 else { throw ConfigError(file: file, key: "twilio.max_attempts", problem: "expected at least 1") }
        guard maxAgeMinutes >= 1 else { throw ConfigError(file: file, key: "twilio.max_age_minutes", problem: "expected at least 1 minute") }
        guard statusPollMinutes >= 0 else { throw ConfigError(file: file, key: "twilio.status_poll_minutes", problem: "expected 0 (off) or more minutes") }
        func sid(_ key: String, _ value: String?, prefix: String) throws {
            guard let value else { return }
            guard value.hasPrefix(prefix), value.count == 34, value.dropFirst(2).allSatisfy(\.isHexDigit) else {
                throw ConfigError(file: file, key: "twilio.\(key)", problem: "expected \(prefix) and 32 hex digits, found \"\(value)\"")
            }
        }
        try sid("account_sid", accountSid, prefix: "AC")
        try sid("api_key_sid", apiKeySid, prefix: "SK")
        try sid("messaging_service_sid", messagingServiceSid, prefix: "MG")
        if let from, !TwilioSettings.isE164(from) {
            throw ConfigError(file: file, key: "twilio.from", problem: "expected an E.164 number like +15551234567")
        }
    }
}

extension TenantConfig {
    public var twilio: TwilioSettings {
        get { self[TwilioSettings.self] }
        set { self[TwilioSettings.self] = newValue }
    }
}
