import ConnectorKit
import Foundation
import WebhookCore

/// `POST /crm/v3/objects/{type}/search` (developers.hubspot.com/docs/api-reference/latest/
/// crm/search-the-crm): `filterGroups` (OR of groups, AND within one; at most 5 groups,
/// 6 filters each, 18 in all), `sorts`, `properties`, `limit` up to 200, `after`; the
/// answer holds `total`, `results` and `paging.next.after`. "The search endpoints are
/// limited to 10,000 total results for any given query": paging past 10,000 is a 400.
enum HubSpotSearch {
    static let maxResults = 10_000
    static let maxLimit = 200

    static func run(_ type: String, _ body: JSONValue, _ s: HubSpotStore) -> Result<Reply, HubSpotError> {
        let limit = Int(body["limit"]?.int64 ?? 10)
        guard (1...maxLimit).contains(limit) else { return .failure(.validation("limit must be between 1 and \(maxLimit); got \(limit).")) }
        let after = Int(body["after"]?.string ?? "0") ?? 0
        guard (0..<maxResults).contains(after) else {
            return .failure(.validation("The search endpoints are limited to \(maxResults) total results for any given query; after \(after) goes beyond."))
        }
        let groups = body["filterGroups"]?.array ?? []
        let filterCount = groups.reduce(0) { $0 + ($1["filters"]?.array?.count ?? 0) }
        guard groups.count <= 5, groups.allSatisfy({ ($0["filters"]?.array?.count ?? 0) <= 6 }), filterCount <= 18 else {
            return .failure(.validation("A search takes at most 5 filterGroups of at most 6 filters, 18 filters in all."))
        }
        var filters: [[Filter]] = []
        for g in groups {
            var group: [Filter] = []
            for f in g["filters"]?.array ?? [] {
                guard let filter = Filter(f) else { return .failure(.validation("Invalid filter \(f); see the operator list.")) }
                group.append(filter)
            }
            filters.append(group)
        }
        var matches = s.all(type).filter { o in filters.isEmpty || filters.contains { g in g.allSatisfy { $0.matches(o) } } }
        if let query = body["query"]?.string?.lowercased(), !query.isEmpty {
            matches = matches.filter { o in o.properties.values.contains { $0.lowercased().contains(query) } }
        }
        if let sort = body["sorts"]?.array?.first {
            let name = sort.string ?? sort["propertyName"]?.string ?? "hs_object_id"
            let descending = sort["direction"]?.string == "DESCENDING"
            matches.sort { a, b in
                let r = compare(a.properties[name] ?? "", b.properties[name] ?? "")
                return descending ? r == .orderedDescending : r == .orderedAscending
            }
        }
        let names = body["properties"]?.array?.compactMap(\.string) ?? HubSpotSchema.defaultReadProperties[type] ?? []
        let page = matches.dropFirst(after).prefix(min(limit, maxResults - after))
        var out: [String: JSONValue] = [
            "total": .int(matches.count),
            "results": .array(page.map { HubSpotObjectsAPI.json($0, type, s, properties: names) }),
        ]
        if after + limit < matches.count { out["paging"] = ["next": ["after": .string(String(after + limit))]] }
        return .success(.json(.object(out)))
    }

    /// Numbers compare as numbers, and a datetime held as ISO 8601 against epoch
    /// milliseconds (how search filters take datetimes) as milliseconds; the rest as text.
    static func compare(_ a: String, _ b: String) -> ComparisonResult {
        func millis(_ s: String) -> Double? { Double(s) ?? Timestamp.parse(s).map { ($0.timeIntervalSince1970 * 1000).rounded() } }
        if let x = Double(a) ?? (Double(b) != nil ? millis(a) : nil), let y = Double(b) ?? (Double(a) != nil ? millis(b) : nil) {
            return x < y ? .orderedAscending : (x > y ? .orderedDescending : .orderedSame)
        }
        return a.compare(b)
    }

    struct Filter {
        let property: String
        let op: String
        let value: String?
        let values: [String]
        let high: String?

        init?(_ j: JSONValue) {
            guard let p = j["propertyName"]?.string, let op = j["operator"]?.string else { return nil }
            property = p
            self.op = op
            value = j["value"]?.string ?? j["value"].flatMap { $0 == .bool(true) ? "true" : ($0 == .bool(false) ? "false" : nil) }
            values = j["values"]?.array?.compactMap(\.string) ?? []
            high = j["highValue"]?.string
            let needsValue: Set<String> = ["EQ", "NEQ", "LT", "LTE", "GT", "GTE", "CONTAINS_TOKEN", "NOT_CONTAINS_TOKEN"]
            let known = needsValue.union(["BETWEEN", "IN", "NOT_IN", "HAS_PROPERTY", "NOT_HAS_PROPERTY"])
            guard known.contains(op), !needsValue.contains(op) || value != nil, op != "BETWEEN" || (value != nil && high != nil),
                  !["IN", "NOT_IN"].contains(op) || !values.isEmpty else { return nil }
        }

        func matches(_ o: HubSpotObject) -> Bool {
            let v = o.properties[property].flatMap { $0.isEmpty ? nil : $0 }
            let c = { (x: String) in v.map { HubSpotSearch.compare($0, x) } }
            switch op {
            case "EQ": return v.map { $0.lowercased() == value!.lowercased() } ?? false
            case "NEQ": return v.map { $0.lowercased() != value!.lowercased() } ?? true
            case "LT": return c(value!) == .orderedAscending
            case "LTE": return c(value!).map { $0 != .orderedDescending } ?? false
            case "GT": return c(value!) == .orderedDescending
            case "GTE": return c(value!).map { $0 != .orderedAscending } ?? false
            case "BETWEEN": return (c(value!).map { $0 != .orderedAscending } ?? false) && (c(high!).map { $0 != .orderedDescending } ?? false)
            case "IN": return v.map { x in values.contains { $0.lowercased() == x.lowercased() } } ?? false
            case "NOT_IN": return v.map { x in !values.contains { $0.lowercased() == x.lowercased() } } ?? true
            case "HAS_PROPERTY": return v != nil
            case "NOT_HAS_PROPERTY": return v == nil
            case "CONTAINS_TOKEN": return v.map { $0.lowercased().contains(value!.lowercased().replacingOccurrences(of: "*", with: "")) } ?? false
            default: return v.map { !$0.lowercased().contains(value!.lowercased().replacingOccurrences(of: "*", with: "")) } ?? true
            }
        }
    }
}
