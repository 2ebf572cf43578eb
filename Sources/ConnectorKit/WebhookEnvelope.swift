/// What `webhook-cgi` spools for each accepted delivery: the raw body bytes (base64 in
/// JSON, so nothing is re-serialised) and the headers that matter, under the webhook-id.
public struct WebhookEnvelope: Codable, Sendable, Equatable {
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

    enum CodingKeys: String, CodingKey {
        case id, source, topic, receivedAt = "received_at", headers, body
    }
}
