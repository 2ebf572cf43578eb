import ConnectorKit
import ConnectorNet
import Fulfillment
import HubSpot
import ShipBob
import Syspro
import Twilio
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig

/// Every assumption the connector makes about a tenant's systems, checked without changing
/// any data: reads, a SYSPRO Logon/Logoff of the connector's own session (the jobs log on
/// again), nothing posted. Each check is independent: one that fails to run says why and
/// the others still run.
public struct TenantProbe {
    public struct Clients {
        public let syspro: SysproClient, session: SysproSession, odata: ODataClient, shipbob: ShipBobClient
        public let hubspot: HubSpotClient?, twilio: TwilioClient?, http: HTTPClient, policy: RetryPolicy
        /// For the raw OData reads (`$metadata`, one page) that the typed client does not make.
        public let odataPassword: String
        /// Where the probed change-detection mode is stored for the jobs.
        public let modeStore: ODataModeStore
        public init(syspro: SysproClient, session: SysproSession, odata: ODataClient, shipbob: ShipBobClient,
                    hubspot: HubSpotClient?, twilio: TwilioClient?, http: HTTPClient, policy: RetryPolicy, odataPassword: String,
                    modeStore: ODataModeStore) {
            self.syspro = syspro; self.session = session; self.odata = odata; self.shipbob = shipbob
            self.hubspot = hubspot; self.twilio = twilio; self.http = http; self.policy = policy; self.odataPassword = odataPassword
            self.modeStore = modeStore
        }
    }

    let config: TenantConfig
    let clients: Clients

    public init(config: TenantConfig, clients: Clients) { self.config = config; self.clients = clients }

