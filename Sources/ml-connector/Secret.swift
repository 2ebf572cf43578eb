import ArgumentParser
import ConnectorKit
import JobCLI
import Twilio
import WebhookCore
import Secrets

struct Secret: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret",
        abstract: "Store credentials encrypted.",
        subcommands: [Set.self, List.self])

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set",
            abstract: "Read a secret's value from standard input and store it sealed with the master key.",
            discussion: """
            Names: \(SecretName.all.joined(separator: ", ")), and phone.<person> for each person alerts.groups or \
            alerts.rules[].recipients name (an E.164 number like +15551234567). The value never appears on a command line.
            """)

        @Argument(help: "Secret name.") var name: String
        @OptionGroup var common: CommonOptions

        func run() throws {
            guarded("ml-connector") {
                guard SecretName.isKnown(name) else {
                    throw UsageError(message: "unknown secret \(name); known: \(SecretName.all.joined(separator: ", ")), phone.<person>")
                }
                let tenant = try common.tenantPaths()
                guard Posix.exists(tenant.root) else { throw UsageError(message: "tenant \(tenant.name) does not exist; run `ml-connector init --tenant \(tenant.name)`") }
                let input = String(decoding: try Posix.readAll(0, limit: 65536, path: "stdin"), as: UTF8.self)
                let value = input.hasSuffix("\n") ? String(input.dropLast()) : input
                guard !value.isEmpty else { throw UsageError(message: "no value on standard input for \(name)") }
                if name.hasPrefix(SecretName.phonePrefix), !TwilioSettings.isE164(value) {
                    throw UsageError(message: "\(name): expected an E.164 number like +15551234567 on standard input")
                }
                let key = try MasterKey.load(from: common.layout.masterKeyPath)
                try SecretStore(path: tenant.secrets, key: key).set(name, value: value)
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "list", abstract: "List the names of the stored secrets (never their values).")
        @OptionGroup var common: CommonOptions

        func run() throws {
            guarded("ml-connector") {
                let tenant = try common.tenantPaths()
                let key = try MasterKey.load(from: common.layout.masterKeyPath)
                for name in try SecretStore(path: tenant.secrets, key: key).names() { print(name) }
            }
        }
    }
}
