import ConnectorKit

/// Everything the simulators know, replaced wholesale by `POST /_control/reset`.
struct World: Sendable {
    var syspro: SysproDatabase
    var sessions: SysproSessions
    var shipbob: ShipBobStore
    var auth: ShipBobAuth
    var rate: RateLimiter
    var hubspot = HubSpotStore()
    var twilio = TwilioStore()
    var movementSettings = SysproMovementSettings()
    var faults: [Fault] = []
    var log: [RequestLogEntry] = []

    static func seeded() -> World {
        World(syspro: SeedData.syspro(), sessions: SysproSessions(), shipbob: SeedData.shipBob(),
              auth: ShipBobAuth(), rate: RateLimiter())
    }
}

/// Shared by every request handler of one running sandbox.
final class SandboxState: Sendable {
    let options: SandboxOptions
    let world: Locked<World>

    init(options: SandboxOptions) {
        self.options = options
        self.world = Locked(World.seeded())
    }
}