    public func run() -> [ProbeResult] {
        var out: [ProbeResult] = []
        func check(_ system: String, _ name: String, _ body: () throws -> ProbeResult) {
            do { out.append(try body()) } catch {
                let refused = (error as? ConnectorError)?.exitStatus == .config
                out.append(ProbeResult(system: system, check: name, outcome: refused ? .differs : .cannotCheck, detail: "\(error)",
                                       change: refused ? "the credentials or settings this call uses" : nil))
            }
        }
        let s = "SYSPRO e.net", o = "SYSPRO OData", sb = "ShipBob"
        var session = ""
        check(s, "logon") {
            session = try clients.session.current()
            return ok(s, "logon", "session for operator \(config.syspro.operator) on company \(config.syspro.companyID)")
        }
        check(s, "session reuse") {
            _ = try clients.syspro.logonProfile()
            _ = try clients.syspro.logonProfile()
            let after = try clients.session.current()
            return after == session ? ok(s, "session reuse", "two calls answered on one session")
                : ProbeResult(system: s, check: "session reuse", outcome: .differs, detail: "expected one session for two calls, found a new Logon",
                              change: "syspro.session_timeout_minutes (SYSPRO's idle timeout)")
        }
        check(s, "server time zone") { try serverTimeZone() }
        check(s, "invalid-session text") { try invalidSessionText(session) }
        for object in ["SORTOI", "INVTMR", "INVTMA"] {
            check(s, "\(object) validates") { try validates(object) }
        }
        check(s, "SORTDN validates") { try dispatchValidates() }
        writeBackChecks(check)
        check(o, "entity sets and columns") { try entitySets() }
        check(o, "binary filters") { try binaryFilters() }
        check(o, "page size") { try pageSize() }
        let channels = (try? clients.shipbob.channels()) ?? []
        check(sb, "token") {
            let list = try clients.shipbob.channels()
            return ok(sb, "token", "accepted; \(list.count) channel(s)")
        }
        check(sb, "token scopes") { try shipBobScopes() }
        check(sb, "mapped channels") {
            let known = Set(channels.map { String($0.id) })
            let missing = config.mappings.channelCustomers.keys.filter { !known.contains($0) }.sorted()
            return missing.isEmpty ? ok(sb, "mapped channels", "\(config.mappings.channelCustomers.count) mapped, all exist")
                : ProbeResult(system: sb, check: "mapped channels", outcome: .differs,
                              detail: "mappings.channel_customers names channel(s) ShipBob does not list: \(missing.joined(separator: ", "))",
                              change: "mappings.channel_customers (ml-connector discover lists the channels)")
        }
        check(sb, "mapped fulfillment centers") {
            let known = Set(try clients.shipbob.fulfillmentCenters().map { String($0.id) })
            let missing = config.mappings.locationWarehouses.keys.filter { !known.contains($0) }.sorted()
            return missing.isEmpty ? ok(sb, "mapped fulfillment centers", "\(config.mappings.locationWarehouses.count) mapped, all exist")
                : ProbeResult(system: sb, check: "mapped fulfillment centers", outcome: .differs,
                              detail: "mappings.location_warehouses names center(s) ShipBob does not list: \(missing.joined(separator: ", "))",
                              change: "mappings.location_warehouses (ml-connector discover lists the centers)")
        }
        check(sb, "product barcodes") { try productBarcodes() }
        check(sb, "webhook subscriptions") { try webhookSubscriptions() }
        check(sb, "receiving") {
            _ = try clients.shipbob.read("receiving", query: [("Page", "1"), ("Limit", "1")])
            return ok(sb, "receiving", "GET /receiving answers")
        }
        if let hubspot = clients.hubspot {
            check("HubSpot", "token") {
                ok("HubSpot", "token", "accepted; companies have \(try hubspot.propertyCount("companies")) properties")
            }
            check("HubSpot", "token scopes") {
                let granted = Set(try hubspot.tokenScopes())
                let missing = HubSpotFacts.requiredScopes.filter { !granted.contains($0) }
                return missing.isEmpty ? ok("HubSpot", "token scopes", "all \(HubSpotFacts.requiredScopes.count) the sync needs are granted")
                    : ProbeResult(system: "HubSpot", check: "token scopes", outcome: .differs, detail: "the token lacks \(missing.joined(separator: ", "))",
                                  change: "add those scopes to the private app in HubSpot, then store its new token (secret hubspot_token)")
            }
            check("HubSpot", "account time zone") {
                guard let zone = try hubspot.accountTimeZone() else {
                    return ProbeResult(system: "HubSpot", check: "account time zone", outcome: .cannotCheck, detail: "the account details carry no timeZone")
                }
                if let configured = config.hubspot.timeZone, configured != zone {
                    return ProbeResult(system: "HubSpot", check: "account time zone", outcome: .differs,
                                       detail: "hubspot.time_zone is \(configured), the account's is \(zone): the daily limit resets at the account's midnight",
                                       change: "hubspot.time_zone = \(zone) (or leave it out to read it from the account)")
                }
                return ok("HubSpot", "account time zone", zone)
            }
        } else {
            out.append(ProbeResult(system: "HubSpot", check: "token", outcome: .cannotCheck, detail: "no hubspot_token secret: syspro-to-hubspot is not set up"))
        }
        if let twilio = clients.twilio {
            check("Twilio", "credentials") { _ = try twilio.newest(); return ok("Twilio", "credentials", "accepted") }
            check("Twilio", "sender") { try twilioSender(twilio) }
            out.append(statusCallback())
        } else {
            out.append(ProbeResult(system: "Twilio", check: "credentials", outcome: .cannotCheck, detail: "no twilio.account_sid: po-alerts-twilio is not set up"))
        }
        return out
    }

    func ok(_ system: String, _ check: String, _ detail: String) -> ProbeResult {
        ProbeResult(system: system, check: check, outcome: .ok, detail: detail)
    }

