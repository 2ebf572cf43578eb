import ConnectorKit
import WebhookCore

/// HubSpot's CRM object types the connector writes, their default properties and the
/// default association types between them (docs/vendors/hubspot.md). Everything the sandbox
/// assumes about HubSpot's data model lives here, so a correction is one edit.
enum HubSpotSchema {
    /// The four object types, by the plural name the v3 paths use, with HubSpot's object
    /// type ids (developers.hubspot.com/docs/api-reference/latest/crm/objects/*/object-definition:
    /// contacts 0-1, companies 0-2, line items 0-8, invoices 0-53). Paths accept either.
    static let objectTypeIds = ["contacts": "0-1", "companies": "0-2", "line_items": "0-8", "invoices": "0-53"]

    static func objectType(_ name: String) -> String? {
        let n = name.lowercased()
        if objectTypeIds[n] != nil { return n }
        if let byId = objectTypeIds.first(where: { $0.value == n })?.key { return byId }
        let singular = ["contact": "contacts", "company": "companies", "line_item": "line_items", "invoice": "invoices"]
        return singular[n]
    }

    /// HubSpot names the object in some messages in upper case singular ("CONTACT").
    static func singular(_ type: String) -> String {
        ["contacts": "CONTACT", "companies": "COMPANY", "line_items": "LINE_ITEM", "invoices": "INVOICE"][type] ?? type.uppercased()
    }

    /// Default (unlabeled) association type ids, one per direction
    /// (developers.hubspot.com/docs/api-reference/latest/crm/associations/association-details,
    /// "Association type ID values"). docs/vendors/hubspot.md confirms 177, 409 and 279; the reverse
    /// directions and invoice<->company are from the same table.
    static let defaultAssociationTypes: [Pair: Int] = [
        Pair("contacts", "companies"): 279, Pair("companies", "contacts"): 280,
        Pair("invoices", "contacts"): 177, Pair("contacts", "invoices"): 178,
        Pair("invoices", "companies"): 179, Pair("companies", "invoices"): 180,
        Pair("invoices", "line_items"): 409, Pair("line_items", "invoices"): 410,
    ]
    /// The labeled "primary" company of a contact (1) and its reverse (2): the same table.
    static let primaryAssociationTypes: [Pair: Int] = [Pair("contacts", "companies"): 1, Pair("companies", "contacts"): 2]

    struct Pair: Hashable, Sendable {
        let from: String
        let to: String
        init(_ from: String, _ to: String) {
            self.from = from
            self.to = to
        }
        var reversed: Pair { Pair(to, from) }
    }

    /// The direction an association type id stands for (ids are unidirectional).
    static func pair(typeId: Int) -> Pair? {
        defaultAssociationTypes.first { $0.value == typeId }?.key ?? primaryAssociationTypes.first { $0.value == typeId }?.key
    }

    /// Currencies the demo account has enabled: hs_currency is an enumeration of the
    /// account's currencies (developers.hubspot.com/docs/api-reference/latest/crm/objects/invoices/guide:
    /// "hs_currency, which accepts a string value of a currency code (e.g., USD)").
    static let currencies = ["USD", "CAD", "EUR", "GBP", "AUD", "NZD", "ZAR", "MXN"]

    /// hs_invoice_status values (same guide, "Move the invoice to the Open status").
    static let invoiceStatuses = ["draft", "open", "paid", "voided"]

    /// Properties listed by a read when the caller names none (developers.hubspot.com/docs/
    /// api-reference/latest/crm/search-the-crm, "properties that are returned by default").
    static let defaultReadProperties: [String: [String]] = [
        "contacts": ["createdate", "email", "firstname", "hs_object_id", "lastmodifieddate", "lastname"],
        "companies": ["createdate", "domain", "hs_lastmodifieddate", "hs_object_id", "name"],
        "invoices": ["hs_createdate", "hs_lastmodifieddate", "hs_object_id"],
        "line_items": ["createdate", "hs_lastmodifieddate", "hs_object_id", "name", "price", "quantity"],
    ]

    /// The "last modified" property differs for contacts (`lastmodifieddate`).
    static func modifiedProperty(_ type: String) -> String { type == "contacts" ? "lastmodifieddate" : "hs_lastmodifieddate" }
    static func createdProperty(_ type: String) -> String { type == "invoices" ? "hs_createdate" : "createdate" }

