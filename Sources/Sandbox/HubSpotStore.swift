import ConnectorKit
import Foundation
import WebhookCore

/// One CRM record. HubSpot keeps and answers every property value as a string.
struct HubSpotObject: Sendable {
    let id: String
    var properties: [String: String]
    let createdAt: Double
    var updatedAt: Double
}

/// Who set a property value, as property history names it (docs/vendors/hubspot.md,
/// "Property history: who changed a value, and when"): the connector's token writes as an
/// integration; a person in the app as CRM_UI with `userId:<id>`.
enum ChangeSource: Sendable, Equatable {
    case integration
    case person(userId: Int)
}

/// One value a property held.
struct PropertyChangeRecord: Sendable {
    let value: String
    let at: Double
    let source: ChangeSource

    var json: JSONValue {
        var j: [String: JSONValue] = ["value": .string(value), "timestamp": .string(SandboxClock.iso(at))]
        switch source {
        case .integration:
            j["sourceType"] = "INTEGRATION"; j["sourceId"] = .string(String(SeedData.hubSpotAppId))
        case .person(let user):
            j["sourceType"] = "CRM_UI"; j["sourceId"] = .string("userId:\(user)"); j["updatedByUserId"] = .int(user)
        }
        return .object(j)
    }
}

/// The HubSpot account: records, property definitions, associations, and what the
/// connector's calls cost (counted per endpoint kind for the benchmark).
struct HubSpotStore: Sendable {
    private(set) var objects: [String: [String: HubSpotObject]] = [:]
    /// Ids per type in creation order, for list paging and search's default order.
    private(set) var order: [String: [String]] = [:]
    var properties: [String: [String: HubSpotProperty]]
    /// The private app's scopes (`POST /_control/hubspot/scopes` takes some away).
    var scopes = ["crm.objects.companies.read", "crm.objects.companies.write", "crm.objects.contacts.read", "crm.objects.contacts.write",
                  "crm.schemas.companies.write", "crm.schemas.contacts.write", "crm.objects.invoices.read", "crm.objects.invoices.write",
                  "crm.objects.line_items.read", "crm.objects.line_items.write"]
    /// Directed links: (from, to) -> from id -> to ids. Both directions are always written.
    private(set) var links: [HubSpotSchema.Pair: [String: [String]]] = [:]
    /// type -> unique property -> value -> id; email is matched without case.
    private var uniqueIndex: [String: [String: [String: String]]] = [:]
    /// Records merged into another: type -> merged id -> the primary's id.
    private(set) var mergedInto: [String: [String: String]] = [:]
    /// type -> id -> property -> values it held, oldest first.
    private(set) var history: [String: [String: [String: [PropertyChangeRecord]]]] = [:]
    private var nextId = 10_001
    var calls: [String: Int] = [:]
    var limiter = HubSpotRateLimiter()

    init() {
        properties = HubSpotSchema.defaultProperties().mapValues { Dictionary(uniqueKeysWithValues: $0.map { ($0.name, $0) }) }
        for type in HubSpotSchema.objectTypeIds.keys {
            objects[type] = [:]
            order[type] = []
        }
    }

    func object(_ type: String, _ id: String) -> HubSpotObject? { objects[type]?[id] }
    /// A read by id: a merged record's id answers with the record the merge made
    /// (docs/vendors/hubspot.md, "Archived and merged records"); writes name live ids only.
    func readable(_ type: String, _ id: String) -> HubSpotObject? {
        var id = id
        for _ in 0..<8 { guard let next = mergedInto[type]?[id] else { break }; id = next }
        return object(type, id)
    }
    func all(_ type: String) -> [HubSpotObject] { (order[type] ?? []).compactMap { objects[type]?[$0] } }
    func count(_ type: String) -> Int { objects[type]?.count ?? 0 }

    /// Properties whose values identify one record: custom ones created with
    /// `hasUniqueValue`, and a contact's email (HubSpot deduplicates contacts by email:
    /// developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/guide).
    func isUnique(_ type: String, _ name: String) -> Bool {
        (type == "contacts" && name == "email") || properties[type]?[name]?.hasUniqueValue == true
    }

    private func indexKey(_ name: String, _ value: String) -> String { name == "email" ? value.lowercased() : value }

    /// The record whose unique property `name` holds `value` (`idProperty` lookups).
    func find(_ type: String, by name: String, _ value: String) -> HubSpotObject? {
        if name == "hs_object_id" { return object(type, value) }
        guard let id = uniqueIndex[type]?[name]?[indexKey(name, value)] else { return nil }
        return object(type, id)
    }

    // MARK: Writes