    /// The company date in SYSPRO's logon profile against today in `syspro.time_zone`: a wrong
    /// zone shows on the hours the two calendars disagree (docs/vendors/syspro.md, "Logon
    /// profile: the company date").
    private func serverTimeZone() throws -> ProbeResult {
        let name = "server time zone"
        let raw = try clients.syspro.logonProfile().value("CompanyDate")?.trimmed ?? ""
        let digits = raw.filter(\.isNumber)
        guard digits.count == 8 else {
            return ProbeResult(system: "SYSPRO e.net", check: name, outcome: .cannotCheck,
                               detail: raw.isEmpty ? "the logon profile has no CompanyDate" : "CompanyDate \"\(raw)\" is not a date this probe reads")
        }
        let theirs = "\(digits.prefix(4))-\(digits.dropFirst(4).prefix(2))-\(digits.suffix(2))"
        let ours = try config.syspro.localDate(Date())
        return theirs == ours ? ok("SYSPRO e.net", name, "SYSPRO's company date \(theirs) is today in \(config.syspro.timeZone)")
            : ProbeResult(system: "SYSPRO e.net", check: name, outcome: .differs,
                          detail: "SYSPRO's company date is \(theirs), today in \(config.syspro.timeZone) is \(ours)",
                          change: "syspro.time_zone (the SYSPRO server's zone), or the company date if SYSPRO's is set by hand")
    }

    /// Logs the connector's session off and asks with the dead id: the answer must read as
    /// the invalid-session error the client re-logs on (docs/vendors/syspro.md, "e.net REST:
    /// the invalid-session text").
    private func invalidSessionText(_ id: String) throws -> ProbeResult {
        guard !id.isEmpty else { return ProbeResult(system: "SYSPRO e.net", check: "invalid-session text", outcome: .cannotCheck, detail: "no session to log off") }
        try clients.session.logoff()
        let request = HTTPRequest(.get, URLEncoding.url(URLEncoding.join(config.syspro.restURL, "GetLogonProfile"), query: [("UserId", id)]))
        let answer = SysproFacts.answerText(try clients.http.perform(request, policy: clients.policy).body)
        return SysproFacts.isInvalidSession(answer)
            ? ok("SYSPRO e.net", "invalid-session text", "after Logoff: \"\(answer.prefix(80))\"")
            : ProbeResult(system: "SYSPRO e.net", check: "invalid-session text", outcome: .differs,
                          detail: "expected an invalid-session error after Logoff, found \"\(answer.prefix(120))\"",
                          change: "report this text: the connector must learn it (Sources/Syspro/SysproFacts.swift, invalidSessionPhrases)")
    }

    /// A document of the kind the jobs post, built from the tenant's own data (a mapped
    /// customer, a mapped warehouse, a stock code stocked there), sent as a validation only
    /// (docs/vendors/syspro.md, "Validate-only posts"): SYSPRO's own checks answer, in its words.
    private func validates(_ object: String) throws -> ProbeResult {
        let name = "\(object) validates"
        guard let warehouse = config.mappings.locationWarehouses.values.sorted().first ?? Optional(config.syspro.orderWarehouse),
              let row = try clients.odata.fetch(entitySet: SysproFacts.EntitySet.invWarehouse, filter: "Warehouse eq '\(warehouse)'",
                                                select: ["StockCode", "Warehouse"], top: 1).first,
              let stockCode = row["StockCode"]?.string?.trimmed else {
            return ProbeResult(system: "SYSPRO e.net", check: name, outcome: .cannotCheck, detail: "no stock code is stocked in a mapped warehouse to build one from")
        }
        let today = try config.syspro.localDate(Date())
        let reference = "PROBE-" + String(UTC.now())
        let parameters: String, xmlIn: String
        switch object {
        case "SORTOI":
            guard let customer = config.mappings.channelCustomers.sorted(by: { $0.key < $1.key }).first?.value else {
                return ProbeResult(system: "SYSPRO e.net", check: name, outcome: .cannotCheck, detail: "no channel is mapped to a customer yet")
            }
            let order = SysproSalesOrder(customerPoNumber: reference, customer: customer, orderDate: today,
                                         lines: [.init(customerPoLine: 1, stockCode: stockCode, warehouse: warehouse, quantity: 1)])
            parameters = SalesOrderImport.parameters(ignoreWarnings: config.orders.ignoreWarnings, allowZeroPrice: false)
            xmlIn = try SalesOrderImport.xmlIn(order)
        default:
            let kind: InventoryMovements.Kind = object == "INVTMR" ? .receipt : .adjustment
            let line = InventoryMovementLine(warehouse: warehouse, stockCode: stockCode, quantity: 1, reference: reference,
                                             binLocation: config.movements.bin(warehouse: warehouse, stockCode: stockCode),
                                             lot: config.movements.configuredLot(stockCode))
            parameters = InventoryMovements.parameters(kind, transactionDate: today)
            xmlIn = try InventoryMovements.xmlIn(kind, [line])
        }
        return try validation(object, parameters: parameters, xmlIn: xmlIn, what: "\(stockCode) in \(warehouse)",
                              change: "what SYSPRO names (for bins and lots: the movements section of config.json)")
    }