    /// HubSpot's default properties of each type (a subset: the ones an ERP sync touches),
    /// from each object's "default properties" page under
    /// developers.hubspot.com/docs/api-reference/latest/crm/objects/{type}/object-definition.
    static func defaultProperties() -> [String: [HubSpotProperty]] {
        func p(_ name: String, _ label: String, _ type: HubSpotProperty.Kind = .string, _ group: String,
               options: [String] = [], readOnly: Bool = false) -> HubSpotProperty {
            HubSpotProperty(name: name, label: label, type: type, fieldType: type.defaultFieldType, groupName: group,
                            options: options, hasUniqueValue: false, readOnlyValue: readOnly, custom: false)
        }
        let system = { (type: String) -> [HubSpotProperty] in
            [p("hs_object_id", "Record ID", .number, type, readOnly: true),
             p(createdProperty(type), "Create Date", .datetime, type, readOnly: true),
             p(modifiedProperty(type), "Last Modified Date", .datetime, type, readOnly: true)]
        }
        let lifecycle = ["subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity", "customer", "evangelist", "other"]
        return [
            "companies": system("companyinformation") + [
                p("name", "Company name", .string, "companyinformation"), p("domain", "Company Domain Name", .string, "companyinformation"),
                p("phone", "Phone Number", .string, "companyinformation"), p("address", "Street Address", .string, "companyinformation"),
                p("city", "City", .string, "companyinformation"), p("state", "State/Region", .string, "companyinformation"),
                p("zip", "Postal Code", .string, "companyinformation"), p("country", "Country/Region", .string, "companyinformation"),
                p("industry", "Industry", .string, "companyinformation"), p("description", "Description", .string, "companyinformation"),
                p("lifecyclestage", "Lifecycle Stage", .enumeration, "companyinformation", options: lifecycle),
            ],
            "contacts": system("contactinformation") + [
                p("email", "Email", .string, "contactinformation"),
                p("firstname", "First Name", .string, "contactinformation"), p("lastname", "Last Name", .string, "contactinformation"),
                p("phone", "Phone Number", .string, "contactinformation"), p("mobilephone", "Mobile Phone Number", .string, "contactinformation"),
                p("company", "Company Name", .string, "contactinformation"), p("jobtitle", "Job Title", .string, "contactinformation"),
                p("address", "Street Address", .string, "contactinformation"), p("city", "City", .string, "contactinformation"),
                p("state", "State/Region", .string, "contactinformation"), p("zip", "Postal Code", .string, "contactinformation"),
                p("country", "Country/Region", .string, "contactinformation"),
                p("lifecyclestage", "Lifecycle Stage", .enumeration, "contactinformation", options: lifecycle),
            ],
            "invoices": system("invoiceinformation") + [
                p("hs_currency", "Currency", .enumeration, "invoiceinformation", options: currencies),
                p("hs_invoice_status", "Invoice status", .enumeration, "invoiceinformation", options: invoiceStatuses),
                p("hs_invoice_date", "Invoice date", .date, "invoiceinformation"),
                p("hs_due_date", "Due date", .date, "invoiceinformation"),
                p("hs_invoice_billable", "Billable", .bool, "invoiceinformation"),
                p("hs_purchase_order_number", "Purchase order number", .string, "invoiceinformation"),
                p("hs_comments", "Comments", .string, "invoiceinformation"),
            ],
            "line_items": system("lineiteminformation") + [
                p("name", "Name", .string, "lineiteminformation"), p("description", "Description", .string, "lineiteminformation"),
                p("quantity", "Quantity", .number, "lineiteminformation"), p("price", "Unit price", .number, "lineiteminformation"),
                p("hs_sku", "SKU", .string, "lineiteminformation"), p("discount", "Unit discount", .number, "lineiteminformation"),
                p("hs_line_item_currency_code", "Currency", .enumeration, "lineiteminformation", options: currencies),
                p("amount", "Net price", .number, "lineiteminformation", readOnly: true),
            ],
        ]
    }
}

/// One property definition (developers.hubspot.com/docs/api-reference/latest/crm/properties/guide:
/// `name`, `label`, `type`, `fieldType`, `groupName`, `options`, `hasUniqueValue`).
struct HubSpotProperty: Sendable {
    enum Kind: String, Sendable {
        case string, number, date, datetime, enumeration, bool

        var defaultFieldType: String {
            switch self {
            case .string: return "text"
            case .number: return "number"
            case .date, .datetime: return "date"
            case .enumeration: return "select"
            case .bool: return "booleancheckbox"
            }
        }
    }

    let name: String
    let label: String
    let type: Kind
    let fieldType: String
    let groupName: String
    let options: [String]
    let hasUniqueValue: Bool
    let readOnlyValue: Bool
    let custom: Bool

    var json: JSONValue {
        [
            "name": .string(name), "label": .string(label), "type": .string(type.rawValue), "fieldType": .string(fieldType),
            "groupName": .string(groupName), "description": "", "hasUniqueValue": .bool(hasUniqueValue),
            "options": .array(options.enumerated().map { i, o in
                ["label": .string(o), "value": .string(o), "displayOrder": .int(i), "hidden": false]
            }),
            "calculated": .bool(name == "amount"), "externalOptions": false, "hidden": false,
            "archived": false, "formField": .bool(custom),
            "hubspotDefined": .bool(!custom),
            "modificationMetadata": ["archivable": .bool(custom), "readOnlyDefinition": .bool(!custom), "readOnlyValue": .bool(readOnlyValue)],
        ]
    }
}
