#if canImport(Glibc)
import Glibc
#endif
import WebhookCore
import XCTest

@testable import ConnectorKit

/// What a full disk does to the appends and the spool. RLIMIT_FSIZE stands in for the full
/// file system: like ENOSPC it lets a write through in part and then refuses the rest
/// (EFBIG), without needing root to mount a small one.
final class FullDiskWritesTests: XCTestCase {
    /// Runs `body` while no file of this process may grow past `bytes`.
    func withFileSizeLimit<T>(_ bytes: Int, _ body: () throws -> T) rethrows -> T {
        var old = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        var tight = old
        tight.rlim_cur = rlim_t(bytes)
        let oldHandler = signal(SIGXFSZ, SIG_IGN)  // its default action would end the test run
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &tight)
        defer {
            setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
            signal(SIGXFSZ, oldHandler)
        }
        return try body()
    }

    func text(_ path: String) throws -> String { String(decoding: try Posix.readFile(path), as: UTF8.self) }

    func testAnAppendCutShortLeavesTheFileAsItWasForTheNextLine() throws {
        let dir = TempDir()
        let path = dir.file("audit.jsonl")
        try Posix.append(Array("first\n".utf8), to: path)
        XCTAssertThrowsError(try withFileSizeLimit(10) { try Posix.append(Array("second line\n".utf8), to: path) })
        XCTAssertEqual(try text(path), "first\n", "the 4 bytes that got through are cut back")
        try Posix.append(Array("third\n".utf8), to: path)
        XCTAssertEqual(try text(path), "first\nthird\n")
    }

    func testTheAuditStaysReadableAfterAnEntryDidNotFit() throws {
        let dir = TempDir()
        let log = AuditLog(directory: dir.file("audit"), job: "test")
        let t = Date(timeIntervalSince1970: 1_800_000_000)
        try log.record(AuditEntry(action: "webhook", source: "shipbob", id: "m1", outcome: "accepted", ts: t))
        let size = try Posix.readFile(dir.file("audit/\(Timestamp.day(t)).jsonl")).count
        XCTAssertThrowsError(try withFileSizeLimit(size + 20) {
            try log.record(AuditEntry(action: "webhook", source: "shipbob", id: "m2", outcome: "accepted", ts: t))
        })
        try log.record(AuditEntry(action: "webhook", source: "shipbob", id: "m3", outcome: "accepted", ts: t))
        XCTAssertEqual(try log.entries(day: Timestamp.day(t)).map(\.id), ["m1", "m3"])
    }

    func testASpoolWriteThatRunsOutOfSpaceLeavesNothingAndTheRedeliveryIsStored() throws {
        let dir = TempDir()
        let q = SpoolQueue(root: dir.file("spool"))
        try q.prepare()
        let body = Data(repeating: UInt8(ascii: "x"), count: 4000)
        XCTAssertThrowsError(try withFileSizeLimit(1000) { try q.put(id: "msg_1", data: body) }) {
            XCTAssertEqual(($0 as? StateError)?.exitStatus, .ioError, "a job ends with 74, not 70 (a bug): \($0)")
        }
        for state in [SpoolQueue.State.tmp, .new] {
            XCTAssertEqual(try Posix.list(q.path(state)), [], "nothing partial in \(state)")
        }
        XCTAssertEqual(try Posix.list(dir.file("spool/ids")), [], "the id stays free for the redelivery")
        XCTAssertEqual(try q.put(id: "msg_1", data: body), .stored)
        XCTAssertEqual(try q.read("msg_1", in: .new), body)
    }

    func testAReservationThatDoesNotFitFailsBeforeAnythingIsSpentAndLeavesNothing() throws {
        let dir = TempDir()
        let path = dir.file("shipbob-oauth")
        try AtomicFile.write([UInt8]("old".utf8), to: path)
        XCTAssertThrowsError(try withFileSizeLimit(1000) { try AtomicFile.reserve(path, bytes: 65_536) }) {
            XCTAssertEqual(($0 as? StateError)?.exitStatus, .ioError, "\($0)")
        }
        XCTAssertEqual(try Posix.list(dir.path), ["shipbob-oauth"], "no temporary file left")
        XCTAssertEqual(try text(path), "old")
    }

    /// RLIMIT_FSIZE cannot stand in here (it refuses any write past the limit, allocated or
    /// not), so this pins the property ENOSPC depends on: the blocks are taken at reserve.
    func testAReservationHoldsItsBlocksAndCommitsWholeInPlaceOfTheFile() throws {
        let dir = TempDir()
        let path = dir.file("shipbob-oauth")
        try AtomicFile.write([UInt8]("old".utf8), to: path)
        let room = try AtomicFile.reserve(path, bytes: 65_536, mode: 0o600)
        let tmp = try XCTUnwrap(try Posix.list(dir.path).first { $0 != "shipbob-oauth" })
        var st = stat()
        XCTAssertEqual(stat(dir.file(tmp), &st), 0)
        XCTAssertGreaterThanOrEqual(Int(st.st_blocks) * 512, 65_536, "the room is allocated, not just a size")
        let tokens = String(repeating: "t", count: 3000)
        try room.commit(Array(tokens.utf8))
        XCTAssertEqual(try text(path), tokens, "written whole, cut to its size")
        XCTAssertEqual(try Posix.list(dir.path), ["shipbob-oauth"])
        XCTAssertEqual(stat(path, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o600)
    }

    func testACancelledReservationLeavesTheFileAsItWas() throws {
        let dir = TempDir()
        let path = dir.file("shipbob-oauth")
        try AtomicFile.write([UInt8]("old".utf8), to: path)
        try AtomicFile.reserve(path, bytes: 4096).cancel()
        XCTAssertEqual(try Posix.list(dir.path), ["shipbob-oauth"])
        XCTAssertEqual(try text(path), "old")
    }
}
