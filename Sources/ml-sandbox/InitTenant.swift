import Alerts
import ArgumentParser
import ConnectorKit
import GoLive
import JobCLI
import WebhookCore
import ConnectorConfig
import Secrets

/// `ml-sandbox init-tenant`: a tenant to try the connector on before any credentials exist.
/// The state is laid out by the product's own initialiser (TenantInit); only the config and
/// secrets are the demo's.
struct InitTenant: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init-tenant",
        abstract: "Create a demo tenant wired to a running `ml-sandbox serve`.",
        discussion: """
        Lays the tenant out as `ml-connector init` does, then writes a config.json pointing at \
        the simulators (the demo's mappings, inventory push and alert rules) and stores the \
        sandbox's credentials and the demo people's phone numbers, sealed. An existing \
        config.json is kept unless --force; the credentials are stored again either way, since \
        a restarted sandbox has new ones.

        Example:
          ml-sandbox init-tenant --sandbox http://127.0.0.1:8080 --state ./state --tenant demo
        """)

    @OptionGroup var common: CommonOptions
    @Option(help: "Base URL of a running ml-sandbox (e.g. http://127.0.0.1:8080).") var sandbox: String
    @Flag(help: "Overwrite an existing config.json.") var force = false

    func run() throws {
        guarded("ml-sandbox") {
            let tenant = try common.tenantPaths()
            let setup = try TenantInit(layout: common.layout, tenant: tenant, logger: Logger(job: "ml-sandbox"))
            let base = sandbox.hasSuffix("/") ? String(sandbox.dropLast()) : sandbox
            let creds = try SandboxCredentials.fetch(base)
            if !setup.configExisted || force { try AtomicFile.writeJSON(DemoTenant.config(base: base, creds: creds), to: tenant.config) }
            let store = SecretStore(path: tenant.secrets, key: setup.key)
            try store.set(SecretName.sysproOperatorPassword, value: creds.operatorPassword)
            if !creds.companyPassword.isEmpty { try store.set(SecretName.sysproCompanyPassword, value: creds.companyPassword) }
            try store.set(SecretName.sysproODataPassword, value: creds.odataPassword)
            try store.set(SecretName.shipbobPAT, value: creds.pat)
            try store.set(SecretName.shipbobClientSecret, value: creds.clientSecret)
            try store.set(SecretName.shipbobRefreshToken, value: creds.refreshToken)
            try store.set(SecretName.shipbobWebhookSecret, value: creds.webhookSecret)
            if let token = creds.hubspotToken { try store.set(SecretName.hubspotToken, value: token) }
            if let t = creds.twilio {
                try store.set(SecretName.twilioAuthToken, value: t.authToken)
                try store.set(SecretName.twilioApiKeySecret, value: t.apiKeySecret)
                if let key = creds.twilioWebhookSharedKey { try store.set(SecretName.twilioWebhookSharedKey, value: key) }
                for (person, number) in DemoTenant.phones { try store.set(AlertSettings.phoneSecret(person), value: number) }
            }
            // Refuse to leave a config behind that the jobs would reject.
            _ = try TenantConfig.load(tenant.config)
            print("tenant \(tenant.name) ready in \(tenant.root)\(setup.configExisted && !force ? " (config.json kept)" : "")")
        }
    }
}
