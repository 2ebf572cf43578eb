import WebhookCore

/// A request that passed the checks every source shares (route, tenant, method, size),
/// body read: what a source's own checks and the spool need.
struct Inbound {
    let request: CGIRequest
    let layout: StateLayout
    let tenant: TenantPaths
    let source: WebhookSource
    let config: ConfigDocument
    let limits: WebhookLimits
    let body: [UInt8]
    let answer: Responder
    let now: Int

    /// The keys in force, the one to seal with first (two while a rotation is under way).
    func masterKeys() throws -> [[UInt8]] {
        try Sealed.loadKeys(layout.masterKeyPath)
    }

    /// A credential from `secrets.json` (`SecretsFile`), as `ml-connector secret set` stores it.
    func secret(_ name: String, keys: [[UInt8]]) throws -> String {
        guard let plain = try SecretsFile.read(tenant.secrets).open(name, keys: keys) else {
            throw CGIError("secret \(name) is not set; run `ml-connector secret set \(name) --tenant \(tenant.name)`")
        }
        return String(decoding: plain, as: UTF8.self)
    }

    /// Durable before acknowledged: the envelope goes to `spool/<source>/new/<id>` (a
    /// repeated id is an atomic no-op) before the 200; 503 when it cannot be written, so
    /// the sender's retry finds the id still free. The envelope is `SpoolEnvelope`, the
    /// form ConnectorKit's WebhookEnvelope reads; the body goes in sealed: it names people.
    func spool(id: String, topic: String, headerNames: [String], sealedBody: String, detail: [String: String]) -> CGIResponse {
        var headers: [String: String] = [:]
        for name in headerNames {
            if let v = request.header(name) { headers[name] = v }
        }
        let envelope = SpoolEnvelope(id: id, source: source.rawValue, topic: topic, receivedAt: UTC.iso8601(seconds: now),
                                     headers: headers, sealedBody: sealedBody)
        do {
            let result = try Maildir.put(root: tenant.spoolDirectory(source.rawValue), id: id, bytes: envelope.bytes)
            return answer.stored(result, id: id, detail: detail)
        } catch {
            return answer.unavailable("spool: \(error)", id: id)
        }
    }
}
