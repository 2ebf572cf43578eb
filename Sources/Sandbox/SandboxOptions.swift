import ConnectorKit
import TimeZones
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Everything `ml-sandbox serve` can be told; tests build one directly.
public struct SandboxOptions: Sendable {
    /// How OData shows rowversions: docs/vendors/syspro.md leaves it unconfirmed (Edm.Binary base64 or hex),
    /// so the sandbox can speak either and the connector must accept both.
    public enum RowversionFormat: String, Sendable, CaseIterable {
        case base64, hex
    }

    /// How status callbacks are signed (docs/vendors/twilio.md, "Webhook Settings signatures
    /// (HMAC-SHA256)"): with the auth token and HMAC-SHA1 as Twilio does by default, or, as
    /// under a Webhook Setting, with the sandbox's SharedKey secret, the algorithm named in
    /// X-Twilio-Webhooks-Signature-Settings.
    public enum TwilioCallbackSigning: String, Sendable, CaseIterable {
        case authToken = "auth-token", sharedKeySHA1 = "shared-key-sha1", sharedKeySHA256 = "shared-key-sha256"

        /// The algorithm, and whether the settings header names it (a Webhook Setting).
        var algorithm: TwilioSignature.Algorithm { self == .sharedKeySHA256 ? .hmacSHA256 : .hmacSHA1 }
    }

    /// The URL a status callback's signature covers (docs/vendors/twilio.md, "Request
    /// signature (X-Twilio-Signature)"): the StatusCallback as given, or with its port
    /// toggled (the port removed when it has one, the scheme's default added when not),
    /// since Twilio does not sign the port consistently.
    public enum TwilioSignedURLPort: String, Sendable, CaseIterable {
        case asGiven = "as-given", toggled
    }

    public var host: String
    public var port: Int
    public var sessionTimeout: Double
    public var odataPageSize: Int
    public var accessTokenLifetime: Int
    public var rateLimit: Int
    public var webhookSecret: String
    public var rowversionFormat: RowversionFormat
    /// Whether `$filter` may order-compare (`gt ge lt le`) and `$orderby` may sort an
    /// Edm.Binary property such as TimeStamp. OData 4.01 allows binary values only `eq`/`ne`
    /// null, and whether SYSPRO goes further is unconfirmed (docs/vendors/syspro.md,
    /// "OData binary comparisons"), so the default refuses them with 400.
    public var odataBinaryCompare: Bool
    public var hubspotTier: HubSpotTier
    /// Overrides the tier's daily limit (tests reach the DAILY policy with a small one).
    public var hubspotDailyLimit: Int?
    /// The HubSpot account's time zone (IANA name): its daily limit resets at midnight there
    /// and `GET /account-info/v3/details` names it. Not UTC by default, so a client
    /// counting UTC days is caught.
    /// docs/vendors/hubspot.md, "Daily limit resets at the account's midnight".
    public var hubspotTimeZone: ZoneInfo
    /// What HubSpot does with an association naming a record merged into another: refuse
    /// it as not found (the default, stricter for a client that caches ids) or apply it to
    /// the record the merge made. Unconfirmed either way (docs/vendors/hubspot.md, "Archived and merged records").
    public enum MergedIds: String, Sendable, CaseIterable { case refused, redirected }
    public var hubspotMergedIds: MergedIds
    /// Twilio requests one account may have in flight; more answer 429 / 20429.
    public var twilioConcurrency: Int
    /// Twilio requests one account may start per second (0: no such limit).
    public var twilioPerSecond: Int
    /// Seconds between a message's statuses (queued, sending, sent, delivered); 0 leaves
    /// every change to `POST /_control/twilio/messages/{sid}/status`.
    public var twilioStatusStep: Double
    /// Recorded vendor answers (`ML_CONNECTOR_RECORD`) served before the simulators (`Fixtures`).
    public var fixtures: [RecordedExchange] = []
    /// ShipBob's unsure behaviours, strictest by default.
    public var shipBob: ShipBobSwitches
    /// Status callbacks' signing (`--twilio-callback-signing`; `POST /_control/twilio/callbacks`
    /// changes it while running).
    public var twilioCallbackSigning: TwilioCallbackSigning
    /// The URL status callbacks are signed over (`--twilio-signed-url-port`).
    public var twilioSignedURLPort: TwilioSignedURLPort
    /// Share (0-100) of clean SORTOI imports answered without their `<Order>` block, as live
    /// SYSPRO 8 answers some (docs/vendors/syspro.md, "SORTOI answers"); the connector must
    /// then find the order in SorMaster.
    public var sysproOmitOrderPercent: Int
    /// Whether SYSPRO keeps the customer amendment journal (ArAmendmentJnl), a company's
    /// choice: off by default, the stricter case, where a client learns nothing of when a
    /// customer changed (docs/vendors/syspro.md, "Customer changes: the amendment journal").
    public var sysproAmendmentJournal = false

    public init(host: String = "127.0.0.1", port: Int = 0, sessionTimeout: Double = 1200,
                odataPageSize: Int = 5000, accessTokenLifetime: Int = 3600, rateLimit: Int = 150,
                webhookSecret: String? = nil, rowversionFormat: RowversionFormat = .base64,
                odataBinaryCompare: Bool = false, hubspotTier: HubSpotTier = .professional, hubspotDailyLimit: Int? = nil,
                hubspotTimeZone: ZoneInfo = SandboxOptions.defaultHubSpotZone, hubspotMergedIds: MergedIds = .refused,
                twilioConcurrency: Int = 100, twilioPerSecond: Int = 0, twilioStatusStep: Double = 1,
                shipBob: ShipBobSwitches = ShipBobSwitches(),
                twilioCallbackSigning: TwilioCallbackSigning = .authToken, twilioSignedURLPort: TwilioSignedURLPort = .asGiven,
                sysproOmitOrderPercent: Int = 50) {
        self.host = host
        self.port = port
        self.sessionTimeout = sessionTimeout
        self.odataPageSize = odataPageSize
        self.accessTokenLifetime = accessTokenLifetime
        self.rateLimit = rateLimit
        self.webhookSecret = webhookSecret ?? SandboxOptions.randomWebhookSecret()
        self.rowversionFormat = rowversionFormat
        self.odataBinaryCompare = odataBinaryCompare
        self.hubspotTier = hubspotTier
        self.hubspotDailyLimit = hubspotDailyLimit
        self.hubspotTimeZone = hubspotTimeZone
        self.hubspotMergedIds = hubspotMergedIds
        self.twilioConcurrency = twilioConcurrency
        self.twilioPerSecond = twilioPerSecond
        self.twilioStatusStep = twilioStatusStep
        self.shipBob = shipBob
        self.twilioCallbackSigning = twilioCallbackSigning
        self.twilioSignedURLPort = twilioSignedURLPort
        self.sysproOmitOrderPercent = sysproOmitOrderPercent
    }

    /// HubSpot's own example account zone; UTC only where the system has no zone files.
    public static let defaultHubSpotZone = (try? ZoneInfo(identifier: "America/New_York")) ?? .utc

    /// Standard Webhooks secrets are `whsec_` + base64 key bytes (docs/vendors/shipbob.md, Standard Webhooks).
    public static func randomWebhookSecret() -> String {
        "whsec_" + Data(Crypto.randomBytes(24)).base64EncodedString()
    }
}
