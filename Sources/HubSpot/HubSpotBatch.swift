import ConnectorKit
import ConnectorNet
import WebhookCore

/// One record to upsert: its unique key (the value of `idProperty`) and its properties.
public struct UpsertInput: Sendable, Equatable {
    public var key: String
    public var properties: [String: String]
    public init(key: String, properties: [String: String]) { self.key = key; self.properties = properties }
}

/// A batch answer per input: HubSpot's id for each key that went through, and for each that
/// did not, HubSpot's status, category and message (a 207 names the failing inputs in each
/// error's `context`: docs/vendors/hubspot.md, "Batch errors are StandardError").
public struct BatchOutcome: Sendable, Equatable {
    public struct Failure: Sendable, Equatable {
        public var key: String
        public var status: Int
        public var category: String
        public var message: String
        /// Rate limits and server errors go again; anything else is the record's fault.
        public var isTransient: Bool { status == 429 || status >= 500 || HubSpotFacts.transientCategories.contains(category) }
        /// The id or key named no record: deleted or merged in HubSpot.
        public var isNotFound: Bool { status == 404 || category == HubSpotFacts.notFoundCategory }

        public init(key: String, status: Int, category: String, message: String) {
            self.key = key; self.status = status; self.category = category; self.message = message
        }
    }
    public var ids: [String: String] = [:]
    public var created: Set<String> = []
    public var failures: [Failure] = []

    public init() {}

    /// The ids a batch upsert answer gives per key (`results[].properties[idProperty]`), and
    /// which of them HubSpot created; a result without both is skipped, the input asked again.
    mutating func record(results answer: JSONValue, idProperty: String) {
        for r in answer["results"]?.array ?? [] {
            guard let id = r["id"]?.string, let key = r["properties"]?[idProperty]?.string else { continue }
            ids[key] = id
            if r["new"] == .bool(true) { created.insert(key) }
        }
    }
}

