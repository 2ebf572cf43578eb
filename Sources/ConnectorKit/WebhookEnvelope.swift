import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `webhook-cgi` spools for each accepted delivery under its id: the headers that
/// matter and the raw body bytes, sealed with the master key (`sealed_body`, `SpoolSeal`):
/// webhook bodies name people, so they are never at rest in clear text.
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
        var w = JSONObjectWriter()
        w.field("headers", headers)
        w.field("id", id)
        w.field("received_at", Timestamp.iso8601(receivedAt))
        w.field("sealed_body", try key.seal(body, context: SpoolSeal.context(source)))
        w.field("source", source)
        w.field("topic", topic)
        return Data(w.bytes)
    }

    /// Reads a spooled envelope; `path` names the file in errors.
    public static func read(_ data: Data, key: MasterKey, path: String) throws -> WebhookEnvelope {
        func bad(_ problem: String) -> DataError { DataError(source: path, problem: problem) }
        let j: JSONValue
        do { j = try JSONValue.parse(data) } catch { throw bad("is not JSON: \(error)") }
        guard let id = j["id"]?.string, let source = j["source"]?.string, let topic = j["topic"]?.string,
              let received = j["received_at"]?.string.flatMap(Timestamp.parse), let sealed = j["sealed_body"]?.string else {
            throw bad("is not a webhook envelope (id, source, topic, received_at, sealed_body)")
        }
        var headers: [String: String] = [:]
        for (k, v) in j["headers"]?.object ?? [:] { if let s = v.string { headers[k] = s } }
        let body: Data
        do { body = try key.open(data: sealed, context: SpoolSeal.context(source)) } catch { throw bad("sealed_body does not open: \(error)") }
        return WebhookEnvelope(id: id, source: source, topic: topic, receivedAt: received, headers: headers, body: body)
    }
}
