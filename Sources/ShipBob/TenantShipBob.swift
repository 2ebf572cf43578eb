import ConnectorKit
import ConnectorNet

extension VendorContext {
    /// The tenant's ShipBob client, with PAT or OAuth as its config says.
    public func shipbob() throws -> ShipBobClient {
        ShipBobClient(config: config, tenant: tenant, secrets: try secrets(), http: http, policy: policy, logger: logger)
    }
}
