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
    /// Served before the simulators, each once (`--fixtures`); not undone by a reset.
    let fixtures: Fixtures
    /// Taken inside `world`'s lock when both are needed, never the other way round.
    let shipBobSwitches: Locked<ShipBobSwitches>

    init(options: SandboxOptions) {
        self.options = options
        self.world = Locked(World.seeded())
        self.fixtures = Fixtures(options.fixtures)
        self.shipBobSwitches = Locked(options.shipBob)
    }
}
