import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A spooled webhook delivery with its body opened: WebhookCore's `SpoolEnvelope` (the file's
/// one encoding, which webhook-cgi writes) in the jobs' types.
public struct WebhookEnvelope: Sendable, Equatable {
    public var id: String
    public var source: String
    public var topic: String
    public var receivedAt: Date
    public var headers: [String: String]
    public var body: Data

    public init(id: String, source: String, topic: String, receivedAt: Date, headers: [String: String], body: Data) {
        self.id = id; self.source = source; self.topic = topic; self.receivedAt = receivedAt
        self.headers = headers; self.body = body
    }

    /// The spooled form, as webhook-cgi writes it (keys sorted, the body sealed).
    public func sealedJSON(key: MasterKey) throws -> Data {
        let sealed = try key.seal(body, context: SpoolEnvelope.sealContext(source))
        return Data(SpoolEnvelope(id: id, source: source, topic: topic, receivedAt: Timestamp.iso8601(receivedAt),
                                  headers: headers, sealedBody: sealed).bytes)
    }

    /// Reads a spooled envelope; `path` names the file in errors.
    public static func read(_ data: Data, key: MasterKey, path: String) throws -> WebhookEnvelope {
        func bad(_ problem: String) -> DataError { DataError(source: path, problem: problem) }
        let j: JSONValue
        do { j = try JSONValue.parse(data) } catch { throw bad("is not JSON: \(error)") }
        guard let e = SpoolEnvelope(j), let received = Timestamp.parse(e.receivedAt) else {
            throw bad("is not a webhook envelope (\(SpoolEnvelope.requiredFields))")
        }
        let body: Data
        do { body = try key.open(data: e.sealedBody, context: SpoolEnvelope.sealContext(e.source)) }
        catch { throw bad("sealed_body does not open: \(error)") }
        return WebhookEnvelope(id: e.id, source: e.source, topic: e.topic, receivedAt: received, headers: e.headers, body: body)
    }
}
