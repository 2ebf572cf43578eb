import ConnectorKit
import ConnectorNet
import GoLive
import HubSpot
import JobCLI
import ShipBob
import Twilio
import WebhookCore
import ConnectorConfig

extension VendorContext {
    /// The context of the operator commands that call the vendors (`ping`, `probe`,
    /// `discover`). Unlike a job's, it opens the secrets at once: a missing or unreadable
    /// master key stops the command before any check is made.
    convenience init(_ common: CommonOptions) throws {
        let tenant = try common.tenantPaths()
        self.init(tenant: tenant, config: try TenantConfig.load(tenant.config), logger: Logger(job: "ml-connector", verbose: common.verbose),
                  metrics: nil, masterKeyPath: common.layout.masterKeyPath)
        _ = try secrets()
    }
}
