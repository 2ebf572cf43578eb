import ConnectorKit
import ConnectorNet
import WebhookCore

extension HubSpotClient {
    /// The tenant's HubSpot client as every job builds it: its Private App token, the bucket
    /// all of the tenant's processes share (`rate/hubspot.json`), and that bucket's daily count
    /// kept in the account's time zone, so two jobs never disagree about when the day begins.
    public static func forTenant(config: TenantConfig, tenant: TenantPaths, secrets: SecretStore, http: HTTPClient,
                                 policy: RetryPolicy, logger: Logger) throws -> (client: HubSpotClient, limiter: SharedRateLimiter) {
        // Where syspro-to-hubspot first kept the zone it asked for; every job reads it there.
        let account = AccountZone(configured: config.hubspot.timeZone, cache: tenant.state("syspro-to-hubspot") / "account.json")
        let zone = try account.known()
        let limiter = SharedRateLimiter(path: tenant.rate("hubspot"), api: "HubSpot", perWindow: config.hubspot.perTenSeconds,
                                        window: HubSpotFacts.window, daily: config.hubspot.daily, zone: zone ?? .utc)
        let client = HubSpotClient(settings: config.hubspot, token: try secrets.require(SecretName.hubspotToken, tenant: tenant.name),
                                   http: http, policy: policy, limiter: limiter)
        if zone == nil { limiter.zone = try account.ask(client, logger: logger) }
        return (client, limiter)
    }
}
