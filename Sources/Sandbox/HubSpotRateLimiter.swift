import ConnectorKit
import Foundation
import TimeZones

/// HubSpot's limits for a private app token (docs/vendors/hubspot.md "Limits";
/// developers.hubspot.com/docs/developer-tooling/platform/usage-guidelines):
/// a rolling 10-second window (100 Free/Starter, 190 Professional/Enterprise), a daily
/// limit per account (250k / 625k / 1M), and CRM search's own 5 requests per second,
/// whose answers carry no rate-limit headers.
struct HubSpotRateLimiter: Sendable {
    static let intervalMs = 10_000
    static let searchPerSecond = 5

    private var window: [String: [Double]] = [:]
    private var searches: [String: [Double]] = [:]
    private var daily: [String: (day: String, used: Int)] = [:]

    enum Outcome {
        case allowed(headers: [(String, String)])
        case limited(HubSpotError, headers: [(String, String)])
    }

    /// Every answer but search's carries X-HubSpot-RateLimit-Max, -Remaining,
    /// -Interval-Milliseconds, -Daily and -Daily-Remaining (docs/vendors/hubspot.md "Limits").
    /// The daily count starts again at midnight in the account's time zone `zone`
    /// (docs/vendors/hubspot.md, "Daily limit resets at the account's midnight").
    mutating func admit(_ token: String, now: Double, perTenSeconds max: Int, perDay: Int, zone: ZoneInfo = .utc) -> Outcome {
        let day = zone.localDate(atUTC: Int64(now.rounded(.down)))
        var used = daily[token].flatMap { $0.day == day ? $0.used : nil } ?? 0
        var calls = (window[token] ?? []).filter { $0 > now - Double(HubSpotRateLimiter.intervalMs) / 1000 }
        defer {
            window[token] = calls
            daily[token] = (day, used)
        }
        func headers() -> [(String, String)] {
            HubSpotRateLimiter.headers(max: max, remaining: Swift.max(0, max - calls.count), perDay: perDay, dailyRemaining: Swift.max(0, perDay - used))
        }
        if used >= perDay { return .limited(HubSpotRateLimiter.error("DAILY", "daily"), headers: headers()) }
        if calls.count >= max { return .limited(HubSpotRateLimiter.error("TEN_SECONDLY_ROLLING", "ten_secondly_rolling"), headers: headers()) }
        calls.append(now)
        used += 1
        return .allowed(headers: headers())
    }

    static func headers(max: Int, remaining: Int, perDay: Int, dailyRemaining: Int) -> [(String, String)] {
        [("X-HubSpot-RateLimit-Max", String(max)), ("X-HubSpot-RateLimit-Remaining", String(remaining)),
         ("X-HubSpot-RateLimit-Interval-Milliseconds", String(intervalMs)),
         ("X-HubSpot-RateLimit-Daily", String(perDay)), ("X-HubSpot-RateLimit-Daily-Remaining", String(dailyRemaining))]
    }

    /// Search: 5 per second per token, 429 without any rate-limit header
    /// (developers.hubspot.com/docs/api-reference/latest/crm/search-the-crm, "Limitations").
    mutating func admitSearch(_ token: String, now: Double) -> HubSpotError? {
        var calls = (searches[token] ?? []).filter { $0 > now - 1 }
        defer { searches[token] = calls }
        if calls.count >= HubSpotRateLimiter.searchPerSecond { return HubSpotRateLimiter.error("SECONDLY", "secondly") }
        calls.append(now)
        return nil
    }

    /// The 429 body: `{"status":"error","message":"You have reached your
    /// ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":...,
    /// "policyName":"TEN_SECONDLY_ROLLING"}` (as quoted in HubSpot's SDK issues, e.g.
    /// HubSpot/hubspot-api-nodejs#416), with the RATE_LIMITS category of newer answers.
    static func error(_ policy: String, _ words: String) -> HubSpotError {
        var e = HubSpotError(status: 429, category: "RATE_LIMITS", message: "You have reached your \(words) limit.")
        e.policyName = policy
        return e
    }
}
