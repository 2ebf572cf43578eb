import WebhookCore

/// A request that passed the checks every source shares (route, tenant, method, size),
/// body read: what a source's own checks and the spool need.
struct Inbound {
    let request: CGIRequest
    let stateRoot: String
    let tenant: String
    let tenantDir: String
    let source: WebhookSource
    let config: ConfigDocument
    let limits: WebhookLimits
    let body: [UInt8]
    let answer: Responder
    let now: Int

    /// The keys in force, the one to seal with first (two while a rotation is under way).
    func masterKeys() throws -> [[UInt8]] {
        try Sealed.loadKeys(StateRoot.masterKeyPath(root: stateRoot))
    }

    /// A credential from `secrets.json`, sealed with its own name as context, as
    /// `ml-connector secret set` stores it.
    func secret(_ name: String, keys: [[UInt8]]) throws -> String {
        let secrets = try JSONValue.parse(try RawFile.read(tenantDir + "/secrets.json"))
        guard let sealed = secrets[name]?.string else {
            throw CGIError("secret \(name) is not set; run `ml-connector secret set \(name) --tenant \(tenant)`")
        }
        return String(decoding: try Sealed.open(sealed, keys: keys, context: name), as: UTF8.self)
    }

    /// Durable before acknowledged: the envelope goes to `spool/<source>/new/<id>` (a
    /// repeated id is an atomic no-op) before the 200; 503 when it cannot be written, so
    /// the sender's retry finds the id still free. Fields in sorted order, the shape
    /// ConnectorKit's WebhookEnvelope reads. The body goes in sealed (`SpoolSeal`): it
    /// names people.
    func spool(id: String, topic: String, headerNames: [String], sealedBody: String, detail: [String: String]) -> CGIResponse {
        var headers: [String: String] = [:]
        for name in headerNames {
            if let v = request.header(name) { headers[name] = v }
        }
        var envelope = JSONObjectWriter()
        envelope.field("headers", headers)
        envelope.field("id", id)
        envelope.field("received_at", UTC.iso8601(seconds: now))
        envelope.field("sealed_body", sealedBody)
        envelope.field("source", source.rawValue)
        envelope.field("topic", topic)
        do {
            let result = try Maildir.put(root: "\(tenantDir)/spool/\(source.rawValue)", id: id, bytes: envelope.bytes)
            return answer.stored(result, id: id, detail: detail)
        } catch {
            return answer.unavailable("spool: \(error)", id: id)
        }
    }
}
