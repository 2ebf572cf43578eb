import ConnectorKit
import HubSpot
import WebhookCore

/// What the sync needs from HubSpot; `HubSpotClient` is the live one.
public protocol CRM {
    func upsert(_ type: String, idProperty: String, _ inputs: [UpsertInput]) throws -> BatchOutcome
    func update(_ type: String, _ inputs: [(id: String, properties: [String: String])]) throws -> [BatchOutcome.Failure]
    func associate(_ from: String, _ to: String, _ pairs: [(String, String)]) throws -> [BatchOutcome.Failure]
    func read(_ type: String, idProperty: String, keys: [String]) throws -> [String: String]
}

extension HubSpotClient: CRM {}

/// A record HubSpot refused as invalid: parked in `outbox/hubspot/failed/` with HubSpot's
/// message until `ml-connector replay` sends it again.
public struct Parked: Equatable {
    public enum Kind: String { case customer, invoice }
    public var kind: Kind
    public var key: String
    public var message: String
    /// The value a replay looks the record up by in SYSPRO: Customer, or Invoice.
    public var lookup: String
    var id: String { AttentionBox.id(kind.rawValue, key) }
}

/// Still failing for a transient reason after the retries: the run stops without moving
/// its cursor, and the next run sends these records again (upserts make that harmless).
struct HubSpotStillFailing: ConnectorError {
    let count: Int
    let example: String
    var exitStatus: ExitStatus { .tempFail }
    var description: String { "HubSpot: \(count) records still failing for a transient reason after retries (e.g. \(example)); the next run sends them again" }
}

/// SYSPRO customers and invoices into HubSpot, in batches, each record once: companies,
/// contacts and invoices are upserted by unique keys, so a rerun after a crash updates
/// instead of duplicating, and associations are idempotent.
public struct HubSpotSync {
    let crm: CRM
    let mapping: PropertyMapping
    /// HubSpot's ids per customer code and per invoice key, and what was last sent.
    public let customers: JournaledMap<CustomerIds>
    public let invoices: JournaledMap<InvoiceState>
    let audit: AuditLog
    /// Seals personal data (names, emails, phone numbers) for the audit line.
    let seal: (String) throws -> String
    /// Counts what HubSpot now holds: records recorded as sent, not merely read.
    var metrics: JobMetrics
    /// `--full`: records unchanged since they were sent are checked to still exist in
    /// HubSpot under the cached id (one batch read by key per 100) instead of skipped.
    public var verify = false
    /// ArCustomer rows by code, read again from SYSPRO when HubSpot no longer holds a
    /// customer's cached company or contact (deleted or merged there).
    public var reread: ([String]) throws -> [CustomerRow] = { _ in [] }

    public init(crm: CRM, mapping: PropertyMapping, customers: JournaledMap<CustomerIds>, invoices: JournaledMap<InvoiceState>,
                audit: AuditLog, seal: @escaping (String) throws -> String, metrics: JobMetrics = JobMetrics()) {
        self.crm = crm; self.mapping = mapping; self.customers = customers; self.invoices = invoices; self.audit = audit
        self.seal = seal; self.metrics = metrics
    }

    /// What `customers` records as sent for a row: unchanged, it is not sent again.
    public func customerDigest(_ c: CustomerRow) -> String { SentDigest.of([mapping.company(c), mapping.contact(c)]) }

    /// What `invoices` records as sent for a row and its customer's ids.
    public func invoiceDigest(_ i: InvoiceRow) -> String {
        let who = customers[i.customer]
        return SentDigest.of([mapping.invoice(i)] + mapping.lines(i), extra: [who?.company ?? "", who?.contact ?? ""])
    }

    /// Customers whose properties changed since they were last sent: the cursor's overlap
    /// re-reads rows, and a row HubSpot already holds as it is costs no call.
    public func syncCustomers(_ all: [CustomerRow]) throws -> [Parked] {
        var rows = all.filter { customers[$0.code]?.sent != customerDigest($0) }
        if verify { rows += try gone(all.filter { customers[$0.code]?.sent == customerDigest($0) }) }
        return try push(rows)
    }

