import ArgumentParser
import ConnectorKit
import JobCLI
import ConnectorNet

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create the state layout, the master key and a tenant's config.",
        discussion: """
        Without --sandbox, writes an example config.json to edit (URLs, mappings) and leaves \
        the secrets to `ml-connector secret set`. With --sandbox URL, wires the tenant to a \
        running `ml-sandbox serve` and stores its demo credentials, sealed.
        """)

    @OptionGroup var common: CommonOptions
    @Option(help: "Base URL of a running ml-sandbox (e.g. http://127.0.0.1:8080).") var sandbox: String?
    @Flag(help: "Overwrite an existing config.json.") var force = false

    func run() throws {
        guarded("ml-connector") {
            let layout = common.layout
            let tenant = try common.tenantPaths()
            try Posix.makeDirectories(layout.root, mode: 0o750)
            let newRoot = !Posix.exists(layout.masterKeyPath)
            let key = try MasterKey.create(at: layout.masterKeyPath)
            let exists = Posix.exists(tenant.config)
            try tenant.prepare()
            // New state is written in this build's formats; older state is migrated as a job would.
            let logger = Logger(job: "ml-connector")
            if newRoot { try StateVersion.stamp(layout.root) }
            else { try StateVersion.ensure(layout.root, migrations: StateVersion.rootMigrations, logger: logger) }
            if !exists { try StateVersion.stamp(tenant.root) }
            else { try StateVersion.ensure(tenant.root, migrations: StateVersion.tenantMigrations, logger: logger) }
            if let sandbox {
                let base = sandbox.hasSuffix("/") ? String(sandbox.dropLast()) : sandbox
                let creds = try SandboxCredentials.fetch(base)
                if !exists || force { try AtomicFile.writeJSON(Init.sandboxConfig(base: base, creds: creds), to: tenant.config) }
                let store = SecretStore(path: tenant.secrets, key: key)
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
                    for (person, number) in Init.demoPhones { try store.set(AlertSettings.phoneSecret(person), value: number) }
                }
            } else if !exists || force {
                try AtomicFile.writeJSON(Init.exampleConfig, to: tenant.config)
            }
            // Refuse to leave a config behind that the jobs would reject.
            _ = try TenantConfig.load(tenant.config)
            print("tenant \(tenant.name) ready in \(tenant.root)\(exists && !force ? " (config.json kept)" : "")")
            if sandbox == nil {
                print("next: edit \(tenant.config), then `ml-connector secret set NAME --tenant \(tenant.name)` for each of: \(SecretName.all.joined(separator: ", "))")
            }
        }
    }

    static let exampleConfig = TenantConfig(
        syspro: SysproSettings(restURL: "https://syspro.example.com:31002/SYSPROWCFService/Rest",
                               odataURL: "https://syspro.example.com/SYSPRO8Odata/SYSPROOData",
                               operator: "ADMIN", companyID: "EDU1", odataUser: "odata", orderWarehouse: "FG"),
        shipbob: ShipBobSettings(apiURL: "https://api.shipbob.com/2026-07", auth: .pat, channelID: nil),
        mappings: Mappings(channelCustomers: ["55176": "0000100"], skuStockCodes: [:], locationWarehouses: ["10": "LA"]))

    static func sandboxConfig(base: String, creds: SandboxCredentials) -> TenantConfig {
        var syspro = SysproSettings(restURL: base + "/syspro/SYSPROWCFService/Rest", odataURL: base + "/syspro/odata",
                                    operator: creds.operator, companyID: creds.companyID, odataUser: creds.odataUser,
                                    orderWarehouse: "FG")
        syspro.timeZone = "America/Chicago"
        syspro.sessionTimeoutMinutes = 20
        var http = HTTPSettings()
        http.connectTimeoutSeconds = 5
        http.timeoutSeconds = 30
        // The sandbox's HubSpot, its currency ($ is US dollars) and the demo's terms codes.
        var hubspot = HubSpotSettings()
        hubspot.apiURL = base + "/hubspot"
        hubspot.currencyCodes = ["$": "USD"]
        hubspot.termsDays = ["CC": 0, "30": 30, "60": 60]
        // The sandbox's Twilio, with the API Key (Twilio's recommended credential) and the
        // demo's alerts: requisitions approved, purchase orders printed, AP invoices posted.
        var twilio = TwilioSettings()
        twilio.apiURL = base + "/twilio"
        twilio.messagingURL = base + "/twilio-messaging"
        twilio.accountSid = creds.twilio?.accountSid
        twilio.apiKeySid = creds.twilio?.apiKeySid
        twilio.from = creds.twilio?.from
        var alerts = AlertSettings()
        if creds.twilio != nil { alerts = Init.demoAlerts }
        // The demo keeps every stock code stocked in FG as a ShipBob product, valued at price code A.
        var inventory = InventorySettings()
        inventory.includePrices = true
        inventory.pushWarehouses = ["FG"]
        // The demo's channel 55178 is left unmapped on purpose: its orders show the attention path.
        return TenantConfig(
            syspro: syspro,
            shipbob: ShipBobSettings(apiURL: base + "/shipbob/2026-07", auth: .pat, tokenURL: base + "/shipbob/connect/token",
                                     clientID: creds.clientID, channelID: creds.channelID),
            http: http,
            mappings: Mappings(channelCustomers: ["55176": "0000100", "55177": "0000101"],
                               skuStockCodes: ["TShirtBlueM": "TS-BLU-M"],
                               locationWarehouses: ["10": "LA", "17": "DA", "28": "NY"]),
            inventory: inventory, hubspot: hubspot, twilio: twilio, alerts: alerts)
    }

    /// The demo's people (`phone.<person>` secrets): numbers in the sandbox's +1 range.
    static let demoPhones = [("kmo", "+15555550101"), ("rlt", "+15555550102"), ("apdesk", "+15555550103")]

    /// Transitions SYSPRO really makes (docs/vendors/syspro.md, "Purchasing: PO statuses,
    /// requisition approval, posted AP invoices"): approval happens on requisition lines
    /// (ReqnStatus; the approved code "A" is the demo's, unconfirmed for a live site), a
    /// purchase order goes from 1 (ready to print) to 4 (printed), and a supplier invoice
    /// appears in ApInvoice when posted.
    static var demoAlerts: AlertSettings {
        var a = AlertSettings()
        a.groups = ["buyers": ["kmo"], "procurement": ["kmo", "rlt"], "ap": ["apdesk"]]
        let supplier = AlertRule.Lookup(table: "ApSupplier", key: "Supplier", fields: ["SupplierName"])
        let lines = AlertRule.Lines(table: "PorMasterDetail", quantity: "MOrderQty", price: "MPrice")
        a.rules = [
            AlertRule(name: "requisition-approved", table: "ReqDetail", key: ["Requisition", "Line"], watch: "ReqnStatus", to: ["A"],
                      lookups: [supplier],
                      template: "Requisition {Requisition} line {Line} approved: {OrderQty} {StockCode} from {SupplierName}, due {DueDate:date}",
                      recipients: ["buyers"]),
            AlertRule(name: "po-printed", table: "PorMasterHdr", key: ["PurchaseOrder"], watch: "OrderStatus", from: ["1"], to: ["4"],
                      lines: lines, lookups: [supplier],
                      template: "PO {PurchaseOrder} printed for {SupplierName}: ${Total}, {LineCount} lines (buyer {Buyer})",
                      recipients: ["procurement"]),
            AlertRule(name: "ap-posted", table: "ApInvoice", key: ["Supplier", "Invoice"], watch: "Journal", from: [""],
                      lookups: [supplier],
                      template: "AP invoice {Invoice} from {SupplierName} posted to AP journal {Journal}: ${OrigInvValue:2}, due {DueDate:date}",
                      recipients: ["ap"]),
        ]
        return a
    }
}

