import Alerts
import ConnectorKit
import GoLive
import HubSpot
import ShipBob
import Syspro
import Twilio
import ConnectorConfig

/// The demo tenant `ml-sandbox init-tenant` wires to the simulators: the sandbox's URLs and
/// credentials, mappings of its seed data, and alert rules on the transitions it simulates.
/// Demo choices live here, not in the product's `ml-connector init`.
enum DemoTenant {
    static func config(base: String, creds: SandboxCredentials) -> TenantConfig {
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
        if creds.twilio != nil { alerts = DemoTenant.alerts }
        // The demo keeps every stock code stocked in FG as a ShipBob product, valued at price code A.
        var inventory = InventorySettings()
        inventory.includePrices = true
        inventory.pushWarehouses = ["FG"]
        // The demo's channel 55178 is left unmapped on purpose: its orders show the attention path.
        let shipbob = ShipBobSettings(apiURL: base + "/shipbob/2026-07", auth: .pat, tokenURL: base + "/shipbob/connect/token",
                                      clientID: creds.clientID, channelID: creds.channelID)
        return TenantConfig(
            http: http,
            mappings: Mappings(channelCustomers: ["55176": "0000100", "55177": "0000101"],
                               skuStockCodes: ["TShirtBlueM": "TS-BLU-M"],
                               locationWarehouses: ["10": "LA", "17": "DA", "28": "NY"]),
            inventory: inventory, sections: TenantConfig.everyDefault + [syspro, shipbob, hubspot, twilio, alerts])
    }

    /// The demo's people (`phone.<person>` secrets): numbers in the sandbox's +1 range.
    static let phones = [("kmo", "+15555550101"), ("rlt", "+15555550102"), ("apdesk", "+15555550103")]

    /// Transitions SYSPRO really makes (docs/vendors/syspro.md, "Purchasing: PO statuses,
    /// requisition approval, posted AP invoices"): approval happens on requisition lines
    /// (ReqnStatus; the approved code "A" is the demo's, unconfirmed for a live site), a
    /// purchase order goes from 1 (ready to print) to 4 (printed), and a supplier invoice
    /// appears in ApInvoice when posted.
    static var alerts: AlertSettings {
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
