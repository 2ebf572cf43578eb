import ConnectorKit
import Foundation
import WebhookCore

/// `/crm/v3/objects/{type}/batch/{create|update|read|upsert|archive}` (docs/vendors/hubspot.md; the
/// OpenAPI of developers.hubspot.com/docs/api-reference/legacy/crm/objects/contacts/batch/*):
/// at most 100 inputs; the answer is `{status: "COMPLETE", results[], startedAt,
/// completedAt}`, and when some inputs failed HTTP 207 with `errors[]` (each naming the
/// failing input in `context`) and `numErrors` beside the results of the others.
struct HubSpotBatch {
    static let maxInputs = 100
    let body: JSONValue
    let idPropertyParam: String?
    let now: Double

    func run(_ op: String, _ type: String, _ s: inout HubSpotStore) -> Result<Reply, HubSpotError> {
        guard let inputs = body["inputs"]?.array else { return .failure(.validation("The request body needs an inputs array.")) }
        guard (1...HubSpotBatch.maxInputs).contains(inputs.count) else {
            return .failure(.validation("inputs must hold between 1 and \(HubSpotBatch.maxInputs) items; got \(inputs.count)."))
        }
        if op == "archive" {
            // `batch/archive` answers 204 with no body, unknown ids included.
            for input in inputs { _ = s.archive(type, input["id"]?.string ?? "") }
            return .success(Reply(status: 204))
        }
        let started = SandboxClock.iso(now)
        let outcome: Result<([JSONValue], [HubSpotError]), HubSpotError>
        switch op {
        case "create": outcome = .success(create(inputs, type, &s))
        case "update": outcome = update(inputs, type, &s)
        case "read": outcome = read(inputs, type, s)
        case "upsert": outcome = upsert(inputs, type, &s)
        default: return .failure(.notFound("Unknown batch operation \(op)"))
        }
        return outcome.map { results, errors in
            var out: [String: JSONValue] = ["status": "COMPLETE", "results": .array(results), "startedAt": .string(started),
                                            "completedAt": .string(SandboxClock.iso(SandboxClock.now()))]
            if !errors.isEmpty {
                out["errors"] = .array(errors.map(\.batchJSON))
                out["numErrors"] = .int(errors.count)
            }
            return .json(.object(out), status: errors.isEmpty ? (op == "create" ? 201 : 200) : 207)
        }
    }

    private func written(_ o: HubSpotObject, _ type: String, _ s: HubSpotStore) -> JSONValue {
        HubSpotObjectsAPI.json(o, type, s, properties: nil)
    }

    /// Inputs carry no id; HubSpot pairs results and errors with inputs through the
    /// optional `objectWriteTraceId` (OpenAPI `SimplePublicObjectInputForCreate`).
    private func create(_ inputs: [JSONValue], _ type: String, _ s: inout HubSpotStore) -> ([JSONValue], [HubSpotError]) {
        var results: [JSONValue] = [], errors: [HubSpotError] = []
        for input in inputs {
            let trace = input["objectWriteTraceId"]?.string
            let made = HubSpotObjectsAPI.associations(input["associations"], from: type).flatMap { a in
                s.create(type, input["properties"]?.object ?? [:], associations: a, now: now)
            }
            switch made {
            case .success(let o):
                var j = written(o, type, s)
                if let trace { j[set: "objectWriteTraceId"] = .string(trace) }
                results.append(j)
            case .failure(var e):
                if let trace { e.context["objectWriteTraceId"] = [trace] }
                errors.append(e)
            }
        }
        return (results, errors)
    }

    /// HubSpot refuses a batch naming one record twice ("Duplicate IDs found in batch input").
    private func duplicates(_ ids: [String]) -> HubSpotError? {
        var seen = Set<String>(), dup: [String] = []
        for id in ids where !seen.insert(id).inserted { dup.append(id) }
        return dup.isEmpty ? nil : .validation("Duplicate IDs found in batch input: [\(dup.joined(separator: ", "))]. IDs must be unique")
    }

    /// `idProperty` must be a property with unique values (docs/vendors/hubspot.md).
    private func checkIdProperty(_ name: String?, _ type: String, _ s: HubSpotStore) -> HubSpotError? {
        guard let name, name != "hs_object_id" else { return nil }
        return s.isUnique(type, name) ? nil : .validation("\(name) is not a unique identifier property of \(type); idProperty must name one.")
    }

