import ConnectorKit
import Foundation

/// One rule of `POST /_control/faults`: the next `count` requests to `service` whose path
/// and query contain `path_contains` fail or stall as described, so tests can reproduce
/// rate limits, outages, expired sessions and a client killed after SYSPRO committed.
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
        guard status != nil || delayMs > 0 || expireSession else {
            throw ControlError("a fault needs a status, a delay_ms or expire_session")
        }
    }

    func matches(service: String, target: String) -> Bool {
        (self.service == nil || self.service == service) && (pathContains.map { target.contains($0) } ?? true)
    }

    var json: JSONValue {
        [
            "service": .str(service), "path_contains": .str(pathContains), "status": status.map { .int($0) } ?? .null,
            "count": .int(count), "retry_after": .int(retryAfter), "delay_ms": .int(delayMs),
            "delay_after_commit": .bool(afterCommit), "expire_session": .bool(expireSession),
        ]
    }

    /// The failure as each vendor would send it: SYSPRO's IIS a text page, OData its JSON
    /// error, ShipBob JSON with `x-retry-after` on 429 (api-notes, ShipBob rate limit),
    /// HubSpot its error JSON (a 429 naming the TEN_SECONDLY_ROLLING policy), Twilio its
    /// `{code, message, more_info, status}` (20429 on a 429).
    func reply(service: String) -> Reply? {
        guard let status else { return nil }
        var r: Reply
        switch service {
        case "odata": r = ODataError.reply(status: status, message: "Injected fault \(status)")
        case "shipbob":
            r = .json(["message": .string(status == 429 ? "API rate limit exceeded" : "Injected fault \(status)")], status: status)
            if status == 429 { r = r.adding("x-retry-after", String(retryAfter)).adding("x-remaining-calls", "0") }
        case "hubspot":
            r = status == 429 ? HubSpotRateLimiter.error("TEN_SECONDLY_ROLLING", "ten_secondly_rolling").reply
                : HubSpotError(status: status, category: status >= 500 ? "INTERNAL_ERROR" : "VALIDATION_ERROR",
                               message: "Injected fault \(status)").reply
        case "twilio":
            r = status == 429 ? TwilioError.tooManyRequests.reply
                : TwilioError(status: status, code: status >= 500 ? 20500 : 20001, message: "Injected fault \(status)").reply
        default: r = .text("Injected fault \(status)", status: status)
        }
        if status == 429 || status == 503 { r = r.adding("retry-after", String(retryAfter)) }
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
