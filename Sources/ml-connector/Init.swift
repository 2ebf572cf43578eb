import ArgumentParser
import ConnectorKit
import GoLive
import JobCLI
import ShipBob
import Syspro
import WebhookCore
import ConnectorConfig

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the state layout, the master key and a tenant's config.",
        discussion: """
        Writes an example config.json to edit (URLs, mappings) and leaves the secrets to \
        `ml-connector secret set`. Run again on an existing tenant, it keeps config.json and \
        creates what a newer release needs (directories, format versions). \
        To try the connector first, `ml-sandbox init-tenant` wires a tenant to the simulators.
        """)

    @OptionGroup var common: CommonOptions
    @Flag(help: "Overwrite an existing config.json.") var force = false

    func run() throws {
        guarded("ml-connector") {
            let tenant = try common.tenantPaths()
            let setup = try TenantInit(layout: common.layout, tenant: tenant, logger: Logger(job: "ml-connector"))
            if !setup.configExisted || force { try AtomicFile.writeJSON(Init.exampleConfig, to: tenant.config) }
            // Refuse to leave a config behind that the jobs would reject.
            _ = try TenantConfig.load(tenant.config)
            print("tenant \(tenant.name) ready in \(tenant.root)\(setup.configExisted && !force ? " (config.json kept)" : "")")
            print("next: edit \(tenant.config), then `ml-connector secret set NAME --tenant \(tenant.name)` for each of: \(SecretName.all.joined(separator: ", "))")
        }
    }

    static let exampleConfig = TenantConfig(
        mappings: Mappings(channelCustomers: ["55176": "0000100"], skuStockCodes: [:], locationWarehouses: ["10": "LA"]),
        sections: TenantConfig.everyDefault + [
            SysproSettings(restURL: "https://syspro.example.com:31002/SYSPROWCFService/Rest",
                           odataURL: "https://syspro.example.com/SYSPRO8Odata/SYSPROOData",
                           operator: "ADMIN", companyID: "EDU1", odataUser: "odata", orderWarehouse: "FG"),
            ShipBobSettings(apiURL: "https://api.shipbob.com/2026-07", auth: .pat, channelID: nil),
        ])
}
