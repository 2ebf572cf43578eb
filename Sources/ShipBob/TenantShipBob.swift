import ConnectorKit
import ConnectorNet
import ConnectorConfig

extension VendorContext {
    /// The tenant's ShipBob client, with PAT or OAuth as its config says.
    public func shipbob() throws -> ShipBobClient {
        ShipBobClient(settings: config.shipbob, auth: try shipbobAuth(), http: http, policy: policy, logger: logger)
    }

    /// The tenant's ShipBob credentials alone: what `ml-connector oauth` exchanges a code with.
    public func shipbobAuth() throws -> ShipBobAuth {
        ShipBobAuth(settings: config.shipbob, tenant: tenant, secrets: try secrets(), http: http, policy: policy)
    }
}
