import ConnectorKit
import Foundation
import WebhookCore

/// `/_control/hubspot/...`: what tests and the HubSpot sync benchmark read and set up.
/// - `GET objects/{type}`: every record with all its properties and associations;
/// - `GET counts` (and `DELETE counts` to zero the call counters between phases):
///   records per type, associations, calls per endpoint kind;
/// - `POST scopes` `{"scopes": [...]}`: the private app's scopes from now on (a missing one for probe tests);
/// - `POST edit` `{"customer": code (or "id"), "properties": {...}, "at": epoch seconds, "user": n}`:
///   a person changes a company in HubSpot's app (history source CRM_UI);
/// - `POST generate` `{"customers": N, "invoices": M, "lines": L}`: N ArCustomer rows and
///   M ArInvoice rows of L ArTrnDetail lines each in SYSPRO, for the benchmark.
extension Control {
    func hubSpotRoute(_ req: SandboxRequest, _ p: [String], _ w: inout World, _ now: Double) throws -> Reply? {
        guard p.first == "hubspot" else { return nil }
        switch (req.method, Array(p.dropFirst())) {
        case ("GET", let path) where path.count == 2 && path[0] == "objects":
            guard let type = HubSpotSchema.objectType(path[1]) else { return .json(["error": "unknown object type"], status: 404) }
            let s = w.hubspot
            return .json(.array(s.all(type).map { o in
                var j = HubSpotObjectsAPI.json(o, type, s, properties: nil)
                let others = HubSpotSchema.objectTypeIds.keys.sorted().filter { HubSpotSchema.defaultAssociationTypes[.init(type, $0)] != nil }
                j[set: "associations"] = .object(Dictionary(uniqueKeysWithValues: others.map { to in
                    (to, JSONValue.array(s.linked(type, o.id, to).map(JSONValue.string)))
                }))
                return j
            }))
        case ("POST", ["scopes"]):
            guard let scopes = (try body(req))["scopes"]?.array?.compactMap(\.string) else {
                throw ControlError("scopes needs {\"scopes\": [...]}")
            }
            w.hubspot.scopes = scopes
            return .json(["scopes": .array(scopes.map(JSONValue.string))])
        case ("GET", ["counts"]):
            let s = w.hubspot
            let kinds = s.calls.filter { $0.key != "rate_limited" }
            return .json([
                "objects": .object(Dictionary(uniqueKeysWithValues: HubSpotSchema.objectTypeIds.keys.map { ($0, .int(s.count($0))) })),
                "associations": .int(s.associationCount),
                "calls": .object(kinds.mapValues { .int($0) }),
                "total_calls": .int(kinds.values.reduce(0, +)),
                "rate_limited": .int(s.calls["rate_limited"] ?? 0),
            ])
        case ("DELETE", ["counts"]):
            w.hubspot.calls = [:]
            return .json(["calls": [:]])
        case ("POST", ["edit"]):
            let j = try body(req)
            let type = HubSpotSchema.objectType(j["type"]?.string ?? "companies") ?? "companies"
            guard let id = j["id"]?.string ?? j["customer"]?.string.flatMap({ w.hubspot.find(type, by: "syspro_customer_code", $0)?.id }) else {
                return .json(["error": "no such record: name \"id\" or a \"customer\" code the sync created"], status: 404)
            }
            guard let props = j["properties"]?.object, !props.isEmpty else { throw ControlError("edit needs \"properties\"") }
            let user = Int(j["user"]?.int64 ?? 7_301)
            switch w.hubspot.update(type, id: id, props, now: j["at"]?.double ?? now, source: .person(userId: user)) {
            case .success(let o): return .json(HubSpotObjectsAPI.json(o, type, w.hubspot, properties: nil))
            case .failure(let e): return e.reply
            }
        case ("POST", ["generate"]):
            let j = try body(req)
            let customers = Int(j["customers"]?.int64 ?? 0), invoices = Int(j["invoices"]?.int64 ?? 0)
            let lines = Int(j["lines"]?.int64 ?? 3)
            guard customers > 0, invoices >= 0, lines > 0 else {
                throw ControlError("generate needs \"customers\" > 0, \"invoices\" >= 0 and \"lines\" > 0")
            }
            SeedData.generateReceivables(customers: customers, invoices: invoices, lines: lines, db: &w.syspro)
            return .json(["customers": .int(customers), "invoices": .int(invoices), "lines": .int(invoices * lines)], status: 201)
        default:
            return .json(["error": .string("unknown control endpoint \(req.method) \(req.path)")], status: 404)
        }
    }
}
