import XCTest

@testable import ConnectorKit
import WebhookCore

final class StateFilesTests: XCTestCase {
    func testAtomicWriteReplacesWholeFileAndLeavesNoTemporaries() throws {
        let dir = TempDir()
        try AtomicFile.writeJSON(["a": 1], to: dir.file("c.json"))
        try AtomicFile.writeJSON(["a": 2], to: dir.file("c.json"))
        XCTAssertEqual(try AtomicFile.readJSON([String: Int].self, from: dir.file("c.json")), ["a": 2])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["c.json"])
    }

    func testCorruptJsonIsADataErrorNamingTheFile() throws {
        let dir = TempDir()
        try "{not json".write(toFile: dir.file("x.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try AtomicFile.readJSON([String: Int].self, from: dir.file("x.json"))) {
            XCTAssertTrue("\($0)".contains("x.json"))
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .dataError)
        }
    }

    func testSecondLockOnTheSameFileIsRefusedUntilReleased() throws {
        let dir = TempDir()
        let a = FileLock(path: dir.file("locks/job.lock"))
        let b = FileLock(path: dir.file("locks/job.lock"))
        XCTAssertTrue(try a.tryLock())
        XCTAssertFalse(try b.tryLock())
        XCTAssertThrowsError(try FileLock.withLock(dir.file("locks/job.lock")) { }) {
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .tempFail)
        }
        a.unlock()
        XCTAssertTrue(try b.tryLock())
    }

    func testAuditLinesAreAppendedOnePerRecord() throws {
        let dir = TempDir()
        let log = AuditLog(directory: dir.file("audit"), job: "test")
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        try log.record(AuditEntry(action: "webhook", source: "shipbob", id: "m1", outcome: "accepted", ts: t))
        try log.record(AuditEntry(action: "webhook", source: "shipbob", id: "m2", outcome: "refused", reason: "bad signature", ts: t))
        let entries = try log.entries(day: Timestamp.day(t))
        XCTAssertEqual(entries.map(\.id), ["m1", "m2"])
        XCTAssertEqual(entries[1].reason, "bad signature")
        XCTAssertEqual(entries[0].job, "test")
    }

    func testLedgerRecordsPendingThenDone() throws {
        let dir = TempDir()
        let l = Ledger(directory: dir.file("ledger/orders"))
        XCTAssertNil(try l.get("SB1"))
        try l.put(.init(key: "SB1", status: .pending))
        XCTAssertEqual(try l.get("SB1")?.status, .pending)
        try l.put(.init(key: "SB1", status: .done, target: "000123"))
        XCTAssertEqual(try l.get("SB1")?.target, "000123")
        XCTAssertEqual(try l.all().count, 1)
    }

    func testCursorAdvancesOnlyWhenSaved() throws {
        struct C: Codable, Sendable, Equatable { var rowversion: UInt64 }
        let dir = TempDir()
        let c = CursorFile<C>(path: dir.file("cursors/poll.json"))
        XCTAssertNil(try c.load())
        try c.save(C(rowversion: 42))
        XCTAssertEqual(try c.load(), C(rowversion: 42))
    }

    func testSavingAnUnchangedCursorLeavesItsFileAlone() throws {
        struct C: Codable, Sendable, Equatable { var rowversion: UInt64 }
        let dir = TempDir()
        let c = CursorFile<C>(path: dir.file("cursors/poll.json"))
        func inode() throws -> UInt64 { var st = stat(); XCTAssertEqual(stat(c.path, &st), 0); return UInt64(st.st_ino) }
        try c.save(C(rowversion: 42))
        let first = try inode()
        try c.save(C(rowversion: 42))
        XCTAssertEqual(try inode(), first, "an unchanged cursor was written again")
        try c.save(C(rowversion: 43))
        XCTAssertNotEqual(try inode(), first)
        XCTAssertEqual(try c.load(), C(rowversion: 43))
    }

    func testAWriteThatNeedNotBeDurableStillReplacesTheWholeFile() throws {
        let dir = TempDir()
        try AtomicFile.writeJSON(["a": 1], to: dir.file("last-run.json"), durable: false)
        try AtomicFile.writeJSON(["a": 2], to: dir.file("last-run.json"), durable: false)
        XCTAssertEqual(try AtomicFile.readJSON([String: Int].self, from: dir.file("last-run.json")), ["a": 2])
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), ["last-run.json"])
    }

    func testLogfmtQuotesOnlyWhatNeedsIt() {
        XCTAssertEqual(Logfmt.quote("plain"), "plain")
        XCTAssertEqual(Logfmt.quote("two words"), "\"two words\"")
        XCTAssertEqual(Logfmt.quote("a\"b\nc"), "\"a\\\"b\\nc\"")
        XCTAssertEqual(Logfmt.quote(""), "\"\"")
    }
}

final class HandWrittenJSONTests: XCTestCase {
    func testEnvelopeIsSpooledWithItsBodySealedAndReadsBack() throws {
        let dir = TempDir()
        let key = try MasterKey.create(at: dir.file("master.key"))
        let e = WebhookEnvelope(id: "msg_1", source: "shipbob", topic: "order.shipped", receivedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                headers: ["webhook-id": "msg_1", "odd": "quote\" back\\slash\nnewline\u{01}"], body: Data("+15555550101 Jane".utf8))
        let spooled = try e.sealedJSON(key: key)
        XCTAssertFalse(String(decoding: spooled, as: UTF8.self).contains("Jane"))
        XCTAssertEqual(try WebhookEnvelope.read(spooled, key: key, path: "t"), e)
        let other = try MasterKey.create(at: dir.file("other.key"))
        XCTAssertThrowsError(try WebhookEnvelope.read(spooled, key: other, path: "t"), "another key does not open it")
    }

    func testAuditLineWrittenByHandReadsBackAsCodable() throws {
        let a = AuditEntry(action: "webhook", source: "shipbob", id: "m", outcome: "refused", reason: "bad \"sig\"",
                           target: nil, detail: ["status": "401"], personal: nil, job: "webhook-cgi", ts: Date(timeIntervalSince1970: 1_800_000_000))
        XCTAssertEqual(try AuditEntry(lineBytes: a.line().bytes), a)
    }

    func testTimestampsAreUtcIso8601() {
        XCTAssertEqual(Timestamp.iso8601(Date(timeIntervalSince1970: 1_614_265_330)), "2021-02-25T15:02:10Z")
        XCTAssertEqual(Timestamp.day(Date(timeIntervalSince1970: 1_614_265_330)), "2021-02-25")
    }
}
