import XCTest
import WebhookCore

/// What fuzzing JSONValue.parse found (Tests/Fuzz/json/corpus keeps both as seeds).
final class JSONValueTests: XCTestCase {
    func testHighSurrogateFollowedByANonSurrogateEscapeIsReplacementThenThatCharacter() throws {
        XCTAssertEqual(try JSONValue.parse(Array(#"["\uD800\u0041"]"#.utf8)), .array([.string("\u{FFFD}A")]))
    }

    func testSurrogatePairStillDecodesToOneScalar() throws {
        XCTAssertEqual(try JSONValue.parse(Array(#""\uD83D\uDE00""#.utf8)), .string("\u{1F600}"))
    }

    func testNestingUpTo512LevelsParses() throws {
        let doc = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        XCTAssertNoThrow(try JSONValue.parse(Array(doc.utf8)))
    }

    func testNestingBeyond512LevelsIsRefusedNotAStackOverflow() {
        for depth in [513, 1_000_000] {
            let doc = String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
            XCTAssertThrowsError(try JSONValue.parse(Array(doc.utf8)), "depth \(depth)")
        }
        XCTAssertThrowsError(try JSONValue.parse(Array(String(repeating: "{\"a\":", count: 100_000).utf8)))
    }

    /// Found reading what the jobs do with vendor numbers, not by fuzzing.
    func testNonFiniteValuesAreNotNumbers() throws {
        let values = try XCTUnwrap(JSONValue.parse(Array(#"["nan","inf","-Infinity",1e400,"12.5",-3]"#.utf8)).array)
        XCTAssertEqual(values.map(\.double), [nil, nil, nil, nil, 12.5, -3])
        XCTAssertNil(values[3].int64)
    }
}