    /// Creates a record; `associations` (type, id) are made with it, as the create
    /// endpoints' `associations` input does, and count for the invoice status rule.
    mutating func create(_ type: String, _ input: [String: JSONValue], associations: [(String, String)] = [],
                         now: Double, source: ChangeSource = .integration) -> Result<HubSpotObject, HubSpotError> {
        var props: [String: String]
        switch HubSpotValues.check(type, input, properties[type] ?? [:]) {
        case .failure(let e): return .failure(e)
        case .success(let p): props = p
        }
        if type == "invoices" {
            // "The only property required for creating a draft invoice is hs_currency"
            // (developers.hubspot.com/docs/api-reference/latest/crm/objects/invoices/guide).
            guard let c = props["hs_currency"], !c.isEmpty else {
                return .failure(PropertyProblem.error([.init(name: "hs_currency", code: "REQUIRED_PROPERTY", message: "Property \"hs_currency\" is required")]))
            }
            let status = props["hs_invoice_status"] ?? "draft"
            props["hs_invoice_status"] = status
            if let e = invoiceStatusProblem(id: nil, from: "draft", to: status, adding: associations) { return .failure(e) }
        }
        if let e = uniqueConflict(type, props, except: nil) { return .failure(e) }
        if let e = associationProblems(type, nil, associations) { return .failure(e) }
        let id = String(nextId)
        nextId += 1
        let iso = SandboxClock.iso(now)
        props["hs_object_id"] = id
        props[HubSpotSchema.createdProperty(type)] = iso
        props[HubSpotSchema.modifiedProperty(type)] = iso
        if type == "line_items" { props["amount"] = HubSpotValues.lineAmount(props) }
        let o = HubSpotObject(id: id, properties: props, createdAt: now, updatedAt: now)
        objects[type, default: [:]][id] = o
        order[type, default: []].append(id)
        reindex(type, id, old: [:], new: props)
        remember(type, id, old: [:], new: props, now: now, source: source)
        for (toType, toId) in associations { link(type, id, toType, toId) }
        return .success(o)
    }

    mutating func update(_ type: String, id: String, _ input: [String: JSONValue], now: Double,
                         source: ChangeSource = .integration) -> Result<HubSpotObject, HubSpotError> {
        guard let old = objects[type]?[id] else {
            return .failure(.notFound("Object not found.  objectId are usually numeric.", ids: [id]))
        }
        let changes: [String: String]
        switch HubSpotValues.check(type, input, properties[type] ?? [:]) {
        case .failure(let e): return .failure(e)
        case .success(let p): changes = p
        }
        var props = old.properties
        for (k, v) in changes { props[k] = v }
        if type == "invoices" {
            if props["hs_currency"]?.isEmpty ?? true {
                return .failure(PropertyProblem.error([.init(name: "hs_currency", code: "REQUIRED_PROPERTY", message: "Property \"hs_currency\" is required")]))
            }
            if let e = invoiceStatusProblem(id: id, from: old.properties["hs_invoice_status"] ?? "draft",
                                            to: props["hs_invoice_status"] ?? "draft", adding: []) { return .failure(e) }
        }
        if let e = uniqueConflict(type, changes, except: id) { return .failure(e) }
        props[HubSpotSchema.modifiedProperty(type)] = SandboxClock.iso(now)
        if type == "line_items" { props["amount"] = HubSpotValues.lineAmount(props) }
        var o = old
        o.properties = props
        o.updatedAt = now
        objects[type]![id] = o
        reindex(type, id, old: old.properties, new: props)
        remember(type, id, old: old.properties, new: props, now: now, source: source)
        return .success(o)
    }

    /// A value enters the history when it differs from the one before; HubSpot's own
    /// timestamps are left out (they change on every write).
    private mutating func remember(_ type: String, _ id: String, old: [String: String], new: [String: String], now: Double, source: ChangeSource) {
        let own: Set<String> = ["hs_object_id", HubSpotSchema.createdProperty(type), HubSpotSchema.modifiedProperty(type)]
        for (name, value) in new where old[name] != value && !own.contains(name) {
            history[type, default: [:]][id, default: [:]][name, default: []].append(PropertyChangeRecord(value: value, at: now, source: source))
        }
    }

    /// The values `name` held, newest first, as `propertiesWithHistory` answers them.
    func history(_ type: String, _ id: String, _ name: String) -> [PropertyChangeRecord] {
        (history[type]?[id]?[name] ?? []).reversed()
    }

    private mutating func reindex(_ type: String, _ id: String, old: [String: String], new: [String: String]) {
        for (name, value) in new where isUnique(type, name) && old[name] != value {
            if let was = old[name], !was.isEmpty {
                let key = indexKey(name, was)
                uniqueIndex[type]?[name]?[key] = nil
            }
            if !value.isEmpty {
                let key = indexKey(name, value)
                uniqueIndex[type, default: [:]][name, default: [:]][key] = id
            }
        }
    }

