import Alerts
import ArgumentParser
import ConnectorKit
import GoLive
import JobCLI
import ShipBob
import Twilio
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig
import Secrets

struct Config: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "config", abstract: "Configuration commands.", subcommands: [Check.self])

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate config.json and the secrets it needs, for one tenant or all.",
            discussion: "Prints one line per tenant; exits 78 if any tenant is misconfigured.")
        @OptionGroup var common: CommonOptions

        func run() throws {
            guarded("ml-connector") {
                let layout = common.layout
                let names = common.tenant != nil || ProcessInfo.processInfo.environment["ML_CONNECTOR_TENANT"] != nil
                    ? [try JobRunner.tenantName(common.tenant)] : try layout.tenantNames()
                guard !names.isEmpty else { throw ConfigError(file: layout.tenantsDirectory, key: "(directory)", problem: "holds no tenant; run `ml-connector init --tenant NAME`") }
                var failures = 0
                for name in names {
                    do {
                        try TenantCheck(layout: layout, tenant: layout.tenant(name)).run()
                        print("ok \(name)")
                    } catch {
                        failures += 1
                        print("FAIL \(name): \(error)")
                    }
                }
                if failures > 0 { throw ConfigError(file: layout.tenantsDirectory, key: "(tenants)", problem: "\(failures) of \(names.count) misconfigured") }
            }
        }
    }
}

/// Everything `config check` verifies for one tenant: the config parses and validates,
/// the master key is sound, and every secret this configuration needs is set and opens.
struct TenantCheck {
    let layout: StateLayout
    let tenant: TenantPaths

    func run() throws {
        let config = try TenantConfig.load(tenant.config)
        let key = try MasterKey.load(from: layout.masterKeyPath)
        let store = SecretStore(path: tenant.secrets, key: key)
        var needed = [SecretName.sysproOperatorPassword, SecretName.sysproODataPassword, SecretName.shipbobWebhookSecret]
        needed += config.shipbob.auth == .pat ? [SecretName.shipbobPAT] : [SecretName.shipbobClientSecret]
        // Alerts need the Twilio credential they authenticate with, the Auth Token whenever
        // callbacks are signed, and a number for every person a rule reaches.
        if !config.alerts.rules.isEmpty {
            needed.append(config.twilio.apiKeySid == nil ? SecretName.twilioAuthToken : SecretName.twilioApiKeySecret)
            if config.twilio.statusCallbackURL != nil { needed.append(SecretName.twilioAuthToken) }
            needed += config.alerts.people(config.alerts.rules.flatMap(\.recipients)).map(AlertSettings.phoneSecret)
        }
        for name in needed { _ = try store.require(name, tenant: tenant.name) }
        if let secret = try store.get(SecretName.shipbobWebhookSecret) {
            do { _ = try StandardWebhooks(secret: secret) }
            catch { throw SecretError(path: tenant.secrets, problem: "\(SecretName.shipbobWebhookSecret) is not a whsec_ base64 secret") }
        }
        // Optional, but when set it must open with this key.
        _ = try store.get(SecretName.sysproCompanyPassword)
    }
}
