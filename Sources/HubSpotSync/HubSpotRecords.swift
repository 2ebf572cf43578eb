import ConnectorKit
import HubSpot
import WebhookCore

/// HubSpot's ids for one SYSPRO customer: its company and (with a usable email) contact.
public struct CustomerIds: JSONRecord, Equatable {
    public var company: String
    public var contact: String?
    /// Digest of what was sent: a row re-read unchanged (the cursor's overlap) costs no call.
    public var sent: String?

    public var jsonBytes: [UInt8] {
        var w = JSONObjectWriter()
        w.field("company", company)
        w.field("contact", contact)
        w.field("sent", sent)
        return w.bytes
    }
    public init(company: String, contact: String?, sent: String?) { self.company = company; self.contact = contact; self.sent = sent }
    public init(json: JSONValue, source: String) throws {
        guard let c = json["company"]?.string else { throw DataError(source: source, problem: "a customer record lacks \"company\"") }
        company = c; contact = json["contact"]?.string; sent = json["sent"]?.string
    }
}

/// A stable digest of the properties sent for a record (FNV-1a, 64 bits, keys sorted).
enum SentDigest {
    static func of(_ inputs: [UpsertInput?], extra: [String] = []) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add(_ s: String) { for b in s.utf8 { hash = (hash ^ UInt64(b)) &* 0x0000_0100_0000_01b3 }; hash = (hash ^ 0x1f) &* 0x0000_0100_0000_01b3 }
        for input in inputs {
            guard let input else { add("-"); continue }
            add(input.key)
            for k in input.properties.keys.sorted() { add(k); add(input.properties[k]!) }
        }
        for e in extra { add(e) }
        return String(hash, radix: 16)
    }
}

/// One invoice as HubSpot holds it: its id and the status last set.
public struct InvoiceState: JSONRecord, Equatable {
    public var id: String
    public var status: String
    /// Digest of the invoice, its lines and its associations as sent.
    public var sent: String?

    public var jsonBytes: [UInt8] {
        var w = JSONObjectWriter()
        w.field("id", id)
        w.field("sent", sent)
        w.field("status", status)
        return w.bytes
    }
    public init(id: String, status: String, sent: String?) { self.id = id; self.status = status; self.sent = sent }
    public init(json: JSONValue, source: String) throws {
        guard let id = json["id"]?.string else { throw DataError(source: source, problem: "an invoice record lacks \"id\"") }
        self.id = id; status = json["status"]?.string ?? "draft"; sent = json["sent"]?.string
    }
}

/// The custom properties the sync keys and fills (created on the first run, docs/vendors/syspro.md:
/// upsert takes an `idProperty` with unique values).
enum SyncProperties {
    static let customerCode = CompanyProperty.customerCode
    static let invoiceKey = "syspro_invoice_key"
    static let lineKey = "syspro_line_key"

    static let definitions: [(type: String, [PropertyDefinition])] = [
        (HubSpotFacts.ObjectType.companies, [
            PropertyDefinition(name: customerCode, label: "SYSPRO customer", groupName: "companyinformation", unique: true),
            PropertyDefinition(name: CompanyProperty.customerClass, label: "SYSPRO customer class", groupName: "companyinformation"),
            PropertyDefinition(name: CompanyProperty.termsCode, label: "SYSPRO terms code", groupName: "companyinformation"),
        ]),
        (HubSpotFacts.ObjectType.contacts, [
            PropertyDefinition(name: customerCode, label: "SYSPRO customer", groupName: "contactinformation"),
        ]),
        (HubSpotFacts.ObjectType.invoices, [
            PropertyDefinition(name: invoiceKey, label: "SYSPRO invoice", groupName: "invoiceinformation", unique: true),
            PropertyDefinition(name: "syspro_invoice_amount", label: "SYSPRO invoice amount", number: true, groupName: "invoiceinformation"),
            PropertyDefinition(name: "syspro_open_balance", label: "SYSPRO open balance", number: true, groupName: "invoiceinformation"),
            PropertyDefinition(name: "syspro_sales_order", label: "SYSPRO sales order", groupName: "invoiceinformation"),
            PropertyDefinition(name: "syspro_customer_po", label: "SYSPRO customer PO", groupName: "invoiceinformation"),
        ]),
        (HubSpotFacts.ObjectType.lineItems, [
            PropertyDefinition(name: lineKey, label: "SYSPRO invoice line", groupName: "lineiteminformation", unique: true),
        ]),
    ]
}

/// SYSPRO rows as HubSpot properties.
public struct PropertyMapping {
    let settings: HubSpotSettings

    public init(settings: HubSpotSettings) { self.settings = settings }

    func company(_ c: CustomerRow) -> UpsertInput {
        UpsertInput(key: c.code, properties: [
            "name": c.name.isEmpty ? c.code : c.name, "phone": c.telephone, SyncProperties.customerCode: c.code,
            CompanyProperty.customerClass: c.customerClass, CompanyProperty.termsCode: c.termsCode,
        ])
    }

    /// The contact person: ArCustomer.Contact split into first and last name.
    func contact(_ c: CustomerRow) -> UpsertInput? {
        guard let email = c.email else { return nil }
        let words = c.contact.split(separator: " ").map(String.init)
        return UpsertInput(key: email, properties: [
            "email": email, "firstname": words.first ?? "", "lastname": words.dropFirst().joined(separator: " "),
            "phone": c.telephone, "company": c.name, SyncProperties.customerCode: c.code,
        ])
    }

    func invoice(_ i: InvoiceRow) -> UpsertInput {
        UpsertInput(key: i.key, properties: [
            SyncProperties.invoiceKey: i.key, "hs_currency": currency(i.currency), "hs_invoice_date": i.invoiceDate,
            "hs_due_date": dueDate(i), "hs_invoice_billable": "false",
            "syspro_invoice_amount": i.value.plainText, "syspro_open_balance": i.openBalance.plainText,
            "syspro_sales_order": i.salesOrder, "syspro_customer_po": i.customerPo,
        ])
    }

    func lines(_ i: InvoiceRow) -> [UpsertInput] {
        i.lines.map { l in
            UpsertInput(key: "\(i.key)-\(l.detailLine)", properties: [
                SyncProperties.lineKey: "\(i.key)-\(l.detailLine)", "name": l.stockCode.isEmpty ? "Line \(l.detailLine)" : l.stockCode,
                "hs_sku": l.stockCode, "quantity": l.quantity.plainText,
                "price": (l.quantity == 0 ? l.netValue : (l.netValue / l.quantity * 100).rounded() / 100).plainText,
            ])
        }
    }

    /// What SYSPRO says of the money: nothing open is paid; otherwise open.
    func status(_ i: InvoiceRow) -> String { i.openBalance == 0 ? "paid" : "open" }

    func currency(_ code: String) -> String { settings.currencyCodes[code] ?? (code.isEmpty ? "USD" : code) }

    /// docs/vendors/syspro.md: ArInvoice has no DueDate; it is the invoice date plus the terms' days
    /// (config `hubspot.terms_days`; a terms code not listed counts 0 days: due at once).
    func dueDate(_ i: InvoiceRow) -> String {
        guard let date = Timestamp.parse(i.invoiceDate + "T00:00:00Z") else { return i.invoiceDate }
        let due = date.addingTimeInterval(Double(settings.termsDays[i.termsCode] ?? 0) * 86_400)
        return String(UTC.iso8601(seconds: Int(due.timeIntervalSince1970)).prefix(10))
    }
}