    /// A second record with the same unique value is refused: 409 CONFLICT, the way
    /// HubSpot answers a duplicate contact ("Contact already exists. Existing ID: 12345",
    /// category CONFLICT — quoted in HubSpot SDK issues) and a duplicate `hasUniqueValue`
    /// property (developers.hubspot.com/docs/api-reference/latest/crm/properties/guide,
    /// "Create unique identifier properties").
    private func uniqueConflict(_ type: String, _ props: [String: String], except id: String?) -> HubSpotError? {
        for (name, value) in props.sorted(by: { $0.key < $1.key }) where !value.isEmpty && isUnique(type, name) {
            guard let other = uniqueIndex[type]?[name]?[indexKey(name, value)], other != id else { continue }
            let message = type == "contacts" && name == "email"
                ? "Contact already exists. Existing ID: \(other)"
                : "A \(HubSpotSchema.singular(type).lowercased()) with \(name) \"\(value)\" already exists. Existing ID: \(other)"
            return HubSpotError(status: 409, category: "CONFLICT", message: message)
        }
        return nil
    }

    /// Invoice status rules (docs/vendors/hubspot.md "Invoices"; developers.hubspot.com/docs/
    /// api-reference/latest/crm/objects/invoices/guide, "Move the invoice to the Open
    /// status"): draft -> open -> paid or voided; `open` needs exactly one associated
    /// contact and at least one line item.
    private func invoiceStatusProblem(id: String?, from: String, to: String, adding: [(String, String)]) -> HubSpotError? {
        let allowed: [String: Set<String>] = ["draft": ["draft", "open"], "open": ["open", "paid", "voided"], "paid": ["paid"], "voided": ["voided"]]
        guard allowed[from]?.contains(to) == true else {
            return .validation("Invoice status cannot change from \(from) to \(to); the order is draft, open, then paid or voided.")
        }
        guard to == "open", from != "open" else { return nil }
        let contacts = Set((id.map { linked("invoices", $0, "contacts") } ?? []) + adding.filter { $0.0 == "contacts" }.map(\.1))
        let lines = Set((id.map { linked("invoices", $0, "line_items") } ?? []) + adding.filter { $0.0 == "line_items" }.map(\.1))
        guard contacts.count == 1, !lines.isEmpty else {
            return .validation("An invoice can move to open only with exactly one associated contact and at least one line item; it has \(contacts.count) contact(s) and \(lines.count) line item(s).")
        }
        return nil
    }

    // MARK: Archive and merge

    /// `DELETE /crm/v3/objects/{type}/{id}`: the record leaves every read, its unique
    /// values are free again and its associations go.
    /// docs/vendors/hubspot.md, "Archived and merged records".
    mutating func archive(_ type: String, _ id: String) -> Bool {
        guard let o = objects[type]?[id] else { return false }
        objects[type]![id] = nil
        order[type]?.removeAll { $0 == id }
        reindex(type, id, old: o.properties, new: o.properties.mapValues { _ in "" })
        unlinkAll(type, id)
        return true
    }

    /// `POST /crm/v3/objects/{type}/merge`: as HubSpot merges contacts and companies now, the
    /// result is a new record with a new id; the primary's values win and the merged
    /// record's fill only what the primary leaves empty, except unique ones (two records
    /// cannot share them); the associations of both move to it; both old ids then read as
    /// the new record and are refused by writes.
    mutating func merge(_ type: String, primary: String, merged: String, now: Double) -> Result<HubSpotObject, HubSpotError> {
        guard primary != merged else { return .failure(.validation("A record cannot be merged into itself.")) }
        guard let p = objects[type]?[primary] else { return .failure(.notFound("Object not found.  objectId are usually numeric.", ids: [primary])) }
        guard let m = objects[type]?[merged] else { return .failure(.notFound("Object not found.  objectId are usually numeric.", ids: [merged])) }
        var moved: [(String, String)] = []
        for (pair, byId) in links where pair.from == type {
            for old in [primary, merged] { for to in byId[old] ?? [] { moved.append((pair.to, to)) } }
        }
        _ = archive(type, merged)
        _ = archive(type, primary)
        var props = p.properties
        for (k, v) in m.properties where !isUnique(type, k) && (props[k] ?? "").isEmpty && !v.isEmpty { props[k] = v }
        let id = String(nextId)
        nextId += 1
        props["hs_object_id"] = id
        props[HubSpotSchema.modifiedProperty(type)] = SandboxClock.iso(now)
        let o = HubSpotObject(id: id, properties: props, createdAt: p.createdAt, updatedAt: now)
        objects[type, default: [:]][id] = o
        order[type, default: []].append(id)
        reindex(type, id, old: [:], new: props)
        for (to, toId) in moved where object(to, toId) != nil { link(type, id, to, toId) }
        mergedInto[type, default: [:]][primary] = id
        mergedInto[type, default: [:]][merged] = id
        return .success(o)
    }

