import ConnectorKit
import WebhookCore
import ConnectorConfig
import Secrets

/// What every vendor client of a run is built from, so every job and every operator command
/// builds its clients the same way: the tenant, its validated config, one HTTP client and one
/// retry policy for the whole run, and the tenant's sealed secrets. Each vendor module adds
/// its own factory (`Tenant<Vendor>.swift` there: `odata()`, `syspro()`, `shipbob()`,
/// `hubspot()`, `twilio()`), so a program links only the vendors it calls.
///
/// Nothing is opened before a client needs it: a pass that ends early (nothing configured,
/// nothing to do) neither reads the master key nor makes an HTTP client.
public final class VendorContext {
    public let tenant: TenantPaths
    public let config: TenantConfig
    public let logger: Logger
    public let policy: RetryPolicy
    /// One for the run, so consecutive requests reuse its connection; a job's counts each
    /// vendor's 429 answers in its metrics.
    public private(set) lazy var http = HTTPClient(config: config, logger: logger, metrics: metrics)
    private let metrics: JobMetrics?
    private let masterKeyPath: String
    private var opened: SecretStore?

    public init(tenant: TenantPaths, config: TenantConfig, logger: Logger, metrics: JobMetrics?, masterKeyPath: String) {
        self.tenant = tenant; self.config = config; self.logger = logger; self.metrics = metrics
        self.masterKeyPath = masterKeyPath
        policy = RetryPolicy(settings: config.http)
    }

    /// The tenant's sealed credentials, the master key read once a run.
    public func secrets() throws -> SecretStore {
        if let opened { return opened }
        let store = SecretStore(path: tenant.secrets, key: try MasterKey.load(from: masterKeyPath))
        opened = store
        return store
    }
}