    /// SORTDN, what every shipped shipment posts (`orders.on_shipped` starts with a dispatch
    /// note either way), for one unit of a stock line of a real open sales order, built by the
    /// jobs' own builder and sent as a validation only (docs/vendors/syspro.md, "Shipped
    /// orders relieve stock through dispatch notes").
    private func dispatchValidates() throws -> ProbeResult {
        let object = SalesOrderLifecycle.dispatchBusinessObject
        let open = try clients.odata.fetch(entitySet: SysproFacts.EntitySet.sorMaster, filter: ODataFilter.anyOf("OrderStatus", SysproFacts.dispatchableSalesOrderStatuses),
                                           select: ["SalesOrder"], top: 10)
        for salesOrder in open.compactMap({ $0["SalesOrder"]?.string?.trimmed }) where !salesOrder.isEmpty {
            // An order with no dispatch note yet has its whole quantity open: one unit fits.
            guard try clients.odata.dispatchNotes(salesOrder: salesOrder).isEmpty,
                  let line = try clients.odata.salesOrderLines(salesOrder: salesOrder).first(where: { $0.orderQty > 0 }) else { continue }
            let xmlIn = try SalesOrderLifecycle.dispatchXmlIn(salesOrder: salesOrder, reference: "PROBE-" + String(UTC.now()), comments: [],
                                                              lines: [.init(salesOrderLine: line.salesOrderLine, quantity: min(1, line.orderQty))])
            return try validation(object, parameters: SalesOrderLifecycle.dispatchParameters(ignoreWarnings: config.orders.ignoreWarnings),
                                  xmlIn: xmlIn, what: "line \(line.salesOrderLine) (\(line.stockCode)) of sales order \(salesOrder)",
                                  change: "what SYSPRO names (dispatch notes must be allowed for the order's warehouse and stock code)")
        }
        return ProbeResult(system: "SYSPRO e.net", check: "\(object) validates", outcome: .cannotCheck,
                           detail: "SYSPRO has no open sales order (status \(SysproFacts.dispatchableSalesOrderStatuses.joined(separator: ", "))) without dispatch notes and with a stock line to build a dispatch note from")
    }

    /// Sends `xmlIn` as a validation only (docs/vendors/syspro.md, "Validate-only posts"):
    /// SYSPRO's own checks answer, in its words.
    private func validation(_ object: String, parameters: String, xmlIn: String, what: String, change: String) throws -> ProbeResult {
        let name = "\(object) validates"
        guard let validating = DryRunGuard.validating(parameters: parameters, businessObject: object) else {
            return ProbeResult(system: "SYSPRO e.net", check: name, outcome: .cannotCheck, detail: "\(object) has no documented validate-only mode")
        }
        let answer = try clients.syspro.post(businessObject: object, parameters: validating, xmlIn: xmlIn)
        let errors = answer.all("ErrorDescription").map(\.trimmedText).filter { !$0.isEmpty }
        return errors.isEmpty ? ok("SYSPRO e.net", name, "a document for \(what) passes SYSPRO's validation")
            : ProbeResult(system: "SYSPRO e.net", check: name, outcome: .differs,
                          detail: "SYSPRO refuses a document for \(what): \(errors.joined(separator: "; "))", change: change)
    }

