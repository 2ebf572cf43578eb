#if canImport(Glibc)
import Glibc
#endif
import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig

/// When to repeat a request and how long to wait first.
///
/// Only what cannot do harm twice is repeated: a 429 always (the request was refused,
/// not processed: docs/vendors/shipbob.md for ShipBob, Twilio "never processed and always safe to
/// retry", HubSpot), 502/503/504 and broken exchanges only for idempotent requests, and
/// failures before anything was sent (DNS, refused, connect timeout) for any request.
/// Other 4xx are never repeated: the same request would be refused the same way.
public struct RetryPolicy: Sendable {
    public enum Decision: Sendable {
        /// Hand the response to the caller (success, or a status it must classify).
        case accept
        case retry(after: Double)
        case giveUp(any ConnectorError)
    }

    public var maxAttempts: Int
    /// First backoff ceiling; doubles per attempt up to `maxBackoff`.
    public var baseDelay: Double
    public var maxBackoff: Double
    /// The longest server-requested wait (Retry-After) this run will sleep through;
    /// beyond it the job ends with 75 and cron comes back later.
    public var maxServerDelay: Double
    public var sleep: @Sendable (Double) -> Void
    /// A uniform random number in the range; injectable so tests are deterministic.
    public var random: @Sendable (ClosedRange<Double>) -> Double
    public var now: @Sendable () -> Date

    public init(settings: HTTPSettings, baseDelay: Double = 0.5, maxServerDelay: Double = 120,
                sleep: @escaping @Sendable (Double) -> Void = RetryPolicy.realSleep,
                random: @escaping @Sendable (ClosedRange<Double>) -> Double = { Double.random(in: $0) },
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.maxAttempts = max(1, settings.maxAttempts)
        self.baseDelay = baseDelay
        self.maxBackoff = settings.maxBackoffSeconds
        self.maxServerDelay = maxServerDelay
        self.sleep = sleep
        self.random = random
        self.now = now
    }

    /// `attempt` counts the attempts made so far, starting at 1.
    public func decide(_ request: HTTPRequest, _ outcome: Result<HTTPResponse, TransportError>, attempt: Int) -> Decision {
        let method = request.method.rawValue, url = request.redactedURL
        switch outcome {
        case .success(let response):
            let status = response.status
            let retryable = status == 429 || ([502, 503, 504].contains(status) && request.idempotent)
            guard retryable else { return .accept }
            if attempt >= maxAttempts {
                if status == 429 {
                    return .giveUp(RateLimited(method: method, url: url, problem: "still HTTP 429 after \(attempt) attempts"))
                }
                return .giveUp(RetriesExhausted(method: method, url: url, attempts: attempt, lastFailure: "HTTP \(status)"))
            }
            if let asked = RetryAfter.delay(in: response, now: now()) {
                guard asked <= maxServerDelay else {
                    return .giveUp(RateLimited(method: method, url: url,
                                               problem: "HTTP \(status) asks to wait \(Int(asked.rounded(.up)))s, more than the \(Int(maxServerDelay))s this run waits"))
                }
                return .retry(after: asked)
            }
            return .retry(after: backoff(attempt: attempt))
        case .failure(let error):
            guard RetryPolicy.isTransient(error), error.nothingSent || request.idempotent else { return .giveUp(error) }
            if attempt >= maxAttempts {
                return .giveUp(RetriesExhausted(method: method, url: url, attempts: attempt, lastFailure: error.message))
            }
            return .retry(after: backoff(attempt: attempt))
        }
    }

    /// Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniform
    /// draw in [0, min(cap, base·2^(attempt-1))], which spreads competing clients best.
    public func backoff(attempt: Int) -> Double {
        let ceiling = min(maxBackoff, baseDelay * Double(1 << min(max(attempt - 1, 0), 30)))
        return ceiling > 0 ? random(0...ceiling) : 0
    }

    /// curl codes worth another try: name resolution (5, 6), connect (7), timeout (28), TLS
    /// handshake (35), and connections that broke mid-exchange (18, 52, 55, 56, 16, 92).
    /// Certificate rejections (60), bad URLs (3) and the like fail the same way every time.
    static func isTransient(_ e: TransportError) -> Bool {
        [5, 6, 7, 16, 18, 28, 35, 52, 55, 56, 92].contains(e.code)
    }

    public static let realSleep: @Sendable (Double) -> Void = { seconds in
        guard seconds > 0 else { return }
        var want = timespec(tv_sec: Int(seconds), tv_nsec: Int((seconds - seconds.rounded(.down)) * 1e9))
        var left = timespec()
        while nanosleep(&want, &left) != 0 && errno == EINTR { want = left }
    }
}
