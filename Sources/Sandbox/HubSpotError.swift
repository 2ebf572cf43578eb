import ConnectorKit
import Foundation
import WebhookCore

/// HubSpot's error body, the same on every endpoint: `{status: "error", message,
/// correlationId, category, context?, errors?}` (docs/vendors/hubspot.md "Errors";
/// developers.hubspot.com/docs/api-reference/error-handling). Inside a batch answer the
/// same object describes one failed input, `context` naming its id.
struct HubSpotError: Error, Sendable {
    var status: Int
    var category: String
    var message: String
    var context: [String: [String]] = [:]
    var errors: [JSONValue] = []
    var subCategory: String?
    /// Set on 429s: the limit hit (`TEN_SECONDLY_ROLLING`, `DAILY`, `SECONDLY`).
    var policyName: String?

    static func validation(_ message: String, errors: [JSONValue] = []) -> HubSpotError {
        HubSpotError(status: 400, category: "VALIDATION_ERROR", message: message, errors: errors)
    }

    static func notFound(_ message: String, ids: [String] = []) -> HubSpotError {
        HubSpotError(status: 404, category: "OBJECT_NOT_FOUND", message: message, context: ids.isEmpty ? [:] : ["id": ids])
    }

    /// The body of a failed request: a correlation id like HubSpot's (a UUID).
    var json: JSONValue {
        var o: [String: JSONValue] = [
            "status": "error", "message": .string(message), "correlationId": .string(UUID().uuidString.lowercased()),
            "category": .string(category),
        ]
        if !context.isEmpty { o["context"] = .object(context.mapValues { .array($0.map(JSONValue.string)) }) }
        if !errors.isEmpty { o["errors"] = .array(errors) }
        if let subCategory { o["subCategory"] = .string(subCategory) }
        if let policyName {
            o["errorType"] = "RATE_LIMIT"
            o["policyName"] = .string(policyName)
        }
        return .object(o)
    }

    /// One entry of a batch answer's `errors[]`: HubSpot's `StandardError`, whose required
    /// keys are `status` (the word "error", not an HTTP code), `category`, `message`,
    /// `context`, `errors` and `links`, with no correlation id of its own
    /// (docs/vendors/hubspot.md, "Batch errors are StandardError").
    var batchJSON: JSONValue {
        var o = json
        o[set: "correlationId"] = nil
        if o["context"] == nil { o[set: "context"] = .object([:]) }
        if o["errors"] == nil { o[set: "errors"] = .array([]) }
        o[set: "links"] = .object([:])
        return o
    }

    var reply: Reply { .json(json, status: status) }
}

/// Property value checks, one entry per bad property, in the shape HubSpot folds into its
/// message: `Property values were not valid: [{"isValid":false,"message":...,"error":
/// "PROPERTY_DOESNT_EXIST","name":...}]` (seen in HubSpot's answers quoted in its
/// community forum and SDK issues; the `error` codes below for numbers are unconfirmed).
struct PropertyProblem: Error, Sendable {
    let name: String
    let code: String
    let message: String

    static func error(_ problems: [PropertyProblem]) -> HubSpotError {
        let listed: [JSONValue] = problems.map {
            ["isValid": false, "message": .string($0.message), "error": .string($0.code), "name": .string($0.name),
             "localizedErrorMessage": .string($0.message)]
        }
        let text = (try? JSON.encode(JSONValue.array(listed))).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        return .validation("Property values were not valid: " + text, errors: problems.map {
            ["message": .string($0.message), "code": .string($0.code), "context": ["propertyName": .array([.string($0.name)])]]
        })
    }
}