    /// Every entity set and column the jobs read is in `$metadata` (docs/vendors/syspro.md,
    /// "Columns the connector reads").
    private func entitySets() throws -> ProbeResult {
        let name = "entity sets and columns"
        let request = HTTPRequest(.get, URLEncoding.join(config.syspro.odataURL, "$metadata"),
                                  basicAuth: (config.syspro.odataUser, clients.odataPassword))
        let response = try clients.http.perform(request, policy: clients.policy)
        guard response.isSuccess else { throw HTTPStatusError(request: request, response: response) }
        let metadata = ODataCSDL(String(decoding: response.body, as: UTF8.self))
        var needed = SysproFacts.columnsRead
        needed[SysproFacts.EntitySet.invMaster, default: []].append(config.inventory.barcodeField)
        var missing: [String] = []
        for (set, columns) in needed.sorted(by: { $0.key < $1.key }) {
            guard let present = metadata.properties(of: set) else { missing.append(set); continue }
            missing += columns.filter { !present.contains($0) }.map { "\(set).\($0)" }
        }
        guard !missing.isEmpty else {
            return ok("SYSPRO OData", name, "all \(needed.count) entity sets and \(needed.values.map(\.count).reduce(0, +)) columns the jobs read are in $metadata")
        }
        let barcode = missing.contains("\(SysproFacts.EntitySet.invMaster).\(config.inventory.barcodeField)")
        return ProbeResult(system: "SYSPRO OData", check: name, outcome: .differs, detail: "$metadata lacks \(missing.joined(separator: ", "))",
                           change: barcode ? "inventory.barcode_field (the InvMaster column holding the barcode), or publish the rest in SYSPRO's OData service"
                                           : "syspro.odata_url, or publish them in SYSPRO's OData service")
    }

    /// Whether the server compares rowversions (stored, as the jobs would: docs/vendors/syspro.md,
    /// "OData binary comparisons"). Refused is not wrong, only slower: the jobs then read keyed.
    private func binaryFilters() throws -> ProbeResult {
        let record = try clients.modeStore.probe(SysproFacts.EntitySet.invWarehouse)
        return record.mode == .binaryCompare
            ? ok("SYSPRO OData", "binary filters", "TimeStamp comparisons and $orderby accepted: jobs read only what changed")
            : ProbeResult(system: "SYSPRO OData", check: "binary filters", outcome: .differs,
                          detail: "the server refuses TimeStamp comparisons (\(record.evidence)); the jobs read every row's key and TimeStamp each run",
                          change: "nothing required: keyed reads are stored as this tenant's mode (allowing binary comparisons in the OData service makes runs cheaper)")
    }

    /// The most rows the server answers in one response, against `syspro.odata_page_size`.
    private func pageSize() throws -> ProbeResult {
        let asked = max(config.syspro.odataPageSize, 1) * 2
        let url = URLEncoding.join(config.syspro.odataURL, SysproFacts.EntitySet.invMaster) + "?$select=StockCode&$top=\(asked)"
        let request = HTTPRequest(.get, url, headers: [("Accept", "application/json")], basicAuth: (config.syspro.odataUser, clients.odataPassword))
        let response = try clients.http.perform(request, policy: clients.policy)
        guard response.isSuccess, let json = try? JSONValue.parse(response.body), let rows = json["value"]?.array else {
            throw HTTPStatusError(request: request, response: response)
        }
        let capped = json["@odata.nextLink"] != nil
        guard capped else { return ok("SYSPRO OData", "page size", "answered \(rows.count) of \(asked) rows asked in one response") }
        return rows.count >= config.syspro.odataPageSize
            ? ok("SYSPRO OData", "page size", "server pages at \(rows.count) rows; syspro.odata_page_size \(config.syspro.odataPageSize) fits")
            : ProbeResult(system: "SYSPRO OData", check: "page size", outcome: .differs,
                          detail: "server pages at \(rows.count) rows, below syspro.odata_page_size \(config.syspro.odataPageSize)",
                          change: "syspro.odata_page_size = \(rows.count)")
    }

