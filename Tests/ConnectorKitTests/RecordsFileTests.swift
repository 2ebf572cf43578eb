import Foundation
import XCTest
import ConnectorKit

final class RecordsFileTests: XCTestCase {
    /// The format every records file already on disk has: state written before these
    /// files had one owner must still load, and what is written must not change.
    func testTheFileIsOneJSONObjectOneMemberALineAndReadsBack() throws {
        let dir = TempDir()
        try RecordsFile.write(["a\"b": 1], to: dir.file("r.json"))
        XCTAssertEqual(try String(contentsOfFile: dir.file("r.json"), encoding: .utf8), "{\n\"a\\\"b\":1\n}\n")
        try RecordsFile.write([String: Int](), to: dir.file("empty.json"))
        XCTAssertEqual(try String(contentsOfFile: dir.file("empty.json"), encoding: .utf8), "{\n}\n")

        let records = Dictionary(uniqueKeysWithValues: (0..<50).map { ("k\($0)", $0) })
        try RecordsFile.write(records, to: dir.file("r.json"))
        XCTAssertEqual(try RecordsFile.load(dir.file("r.json")), records)
        XCTAssertEqual(try RecordsFile.load(dir.file("missing.json")) as [String: Int], [:], "a missing file holds no records")
    }

    func testRecordsAlreadyEncodedAreCopiedFirstAndTheRestEncoded() throws {
        let dir = TempDir()
        let lines = Array("7\n".utf8)
        try RecordsFile.write(["new": 7, "old": 1], to: dir.file("r.json"), encoded: ["new": 0..<1], in: lines)
        XCTAssertEqual(try String(contentsOfFile: dir.file("r.json"), encoding: .utf8), "{\n\"new\":7,\n\"old\":1\n}\n")
    }

    func testAJournaledMapSnapshotIsARecordsFile() throws {
        let dir = TempDir()
        let map = try JournaledMap<Int>(path: dir.file("m.json"))
        try map.record("a", 1)
        try map.compact()
        XCTAssertEqual(try RecordsFile.load(dir.file("m.json")), ["a": 1])
        try RecordsFile.write(["b": 2], to: dir.file("m.json"))
        XCTAssertEqual(try JournaledMap<Int>(path: dir.file("m.json")).entries, ["b": 2])
    }

    func testAFileThatIsNotAnObjectIsNamedInTheError() throws {
        let dir = TempDir()
        try Data("[1]".utf8).write(to: URL(fileURLWithPath: dir.file("r.json")))
        XCTAssertThrowsError(try RecordsFile.load(dir.file("r.json")) as [String: Int]) { error in
            XCTAssertTrue("\(error)".contains("r.json"), "\(error)")
        }
    }
}
