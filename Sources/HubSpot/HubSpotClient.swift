import ConnectorKit
import ConnectorNet
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// HubSpot's CRM API with a Private App token (Bearer, docs/vendors/hubspot.md). Every call first takes a
/// token from the tenant's shared bucket (`rate/hubspot.json`); a 429 empties the bucket for
/// every process and is retried with backoff and jitter by the retry policy.
public final class HubSpotClient {
    let settings: HubSpotSettings
    let token: String
    let http: HTTPClient
    let policy: RetryPolicy
    let limiter: SharedRateLimiter
    /// Calls made, by operation (`batch/upsert companies`, ...), for the run's log line.
    public private(set) var calls: [String: Int] = [:]
    public private(set) var rateLimited = 0

    public init(settings: HubSpotSettings, token: String, http: HTTPClient, policy: RetryPolicy, limiter: SharedRateLimiter) {
        self.settings = settings; self.token = token; self.http = http; self.policy = policy; self.limiter = limiter
    }

    public var totalCalls: Int { calls.values.reduce(0, +) }

    /// One call; answers 2xx and 207 are returned, 404 too when `allow404`.
    func call(_ method: HTTPMethod, _ path: String, body: JSONValue? = nil, operation: String, allow404: Bool = false,
              allow400: Bool = false) throws -> (Int, JSONValue) {
        var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        // Upserts, associations and property creation are safe to repeat; so is reading.
        let request = HTTPRequest(method, URLEncoding.join(settings.apiURL, path), headers: headers,
                                  body: try body.map { try JSON.encode($0) }, idempotent: true)
        var attempt = 0
        while true {
            attempt += 1
            try limiter.acquire()
            calls[operation, default: 0] += 1
            let outcome: Result<HTTPResponse, TransportError>
            do { outcome = .success(try http.send(request)) } catch { outcome = .failure(error) }
            if case .success(let r) = outcome {
                // docs/vendors/hubspot.md, "Rate limits": X-HubSpot-RateLimit-Remaining says what is left of the window,
                // for every app on the account, so a bucket that thinks it has calls left
                // is told otherwise; a 429 naming the DAILY policy will not clear today.
                if r.status == 429 {
                    rateLimited += 1
                    limiter.drain()
                    if Self.isDailyLimit(r.body) {
                        throw SharedRateLimiter.BudgetSpent(api: "HubSpot", daily: settings.daily, zone: limiter.zone.identifier)
                    }
                } else if let left = r.header("x-hubspot-ratelimit-remaining").flatMap({ Int($0.trimmed) }), left <= 0 {
                    limiter.drain()
                }
            }
            var decision = policy.decide(request, outcome, attempt: attempt)
            // Batch upsert, update and associate are keyed and idempotent, so any 5xx the
            // shared policy leaves alone (a 500 above all) is repeated too, with its backoff
            // and jitter and within the rate budget:
            // docs/vendors/hubspot.md, "Server errors are retried".
            if case .accept = decision, case .success(let r) = outcome, HubSpotFacts.isRetriedServerError(r.status),
               attempt < policy.maxAttempts {
                decision = .retry(after: policy.backoff(attempt: attempt))
            }
            switch decision {
            case .accept:
                let response = try outcome.get()
                return try Self.answer(response, request: request, operation: operation, allow404: allow404, allow400: allow400)
            case .giveUp(let error):
                if case .success(let response) = outcome { return try Self.answer(response, request: request, operation: operation, allow404: allow404, allow400: allow400) }
                throw error
            case .retry(let delay):
                policy.sleep(delay)
            }
        }
    }

    /// A 429 body naming the DAILY policy: the account's calls for today are spent.
    static func isDailyLimit(_ body: Data) -> Bool {
        (try? JSONValue.parse(body))?["policyName"]?.string == "DAILY"
    }

    /// What the call returns for HubSpot's answer: status and JSON, or the typed error.
    /// Apart from the call so any bytes can be checked against it (Tests/Fuzz/hubspot).
    static func answer(_ r: HTTPResponse, request: HTTPRequest, operation: String, allow404: Bool, allow400: Bool) throws -> (Int, JSONValue) {
        let json = (try? JSONValue.parse(r.body)) ?? .null
        if r.status == 401 || r.status == 403 {
            let category = json["category"]?.string ?? ""
            throw VendorError(.hubspot, .authRejected, operation: operation,
                               message: "token refused (HTTP \(r.status) \(category)): \(json["message"]?.string ?? "no message"); set a new one with `ml-connector secret set \(SecretName.hubspotToken)`")
        }
        if (r.status == 404 && allow404) || (r.status == 400 && allow400 && json["errors"]?.array != nil) { return (r.status, json) }
        guard r.isSuccess || r.status == 207 else { throw HTTPStatusError(request: request, response: r) }
        guard json != .null || r.body.isEmpty else {
            throw VendorError(.hubspot, .badAnswer, operation: operation, message: "answer is not JSON: \"\(r.bodySnippet(limit: 80))\"")
        }
        return (r.status, json)
    }
}