    /// Variants carry `barcodes: [{value}]`, the field the push writes (docs/vendors/shipbob.md).
    private func productBarcodes() throws -> ProbeResult {
        let page = try clients.shipbob.read("product", query: [("PageSize", "5")])
        let products = page.array ?? page["items"]?.array ?? []
        guard let variant = products.lazy.compactMap({ $0["variants"]?.array?.first }).first else {
            return ProbeResult(system: "ShipBob", check: "product barcodes", outcome: .cannotCheck, detail: "the account has no product yet")
        }
        if variant["barcodes"]?.array != nil { return ok("ShipBob", "product barcodes", "variants carry barcodes[{value}]") }
        return ProbeResult(system: "ShipBob", check: "product barcodes", outcome: .differs,
                           detail: "expected variants with barcodes[{value}], found fields \(variant.object.map { $0.keys.sorted().joined(separator: ", ") } ?? "none")",
                           change: "shipbob.api_url's version (2026-07 documents barcodes)")
    }

    /// A subscription posts to this receiver (`webhook.public_url`), is enabled, and carries
    /// every order topic the connector handles.
    private func webhookSubscriptions() throws -> ProbeResult {
        let name = "webhook subscriptions"
        guard let mine = config.webhook.publicURL else {
            return ProbeResult(system: "ShipBob", check: name, outcome: .cannotCheck,
                               detail: "webhook.public_url is not set, so this receiver's subscription cannot be told apart")
        }
        let page = try clients.shipbob.read("webhook", query: [("RecordsPerPage", "250")])
        let items = page["items"]?.array ?? page.array ?? []
        let ours = items.filter { $0["url"]?.string == mine }
        guard !ours.isEmpty else {
            let elsewhere = items.compactMap { $0["url"]?.string }
            return ProbeResult(system: "ShipBob", check: name, outcome: .differs,
                               detail: "no subscription posts to \(mine); " + (elsewhere.isEmpty ? "the account has none" : "they post to \(elsewhere.joined(separator: ", "))"),
                               change: "subscribe \(mine) in ShipBob (POST /webhook with the order topics), or correct webhook.public_url")
        }
        let enabled = ours.filter { $0["enabled"] != .bool(false) }
        guard !enabled.isEmpty else {
            return ProbeResult(system: "ShipBob", check: name, outcome: .differs, detail: "the subscription to \(mine) is disabled",
                               change: "enable it in ShipBob (it is disabled after 5 days of failed deliveries)")
        }
        let topics = Set(enabled.flatMap { $0["topics"]?.array?.compactMap(\.string) ?? [] })
        let missing = ShipBobFacts.orderTopics.filter { !topics.contains($0) }
        return missing.isEmpty ? ok("ShipBob", name, "\(mine) receives every order topic")
            : ProbeResult(system: "ShipBob", check: name, outcome: .differs,
                          detail: "the subscription to \(mine) lacks \(missing.joined(separator: ", "))",
                          change: "add those topics to the subscription")
    }

    private func statusCallback() -> ProbeResult {
        guard let url = config.twilio.statusCallbackURL else {
            return ProbeResult(system: "Twilio", check: "status callback URL", outcome: .differs,
                               detail: "twilio.status_callback_url is not set: delivery reports never arrive",
                               change: "twilio.status_callback_url = https://<your host>/webhooks/<tenant>/twilio")
        }
        return url.hasPrefix("https://") || url.hasPrefix("http://127.") || url.hasPrefix("http://localhost")
            ? ok("Twilio", "status callback URL", url)
            : ProbeResult(system: "Twilio", check: "status callback URL", outcome: .differs, detail: "\(url) is not https",
                          change: "twilio.status_callback_url (Twilio signs the URL it calls; nginx must serve it over TLS)")
    }
}
