import ConnectorKit
import Foundation
import WebhookCore

/// Associations v4, default (unlabeled) type only (docs/vendors/hubspot.md "Associations v4";
/// developers.hubspot.com/docs/api-reference/latest/crm/associations/association-details):
/// `PUT /crm/v4/objects/{from}/{id}/associations/default/{to}/{toId}`,
/// `POST /crm/v4/associations/{from}/{to}/batch/associate/default`,
/// `POST /crm/v4/associations/{from}/{to}/batch/read` and
/// `GET /crm/v4/objects/{from}/{id}/associations/{to}`. Creating one direction creates
/// both, and the answer lists both with their type ids.
struct HubSpotAssociationsAPI {
    let body: JSONValue
    /// What an association naming a merged-away id does (`--hubspot-merged-ids`).
    var mergedIds: SandboxOptions.MergedIds = .refused

    func route(_ method: String, _ p: [String], _ s: inout HubSpotStore) -> Result<Reply, HubSpotError> {
        switch (method, p.count, p.first ?? "") {
        case ("PUT", 7, "objects") where p[3] == "associations" && p[4] == "default":
            return types(p[1], p[5]).flatMap { from, to in
                associate(from, p[2], to, p[6], &s).map { .json(batchBody($0, [])) }
            }
        case ("GET", 5, "objects") where p[3] == "associations":
            return types(p[1], p[4]).map { from, to in
                .json(["results": .array(s.linked(from, p[2], to).map { targets(from, to, $0) })])
            }
        case ("POST", 6, "associations") where p[3] == "batch" && p[4] == "associate" && p[5] == "default":
            return types(p[1], p[2]).flatMap { from, to in batchAssociate(from, to, &s) }
        case ("POST", 5, "associations") where p[3] == "batch" && p[4] == "read":
            return types(p[1], p[2]).flatMap { from, to in batchRead(from, to, s) }
        default:
            return .failure(.notFound("Unknown associations path"))
        }
    }

    private func types(_ a: String, _ b: String) -> Result<(String, String), HubSpotError> {
        guard let from = HubSpotSchema.objectType(a), let to = HubSpotSchema.objectType(b) else {
            return .failure(.validation("Unknown object type \(a) or \(b)."))
        }
        guard HubSpotSchema.defaultAssociationTypes[HubSpotSchema.Pair(from, to)] != nil else {
            return .failure(.validation("No default association type exists from \(from) to \(to)."))
        }
        return .success((from, to))
    }

    private func spec(_ from: String, _ id: String, _ to: String, _ toId: String) -> JSONValue {
        ["from": ["id": .string(id)], "to": ["id": .string(toId)],
         "associationSpec": ["associationCategory": "HUBSPOT_DEFINED",
                             "associationTypeId": .int(HubSpotSchema.defaultAssociationTypes[HubSpotSchema.Pair(from, to)]!)]]
    }

    private func associate(_ from: String, _ id: String, _ to: String, _ toId: String, _ s: inout HubSpotStore) -> Result<[JSONValue], HubSpotError> {
        var id = id, toId = toId
        if mergedIds == .redirected {
            id = s.readable(from, id)?.id ?? id
            toId = s.readable(to, toId)?.id ?? toId
        }
        guard s.object(from, id) != nil else { return .failure(.notFound("No \(from) with id \(id) exists", ids: [id])) }
        if let e = s.associationProblems(from, id, [(to, toId)]) { return .failure(e) }
        s.link(from, id, to, toId)
        return .success([spec(from, id, to, toId), spec(to, toId, from, id)])
    }

    private func batchBody(_ results: [JSONValue], _ errors: [HubSpotError]) -> JSONValue {
        let now = SandboxClock.iso(SandboxClock.now())
        var out: [String: JSONValue] = ["status": "COMPLETE", "results": .array(results), "startedAt": .string(now), "completedAt": .string(now)]
        if !errors.isEmpty {
            out["errors"] = .array(errors.map(\.batchJSON))
            out["numErrors"] = .int(errors.count)
        }
        return .object(out)
    }

    private func inputs() -> Result<[JSONValue], HubSpotError> {
        guard let inputs = body["inputs"]?.array, (1...HubSpotBatch.maxInputs).contains(inputs.count) else {
            return .failure(.validation("inputs must hold between 1 and \(HubSpotBatch.maxInputs) items."))
        }
        return .success(inputs)
    }

    /// `{"inputs":[{"from":{"id":..},"to":{"id":..}}]}`; failed pairs come back in
    /// `errors[]` with HTTP 207 (context: `fromId`, `toId`).
    private func batchAssociate(_ from: String, _ to: String, _ s: inout HubSpotStore) -> Result<Reply, HubSpotError> {
        inputs().map { inputs in
            var results: [JSONValue] = [], errors: [HubSpotError] = []
            for input in inputs {
                let id = input["from"]?["id"]?.string ?? "", toId = input["to"]?["id"]?.string ?? ""
                switch associate(from, id, to, toId, &s) {
                case .success(let specs): results += specs
                case .failure(var e):
                    e.context = ["fromId": [id], "toId": [toId]]
                    errors.append(e)
                }
            }
            return .json(batchBody(results, errors), status: errors.isEmpty ? 200 : 207)
        }
    }

    private func targets(_ from: String, _ to: String, _ toId: String) -> JSONValue {
        ["toObjectId": Int(toId).map { .int($0) } ?? .string(toId),
         "associationTypes": [["category": "HUBSPOT_DEFINED", "typeId": .int(HubSpotSchema.defaultAssociationTypes[HubSpotSchema.Pair(from, to)]!), "label": nil]]]
    }

    /// `{"inputs":[{"id":..}]}` -> `results[{from: {id}, to: [{toObjectId, associationTypes}]}]`;
    /// a record without associations of that type is reported in `errors[]` (207).
    private func batchRead(_ from: String, _ to: String, _ s: HubSpotStore) -> Result<Reply, HubSpotError> {
        inputs().map { inputs in
            var results: [JSONValue] = [], errors: [HubSpotError] = []
            for input in inputs {
                let id = input["id"]?.string ?? ""
                let ids = s.linked(from, id, to)
                if ids.isEmpty {
                    var e = HubSpotError.notFound("No \(to) is associated with \(from) \(id).")
                    e.context = ["fromObjectId": [id]]
                    errors.append(e)
                } else {
                    results.append(["from": ["id": .string(id)], "to": .array(ids.map { targets(from, to, $0) })])
                }
            }
            return .json(batchBody(results, errors), status: errors.isEmpty ? 200 : 207)
        }
    }
}
