import ConnectorKit
import ConnectorNet
import TimeZones
import WebhookCore
import ConnectorConfig

extension VendorContext {
    /// The tenant's HubSpot client as every job builds it: its Private App token, the bucket
    /// all of the tenant's processes share (`rate/hubspot.json`), and that bucket's daily count
    /// kept in the account's time zone, so two jobs never disagree about when the day begins
    /// (asked of HubSpot once when neither config nor an earlier run knows it).
    public func hubspot() throws -> (client: HubSpotClient, limiter: SharedRateLimiter) {
        let account = accountZone
        let zone = try account.known()
        let (client, limiter) = try hubspot(token: secrets().require(SecretName.hubspotToken, tenant: tenant.name), zone: zone ?? .utc)
        if zone == nil { limiter.zone = try account.ask(client, logger: logger) }
        return (client, limiter)
    }

    /// The same for an operator's check: nil when the tenant has no HubSpot token
    /// (`syspro-to-hubspot` is not set up), and HubSpot is not asked for its time zone (a
    /// check writes no state): an unknown zone counts UTC days.
    public func hubspotIfSetUp() throws -> HubSpotClient? {
        guard let token = try secrets().get(SecretName.hubspotToken) else { return nil }
        return try hubspot(token: token, zone: accountZone.known() ?? .utc).client
    }

    /// Where syspro-to-hubspot first kept the zone it asked for; every job reads it there.
    private var accountZone: AccountZone {
        AccountZone(configured: config.hubspot.timeZone, cache: tenant.state("syspro-to-hubspot") / "account.json")
    }

    private func hubspot(token: String, zone: ZoneInfo) throws -> (client: HubSpotClient, limiter: SharedRateLimiter) {
        let limiter = SharedRateLimiter(path: tenant.rate("hubspot"), api: "HubSpot", perWindow: config.hubspot.perTenSeconds,
                                        window: HubSpotFacts.window, daily: config.hubspot.daily, zone: zone)
        return (HubSpotClient(settings: config.hubspot, token: token, http: http, policy: policy, limiter: limiter), limiter)
    }
}