    /// Of customers HubSpot should hold as cached, those it does not: a company or contact
    /// deleted, or merged into another record, in HubSpot (its key now finds another id or
    /// none). They are upserted again like changed ones, which repairs the cache.
    private func gone(_ rows: [CustomerRow]) throws -> [CustomerRow] {
        guard !rows.isEmpty else { return [] }
        let companies = try crm.read(HubSpotFacts.ObjectType.companies, idProperty: SyncProperties.customerCode, keys: rows.map(\.code))
        let emails = rows.compactMap { r in customers[r.code]?.contact != nil ? r.email : nil }
        let contacts = emails.isEmpty ? [:] : try crm.read(HubSpotFacts.ObjectType.contacts, idProperty: "email", keys: emails)
        let stale = rows.filter { r in
            guard let cached = customers[r.code] else { return false }
            if companies[r.code] != cached.company { return true }
            if let contact = cached.contact, let email = r.email, contacts[email] != contact { return true }
            return false
        }
        for r in stale {
            try audit.record(AuditEntry(action: "verify-customer", source: "hubspot", id: r.code, outcome: "missing",
                                        reason: "HubSpot no longer holds the cached company or contact (deleted or merged there): upserted again"))
        }
        return stale
    }

    /// Upserts customers' companies and contacts, associates them, and records their ids.
    private func push(_ rows: [CustomerRow]) throws -> [Parked] {
        guard !rows.isEmpty else { return [] }
        var parked: [Parked] = []
        var transient: [BatchOutcome.Failure] = []
        let companies = try crm.upsert(HubSpotFacts.ObjectType.companies, idProperty: SyncProperties.customerCode, rows.map(mapping.company))
        sort(companies.failures, kind: .customer, into: &parked, transient: &transient) { $0 }
        let synced = rows.filter { companies.ids[$0.code] != nil }
        let contactInputs = Dictionary(synced.compactMap { mapping.contact($0) }.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let contacts = try crm.upsert(HubSpotFacts.ObjectType.contacts, idProperty: "email", Array(contactInputs.values).sorted { $0.key < $1.key })
        var pairs: [(String, String)] = []
        for c in synced {
            if let email = c.email, let f = contacts.failures.first(where: { $0.key == email }) {
                if f.isTransient { transient.append(f) } else { parked.append(Parked(kind: .customer, key: c.code, message: "contact \(email): \(f.message)", lookup: c.code)) }
            }
            if let email = c.email, let contact = contacts.ids[email] { pairs.append((contact, companies.ids[c.code]!)) }
        }
        transient += try crm.associate(HubSpotFacts.ObjectType.contacts, HubSpotFacts.ObjectType.companies, pairs)
        try throwIfTransient(transient)
        var records: [(key: String, value: CustomerIds?)] = []
        for c in synced where !parked.contains(where: { $0.key == c.code }) {
            let ids = CustomerIds(company: companies.ids[c.code]!, contact: c.email.flatMap { contacts.ids[$0] }, sent: customerDigest(c))
            records.append((c.code, ids))
            let personal = try seal(String(decoding: personalJSON(["name": c.name, "contact": c.contact, "email": c.email ?? "", "phone": c.telephone]), as: UTF8.self))
            try audit.record(AuditEntry(
                action: "upsert-customer", source: "syspro", id: c.code, outcome: companies.created.contains(c.code) ? "created" : "updated",
                reason: c.email == nil ? "no usable email: synced as a company without a contact" : nil,
                target: "hubspot company \(ids.company)" + (ids.contact.map { " contact \($0)" } ?? ""), personal: personal))
        }
        try customers.record(records)
        metrics.moved("companies", "syspro->hubspot", records.count)
        metrics.moved("contacts", "syspro->hubspot", records.filter { $0.value?.contact != nil }.count)
        for p in parked { try audit.record(AuditEntry(action: "upsert-customer", source: "syspro", id: p.key, outcome: "failed", reason: p.message)) }
        return parked
    }

    public func syncInvoices(_ all: [InvoiceRow]) throws -> [Parked] {
        var rows = all.filter { invoices[$0.key]?.sent != invoiceDigest($0) }
        if verify {
            let unchanged = all.filter { invoices[$0.key]?.sent == invoiceDigest($0) }
            let held = unchanged.isEmpty ? [:] : try crm.read(HubSpotFacts.ObjectType.invoices, idProperty: SyncProperties.invoiceKey, keys: unchanged.map(\.key))
            for i in unchanged where held[i.key] != invoices[i.key]?.id {
                rows.append(i)
                try audit.record(AuditEntry(action: "verify-invoice", source: "hubspot", id: i.key, outcome: "missing",
                                            reason: "HubSpot no longer holds the cached invoice (deleted or merged there): upserted again"))
            }
        }
        guard !rows.isEmpty else { return [] }
        var parked: [Parked] = []
        var transient: [BatchOutcome.Failure] = []
        var ready: [InvoiceRow] = []
        for i in rows {
            if customers[i.customer] == nil {
                parked.append(Parked(kind: .invoice, key: i.key, message: "customer \(i.customer) is not in HubSpot (it failed or was never read)", lookup: i.invoice))
            } else { ready.append(i) }
        }
        let upserted = try crm.upsert(HubSpotFacts.ObjectType.invoices, idProperty: SyncProperties.invoiceKey, ready.map(mapping.invoice))
        let invoiceNumbers = Dictionary(ready.map { ($0.key, $0.invoice) }, uniquingKeysWith: { a, _ in a })
        sort(upserted.failures, kind: .invoice, into: &parked, transient: &transient) { invoiceNumbers[$0] ?? $0 }
        ready = ready.filter { upserted.ids[$0.key] != nil }
        let lines = try crm.upsert(HubSpotFacts.ObjectType.lineItems, idProperty: SyncProperties.lineKey, ready.flatMap(mapping.lines))
        var lineFailed = Set<String>()
        for f in lines.failures {
            guard let invoice = ready.first(where: { f.key.hasPrefix($0.key + "-") }) else { continue }
            if f.isTransient { transient.append(f) } else { parked.append(Parked(kind: .invoice, key: invoice.key, message: "line \(f.key): \(f.message)", lookup: invoice.invoice)) }
            lineFailed.insert(invoice.key)
        }
        ready = ready.filter { !lineFailed.contains($0.key) }
        var toLines: [(String, String)] = [], toContacts: [(String, String)] = [], toCompanies: [(String, String)] = []
        for i in ready {
            let id = upserted.ids[i.key]!, who = customers[i.customer]!
            for l in mapping.lines(i) { if let lid = lines.ids[l.key] { toLines.append((id, lid)) } }
            if let contact = who.contact { toContacts.append((id, contact)) }
            toCompanies.append((id, who.company))
        }
        transient += try crm.associate(HubSpotFacts.ObjectType.invoices, HubSpotFacts.ObjectType.lineItems, toLines)
        var toCustomer = try crm.associate(HubSpotFacts.ObjectType.invoices, HubSpotFacts.ObjectType.contacts, toContacts)
            + crm.associate(HubSpotFacts.ObjectType.invoices, HubSpotFacts.ObjectType.companies, toCompanies)
        // A cached company or contact HubSpot no longer holds (deleted, or merged into
        // another record): the customer is read again from SYSPRO and upserted by its key,
        // which repairs the cache, and its invoices are associated again, in this run.
        let lostInvoices = Set(toCustomer.filter(\.isNotFound).map(\.key))
        if !lostInvoices.isEmpty {
            let affected = ready.filter { lostInvoices.contains(upserted.ids[$0.key]!) }
            let codes = Array(Set(affected.map(\.customer))).sorted()
            for code in codes {
                try audit.record(AuditEntry(action: "repair-customer", source: "hubspot", id: code, outcome: "missing",
                                            reason: "an association named a company or contact HubSpot no longer holds (deleted or merged there): upserted again"))
            }
            parked += try push(try reread(codes))
            var again: [(String, String)] = [], againCompanies: [(String, String)] = []
            for i in affected {
                guard let who = customers[i.customer] else { continue }
                if let contact = who.contact { again.append((upserted.ids[i.key]!, contact)) }
                againCompanies.append((upserted.ids[i.key]!, who.company))
            }
            toCustomer = toCustomer.filter { !lostInvoices.contains($0.key) }
                + (try crm.associate(HubSpotFacts.ObjectType.invoices, HubSpotFacts.ObjectType.contacts, again))
                + (try crm.associate(HubSpotFacts.ObjectType.invoices, HubSpotFacts.ObjectType.companies, againCompanies))
        }
        var customerless = Set<String>()
        for f in toCustomer {
            if f.isTransient { transient.append(f); continue }
            guard let i = ready.first(where: { upserted.ids[$0.key] == f.key }), customerless.insert(i.key).inserted else { continue }
            parked.append(Parked(kind: .invoice, key: i.key, message: "associating customer \(i.customer): \(f.message)", lookup: i.invoice))
        }
        ready = ready.filter { !customerless.contains($0.key) }
        try throwIfTransient(transient)

        // docs/vendors/syspro.md: draft -> open -> paid; open needs exactly one contact and a line item,
        // so the status goes last, once the associations exist.
        var target: [String: String] = [:]
        for i in ready {
            target[i.key] = customers[i.customer]?.contact != nil && !i.lines.isEmpty ? mapping.status(i) : "draft"
        }
        let current = { (i: InvoiceRow) in upserted.created.contains(i.key) ? "draft" : self.invoices[i.key]?.status ?? "draft" }
        let opening = ready.filter { target[$0.key] != "draft" && current($0) != target[$0.key] && (current($0) == "draft" || target[$0.key] == "open") }
        var statusFailed = Set<String>()
        for f in try crm.update(HubSpotFacts.ObjectType.invoices, opening.map { (upserted.ids[$0.key]!, ["hs_invoice_status": "open"]) }) {
            statusFailed.insert(f.key)
            if let i = ready.first(where: { upserted.ids[$0.key] == f.key }) { parked.append(Parked(kind: .invoice, key: i.key, message: "status open: \(f.message)", lookup: i.invoice)) }
        }
        let paying = ready.filter { target[$0.key] == "paid" && current($0) != "paid" && !statusFailed.contains(upserted.ids[$0.key]!) }
        for f in try crm.update(HubSpotFacts.ObjectType.invoices, paying.map { (upserted.ids[$0.key]!, ["hs_invoice_status": "paid"]) }) {
            statusFailed.insert(f.key)
            if let i = ready.first(where: { upserted.ids[$0.key] == f.key }) { parked.append(Parked(kind: .invoice, key: i.key, message: "status paid: \(f.message)", lookup: i.invoice)) }
        }
        var records: [(key: String, value: InvoiceState?)] = []
        for i in ready where !statusFailed.contains(upserted.ids[i.key]!) {
            let id = upserted.ids[i.key]!
            records.append((i.key, InvoiceState(id: id, status: target[i.key]!, sent: invoiceDigest(i))))
            try audit.record(AuditEntry(
                action: "upsert-invoice", source: "syspro", id: i.key, outcome: upserted.created.contains(i.key) ? "created" : "updated",
                reason: target[i.key] == "draft" ? "left as draft: HubSpot opens an invoice only with one contact and a line item" : nil,
                target: "hubspot invoice \(id)",
                detail: ["status": target[i.key]!, "lines": String(i.lines.count), "amount": i.value.plainText,
                         "open_balance": i.openBalance.plainText, "currency": mapping.currency(i.currency)]))
        }
        try invoices.record(records)
        metrics.moved("invoices", "syspro->hubspot", records.count)
        let recorded = Set(records.map(\.key))
        metrics.moved("line_items", "syspro->hubspot", ready.filter { recorded.contains($0.key) }.reduce(0) { $0 + $1.lines.count })
        for p in parked { try audit.record(AuditEntry(action: "upsert-invoice", source: "syspro", id: p.key, outcome: "failed", reason: p.message)) }
        return parked
    }

    private func sort(_ failures: [BatchOutcome.Failure], kind: Parked.Kind, into parked: inout [Parked],
                      transient: inout [BatchOutcome.Failure], lookup: (String) -> String) {
        for f in failures {
            if f.isTransient { transient.append(f) } else { parked.append(Parked(kind: kind, key: f.key, message: f.message, lookup: lookup(f.key))) }
        }
    }

    private func throwIfTransient(_ failures: [BatchOutcome.Failure]) throws {
        if let first = failures.first { throw HubSpotStillFailing(count: failures.count, example: "\(first.key): \(first.message)") }
    }

    private func personalJSON(_ fields: [String: String]) -> [UInt8] {
        var w = JSONObjectWriter()
        for k in fields.keys.sorted() { w.field(k, fields[k]) }
        return w.bytes
    }
}
