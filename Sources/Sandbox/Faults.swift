import ConnectorKit
import Foundation
import WebhookCore

/// One rule of `POST /_control/faults`: the next `count` requests to `service` whose path
/// and query contain `path_contains` fail or stall as described, so tests can reproduce
/// rate limits (with or without a retry header), outages, expired sessions, connections
/// dropped without an answer and a client killed after SYSPRO committed.
struct Fault: Sendable {
    var service: String?
    var pathContains: String?
    var status: Int?
    var count: Int
    var retryAfter: Int
    var delayMs: Int
    /// Handle the request (commit its effects) before the delay and the fault status.
    var afterCommit: Bool
    var expireSession: Bool
    /// `retry_header: false`: the 429 or 503 carries no `Retry-After` / `x-retry-after`, so
    /// the client must pick its own wait (a proxy or a vendor that forgets the header).
    var retryHeader: Bool
    /// Close the connection without a byte of answer (before the request is handled, or
    /// after it committed with `delay_after_commit`): the client cannot know what happened.
    var drop: Bool

    init(json: JSONValue) throws {
        guard json.object != nil else { throw ControlError("fault must be a JSON object") }
        service = json["service"]?.string
        if let s = service, !["shipbob", "syspro", "odata", "hubspot", "twilio"].contains(s) {
            throw ControlError("service must be shipbob, syspro, odata, hubspot or twilio")
        }
        pathContains = json["path_contains"]?.string
        status = json["status"]?.int64.map(Int.init)
        count = Int(json["count"]?.int64 ?? 1)
        retryAfter = Int(json["retry_after"]?.int64 ?? 1)
        delayMs = Int(json["delay_ms"]?.int64 ?? 0)
        afterCommit = json["delay_after_commit"] == .bool(true)
        expireSession = json["expire_session"] == .bool(true)
        retryHeader = json["retry_header"] != .bool(false)
        drop = json["drop"] == .bool(true)
        guard status != nil || delayMs > 0 || expireSession || drop else {
            throw ControlError("a fault needs a status, a delay_ms, drop or expire_session")
        }
        guard !(drop && status != nil) else { throw ControlError("a dropped connection has no status: give drop or status, not both") }
    }

    func matches(service: String, target: String) -> Bool {
        (self.service == nil || self.service == service) && (pathContains.map { target.contains($0) } ?? true)
    }

    var json: JSONValue {
        [
            "service": .str(service), "path_contains": .str(pathContains), "status": status.map { .int($0) } ?? .null,
            "count": .int(count), "retry_after": .int(retryAfter), "delay_ms": .int(delayMs),
            "delay_after_commit": .bool(afterCommit), "expire_session": .bool(expireSession),
            "retry_header": .bool(retryHeader), "drop": .bool(drop),
        ]
    }

    /// The failure as each vendor would send it: SYSPRO's IIS a text page, OData its JSON
    /// error, ShipBob JSON with `x-retry-after` on 429 (docs/vendors/shipbob.md rate limit),
    /// HubSpot its error JSON (a 429 naming the TEN_SECONDLY_ROLLING policy), Twilio its
    /// `{code, message, more_info, status}` (20429 on a 429). Without `retry_header`, none
    /// of them says how long to wait.
    /// `hubspotLimits`: the account's 10-second and daily limits, for the rate-limit headers
    /// an injected HubSpot 429 carries like a real one.
    func reply(service: String, hubspotLimits: (perTenSeconds: Int, perDay: Int) = (100, 250_000)) -> Reply? {
        if drop { return .dropped }
        guard let status else { return nil }
        var r: Reply
        switch service {
        case "odata": r = ODataError.reply(status: status, message: "Injected fault \(status)")
        case "shipbob":
            r = .json(["message": .string(status == 429 ? "API rate limit exceeded" : "Injected fault \(status)")], status: status)
            if status == 429 {
                if retryHeader { r = r.adding("x-retry-after", String(retryAfter)) }
                r = r.adding("x-remaining-calls", "0")
            }
        case "hubspot":
            if status == 429 {
                // As a real one: the TEN_SECONDLY_ROLLING policy in the body, the window spent
                // in the X-HubSpot-RateLimit-* headers (docs/vendors/hubspot.md, "Rate limits").
                r = HubSpotRateLimiter.error("TEN_SECONDLY_ROLLING", "ten_secondly_rolling").reply
                r.headers += HubSpotRateLimiter.headers(max: hubspotLimits.perTenSeconds, remaining: 0,
                                                        perDay: hubspotLimits.perDay, dailyRemaining: hubspotLimits.perDay)
            } else {
                r = HubSpotError(status: status, category: status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR",
                                 message: "Injected fault \(status)").reply
            }
        case "twilio":
            r = status == 429 ? TwilioError.tooManyRequests.reply
                : TwilioError(status: status, code: status >= 500 ? 20500 : 20001, message: "Injected fault \(status)").reply
        default: r = .text("Injected fault \(status)", status: status)
        }
        if retryHeader, status == 429 || status == 503 { r = r.adding("retry-after", String(retryAfter)) }
        return r
    }
}

extension Array where Element == Fault {
    /// Consumes one use of the first rule matching the request.
    mutating func take(service: String, target: String) -> Fault? {
        guard let i = firstIndex(where: { $0.matches(service: service, target: target) }) else { return nil }
        let f = self[i]
        self[i].count -= 1
        if self[i].count <= 0 { remove(at: i) }
        return f
    }
}

struct ControlError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
