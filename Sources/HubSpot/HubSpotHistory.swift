import ConnectorKit
import ConnectorNet
import WebhookCore

/// One value a property held, as property history shows it (docs/vendors/hubspot.md,
/// "Property history: who changed a value, and when").
public struct PropertyChange: Sendable, Equatable {
    public let value: String
    /// Milliseconds since the epoch.
    public let at: Int64
    public let sourceType: String
    public let sourceId: String?
    public let userId: String?

    public init(value: String, at: Int64, sourceType: String, sourceId: String?, userId: String?) {
        self.value = value; self.at = at; self.sourceType = sourceType; self.sourceId = sourceId; self.userId = userId
    }

    /// HubSpot answers ISO 8601 timestamps; epoch milliseconds are taken too (older endpoints).
    init?(_ j: JSONValue) {
        guard let value = j["value"]?.string, let raw = j["timestamp"] else { return nil }
        guard let at = raw.int64 ?? raw.string.flatMap({ Int64($0) ?? Timestamp.parse($0).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } }) else { return nil }
        self.value = value; self.at = at
        sourceType = j["sourceType"]?.string ?? ""
        sourceId = j["sourceId"]?.string
        userId = j["updatedByUserId"]?.int64.map(String.init) ?? j["updatedByUserId"]?.string
    }
}

/// A record with the history of the properties asked for, newest change first.
public struct RecordHistory: Sendable {
    public let id: String
    public let properties: [String: String]
    public let history: [String: [PropertyChange]]
}

extension HubSpotClient {
    /// `POST /crm/v3/objects/{type}/search`, records modified at or after `sinceMillis` that
    /// have `required` set, oldest modification first, all pages: the id and the modification
    /// time of each. Search stops at 10,000 results per query (docs/vendors/hubspot.md,
    /// "Search"), so `truncated` says to go on from the last time seen next run.
    /// `limit` stops after that many (the probe needs one).
    public func modified(_ type: String, sinceMillis: Int64, having required: String, limit: Int = .max) throws -> (ids: [(id: String, modifiedMillis: Int64)], truncated: Bool) {
        let modifiedProperty = HubSpotFacts.modifiedProperty(type)
        var out: [(String, Int64)] = []
        var after: String?
        repeat {
            func filter(_ name: String, _ op: String, _ value: String? = nil) -> JSONValue {
                var f: [String: JSONValue] = ["propertyName": .string(name), "operator": .string(op)]
                if let value { f["value"] = .string(value) }
                return .object(f)
            }
            var body: [String: JSONValue] = [
                "filterGroups": .array([.object(["filters": .array([
                    filter(modifiedProperty, "GTE", String(sinceMillis)), filter(required, "HAS_PROPERTY"),
                ])])]),
                "sorts": .array([.object(["propertyName": .string(modifiedProperty), "direction": .string("ASCENDING")])]),
                "properties": .array([.string(modifiedProperty)]), "limit": .number(Double(min(limit, HubSpotFacts.searchLimit))),
            ]
            if let after { body["after"] = .string(after) }
            let (_, json) = try call(.post, HubSpotFacts.search(type), body: .object(body), operation: "search \(type)")
            for r in json["results"]?.array ?? [] {
                guard let id = r["id"]?.string else { continue }
                let modified = r["properties"]?[modifiedProperty]?.string.flatMap { Int64($0) ?? Timestamp.parse($0).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) } } ?? sinceMillis
                out.append((id, modified))
            }
            if out.count >= limit { return (Array(out.prefix(limit)), false) }
            after = json["paging"]?["next"]?["after"]?.string
            if let next = after, (Int(next) ?? 0) >= HubSpotFacts.searchMaxResults { return (out, true) }
        } while after != nil
        return (out, false)
    }

    /// `POST /crm/v3/objects/{type}/batch/read` by id with `propertiesWithHistory`, in calls
    /// of 100 (docs/vendors/hubspot.md, "Property history: who changed a value, and when").
    public func readHistory(_ type: String, ids: [String], properties: [String], withHistory: [String]) throws -> [RecordHistory] {
        var out: [RecordHistory] = []
        for start in stride(from: 0, to: ids.count, by: HubSpotFacts.batchLimit) {
            let chunk = Array(ids[start..<min(start + HubSpotFacts.batchLimit, ids.count)])
            let body = JSONValue.object([
                "properties": .array(properties.map(JSONValue.string)), "propertiesWithHistory": .array(withHistory.map(JSONValue.string)),
                "inputs": .array(chunk.map { .object(["id": .string($0)]) }),
            ])
            let (_, json) = try call(.post, HubSpotFacts.batchRead(type), body: body, operation: "read history \(type)")
            for r in json["results"]?.array ?? [] {
                guard let id = r["id"]?.string else { continue }
                let props = (r["properties"]?.object ?? [:]).compactMapValues(\.string)
                var history: [String: [PropertyChange]] = [:]
                for (name, changes) in r["propertiesWithHistory"]?.object ?? [:] {
                    history[name] = (changes.array ?? []).compactMap(PropertyChange.init).sorted { $0.at > $1.at }
                }
                out.append(RecordHistory(id: id, properties: props, history: history))
            }
        }
        return out
    }
}
