import XCTest

@testable import ConnectorKit
import WebhookCore

final class SpoolQueueTests: XCTestCase {
    func makeQueue(_ dir: TempDir) throws -> SpoolQueue {
        let q = SpoolQueue(root: dir.file("spool"))
        try q.prepare()
        return q
    }

    func testPutStoresOnceAndRedeliveryIsANoOp() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        XCTAssertEqual(try q.put(id: "msg_1", data: Data("a".utf8)), .stored)
        XCTAssertEqual(try q.put(id: "msg_1", data: Data("b".utf8)), .duplicate)
        XCTAssertEqual(try q.pending(), ["msg_1"])
        XCTAssertEqual(try q.read("msg_1", in: .new), Data("a".utf8))
        XCTAssertEqual(try Posix.list(q.path(.tmp)), [], "no temporary file is left behind")
    }

    func testIdStaysKnownAfterTheItemIsDoneOrFailed() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        _ = try q.put(id: "a", data: Data())
        _ = try q.put(id: "b", data: Data())
        XCTAssertTrue(try q.claim("a")); try q.complete("a")
        XCTAssertTrue(try q.claim("b")); try q.fail("b", reason: "bad body")
        XCTAssertEqual(try q.put(id: "a", data: Data()), .duplicate)
        XCTAssertEqual(try q.put(id: "b", data: Data()), .duplicate)
        XCTAssertEqual(try q.pending(), [])
        XCTAssertEqual(q.reason("b"), "bad body")
    }

    func testClaimIsExclusive() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        _ = try q.put(id: "x", data: Data())
        XCTAssertTrue(try q.claim("x"))
        XCTAssertFalse(try q.claim("x"))
    }

    func testRequeueBringsAFailedItemBackWithoutItsReason() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        _ = try q.put(id: "x", data: Data("body".utf8))
        _ = try q.claim("x"); try q.fail("x", reason: "unknown SKU")
        try q.requeue("x")
        XCTAssertEqual(try q.pending(), ["x"])
        XCTAssertNil(q.reason("x"))
    }

    func testRecoverReturnsItemsAKilledConsumerLeftInCur() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        _ = try q.put(id: "x", data: Data())
        _ = try q.claim("x")
        XCTAssertEqual(try q.recover(), 1)
        XCTAssertEqual(try q.pending(), ["x"])
    }

    func testRecoverRelinksAnAcceptedIdThatNeverReachedNew() throws {
        // Simulates a crash between link(tmp, ids/x) and rename(tmp, new/x).
        let dir = TempDir(); let q = try makeQueue(dir)
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: q.path(.ids, "x")))
        XCTAssertEqual(try q.pending(), [])
        XCTAssertEqual(try q.recover(), 1)
        XCTAssertEqual(try q.pending(), ["x"])
        XCTAssertEqual(try q.read("x", in: .new), Data("orphan".utf8))
        XCTAssertEqual(try q.recover(), 0, "a second recovery finds nothing to do")
    }

    func testConcurrentPutsOfOneIdStoreExactlyOnce() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        let results = LockedArray()
        DispatchQueue.concurrentPerform(iterations: 32) { i in
            results.append(try! q.put(id: "same", data: Data("\(i)".utf8)))
        }
        XCTAssertEqual(results.values.filter { $0 == .stored }.count, 1)
        XCTAssertEqual(try q.pending(), ["same"])
    }

    func testRejectsIdsThatAreNotSafeFileNames() {
        for bad in ["", "../x", "a/b", ".hidden", "a b", String(repeating: "a", count: 201)] {
            XCTAssertFalse(SpoolQueue.isValidID(bad), bad)
        }
        XCTAssertTrue(SpoolQueue.isValidID("msg_p5jXN8AQM9LWM0D4loKWxJek"))
    }
}

final class LockedArray: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [SpoolQueue.PutResult] = []
    func append(_ r: SpoolQueue.PutResult) { lock.lock(); items.append(r); lock.unlock() }
    var values: [SpoolQueue.PutResult] { lock.lock(); defer { lock.unlock() }; return items }
}
