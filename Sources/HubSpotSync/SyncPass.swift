import ConnectorKit
import ConnectorNet
import HubSpot
import Syspro
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig
import Secrets

/// One pass of `syspro-to-hubspot`: SYSPRO ArCustomer and ArInvoice (with ArTrnDetail lines)
/// changed since the cursors (or, on a server refusing binary comparisons, whose rowversion
/// differs from the one stored per row in state/syspro-to-hubspot/rowversions-*.json), plus
/// records `ml-connector replay` requeued, into HubSpot companies, contacts, invoices and line
/// items, associated. Each cursor advances only after HubSpot holds the records it covers (or
/// they are parked as invalid).
public struct SyncPass {
    public static let job = "syspro-to-hubspot"
    /// The config sections the job reads, besides ConnectorConfig's.
    public static var configSections: [any ConfigSection.Type] { [SysproSettings.self, HubSpotSettings.self] }

    struct Cursor: Codable, Sendable {
        var customers: RowVersion?
        var invoices: RowVersion?
    }

    /// What one pass read and parked.
    public struct Summary {
        public var customers = 0, invoices = 0, lines = 0, parked = 0
    }

    let tenant: TenantPaths
    let config: TenantConfig
    let client: HubSpotClient
    let odata: ODataClient
    /// Seals the personal details of audit lines.
    let key: MasterKey
    let logger: Logger
    let metrics: JobMetrics
    /// Read every customer and invoice again and check that HubSpot still holds each record
    /// sent before (`--full`).
    let full: Bool

    public init(tenant: TenantPaths, config: TenantConfig, client: HubSpotClient, odata: ODataClient, key: MasterKey,
                logger: Logger, metrics: JobMetrics, full: Bool) {
        self.tenant = tenant; self.config = config; self.client = client; self.odata = odata; self.key = key
        self.logger = logger; self.metrics = metrics; self.full = full
    }

    public func run() throws -> Summary {
        let stateDir = tenant.state(Self.job)
        let customersMap = try JournaledMap<CustomerIds>(path: stateDir / "customers.json")
        let invoicesMap = try JournaledMap<InvoiceState>(path: stateDir / "invoices.json")
        defer { try? customersMap.compact(); try? invoicesMap.compact() }
        var sync = HubSpotSync(crm: client, mapping: PropertyMapping(settings: config.hubspot), customers: customersMap,
                               invoices: invoicesMap, audit: AuditLog(directory: tenant.audit, job: Self.job),
                               seal: { try key.seal($0, context: SealContext.auditPersonal) }, metrics: metrics)
        sync.verify = full
        sync.reread = { codes in
            try odata.fetch(entitySet: SysproFacts.EntitySet.arCustomer, whereAnyOf: "Customer", in: codes, select: CustomerRow.select).map(CustomerRow.init)
        }
        let outbox = tenant.outbox("hubspot")
        try outbox.prepare()
        _ = try outbox.recover()
        let replayed = try claimReplayed(outbox)

        let cursorFile = CursorFile<Cursor>(path: tenant.cursor(Self.job))
        var cursor = full ? Cursor() : (try cursorFile.load() ?? Cursor())
        let overlap = config.inventory.rowversionOverlap

        // Customers first: an invoice is associated to its customer's contact and company.
        let modes = ODataModeStore(tenant: tenant, odata: odata)
        let customerVersions = RowVersionIndex(path: stateDir / "rowversions-ArCustomer.json")
        let customersRead = try IncrementalRead(odata: odata, entitySet: SysproFacts.EntitySet.arCustomer, keyFields: ["Customer"],
                                                select: CustomerRow.select, condition: nil)
            .changed(since: cursor.customers, overlap: overlap, modes: modes, known: { full ? nil : try customerVersions.load() }) { $0 }
        var customerRows = try customersRead.rows.map(CustomerRow.init)
        let replayCustomers = replayed.filter { $0.kind == .customer }.map(\.lookup).filter { k in !customerRows.contains { $0.code == k } }
        customerRows += try odata.fetch(entitySet: SysproFacts.EntitySet.arCustomer, whereAnyOf: "Customer", in: replayCustomers, select: CustomerRow.select).map(CustomerRow.init)
        let parkedCustomers = try sync.syncCustomers(customerRows)
        try settle(outbox, replayed.filter { $0.kind == .customer }, parked: parkedCustomers)
        if let versions = customersRead.versions { try customerVersions.save(versions) }
        cursor.customers = customersRead.ceiling
        try cursorFile.save(cursor)

        let invoiceVersions = RowVersionIndex(path: stateDir / "rowversions-ArInvoice.json")
        let invoicesRead = try IncrementalRead(odata: odata, entitySet: SysproFacts.EntitySet.arInvoice,
                                               keyFields: ["Customer", "Invoice", "DocumentType"], select: InvoiceRow.select, condition: nil)
            .changed(since: cursor.invoices, overlap: overlap, modes: modes, known: { full ? nil : try invoiceVersions.load() }) { $0 }
        var invoiceRows = try invoicesRead.rows.map(InvoiceRow.init)
        let replayInvoices = replayed.filter { $0.kind == .invoice }.filter { r in !invoiceRows.contains { $0.key == r.key } }
        let wanted = Set(replayInvoices.map(\.key))
        invoiceRows += try odata.fetch(entitySet: SysproFacts.EntitySet.arInvoice, whereAnyOf: "Invoice", in: replayInvoices.map(\.lookup), select: InvoiceRow.select)
            .map(InvoiceRow.init).filter { wanted.contains($0.key) }
        try attachCurrencies(&invoiceRows, odata: odata, read: customerRows)
        try attachLines(&invoiceRows, odata: odata)
        let parkedInvoices = try sync.syncInvoices(invoiceRows)
        try settle(outbox, replayed.filter { $0.kind == .invoice }, parked: parkedInvoices)
        if let versions = invoicesRead.versions { try invoiceVersions.save(versions) }
        cursor.invoices = invoicesRead.ceiling
        try cursorFile.save(cursor)


        return Summary(customers: customerRows.count, invoices: invoiceRows.count,
                       lines: invoiceRows.reduce(0) { $0 + $1.lines.count }, parked: parkedCustomers.count + parkedInvoices.count)
    }

