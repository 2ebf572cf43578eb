import ConnectorKit

/// Everything `ml-sandbox serve` can be told; tests build one directly.
public struct SandboxOptions: Sendable {
    /// How OData shows rowversions: api-notes leaves it unconfirmed (Edm.Binary base64 or hex),
    /// so the sandbox can speak either and the connector must accept both.
    public enum RowversionFormat: String, Sendable, CaseIterable {
        case base64, hex
    }

    public var host: String
    public var port: Int
    public var sessionTimeout: Double
    public var odataPageSize: Int
    public var accessTokenLifetime: Int
    public var rateLimit: Int
    public var webhookSecret: String
    public var rowversionFormat: RowversionFormat
    public var hubspotTier: HubSpotTier
    /// Overrides the tier's daily limit (tests reach the DAILY policy with a small one).
    public var hubspotDailyLimit: Int?
    /// Twilio requests one account may have in flight; more answer 429 / 20429.
    public var twilioConcurrency: Int
    /// Twilio requests one account may start per second (0: no such limit).
    public var twilioPerSecond: Int
    /// Seconds between a message's statuses (queued, sending, sent, delivered); 0 leaves
    /// every change to `POST /_control/twilio/messages/{sid}/status`.
    public var twilioStatusStep: Double
    /// Share (0-100) of clean SORTOI imports answered without their `<Order>` block, as live
    /// SYSPRO 8 answers some (docs/vendors/syspro.md, "SORTOI answers"); the connector must
    /// then find the order in SorMaster.
    public var sysproOmitOrderPercent: Int

    public init(host: String = "127.0.0.1", port: Int = 0, sessionTimeout: Double = 1200,
                odataPageSize: Int = 5000, accessTokenLifetime: Int = 3600, rateLimit: Int = 150,
                webhookSecret: String? = nil, rowversionFormat: RowversionFormat = .base64,
                hubspotTier: HubSpotTier = .professional, hubspotDailyLimit: Int? = nil,
                twilioConcurrency: Int = 100, twilioPerSecond: Int = 0, twilioStatusStep: Double = 1,
                sysproOmitOrderPercent: Int = 50) {
        self.host = host
        self.port = port
        self.sessionTimeout = sessionTimeout
        self.odataPageSize = odataPageSize
        self.accessTokenLifetime = accessTokenLifetime
        self.rateLimit = rateLimit
        self.webhookSecret = webhookSecret ?? SandboxOptions.randomWebhookSecret()
        self.rowversionFormat = rowversionFormat
        self.hubspotTier = hubspotTier
        self.hubspotDailyLimit = hubspotDailyLimit
        self.twilioConcurrency = twilioConcurrency
        self.twilioPerSecond = twilioPerSecond
        self.twilioStatusStep = twilioStatusStep
        self.sysproOmitOrderPercent = sysproOmitOrderPercent
    }

    /// Standard Webhooks secrets are `whsec_` + base64 key bytes (api-notes, Standard Webhooks).
    public static func randomWebhookSecret() -> String {
        "whsec_" + Data(Crypto.randomBytes(24)).base64EncodedString()
    }
}
