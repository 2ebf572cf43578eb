import Foundation
import XCTest

@testable import ConnectorKit
import WebhookCore

/// A repeated id is acknowledged only once the first put of it is durable (issue 17 §4):
/// a duplicate waits for the first writer's lock, and when the first writer withdraws its
/// item the duplicate stores its own copy instead of answering "duplicate" for nothing.
final class SpoolDuplicateTests: XCTestCase {
    func makeQueue(_ dir: TempDir) throws -> SpoolQueue {
        let q = SpoolQueue(root: dir.file("spool"))
        try q.prepare()
        return q
    }

    /// Results handed from the putting threads to the test.
    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private var all: [Result<SpoolQueue.PutResult, Error>] = []
        func add(_ r: Result<SpoolQueue.PutResult, Error>) { lock.withLock { all.append(r) } }
        var list: [Result<SpoolQueue.PutResult, Error>] { lock.withLock { all } }
    }

    /// Puts `id` from `count` threads at once; each result or error, in no particular order.
    func parallelPuts(_ q: SpoolQueue, id: String, count: Int) -> [Result<SpoolQueue.PutResult, Error>] {
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: count) { n in
            results.add(Result { try q.put(id: id, data: Data("copy \(n)".utf8)) })
        }
        return results.list
    }

    /// A writer holding its lock on `tmp` after linking it as `ids/<id>`: `putOnce` between link and rename.
    func lockedWriter(_ q: SpoolQueue, id: String) throws -> (fd: Int32, tmp: String) {
        let tmp = q.path(.tmp, "\(id).1.1")
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0o640)
        XCTAssertGreaterThanOrEqual(fd, 0)
        XCTAssertEqual(flock(fd, LOCK_EX), 0)
        XCTAssertEqual(write(fd, "first", 5), 5)
        XCTAssertEqual(link(tmp, q.path(.ids, id)), 0)
        return (fd, tmp)
    }

    /// Puts `id` on another thread and returns once that put is waiting for the writer's
    /// lock: it has `ids/<id>` open (seen in /proc/self/fd), which it does only to wait on
    /// it. No sleep decides anything.
    func putBlockedOnLock(_ q: SpoolQueue, id: String) -> (DispatchSemaphore, Results) {
        let done = DispatchSemaphore(value: 0), results = Results()
        Thread.detachNewThread {
            results.add(Result { try q.put(id: id, data: Data("second".utf8)) })
            done.signal()
        }
        func waiterHasTheEntryOpen() -> Bool {
            ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).contains {
                ((try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/fd/" + $0)) ?? "").hasSuffix("/ids/" + id)
            }
        }
        while !waiterHasTheEntryOpen() { usleep(1000) }
        return (done, results)
    }

    func testParallelPutsOfOneIdStoreExactlyOneAndEveryOtherWaitsForIt() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        let results = parallelPuts(q, id: "msg_same", count: 20)
        XCTAssertEqual(results.filter { (try? $0.get()) == .stored }.count, 1, "\(results)")
        XCTAssertEqual(results.filter { (try? $0.get()) == .duplicate }.count, 19, "\(results)")
        XCTAssertEqual(try q.pending(), ["msg_same"])
        XCTAssertEqual(try Posix.list(q.path(.tmp)), [])
    }

    func testParallelPutsOfOneIdWhileNewCannotBeWrittenAllFailAndLeaveTheIdFree() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        try FileManager.default.removeItem(atPath: q.path(.new))
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: q.path(.new)))
        let results = parallelPuts(q, id: "msg_lost", count: 20)
        for r in results {
            XCTAssertThrowsError(try r.get(), "no put may answer while nothing is durable")
        }
        XCTAssertEqual(try Posix.list(q.path(.ids)), [], "the id stays free for the retry")
        XCTAssertEqual(try Posix.list(q.path(.tmp)), [])
    }

    /// A writer caught between link and rename (the state `putOnce` is in while it commits),
    /// holding its lock: the duplicate must wait, and store its own copy once the writer
    /// withdraws. Had it answered without waiting it would have returned `.duplicate`.
    func testADuplicateWaitsForTheWriterAndStoresItsOwnCopyWhenTheWriterWithdraws() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        let (fd, tmp) = try lockedWriter(q, id: "msg_w")
        let (done, result) = putBlockedOnLock(q, id: "msg_w")
        // The writer gives up (a full disk): withdraws the id, then releases its lock.
        Glibc.unlink(q.path(.ids, "msg_w")); Glibc.unlink(tmp)
        close(fd)
        done.wait()
        XCTAssertEqual(try result.list.first?.get(), .stored)
        XCTAssertEqual(try q.read("msg_w", in: .new), Data("second".utf8))
    }

    func testADuplicateOfAWriterThatCommittedIsAcknowledgedAfterTheWriterReleases() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        let (fd, tmp) = try lockedWriter(q, id: "msg_c")
        let (done, result) = putBlockedOnLock(q, id: "msg_c")
        XCTAssertEqual(Glibc.rename(tmp, q.path(.new, "msg_c")), 0)
        close(fd)
        done.wait()
        XCTAssertEqual(try result.list.first?.get(), .duplicate)
        XCTAssertEqual(try q.read("msg_c", in: .new), Data("first".utf8), "the first copy is kept")
    }

    /// A writer that never finishes (a dying disk) must not hold its duplicates for ever:
    /// after `Maildir.writerWaitSeconds` they fail, so webhook-cgi answers 503 in time.
    func testADuplicateOfAWriterThatNeverFinishesFailsAfterTheWaitInsteadOfAnswering() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        let (fd, tmp) = try lockedWriter(q, id: "msg_stuck")
        defer { close(fd); Glibc.unlink(tmp) }
        XCTAssertThrowsError(try q.put(id: "msg_stuck", data: Data("second".utf8))) {
            XCTAssertTrue("\($0)".contains("wait for the earlier delivery"), "\($0)")
        }
        XCTAssertEqual(try q.pending(), [], "nothing was acknowledged or moved")
    }

    func testADuplicateOfAnItemTheConsumerFiledAwayIsStillADuplicate() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        _ = try q.put(id: "a", data: Data("a".utf8))
        XCTAssertTrue(try q.claim("a"))
        XCTAssertEqual(try q.put(id: "a", data: Data()), .duplicate, "in cur/")
        try q.complete("a")
        XCTAssertEqual(try q.put(id: "a", data: Data()), .duplicate, "in done/")
        XCTAssertEqual(try q.pending(), [])
    }

    /// A writer killed between link and rename leaves its tmp/ file and ids/ entry (link
    /// count 2, found in no state): the duplicate finishes the rename's work.
    func testADuplicateOfAWriterKilledBeforeItsRenameLinksTheItemIntoNew() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        let tmp = q.path(.tmp, "msg_k.1.1")
        try Data("first".utf8).write(to: URL(fileURLWithPath: tmp))
        XCTAssertEqual(link(tmp, q.path(.ids, "msg_k")), 0)
        XCTAssertEqual(try q.put(id: "msg_k", data: Data("second".utf8)), .duplicate)
        XCTAssertEqual(try q.pending(), ["msg_k"])
        XCTAssertEqual(try q.read("msg_k", in: .new), Data("first".utf8))
    }

    /// Written by the release before this one: an ids/ entry alone (its tmp/ file cleaned
    /// up) is left for `recover()`, and a repeated put of it is a duplicate as before.
    func testAnIdsEntryAloneIsADuplicateAndRecoverStillRestoresIt() throws {
        let dir = TempDir(); let q = try makeQueue(dir)
        try Data("orphan".utf8).write(to: URL(fileURLWithPath: q.path(.ids, "x")))
        XCTAssertEqual(try q.put(id: "x", data: Data("again".utf8)), .duplicate)
        XCTAssertEqual(try q.recover(), 1)
        XCTAssertEqual(try q.read("x", in: .new), Data("orphan".utf8))
    }
}