    private func update(_ inputs: [JSONValue], _ type: String, _ s: inout HubSpotStore) -> Result<([JSONValue], [HubSpotError]), HubSpotError> {
        let ids = inputs.map { $0["id"]?.string ?? "" }
        if let e = duplicates(ids) { return .failure(e) }
        var results: [JSONValue] = [], errors: [HubSpotError] = []
        for (input, id) in zip(inputs, ids) {
            let idProperty = input["idProperty"]?.string ?? idPropertyParam
            if let e = checkIdProperty(idProperty, type, s) { return .failure(e) }
            guard let target = idProperty.map({ s.find(type, by: $0, id) }) ?? s.object(type, id) else {
                errors.append(.notFound("Object not found.  objectId are usually numeric.", ids: [id]))
                continue
            }
            switch s.update(type, id: target.id, input["properties"]?.object ?? [:], now: now) {
            case .success(let o): results.append(written(o, type, s))
            case .failure(var e):
                e.context["id"] = [id]
                errors.append(e)
            }
        }
        return .success((results, errors))
    }

    /// Missing records are reported together: "Could not get some CONTACT objects, they
    /// may be deleted or not exist. Check that ids are valid." with `context.ids`.
    private func read(_ inputs: [JSONValue], _ type: String, _ s: HubSpotStore) -> Result<([JSONValue], [HubSpotError]), HubSpotError> {
        let idProperty = body["idProperty"]?.string ?? idPropertyParam
        if let e = checkIdProperty(idProperty, type, s) { return .failure(e) }
        let names = body["properties"]?.array?.compactMap(\.string) ?? HubSpotSchema.defaultReadProperties[type] ?? []
        var results: [JSONValue] = [], missing: [String] = []
        for input in inputs {
            let id = input["id"]?.string ?? ""
            guard let o = idProperty.map({ s.find(type, by: $0, id) }) ?? s.readable(type, id) else { missing.append(id); continue }
            var j = HubSpotObjectsAPI.json(o, type, s, properties: names)
            if let withHistory = body["propertiesWithHistory"]?.array?.compactMap(\.string), !withHistory.isEmpty {
                j[set: "propertiesWithHistory"] = .object(Dictionary(uniqueKeysWithValues: withHistory.filter { s.properties[type]?[$0] != nil }.map { name in
                    (name, JSONValue.array(s.history(type, o.id, name).map(\.json)))
                }))
            }
            results.append(j)
        }
        guard !missing.isEmpty else { return .success((results, [])) }
        var e = HubSpotError.notFound("Could not get some \(HubSpotSchema.singular(type)) objects, they may be deleted or not exist. Check that ids are valid.")
        e.context = ["ids": missing]
        return .success((results, [e]))
    }

    /// Upsert by a unique property: `id` is its value; a match is updated (`new: false`),
    /// otherwise a record is created holding it (`new: true`). Contacts upserted by
    /// `email` "do not support partial upserts" (docs/vendors/hubspot.md): there one bad input fails
    /// the whole request (400, nothing written) instead of a 207.
    private func upsert(_ inputs: [JSONValue], _ type: String, _ s: inout HubSpotStore) -> Result<([JSONValue], [HubSpotError]), HubSpotError> {
        let ids = inputs.map { $0["id"]?.string ?? "" }
        if let e = duplicates(ids) { return .failure(e) }
        var trial = s
        var results: [JSONValue] = [], errors: [HubSpotError] = []
        var byEmail = false
        for (input, id) in zip(inputs, ids) {
            guard let idProperty = input["idProperty"]?.string ?? idPropertyParam, idProperty != "hs_object_id" else {
                return .failure(.validation("Each upsert input needs an idProperty naming a unique property."))
            }
            if let e = checkIdProperty(idProperty, type, trial) { return .failure(e) }
            byEmail = byEmail || (type == "contacts" && idProperty == "email")
            guard !id.isEmpty else {
                errors.append(.validation("An upsert input needs the id: the value of \(idProperty) that identifies the record."))
                continue
            }
            let props = input["properties"]?.object ?? [:]
            let outcome: Result<(HubSpotObject, Bool), HubSpotError>
            if let existing = trial.find(type, by: idProperty, id) {
                outcome = trial.update(type, id: existing.id, props, now: now).map { ($0, false) }
            } else {
                var withKey = props
                withKey[idProperty] = .string(id)
                outcome = trial.create(type, withKey, now: now).map { ($0, true) }
            }
            switch outcome {
            case .success(let (o, isNew)):
                var j = written(o, type, trial)
                j[set: "new"] = .bool(isNew)
                results.append(j)
            case .failure(var e):
                e.context["id"] = [id]
                errors.append(e)
            }
        }
        if byEmail && !errors.isEmpty {
            return .failure(.validation("Upserts by email do not support partial upserts: \(errors.count) input(s) failed, nothing was written.",
                                        errors: errors.map(\.batchJSON)))
        }
        s = trial
        return .success((results, errors))
    }
}