    /// Creates the custom properties once per tenant (remembered in `properties.json`).
    public func ensureProperties() throws {
        let marker = tenant.state(Self.job) / "properties.json", audit = AuditLog(directory: tenant.audit, job: Self.job)
        guard !Posix.exists(marker) else { return }
        var created: [String] = []
        for (type, definitions) in SyncProperties.definitions { created += try client.ensureProperties(type, definitions) }
        for name in created {
            logger.info("created HubSpot property", ["property": name])
            try audit.record(AuditEntry(action: "create-property", source: "hubspot", id: name, outcome: "created"))
        }
        try AtomicFile.writeJSON(SyncProperties.definitions.flatMap { t in t.1.map { "\(t.type).\($0.name)" } }, to: marker)
    }

    struct Replayed { var id: String; var kind: Parked.Kind; var key: String; var lookup: String }

    /// Records `ml-connector replay` put back in `outbox/hubspot/new/`, claimed for this run.
    private func claimReplayed(_ outbox: SpoolQueue) throws -> [Replayed] {
        var out: [Replayed] = []
        for id in try outbox.pending() where try outbox.claim(id) {
            let j = try JSONValue.parse(try outbox.read(id))
            guard let kind = j["kind"]?.string.flatMap(Parked.Kind.init(rawValue:)), let key = j["key"]?.string,
                  let lookup = j["lookup"]?.string else {
                try outbox.fail(id, reason: "not an outbox record (kind, key and lookup)")
                continue
            }
            out.append(Replayed(id: id, kind: kind, key: key, lookup: lookup))
        }
        return out
    }

    /// Parks what HubSpot refused; files replayed records as done, or failed again.
    private func settle(_ outbox: SpoolQueue, _ replayed: [Replayed], parked: [Parked]) throws {
        for p in parked {
            if replayed.contains(where: { $0.id == p.id }) { try outbox.fail(p.id, reason: p.message); continue }
            var w = JSONObjectWriter()
            w.field("key", p.key)
            w.field("kind", p.kind.rawValue)
            w.field("lookup", p.lookup)
            try outbox.park(id: p.id, data: Data(w.bytes), reason: p.message)
        }
        for r in replayed where !parked.contains(where: { $0.id == r.id }) { try outbox.complete(r.id) }
    }

    /// Each invoice's currency, its customer's ArCustomer.Currency (ArInvoice has none:
    /// docs/vendors/syspro.md, "Columns the connector reads"): from the customers read this
    /// run, else 40 customers a query, or past `wholeTableAbove` customers the whole table.
    private func attachCurrencies(_ invoices: inout [InvoiceRow], odata: ODataClient, read: [CustomerRow], wholeTableAbove: Int = 400) throws {
        guard !invoices.isEmpty else { return }
        var currencies = Dictionary(read.map { ($0.code, $0.currency) }, uniquingKeysWith: { _, b in b })
        let missing = Array(Set(invoices.map(\.customer)).subtracting(currencies.keys)).sorted()
        if !missing.isEmpty {
            let rows = missing.count > wholeTableAbove
                ? try odata.fetch(entitySet: SysproFacts.EntitySet.arCustomer, select: ["Customer", "Currency"])
                : try odata.fetch(entitySet: SysproFacts.EntitySet.arCustomer, whereAnyOf: "Customer", in: missing, select: ["Customer", "Currency"])
            for row in rows {
                if let code = row["Customer"]?.string?.trimmed { currencies[code] = row["Currency"]?.string?.trimmed ?? "" }
            }
        }
        for i in invoices.indices { invoices[i].currency = currencies[invoices[i].customer] ?? "" }
    }

    /// ArTrnDetail lines of the invoices read: 40 invoices per query, or, past
    /// `wholeTableAbove` invoices (a first run, `--full`), the whole table in pages, which
    /// costs SYSPRO far less than hundreds of 40-way `or` filters.
    private func attachLines(_ invoices: inout [InvoiceRow], odata: ODataClient, wholeTableAbove: Int = 400) throws {
        guard !invoices.isEmpty else { return }
        var byInvoice: [String: [(customer: String, line: InvoiceRow.Line)]] = [:]
        let rows = invoices.count > wholeTableAbove
            ? try odata.fetch(entitySet: SysproFacts.EntitySet.arTrnDetail, select: InvoiceRow.lineSelect, orderBy: "Invoice,DetailLine")
            : try odata.fetch(entitySet: SysproFacts.EntitySet.arTrnDetail, whereAnyOf: "Invoice", in: invoices.map(\.invoice), select: InvoiceRow.lineSelect)
        for row in rows {
            if let l = InvoiceRow.line(row) { byInvoice[l.invoice, default: []].append((l.customer, l.line)) }
        }
        for i in invoices.indices {
            invoices[i].lines = (byInvoice[invoices[i].invoice] ?? [])
                .filter { $0.customer.isEmpty || $0.customer == invoices[i].customer }.map(\.line).sorted { $0.detailLine < $1.detailLine }
        }
    }
}
