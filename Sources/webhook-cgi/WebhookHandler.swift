import ConnectorKit

/// The decision for one request. Checks run cheapest first and in the order a
/// sender can act on: method, route/tenant, size, headers, signature, then the spool.
struct WebhookHandler {
    let request: CGIRequest
    let state: StateLayout
    let now: Date

    /// Routes `/webhooks/<tenant>/<source>`; only ShipBob is a source so far.
    static let sources: Set<String> = ["shipbob"]

    /// Set once the body has been read, so a refusal drains only what is still unread.
    var bodyRead = false

    mutating func handle() -> CGIResponse {
        let response = decide()
        if !bodyRead { CGIRequest.discardBody(count: request.contentLength ?? 0) }
        return response
    }

    private mutating func decide() -> CGIResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3, parts[0] == "webhooks", WebhookHandler.sources.contains(parts[2]),
              TenantPaths.isValidName(parts[1]) else {
            return refuse(404, "no webhook route \(request.path)", audit: AuditLog(directory: state.globalAudit, job: "webhook-cgi"), id: "-")
        }
        let tenant = state.tenant(parts[1])
        let source = parts[2]
        guard Posix.exists(tenant.config) else {
            return refuse(404, "unknown tenant \(tenant.name)", audit: AuditLog(directory: state.globalAudit, job: "webhook-cgi"), id: "-")
        }
        let audit = AuditLog(directory: tenant.audit, job: "webhook-cgi")
        let deliveryID = request.header("webhook-id") ?? "-"

        guard request.method == "POST" else {
            return refuse(405, "method \(request.method) not allowed", audit: audit, id: deliveryID, headers: [("Allow", "POST")])
        }
        let settings: WebhookSettings
        do { settings = try WebhookSettings.load(config: tenant.config) }
        catch { return unavailable("tenant config: \(error)", audit: audit, id: deliveryID) }

        guard let length = request.contentLength, length >= 0 else {
            return refuse(400, "missing or malformed CONTENT_LENGTH", audit: audit, id: deliveryID)
        }
        guard length <= settings.maxBodyBytes else {
            return refuse(413, "body of \(length) bytes exceeds the limit of \(settings.maxBodyBytes)", audit: audit, id: deliveryID)
        }
        let body: [UInt8]
        bodyRead = true
        do { body = try CGIRequest.readBody(count: length) }
        catch { return refuse(400, "\(error)", audit: audit, id: deliveryID) }

        // The current generation names the topic in x-webhook-topic, the legacy one in
        // shipbob-topic (api-notes.md, "Webhooks now" / "Webhooks, legacy").
        guard let topic = request.header("x-webhook-topic") ?? request.header("shipbob-topic"), !topic.isEmpty else {
            return refuse(400, "missing header x-webhook-topic (or shipbob-topic)", audit: audit, id: deliveryID)
        }

        let verifier: StandardWebhooks
        do {
            let key = try MasterKey.load(from: state.masterKeyPath)
            let secret = try SecretStore(path: tenant.secrets, key: key).require(SecretName.shipbobWebhookSecret, tenant: tenant.name)
            verifier = try StandardWebhooks(secret: secret, tolerance: settings.toleranceSeconds)
        } catch {
            return unavailable("webhook secret: \(error)", audit: audit, id: deliveryID)
        }
        do {
            try verifier.verify(id: request.header("webhook-id"), timestamp: request.header("webhook-timestamp"),
                                signature: request.header("webhook-signature"), body: body,
                                now: Int64(now.timeIntervalSince1970))
        } catch let failure as StandardWebhooks.Failure {
            return refuse(failure.httpStatus == 500 ? 503 : failure.httpStatus, failure.description, audit: audit, id: deliveryID)
        } catch {
            return refuse(401, "\(error)", audit: audit, id: deliveryID)
        }
        guard SpoolQueue.isValidID(deliveryID) else {
            return refuse(400, "webhook-id is not a usable id (letters, digits, - _ . only, at most 200)", audit: audit, id: "-")
        }

        var headers: [String: String] = [:]
        for name in ["webhook-id", "webhook-timestamp", "x-webhook-topic", "shipbob-topic", "shipbob-subscription-id", "content-type", "user-agent"] {
            if let v = request.header(name) { headers[name] = v }
        }
        let envelope = WebhookEnvelope(id: deliveryID, source: source, topic: topic, receivedAt: now, headers: headers, body: Data(body))
        do {
            let result = try tenant.spool(source).put(id: deliveryID, data: envelope.jsonData())
            let outcome = result == .stored ? "accepted" : "duplicate"
            try? audit.record(AuditEntry(action: "webhook", source: source, id: deliveryID, outcome: outcome, detail: ["topic": topic]))
            return CGIResponse(status: 200, body: outcome)
        } catch {
            return unavailable("spool: \(error)", audit: audit, id: deliveryID)
        }
    }

    private func refuse(_ status: Int, _ reason: String, audit: AuditLog, id: String, headers: [(String, String)] = []) -> CGIResponse {
        try? audit.record(AuditEntry(action: "webhook", source: "shipbob", id: id, outcome: "refused",
                                     reason: reason, detail: ["status": String(status)]))
        return CGIResponse(status: status, body: reason, headers: headers)
    }

    /// Our fault, not the sender's: 503 with Retry-After so ShipBob redelivers later.
    private func unavailable(_ reason: String, audit: AuditLog, id: String) -> CGIResponse {
        Logger(job: "webhook-cgi").error("cannot accept webhook", ["reason": reason, "id": id])
        try? audit.record(AuditEntry(action: "webhook", source: "shipbob", id: id, outcome: "deferred",
                                     reason: reason, detail: ["status": "503"]))
        return CGIResponse(status: 503, body: "temporarily unable to accept; retry later", headers: [("Retry-After", "60")])
    }
}
