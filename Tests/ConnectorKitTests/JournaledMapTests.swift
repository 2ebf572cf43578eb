import Foundation
import WebhookCore
import XCTest
import ConnectorKit

extension Int: JSONRecord {
    public var jsonBytes: [UInt8] { Array(String(self).utf8) }
    public init(json: JSONValue, source: String) throws {
        guard let n = json.int64 else { throw DataError(source: source, problem: "not an integer") }
        self = Int(n)
    }
}

final class JournaledMapTests: XCTestCase {
    func testRecordedValuesSurviveReopeningWithAndWithoutCompaction() throws {
        let dir = TempDir()
        let map = try JournaledMap<Int>(path: dir.file("m.json"))
        try map.record("a", 1)
        try map.record([(key: "b", value: 2), (key: "a", value: 3)])
        XCTAssertEqual(try JournaledMap<Int>(path: dir.file("m.json")).entries, ["a": 3, "b": 2], "replayed from the journal")
        try map.compact()
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("m.json.journal")))
        try map.record("b", nil)
        XCTAssertEqual(try JournaledMap<Int>(path: dir.file("m.json")).entries, ["a": 3], "a nil value removes the key")
    }

    func testALastLineCutShortByACrashIsDroppedButCorruptionElsewhereIsNamed() throws {
        let dir = TempDir()
        try map(dir).record("a", 1)
        let journal = dir.file("m.json.journal")
        let handle = try XCTUnwrap(FileHandle(forWritingAtPath: journal))
        handle.seekToEndOfFile()
        handle.write(Data(#"{"k":"b","v"#.utf8))
        try handle.close()
        XCTAssertEqual(try map(dir).entries, ["a": 1])

        try Data("garbage\n{\"k\":\"a\",\"v\":1}\n".utf8).write(to: URL(fileURLWithPath: journal))
        XCTAssertThrowsError(try map(dir)) { error in
            XCTAssertTrue("\(error)".contains("m.json.journal line 1"), "\(error)")
        }
    }

    func testACrashBetweenSnapshotAndJournalRemovalReplaysHarmlessly() throws {
        let dir = TempDir()
        let m = try map(dir)
        try m.record("a", 1)
        let journal = try Data(contentsOf: URL(fileURLWithPath: dir.file("m.json.journal")))
        try m.compact()
        try journal.write(to: URL(fileURLWithPath: dir.file("m.json.journal")))  // as if unlink never happened
        XCTAssertEqual(try map(dir).entries, ["a": 1])
    }

    func testABatchAsLargeAsTheMapBecomesTheSnapshotAndKeepsThePendingJournal() throws {
        let dir = TempDir()
        let m = try map(dir)
        try m.record("pending", 7)
        let batch = (0..<1_500).map { (key: "k\($0)", value: Optional($0)) }
        try m.record(batch)
        XCTAssertFalse(FileManager.default.fileExists(atPath: dir.file("m.json.journal")), "written as the snapshot, journal folded in")
        let reopened = try map(dir).entries
        XCTAssertEqual(reopened.count, 1_501)
        XCTAssertEqual(reopened["pending"], 7, "what the journal held before the batch is kept")
        XCTAssertEqual(reopened["k1499"], 1_499)
        try m.record("k0", nil)
        XCTAssertNil(try map(dir).entries["k0"], "later single changes go to the journal again")
        XCTAssertTrue(FileManager.default.fileExists(atPath: dir.file("m.json.journal")))
    }

    private func map(_ dir: TempDir) throws -> JournaledMap<Int> { try JournaledMap<Int>(path: dir.file("m.json")) }
}
