import ConnectorKit
import ConnectorConfig

extension HTTPClient {
    /// A job's client for a tenant: its 429 answers are counted in `metrics` under the vendor
    /// (`syspro`, `shipbob`, `hubspot`, `twilio`) whose URL in `config.json` they came from,
    /// for each vendor whose section the job loaded.
    public convenience init(config: TenantConfig, logger: Logger, metrics: JobMetrics?) {
        self.init(settings: config.http, logger: logger, metrics: metrics, apis: config.vendorAPIs)
    }
}
