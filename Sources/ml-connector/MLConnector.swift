import ArgumentParser
import ConnectorKit
import JobCLI

/// The operator's tool. Each subcommand is one file; all share `CommonOptions`.
@main
struct MLConnector: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ml-connector",
        abstract: "Set up, check and operate ml-connector tenants.",
        discussion: "Exit status: 0 ok, 64 usage, 65 bad data, 69 a remote system unavailable, 75 try later, 78 configuration error.",
        version: "0.1.0",
        subcommands: [Init.self, Secret.self, Config.self, Ping.self, Probe.self, Discover.self, OAuth.self, Status.self, Audit.self, Attention.self, Replay.self,
                      Hold.self, Release.self, RotateKey.self])
}
