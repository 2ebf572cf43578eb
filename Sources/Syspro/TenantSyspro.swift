import ConnectorKit
import ConnectorNet
import ConnectorConfig

extension VendorContext {
    /// The tenant's OData client: `syspro.odata_user` with the sealed `syspro_odata_password`.
    public func odata() throws -> ODataClient {
        try ODataClient(settings: config.syspro, secrets: secrets(), tenant: tenant, http: http, policy: policy)
    }

    /// The tenant's e.net session, cached sealed in `tokens/` and shared by every job.
    public func sysproSession() throws -> SysproSession {
        SysproSession(settings: config.syspro, tenant: tenant, secrets: try secrets(), http: http, policy: policy)
    }

    /// The tenant's e.net client, on `session` when the caller keeps it too (the probe logs it off).
    public func syspro(session: SysproSession? = nil) throws -> SysproClient {
        SysproClient(settings: config.syspro, session: try session ?? sysproSession(), http: http, policy: policy)
    }
}
