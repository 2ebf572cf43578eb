import ArgumentParser
import ConnectorKit

/// The operator's tool. Each subcommand is one file; all share `CommonOptions`.
@main
struct MLConnector: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml-connector",
        abstract: "Set up, check and operate ml-connector tenants.",
        discussion: "Exit status: 0 ok, 64 usage, 65 bad data, 69 a remote system unavailable, 75 try later, 78 configuration error.",
        version: "0.1.0",
        subcommands: [Init.self, Secret.self, Config.self, Ping.self, Replay.self])
}

struct CommonOptions: ParsableArguments {
    @Option(help: "State directory (default $ML_CONNECTOR_STATE or /var/lib/ml-connector).")
    var state: String?

    @Option(help: "Tenant name (default $ML_CONNECTOR_TENANT).")
    var tenant: String?

    @Flag(name: .shortAndLong, help: "Log debug lines too.")
    var verbose = false

    var layout: StateLayout { StateLayout.resolve(state) }

    func tenantPaths() throws -> TenantPaths { layout.tenant(try JobRunner.tenantName(tenant)) }
}

/// Runs a subcommand body and turns its errors into one line and a sysexits status.
func guarded(_ job: String, _ body: () throws -> Void) {
    do { try body() } catch { JobRunner.fail(error, job: job) }
}