    private mutating func unlinkAll(_ type: String, _ id: String) {
        for pair in links.keys {
            if pair.from == type { links[pair]?[id] = nil }
            if pair.to == type { for k in links[pair]?.keys.map({ $0 }) ?? [] { links[pair]?[k]?.removeAll { $0 == id } } }
        }
    }

    // MARK: Associations

    func linked(_ from: String, _ id: String, _ to: String) -> [String] {
        links[HubSpotSchema.Pair(from, to)]?[id] ?? []
    }

    /// Why these associations cannot be made, if they cannot: an unknown record, a pair
    /// without a default type, or a line item that already belongs to another invoice
    /// ("line items belong to one single parent object": developers.hubspot.com/docs/
    /// api-reference/latest/crm/objects/line-items/guide).
    func associationProblems(_ from: String, _ id: String?, _ targets: [(String, String)]) -> HubSpotError? {
        for (to, toId) in targets {
            guard HubSpotSchema.defaultAssociationTypes[HubSpotSchema.Pair(from, to)] != nil else {
                return .validation("No default association type exists from \(from) to \(to).")
            }
            guard object(to, toId) != nil else {
                return .notFound("No \(to) with id \(toId) exists", ids: [toId])
            }
            let lineItem = from == "line_items" ? id : (to == "line_items" ? toId : nil)
            let invoice = from == "invoices" ? id : (to == "invoices" ? toId : nil)
            if let lineItem, let parent = linked("line_items", lineItem, "invoices").first, parent != invoice {
                return .validation("Line item \(lineItem) already belongs to invoice \(parent); a line item has one parent.")
            }
        }
        return nil
    }

    /// Makes the default association both ways (idempotent).
    mutating func link(_ from: String, _ id: String, _ to: String, _ toId: String) {
        for (a, aId, b, bId) in [(from, id, to, toId), (to, toId, from, id)] {
            let pair = HubSpotSchema.Pair(a, b)
            if !(links[pair]?[aId]?.contains(bId) ?? false) { links[pair, default: [:]][aId, default: []].append(bId) }
        }
    }

    var associationCount: Int { links.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } } / 2 }

    // MARK: Properties

    /// `POST /crm/v3/properties/{type}`: 409 if the name is taken.
    mutating func createProperty(_ type: String, _ j: JSONValue) -> Result<HubSpotProperty, HubSpotError> {
        var problems: [String] = []
        let name = j["name"]?.string ?? "", label = j["label"]?.string ?? ""
        let groupName = j["groupName"]?.string ?? "", fieldType = j["fieldType"]?.string ?? ""
        if name.isEmpty { problems.append("name") }
        if label.isEmpty { problems.append("label") }
        if groupName.isEmpty { problems.append("groupName") }
        if fieldType.isEmpty { problems.append("fieldType") }
        guard let kind = j["type"]?.string.flatMap(HubSpotProperty.Kind.init(rawValue:)) else {
            return .failure(.validation("Property type must be one of string, number, date, datetime, enumeration, bool."))
        }
        guard problems.isEmpty else { return .failure(.validation("Missing required fields: " + problems.joined(separator: ", "))) }
        guard name.range(of: "^[a-z][a-z0-9_]*$", options: .regularExpression) != nil else {
            return .failure(.validation("Property name \(name) must start with a lower-case letter and hold only lower-case letters, digits and underscores."))
        }
        let options = j["options"]?.array?.compactMap { $0["value"]?.string } ?? []
        if kind == .enumeration && options.isEmpty { return .failure(.validation("An enumeration property needs options.")) }
        if properties[type]?[name] != nil {
            return .failure(HubSpotError(status: 409, category: "OBJECT_ALREADY_EXISTS",
                                         message: "A property named '\(name)' already exists.", subCategory: "PropertyValidationError.PROPERTY_ALREADY_EXISTS"))
        }
        let p = HubSpotProperty(name: name, label: label, type: kind, fieldType: fieldType, groupName: groupName, options: options,
                                hasUniqueValue: j["hasUniqueValue"] == .bool(true), readOnlyValue: false, custom: true)
        properties[type, default: [:]][name] = p
        return .success(p)
    }
}
