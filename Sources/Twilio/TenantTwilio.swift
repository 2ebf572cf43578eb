import ConnectorKit
import ConnectorNet
import ConnectorConfig

extension VendorContext {
    /// The tenant's Twilio client; nil when config names no account (`po-alerts-twilio` is not set up).
    public func twilio() throws -> TwilioClient? {
        guard let account = config.twilio.accountSid else { return nil }
        return TwilioClient(settings: config.twilio, account: account,
                            credentials: try TwilioCredentials.load(config.twilio, secrets(), tenant: tenant.name), http: http, policy: policy)
    }
}
