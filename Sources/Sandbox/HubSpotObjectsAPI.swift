import ConnectorKit
import Foundation
import WebhookCore

/// `/crm/v3/objects/{type}`: read, list, create and update one record
/// (developers.hubspot.com/docs/api-reference/latest/crm/objects/contacts/guide and its
/// companies, invoices and line items siblings), archive (`DELETE`) and merge
/// (docs/vendors/hubspot.md, "Archived and merged records"), plus the batch and search routes.
struct HubSpotObjectsAPI {
    let req: SandboxRequest
    let body: JSONValue
    let now: Double

    func route(_ p: [String], _ s: inout HubSpotStore) -> Result<Reply, HubSpotError> {
        guard let name = p.first, let type = HubSpotSchema.objectType(name) else {
            return .failure(.notFound("Unknown object type \(p.first ?? "")"))
        }
        switch (req.method, p.count) {
        case ("GET", 1): return list(type, s)
        case ("POST", 1): return create(type, &s)
        case ("GET", 2): return read(type, p[1], s)
        case ("PATCH", 2): return update(type, p[1], &s)
        case ("DELETE", 2):
            // HubSpot answers 204 whether or not the record existed.
            _ = s.archive(type, p[1])
            return .success(Reply(status: 204, headers: [], body: []))
        case ("POST", 2) where p[1] == "search": return HubSpotSearch.run(type, body, s)
        case ("POST", 2) where p[1] == "gdpr-delete" && type == "contacts":
            // Permanent deletion of a contact, by id or by `idProperty` (email).
            guard let key = body["objectId"]?.string else { return .failure(.validation("A GDPR delete needs objectId.")) }
            let found = body["idProperty"]?.string.map { s.find(type, by: $0, key) } ?? s.object(type, key)
            if let o = found { _ = s.archive(type, o.id) }
            return .success(Reply(status: 204))
        case ("POST", 2) where p[1] == "merge":
            guard let primary = body["primaryObjectId"]?.string, let merged = body["objectIdToMerge"]?.string else {
                return .failure(.validation("A merge needs primaryObjectId and objectIdToMerge."))
            }
            return s.merge(type, primary: primary, merged: merged, now: now).map { .json(HubSpotObjectsAPI.json($0, type, s, properties: nil)) }
        case ("POST", 3) where p[1] == "batch": return HubSpotBatch(body: body, idPropertyParam: req.param("idProperty"), now: now).run(p[2], type, &s)
        default: return .failure(.notFound("Unknown path \(req.method) \(req.path)"))
        }
    }

    /// `properties=a,b` (comma-separated, or repeated) names what a read returns.
    private var requested: [String]? {
        let names = req.query.filter { $0.name == "properties" }.flatMap { $0.value.split(separator: ",").map { String($0).trimmed } }
        return names.isEmpty ? nil : names
    }

    /// A record as HubSpot answers it: `{id, properties, createdAt, updatedAt, archived}`.
    /// Reads list the requested properties (null when unset) or the type's defaults;
    /// writes echo every value the record holds.
    static func json(_ o: HubSpotObject, _ type: String, _ s: HubSpotStore, properties names: [String]?) -> JSONValue {
        var props: [String: JSONValue]
        if let names {
            let wanted = Set(names + ["hs_object_id", HubSpotSchema.createdProperty(type), HubSpotSchema.modifiedProperty(type)])
            props = [:]
            for n in wanted where s.properties[type]?[n] != nil { props[n] = o.properties[n].map(JSONValue.string) ?? .null }
        } else {
            props = o.properties.mapValues(JSONValue.string)
        }
        return ["id": .string(o.id), "properties": .object(props), "createdAt": .string(SandboxClock.iso(o.createdAt)),
                "updatedAt": .string(SandboxClock.iso(o.updatedAt)), "archived": false]
    }

    private func readNames(_ type: String) -> [String] { requested ?? HubSpotSchema.defaultReadProperties[type] ?? [] }

    /// `GET /{type}/{id}`, optionally `idProperty=` a unique property (then `{id}` is its value).
    private func read(_ type: String, _ id: String, _ s: HubSpotStore) -> Result<Reply, HubSpotError> {
        let found = req.param("idProperty").map { s.find(type, by: $0, id) } ?? s.readable(type, id)
        guard let o = found else { return .failure(.notFound("Object not found.  objectId are usually numeric.", ids: [id])) }
        return .success(.json(HubSpotObjectsAPI.json(o, type, s, properties: readNames(type))))
    }

    /// `GET /{type}?limit=&after=`: at most 100 a page, `paging.next.after` while more remain.
    private func list(_ type: String, _ s: HubSpotStore) -> Result<Reply, HubSpotError> {
        let limit = Int(req.param("limit") ?? "") ?? 10
        guard (1...100).contains(limit) else { return .failure(.validation("limit must be between 1 and 100")) }
        let start = Int(req.param("after") ?? "") ?? 0
        let all = s.all(type)
        let page = all.dropFirst(start).prefix(limit)
        var out: [String: JSONValue] = ["results": .array(page.map { HubSpotObjectsAPI.json($0, type, s, properties: readNames(type)) })]
        if start + limit < all.count {
            let after = String(start + limit)
            out["paging"] = ["next": ["after": .string(after), "link": .string(req.origin + req.path + "?after=" + after)]]
        }
        return .success(.json(.object(out)))
    }

    private func create(_ type: String, _ s: inout HubSpotStore) -> Result<Reply, HubSpotError> {
        let associations: [(String, String)]
        switch HubSpotObjectsAPI.associations(body["associations"], from: type) {
        case .failure(let e): return .failure(e)
        case .success(let a): associations = a
        }
        return s.create(type, body["properties"]?.object ?? [:], associations: associations, now: now)
            .map { o in .json(HubSpotObjectsAPI.json(o, type, s, properties: nil), status: 201) }
    }

    private func update(_ type: String, _ id: String, _ s: inout HubSpotStore) -> Result<Reply, HubSpotError> {
        var target = id
        if let idProperty = req.param("idProperty") {
            guard let o = s.find(type, by: idProperty, id) else { return .failure(.notFound("Object not found.  objectId are usually numeric.", ids: [id])) }
            target = o.id
        }
        return s.update(type, id: target, body["properties"]?.object ?? [:], now: now)
            .map { o in .json(HubSpotObjectsAPI.json(o, type, s, properties: nil)) }
    }

    /// The create endpoints' `associations`: `[{to: {id}, types: [{associationCategory,
    /// associationTypeId}]}]` (developers.hubspot.com/docs/api-reference/latest/crm/
    /// associations/overview, "Associate records during creation"); the type id names
    /// the target object type.
    static func associations(_ j: JSONValue?, from type: String) -> Result<[(String, String)], HubSpotError> {
        var out: [(String, String)] = []
        for a in j?.array ?? [] {
            guard let toId = a["to"]?["id"]?.string, let typeId = a["types"]?.array?.first?["associationTypeId"]?.int64,
                  let pair = HubSpotSchema.pair(typeId: Int(typeId)), pair.from == type else {
                return .failure(.validation("Each association needs to.id and an associationTypeId from \(type)."))
            }
            out.append((pair.to, toId))
        }
        return .success(out)
    }
}