extension HubSpotClient {
    /// `POST /crm/v3/objects/{type}/batch/upsert` in calls of 100, retrying only the inputs a
    /// 207 says failed for a transient reason (a few rounds), and returning the rest as failures.
    public func upsert(_ type: String, idProperty: String, _ inputs: [UpsertInput]) throws -> BatchOutcome {
        var outcome = BatchOutcome()
        var pending = inputs
        var round = 0
        while !pending.isEmpty {
            round += 1
            var transient: [UpsertInput] = []
            for start in stride(from: 0, to: pending.count, by: HubSpotFacts.batchLimit) {
                let chunk = Array(pending[start..<min(start + HubSpotFacts.batchLimit, pending.count)])
                let body = JSONValue.object(["inputs": .array(chunk.map { i in
                    .object(["id": .string(i.key), "idProperty": .string(idProperty),
                             "properties": .object(i.properties.mapValues { JSONValue.string($0) })])
                })])
                // A whole-batch 400 naming inputs (upserts by email take all or nothing):
                // those inputs failed, the others were not written and go again.
                let (status, json) = try call(.post, HubSpotFacts.batch(type, "upsert"), body: body, operation: "upsert \(type)", allow400: true)
                if status == 400 {
                    let refused = Self.failures(json, keys: chunk.map(\.key))
                    guard !refused.isEmpty else {
                        throw VendorError(.hubspot, .badAnswer, operation: "upsert \(type)", message: json["message"]?.string ?? "HTTP 400 naming no input")
                    }
                    outcome.failures += refused
                    transient += chunk.filter { i in !refused.contains { $0.key == i.key } }
                    continue
                }
                outcome.record(results: json, idProperty: idProperty)
                let byKey = Dictionary(chunk.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
                for f in Self.failures(json, keys: chunk.map(\.key)) {
                    if f.isTransient && round < 4, let input = byKey[f.key] { transient.append(input) } else { outcome.failures.append(f) }
                }
                // An input neither answered nor named in an error: HubSpot lost it; ask again.
                for i in chunk where outcome.ids[i.key] == nil && !outcome.failures.contains(where: { $0.key == i.key })
                    && !transient.contains(where: { $0.key == i.key }) {
                    if round < 4 { transient.append(i) } else {
                        outcome.failures.append(.init(key: i.key, status: 0, category: "MISSING", message: "HubSpot's answer left this input out"))
                    }
                }
            }
            if !transient.isEmpty { policy.sleep(policy.backoff(attempt: round)) }
            pending = transient
        }
        return outcome
    }

    /// `POST /crm/v3/objects/{type}/batch/update` by HubSpot id, in calls of 100.
    public func update(_ type: String, _ inputs: [(id: String, properties: [String: String])]) throws -> [BatchOutcome.Failure] {
        var failures: [BatchOutcome.Failure] = []
        for start in stride(from: 0, to: inputs.count, by: HubSpotFacts.batchLimit) {
            let chunk = Array(inputs[start..<min(start + HubSpotFacts.batchLimit, inputs.count)])
            let body = JSONValue.object(["inputs": .array(chunk.map { i in
                .object(["id": .string(i.id), "properties": .object(i.properties.mapValues { JSONValue.string($0) })])
            })])
            let (_, json) = try call(.post, HubSpotFacts.batch(type, "update"), body: body, operation: "update \(type)")
            failures += Self.failures(json, keys: chunk.map(\.id))
        }
        return failures
    }

    /// `POST /crm/v4/associations/{from}/{to}/batch/associate/default`, in calls of 100.
    /// Associating a pair twice changes nothing, so a rerun may send it again.
    public func associate(_ from: String, _ to: String, _ pairs: [(String, String)]) throws -> [BatchOutcome.Failure] {
        var failures: [BatchOutcome.Failure] = []
        for start in stride(from: 0, to: pairs.count, by: HubSpotFacts.batchLimit) {
            let chunk = Array(pairs[start..<min(start + HubSpotFacts.batchLimit, pairs.count)])
            let body = JSONValue.object(["inputs": .array(chunk.map { p in
                .object(["from": .object(["id": .string(p.0)]), "to": .object(["id": .string(p.1)])])
            })])
            let (_, json) = try call(.post, HubSpotFacts.associateDefault(from, to), body: body, operation: "associate \(from)-\(to)")
            failures += Self.failures(json, keys: chunk.map(\.0))
        }
        return failures
    }

    /// `POST /crm/v3/objects/{type}/batch/read` by a unique property, in calls of 100:
    /// HubSpot's id for each key that names a record; a key missing from the answer (a 207
    /// naming it OBJECT_NOT_FOUND) has none, deleted or merged away. One cheap call per 100
    /// records, for `--full` to check what it would otherwise skip.
    public func read(_ type: String, idProperty: String, keys: [String]) throws -> [String: String] {
        var ids: [String: String] = [:]
        let unique = Array(Set(keys)).sorted()
        for start in stride(from: 0, to: unique.count, by: HubSpotFacts.batchLimit) {
            let chunk = Array(unique[start..<min(start + HubSpotFacts.batchLimit, unique.count)])
            let body = JSONValue.object(["idProperty": .string(idProperty), "properties": .array([.string(idProperty)]),
                                         "inputs": .array(chunk.map { .object(["id": .string($0)]) })])
            let (_, json) = try call(.post, HubSpotFacts.batchRead(type), body: body, operation: "read \(type)")
            var outcome = BatchOutcome()
            outcome.record(results: json, idProperty: idProperty)
            let asked = Set(chunk)
            for (k, id) in outcome.ids where asked.contains(k) { ids[k] = id }
            // Email keys come back as HubSpot holds them: match them without case.
            if idProperty == "email" {
                let lower = Dictionary(outcome.ids.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { a, _ in a })
                for k in chunk where ids[k] == nil { if let id = lower[k.lowercased()] { ids[k] = id } }
            }
        }
        return ids
    }

    /// The account's time zone (`GET /account-info/v3/details`, `timeZone`): HubSpot's
    /// daily limit resets at midnight there.
    public func accountTimeZone() throws -> String? {
        let (_, json) = try call(.get, HubSpotFacts.accountDetails, operation: "account details")
        return json["timeZone"]?.string
    }

    /// Creates each property that does not exist yet (`GET` 404, then `POST`); returns the
    /// names it created.
    public func ensureProperties(_ type: String, _ definitions: [PropertyDefinition]) throws -> [String] {
        var created: [String] = []
        for d in definitions {
            let (status, _) = try call(.get, HubSpotFacts.properties(type) + "/" + d.name, operation: "read property", allow404: true)
            guard status == 404 else { continue }
            let (made, json) = try call(.post, HubSpotFacts.properties(type), body: d.json, operation: "create property", allow404: false)
            if made == 409 || json["category"]?.string == "OBJECT_ALREADY_EXISTS" { continue }
            created.append("\(type).\(d.name)")
        }
        return created
    }

    /// How many properties `type` has: a cheap authenticated read for `ml-connector ping`.
    public func propertyCount(_ type: String) throws -> Int {
        let (_, json) = try call(.get, HubSpotFacts.properties(type), operation: "read properties")
        return json["results"]?.array?.count ?? 0
    }

    /// The per-input errors of a batch answer, tied to the input keys they name.
    public static func failures(_ json: JSONValue, keys: [String]) -> [BatchOutcome.Failure] {
        let known = Set(keys)
        return (json["errors"]?.array ?? []).flatMap { e -> [BatchOutcome.Failure] in
            let named = (e["context"]?.object ?? [:]).values.flatMap { $0.array?.compactMap(\.string) ?? [] }.filter { known.contains($0) }
            // StandardError's status is the word "error": a number there is taken, else the
            // category says what happened.
            let category = e["category"]?.string ?? ""
            let status = Int(e["status"]?.string ?? "") ?? e["status"]?.int64.map(Int.init)
                ?? (category == HubSpotFacts.notFoundCategory ? 404 : category == "RATE_LIMITS" ? 429
                    : HubSpotFacts.transientCategories.contains(category) ? 500 : 400)
            return named.map { .init(key: $0, status: status, category: e["category"]?.string ?? "", message: e["message"]?.string ?? "") }
        }
    }
}

/// A custom property the connector needs in HubSpot (`POST /crm/v3/properties/{type}`).
public struct PropertyDefinition: Sendable {
    public var name: String
    public var label: String
    public var type: String
    public var fieldType: String
    public var groupName: String
    public var unique: Bool

    public init(name: String, label: String, number: Bool = false, groupName: String, unique: Bool = false) {
        self.name = name; self.label = label; self.type = number ? "number" : "string"
        self.fieldType = number ? "number" : "text"; self.groupName = groupName; self.unique = unique
    }

    var json: JSONValue {
        .object(["name": .string(name), "label": .string(label), "type": .string(type), "fieldType": .string(fieldType),
                 "groupName": .string(groupName), "hasUniqueValue": .bool(unique)])
    }
}
