import Alerts
import ConnectorKit
import Fulfillment
import HubSpot
import ShipBob
import Syspro
import Twilio
import ConnectorConfig

/// The whole of config.json, for those that check or write all of it (`ml-connector`'s
/// commands, `config check` first; discovery's candidate config; the sandbox's demo tenant):
/// GoLive links every module that owns a section.
extension TenantConfig {
    /// Every section beyond ConnectorKit's, `twilio` before `alerts` (whose rules need its sender).
    public static var everySection: [any ConfigSection.Type] {
        [SysproSettings.self, ShipBobSettings.self, TrackingSettings.self, OrdersSettings.self, HubSpotSettings.self,
         TwilioSettings.self, AlertSettings.self, MovementSettings.self]
    }

    /// Every section that has a default, at it: a config built in code starts from these, so
    /// it is written whole.
    public static var everyDefault: [any ConfigSection] { everySection.compactMap { $0.absent } }

    /// Loads and checks config.json with every section.
    public static func load(_ path: String) throws -> TenantConfig { try load(path, sections: everySection) }
}
