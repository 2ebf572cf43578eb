import ConnectorKit

extension HTTPClient {
    /// A tenant's client: a job's 429 answers are counted in `metrics` under the vendor
    /// (`syspro`, `shipbob`, `hubspot`, `twilio`) whose URL in `config.json` they came from.
    public convenience init(config: TenantConfig, logger: Logger, metrics: JobMetrics?) {
        var apis = [(config.syspro.restURL, "syspro"), (config.syspro.odataURL, "syspro"), (config.shipbob.apiURL, "shipbob"),
                    (config.hubspot.apiURL, "hubspot"), (config.twilio.apiURL, "twilio")]
        if let token = config.shipbob.tokenURL { apis.append((token, "shipbob")) }
        self.init(settings: config.http, logger: logger, metrics: metrics, apis: apis.map { (prefix: $0.0, name: $0.1) })
    }
}
