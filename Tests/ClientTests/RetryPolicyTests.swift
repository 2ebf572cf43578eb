import ConnectorKit
import ConnectorNet
import XCTest
import ConnectorConfig

final class RetryPolicyTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_700_000_000)

    /// Deterministic policy: `random` returns the top of its range, sleeps are recorded.
    func policy(maxAttempts: Int = 4, cap: Double = 30, ceiling: Double = 120,
                random: @escaping @Sendable (ClosedRange<Double>) -> Double = { $0.upperBound }) -> RetryPolicy {
        var s = HTTPSettings()
        s.maxAttempts = maxAttempts
        s.maxBackoffSeconds = cap
        let fixed = now
        return RetryPolicy(settings: s, baseDelay: 0.5, maxServerDelay: ceiling, sleep: { _ in XCTFail("decide must not sleep") },
                           random: random, now: { fixed })
    }

    func response(_ status: Int, _ headers: [String: String] = [:]) -> Result<HTTPResponse, TransportError> {
        .success(HTTPResponse(status: status, headers: headers, body: Data()))
    }

    func transport(code: Int, nothingSent: Bool) -> Result<HTTPResponse, TransportError> {
        .failure(TransportError(method: "X", url: "u", code: code, message: "curl says no", nothingSent: nothingSent))
    }

    let get = HTTPRequest(.get, "http://h/x")
    let post = HTTPRequest(.post, "http://h/x")

    func delay(_ d: RetryPolicy.Decision, file: StaticString = #filePath, line: UInt = #line) -> Double? {
        if case .retry(let after) = d { return after }
        XCTFail("expected a retry, got \(d)", file: file, line: line)
        return nil
    }

    func gaveUp(_ d: RetryPolicy.Decision, file: StaticString = #filePath, line: UInt = #line) -> (any ConnectorError)? {
        if case .giveUp(let e) = d { return e }
        XCTFail("expected to give up, got \(d)", file: file, line: line)
        return nil
    }

    func isAccept(_ d: RetryPolicy.Decision) -> Bool { if case .accept = d { return true }; return false }

    func testFullJitterBoundsDoubleUpToTheCap() {
        let top = policy(cap: 3)
        XCTAssertEqual((1...5).map { top.backoff(attempt: $0) }, [0.5, 1, 2, 3, 3])
        let bottom = policy(random: { $0.lowerBound })
        XCTAssertEqual(bottom.backoff(attempt: 4), 0)
        let ranges = RangeRecorder()
        let recorded = policy(cap: 30, random: { ranges.add($0); return $0.lowerBound })
        _ = recorded.backoff(attempt: 3)
        XCTAssertEqual(ranges.all, [0...2])
    }

    func testSuccessAndPlainClientErrorsAreAccepted() {
        let p = policy()
        for status in [200, 201, 204, 400, 401, 403, 404, 409, 422, 500] {
            XCTAssertTrue(isAccept(p.decide(get, response(status), attempt: 1)), "status \(status)")
        }
    }

    func testGatewayErrorsRetriedOnlyWhenIdempotent() {
        let p = policy()
        for status in [502, 503, 504] {
            XCTAssertEqual(delay(p.decide(get, response(status), attempt: 1)), 0.5)
            XCTAssertTrue(isAccept(p.decide(post, response(status), attempt: 1)), "POST must not be repeated on \(status)")
        }
        var sysproPost = HTTPRequest(.get, "http://h/Transaction/Post", idempotent: false)
        XCTAssertTrue(isAccept(p.decide(sysproPost, response(503), attempt: 1)))
        sysproPost.idempotent = true
        XCTAssertNotNil(delay(p.decide(sysproPost, response(503), attempt: 1)))
    }

    func testTooManyRequestsRetriedEvenForPost() {
        XCTAssertEqual(delay(policy().decide(post, response(429), attempt: 2)), 1)
    }

    func testTooManyRequestsWithoutRetryHeaderWaitsAJitteredBackoff() {
        let ranges = RangeRecorder()
        let p = policy(cap: 30, random: { ranges.add($0); return $0.upperBound / 2 })
        for headers in [[:], ["Retry-After": "soon"], ["x-retry-after": "-1"]] {
            XCTAssertEqual(delay(p.decide(post, response(429, headers), attempt: 3)), 1, "\(headers)")
        }
        XCTAssertEqual(ranges.all, [0...2, 0...2, 0...2], "a full-jitter draw below the attempt's ceiling, not a fixed wait")
    }

    func testRetryAfterSecondsReplacesJitter() {
        XCTAssertEqual(delay(policy().decide(get, response(503, ["Retry-After": "7"]), attempt: 1)), 7)
        XCTAssertEqual(delay(policy().decide(post, response(429, ["Retry-After": "0"]), attempt: 3)), 0)
    }

    func testRetryAfterHTTPDate() {
        let later = "Tue, 14 Nov 2023 22:13:50 GMT"  // now + 30 s
        XCTAssertEqual(delay(policy().decide(get, response(429, ["retry-after": later]), attempt: 1)), 30)
        let past = "Tue, 14 Nov 2023 22:00:00 GMT"
        XCTAssertEqual(delay(policy().decide(get, response(429, ["retry-after": past]), attempt: 1)), 0)
    }

    func testShipBobXRetryAfter() {
        XCTAssertEqual(delay(policy().decide(post, response(429, ["x-retry-after": "25"]), attempt: 1)), 25)
    }

    func testServerDelayBeyondCeilingIsTempFail() throws {
        let e = try XCTUnwrap(gaveUp(policy(ceiling: 60).decide(get, response(429, ["x-retry-after": "3600"]), attempt: 1)))
        XCTAssertTrue(e is RateLimited)
        XCTAssertEqual(e.exitStatus, .tempFail)
        XCTAssertTrue(e.description.contains("3600"), e.description)
    }

    func testExhaustedAttempts() throws {
        let p = policy(maxAttempts: 3)
        let limited = try XCTUnwrap(gaveUp(p.decide(get, response(429), attempt: 3)))
        XCTAssertEqual(limited.exitStatus, .tempFail)
        let down = try XCTUnwrap(gaveUp(p.decide(get, response(503), attempt: 3)))
        XCTAssertTrue(down is RetriesExhausted)
        XCTAssertEqual(down.exitStatus, .unavailable)
        XCTAssertTrue(down.description.contains("3 attempts"), down.description)
    }

    func testTransportFailures() throws {
        let p = policy()
        // Refused / DNS / connect timeout: nothing was sent, so even a POST is repeated.
        XCTAssertNotNil(delay(p.decide(post, transport(code: 7, nothingSent: true), attempt: 1)))
        XCTAssertNotNil(delay(p.decide(post, transport(code: 6, nothingSent: true), attempt: 1)))
        XCTAssertNotNil(delay(p.decide(post, transport(code: 28, nothingSent: true), attempt: 1)))
        // Timed out after sending: the POST may have been processed.
        let e = try XCTUnwrap(gaveUp(p.decide(post, transport(code: 28, nothingSent: false), attempt: 1)))
        XCTAssertTrue(e is TransportError)
        XCTAssertEqual(e.exitStatus, .unavailable)
        XCTAssertNotNil(delay(p.decide(get, transport(code: 28, nothingSent: false), attempt: 1)))
        // A certificate refusal repeats identically.
        XCTAssertNotNil(gaveUp(p.decide(get, transport(code: 60, nothingSent: true), attempt: 1)))
        let last = try XCTUnwrap(gaveUp(p.decide(get, transport(code: 7, nothingSent: true), attempt: 4)))
        XCTAssertTrue(last is RetriesExhausted)
    }

    func testHTTPDateForms() {
        let expected = Date(timeIntervalSince1970: 784_111_777)
        XCTAssertEqual(RetryAfter.httpDate("Sun, 06 Nov 1994 08:49:37 GMT"), expected)
        XCTAssertEqual(RetryAfter.httpDate("Sunday, 06-Nov-94 08:49:37 GMT"), expected)
        XCTAssertEqual(RetryAfter.httpDate("Sun Nov  6 08:49:37 1994"), expected)
        XCTAssertNil(RetryAfter.httpDate("soon"))
        XCTAssertNil(RetryAfter.parse("-5", now: now))
    }

    /// A 12-digit year overflowed the seconds since 1970 and trapped (Tests/Fuzz/twilio's
    /// seed date-created-year-999999999999).
    func testAnHTTPDateWhoseYearIsNotTwoOrFourDigitsIsUnreadable() {
        XCTAssertNil(RetryAfter.httpDate("Thu, 26 Nov 999999999999 14:05:09 +0000"))
        XCTAssertNil(RetryAfter.httpDate("Thu, 26 Nov 19999 14:05:09 GMT"))
        XCTAssertNil(RetryAfter.parse("Sun, 06 Nov 9223372036854775807 08:49:37 GMT", now: now))
        XCTAssertEqual(RetryAfter.httpDate("Thu, 26 Nov 2026 14:05:09 +0000"), Date(timeIntervalSince1970: 1_795_701_909))
    }
}

final class RangeRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var ranges: [ClosedRange<Double>] = []
    func add(_ r: ClosedRange<Double>) { lock.lock(); ranges.append(r); lock.unlock() }
    var all: [ClosedRange<Double>] { lock.lock(); defer { lock.unlock() }; return ranges }
}
