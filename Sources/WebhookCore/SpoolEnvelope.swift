/// What is spooled for each accepted webhook delivery under its id, as webhook-cgi writes
/// it and ConnectorKit's `WebhookEnvelope` reads and writes it: the headers that matter and
/// the raw body, sealed with the master key under the source's context (`sealContext`) (webhook
/// bodies name people). Fields in sorted order, as the rest of the state is.
public struct SpoolEnvelope: Sendable, Equatable {
    public var id: String
    public var source: String
    public var topic: String
    /// `yyyy-MM-ddTHH:mm:ssZ` (`UTC.iso8601`).
    public var receivedAt: String
    public var headers: [String: String]
    public var sealedBody: String

    public init(id: String, source: String, topic: String, receivedAt: String, headers: [String: String], sealedBody: String) {
        self.id = id; self.source = source; self.topic = topic; self.receivedAt = receivedAt
        self.headers = headers; self.sealedBody = sealedBody
    }

    /// The associated data a body from `source` is sealed under, so a body cannot be moved
    /// to another source's queue and still open.
    public static func sealContext(_ source: String) -> String { "spool." + source }

    /// `body` sealed for `sealed_body` with the key values are sealed with now.
    public static func seal(_ body: [UInt8], key: [UInt8], source: String) throws -> String {
        try Sealed.seal(body, key: key, context: sealContext(source))
    }

    /// The file's bytes.
    public var bytes: [UInt8] {
        var w = JSONObjectWriter()
        w.field("headers", headers)
        w.field("id", id)
        w.field("received_at", receivedAt)
        w.field("sealed_body", sealedBody)
        w.field("source", source)
        w.field("topic", topic)
        return w.bytes
    }

    /// The envelope in a parsed file; nil when a field is missing (headers may be; a
    /// header whose value is not a string is left out).
    public init?(_ json: JSONValue) {
        guard let id = json["id"]?.string, let source = json["source"]?.string, let topic = json["topic"]?.string,
              let receivedAt = json["received_at"]?.string, let sealedBody = json["sealed_body"]?.string else { return nil }
        var headers: [String: String] = [:]
        for (k, v) in json["headers"]?.object ?? [:] { if let s = v.string { headers[k] = s } }
        self.init(id: id, source: source, topic: topic, receivedAt: receivedAt, headers: headers, sealedBody: sealedBody)
    }

    /// The fields `init?(_:)` requires, for a message naming what a file lacks.
    public static let requiredFields = "id, source, topic, received_at, sealed_body"
}
