import ConnectorKit
import ConnectorNet
import GoLive
import HubSpot
import JobCLI
import ShipBob
import Twilio
import WebhookCore

/// What the operator commands that call the vendors (`ping`, `probe`, `discover`) share: the
/// tenant, its validated config and sealed secrets, one HTTP client and its retry policy, and
/// the clients built from them the way the jobs build theirs.
struct VendorContext {
    let tenant: TenantPaths
    let config: TenantConfig
    let secrets: SecretStore
    let logger: Logger
    let http: HTTPClient
    let policy: RetryPolicy

    init(_ common: CommonOptions) throws {
        tenant = try common.tenantPaths()
        config = try TenantConfig.load(tenant.config)
        secrets = SecretStore(path: tenant.secrets, key: try MasterKey.load(from: common.layout.masterKeyPath))
        logger = Logger(job: "ml-connector", verbose: common.verbose)
        http = HTTPClient(settings: config.http, logger: logger)
        policy = RetryPolicy(settings: config.http)
    }

    func shipbob() -> ShipBobClient {
        ShipBobClient(config: config, tenant: tenant, secrets: secrets, http: http, policy: policy, logger: logger)
    }

    /// Nil when the tenant has no HubSpot token (syspro-to-hubspot is not set up).
    func hubspot() throws -> HubSpotClient? {
        guard let token = try secrets.get(SecretName.hubspotToken) else { return nil }
        let limiter = SharedRateLimiter(path: tenant.rate("hubspot"), api: "HubSpot", perWindow: config.hubspot.perTenSeconds,
                                        window: HubSpotFacts.window, daily: config.hubspot.daily)
        return HubSpotClient(settings: config.hubspot, token: token, http: http, policy: policy, limiter: limiter)
    }

    /// Nil when the tenant names no Twilio account (po-alerts-twilio is not set up).
    func twilio() throws -> TwilioClient? {
        guard let account = config.twilio.accountSid else { return nil }
        return TwilioClient(settings: config.twilio, account: account,
                            credentials: try TwilioCredentials.load(config.twilio, secrets, tenant: tenant.name), http: http, policy: policy)
    }
}
