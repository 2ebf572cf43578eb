import WebhookCore

/// The decision for one request. Checks run cheapest first and in the order a sender can
/// act on: route and tenant, method, size; then the source's own headers, signature and
/// fields (`ShipBobDelivery`, `TwilioCallback`), then the spool.
struct WebhookHandler {
    let request: CGIRequest
    let layout: StateLayout
    let now: Int
    /// Where the body is read from: stdin under fcgiwrap; a file the fuzz harness
    /// (Tests/Fuzz/webhook) fills with each input.
    var bodyFD: Int32 = 0

    /// Set once the body has been read, so a refusal drains only what is still unread.
    var bodyRead = false

    mutating func handle() -> CGIResponse {
        let response = decide()
        if !bodyRead { CGIRequest.discardBody(count: request.contentLength ?? 0, from: bodyFD) }
        return response
    }

    private mutating func decide() -> CGIResponse {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard parts.count == 3, parts[0] == "webhooks", let source = WebhookSource(rawValue: parts[2]),
              TenantPaths.isValidName(parts[1]) else {
            return Responder(audit: layout.globalAudit, source: "-", now: now)
                .refuse(404, "no webhook route \(request.path)", id: "-")
        }
        let tenant = layout.tenant(parts[1])
        guard Posix.exists(tenant.config) else {
            return Responder(audit: layout.globalAudit, source: source.rawValue, now: now)
                .refuse(404, "unknown tenant \(tenant.name)", id: "-")
        }
        let answer = Responder(audit: tenant.audit, source: source.rawValue, now: now)
        let claimedID = source.claimedID(request)

        guard request.method == "POST" else {
            return answer.refuse(405, "method \(request.method) not allowed", id: claimedID, headers: [("Allow", "POST")])
        }
        let config: ConfigDocument
        let limits: WebhookLimits
        do {
            config = try ConfigDocument.read(tenant.config)
            limits = try WebhookLimits.load(config: config)
        } catch {
            return answer.unavailable("tenant config: \(error)", id: claimedID)
        }
        guard let length = request.contentLength, length >= 0 else {
            return answer.refuse(400, "missing or malformed CONTENT_LENGTH", id: claimedID)
        }
        guard length <= limits.maxBodyBytes else {
            return answer.refuse(413, "body of \(length) bytes exceeds the limit of \(limits.maxBodyBytes)", id: claimedID)
        }
        let body: [UInt8]
        bodyRead = true
        do { body = try CGIRequest.readBody(count: length, from: bodyFD) }
        catch { return answer.refuse(400, "\(error)", id: claimedID) }

        let inbound = Inbound(request: request, layout: layout, tenant: tenant, source: source,
                              config: config, limits: limits, body: body, answer: answer, now: now)
        switch source {
        case .shipbob: return ShipBobDelivery(inbound: inbound).accept()
        case .twilio: return TwilioCallback(inbound: inbound).accept()
        }
    }
}

/// The last segment of `/webhooks/<tenant>/<source>`: who sends, how it signs, where it spools.
enum WebhookSource: String {
    case shipbob, twilio

    /// The delivery id a refusal is audited under before the sender is verified: ShipBob
    /// names every delivery in `webhook-id`; a Twilio callback has no id until its signed
    /// form is read (then `<MessageSid>.<MessageStatus>`).
    func claimedID(_ request: CGIRequest) -> String {
        switch self {
        case .shipbob: return request.header("webhook-id") ?? "-"
        case .twilio: return "-"
        }
    }
}