/// What `GET /_control/credentials` of ml-sandbox answers.
struct SandboxCredentials {
    var `operator`: String, operatorPassword: String, companyID: String, companyPassword: String
    var odataUser: String, odataPassword: String
    var pat: String, clientID: String, clientSecret: String, refreshToken: String, channelID: Int64?
    var webhookSecret: String
    var hubspotToken: String?
    var twilio: (accountSid: String, authToken: String, apiKeySid: String, apiKeySecret: String, from: String)?
    /// The SharedKey secret the sandbox signs callbacks with under `--twilio-callback-signing shared-key-*`.
    var twilioWebhookSharedKey: String?

    static func fetch(_ base: String) throws -> SandboxCredentials {
        let http = HTTPClient(settings: HTTPSettings(), logger: Logger(job: "ml-connector"))
        let url = base + "/_control/credentials"
        let response = try http.send(HTTPRequest(.get, url))
        guard response.status == 200, let json = try? JSONValue.parse(response.body) else {
            throw DataError(source: url, problem: "answered \(response.status); is ml-sandbox serving there?")
        }
        func field(_ section: String?, _ key: String) throws -> String {
            let v: JSONValue? = if let section { json[section]?[key] } else { json[key] }
            guard let s = v?.string else { throw DataError(source: url, problem: "no \(section.map { $0 + "." } ?? "")\(key) in the answer") }
            return s
        }
        return SandboxCredentials(
            operator: try field("syspro", "operator"), operatorPassword: try field("syspro", "operator_password"),
            companyID: try field("syspro", "company_id"), companyPassword: (try? field("syspro", "company_password")) ?? "",
            odataUser: try field("syspro", "odata_user"), odataPassword: try field("syspro", "odata_password"),
            pat: try field("shipbob", "pat"), clientID: try field("shipbob", "client_id"),
            clientSecret: try field("shipbob", "client_secret"), refreshToken: try field("shipbob", "refresh_token"),
            channelID: json["shipbob"]?["channel_id"]?.int64, webhookSecret: try field(nil, "webhook_secret"),
            hubspotToken: json["hubspot"]?["token"]?.string,
            twilio: json["twilio"].flatMap { t in
                guard let a = t["account_sid"]?.string, let tok = t["auth_token"]?.string, let k = t["api_key_sid"]?.string,
                      let ks = t["api_key_secret"]?.string, let f = t["from"]?.string else { return nil }
                return (a, tok, k, ks, f)
            },
            twilioWebhookSharedKey: json["twilio"]?["webhook_shared_key_secret"]?.string)
    }
}
