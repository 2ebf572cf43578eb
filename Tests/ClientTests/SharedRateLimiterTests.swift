import Foundation
import XCTest
import ConnectorKit
import ConnectorNet
import TimeZones

final class SharedRateLimiterTests: XCTestCase {
    final class Clock: @unchecked Sendable {
        var t: Double = 1_000_000
        var slept: [Double] = []
    }

    func limiter(_ path: String, _ clock: Clock, perWindow: Int = 3, daily: Int = 100) -> SharedRateLimiter {
        SharedRateLimiter(path: path, api: "Test", perWindow: perWindow, window: 10, daily: daily,
                          sleep: { clock.slept.append($0); clock.t += $0 }, now: { clock.t })
    }

    func testTheWindowIsRollingAndSharedByEveryProcessOfTheTenant() throws {
        let dir = NSTemporaryDirectory() + "mlc-rate-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = Clock()
        let a = limiter(dir + "/rate/api.json", clock), b = limiter(dir + "/rate/api.json", clock)
        try a.acquire(); clock.t += 1
        try b.acquire(); clock.t += 1
        try a.acquire()
        XCTAssertEqual(clock.slept, [], "three calls fit in the window, whichever process makes them")
        try b.acquire()
        XCTAssertEqual(clock.slept.count, 1)
        XCTAssertEqual(clock.slept[0], 8, accuracy: 0.001, "waits until the first call leaves the 10-second window")
    }

    func testA429FillsTheWindowForEveryoneButKeepsOwnCallsAsTheyWere() throws {
        let dir = NSTemporaryDirectory() + "mlc-rate-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = Clock()
        limiter(dir + "/api.json", clock).drain()
        try limiter(dir + "/api.json", clock).acquire()
        XCTAssertEqual(clock.slept.first ?? 0, 10, accuracy: 0.001, "calls it did not make: a whole window")

        let own = limiter(dir + "/own.json", clock)
        try own.acquire(); clock.t += 4
        try own.acquire(); try own.acquire()
        own.drain()
        clock.slept = []
        try own.acquire()
        XCTAssertEqual(clock.slept.first ?? 0, 6, accuracy: 0.001, "its own full window: only until the oldest call leaves")
    }

    func testTheDailyBudgetEndsTheRunInsteadOfWaiting() throws {
        let dir = NSTemporaryDirectory() + "mlc-rate-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = Clock()
        let l = limiter(dir + "/api.json", clock, perWindow: 10, daily: 2)
        try l.acquire(); try l.acquire()
        XCTAssertThrowsError(try l.acquire()) { XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .tempFail) }
    }
}

extension SharedRateLimiterTests {
    /// HubSpot's daily limit resets at midnight in the account's time zone
    /// (docs/vendors/hubspot.md, "Daily limit resets at the account's midnight").
    func testTheDailyBudgetStartsAgainAtMidnightInTheGivenZoneNotUTC() throws {
        let dir = NSTemporaryDirectory() + "mlc-rate-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let clock = Clock()
        let zone = try ZoneInfo(identifier: "America/New_York")
        func limiter() -> SharedRateLimiter {
            SharedRateLimiter(path: dir + "/hubspot.json", api: "HubSpot", perWindow: 100, window: 10, daily: 2, zone: zone,
                              sleep: { clock.slept.append($0); clock.t += $0 }, now: { clock.t })
        }
        clock.t = 1_796_605_200  // 2026-12-07 01:00 UTC: still the 6th in New York
        try limiter().acquire()
        clock.t += 3600  // 02:00 UTC: the UTC day is the same, and so is New York's
        try limiter().acquire()
        XCTAssertThrowsError(try limiter().acquire()) { error in
            XCTAssertTrue("\(error)".contains("midnight America/New_York"), "\(error)")
        }
        clock.t = 1_796_619_599  // 04:59:59 UTC, 23:59:59 in New York: still spent
        XCTAssertThrowsError(try limiter().acquire())
        clock.t += 1  // midnight in New York
        XCTAssertNoThrow(try limiter().acquire())
    }
}
