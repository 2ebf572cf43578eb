import Foundation
import XCTest

@testable import WebhookCore

/// webhook-cgi's refusal lines per audit directory and minute, and the summary of the rest.
final class RefusalBudgetTests: XCTestCase {
    let minute = 1_765_000_020 - 1_765_000_020 % 60

    func testTheFirstRefusalsOfAMinuteAreWrittenAndTheRestCountedIntoOneSummaryLater() {
        let dir = TempDir()
        for n in 0..<RefusalBudget.linesPerWindow {
            XCTAssertEqual(RefusalBudget.take(directory: dir.path, now: minute + n % 60), .record(summary: nil))
        }
        for _ in 0..<35 { XCTAssertEqual(RefusalBudget.take(directory: dir.path, now: minute + 59), .count) }
        XCTAssertEqual(RefusalBudget.take(directory: dir.path, now: minute + 3_600),
                       .record(summary: .init(windowStart: minute, suppressed: 35)), "the count, with the next refusal")
        XCTAssertEqual(RefusalBudget.take(directory: dir.path, now: minute + 3_601), .record(summary: nil), "and only once")
    }

    func testAMinuteWithinTheBudgetLeavesNoSummary() {
        let dir = TempDir()
        XCTAssertEqual(RefusalBudget.take(directory: dir.path, now: minute), .record(summary: nil))
        XCTAssertEqual(RefusalBudget.take(directory: dir.path, now: minute + 60), .record(summary: nil))
    }

    /// No fsync: a crash may leave the record torn or empty. That reads as a fresh minute.
    func testATornOrForeignRecordStartsAFreshMinute() throws {
        let dir = TempDir()
        for junk in ["", "v1 12", "v1 x 1 2\n", "v2 1 2 3\n", String(repeating: "9", count: 64)] {
            try junk.write(toFile: dir.file(".refusals"), atomically: false, encoding: .utf8)
            XCTAssertEqual(RefusalBudget.take(directory: dir.path, now: minute), .record(summary: nil), junk)
        }
    }

    func testParallelRefusalsTakeTheBudgetExactlyOnce() {
        final class Tally: @unchecked Sendable {
            let lock = NSLock()
            var recorded = 0, counted = 0
        }
        let dir = TempDir(), path = dir.path, now = minute + 1, tally = Tally()
        DispatchQueue.concurrentPerform(iterations: 100) { _ in
            let d = RefusalBudget.take(directory: path, now: now)
            tally.lock.withLock { if d == .count { tally.counted += 1 } else { tally.recorded += 1 } }
        }
        XCTAssertEqual(tally.recorded, RefusalBudget.linesPerWindow)
        XCTAssertEqual(tally.counted, 100 - RefusalBudget.linesPerWindow)
    }

    func testAnUnusableDirectoryNeverHidesARefusal() {
        XCTAssertEqual(RefusalBudget.take(directory: "/nonexistent/audit", now: minute), .record(summary: nil))
    }
}
