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

    /// Numbers of up to 15 digits skip strtod; every one must read as the same Double
    /// strtod makes of it, including negative zero and trailing zeros.
    func testShortDecimalsReadExactlyAsTheGeneralReaderDoes() throws {
        var rng = SystemRandomNumberGenerator()
        var texts = ["0", "-0", "0.0", "-0.000", "1", "100", "0.1", "0.3", "12.50", "999999999999999", "0.000000000000001",
                     "-123456.789012345", "00012", "1.", ".5", "1e3", "-", "1234567890123456", "12.3456789012345678",
                     String(repeating: "8", count: 65), "-" + String(repeating: "9", count: 40) + ".5"]
        for _ in 0..<50_000 {
            let digits = Int.random(in: 1...17, using: &rng)
            var t = (0..<digits).map { _ in String(Int.random(in: 0...9, using: &rng)) }.joined()
            if Bool.random(using: &rng) { t.insert(".", at: t.index(t.startIndex, offsetBy: Int.random(in: 1...digits, using: &rng))) }
            if t.hasSuffix(".") { t += "0" }
            texts.append(Bool.random(using: &rng) ? "-" + t : t)
        }
        for t in texts {
            let parsed = try? JSONValue.parse(Array(t.utf8))
            guard let expected = Double(t) else { XCTAssertNil(parsed, t); continue }
            guard case .number(let n)? = parsed else { XCTFail("\(t) did not parse as a number"); continue }
            XCTAssertEqual(n.bitPattern, expected.bitPattern, t)
        }
    }

    /// The streaming reader of state files sees what `parse` sees, in order, and refuses
    /// what `parse` refuses.
    func testMembersOneAtATimeAgreeWithTheWholeParse() throws {
        let text = #" {"a": {"n": 1}, "b": [1, "x"], "a": {"n": 2}} "#
        var seen: [(String, JSONValue)] = []
        let isObject = try Array(text.utf8).withUnsafeBufferPointer { try JSONValue.forEachMember(in: $0) { seen.append(($0, $1)) } }
        XCTAssertTrue(isObject)
        XCTAssertEqual(seen.map(\.0), ["a", "b", "a"], "a later duplicate comes later and so overwrites")
        XCTAssertEqual(seen.last?.1, try JSONValue.parse(Array(text.utf8))["a"])
        for notObject in ["[1,2]", "\"text\"", "3"] {
            XCTAssertFalse(try Array(notObject.utf8).withUnsafeBufferPointer { try JSONValue.forEachMember(in: $0) { _, _ in XCTFail() } })
        }
        for broken in ["{\"a\":1", "{\"a\":1} x", "{\"a\" 1}", "{a:1}", ""] {
            XCTAssertThrowsError(try Array(broken.utf8).withUnsafeBufferPointer { try JSONValue.forEachMember(in: $0) { _, _ in } }, broken)
            XCTAssertThrowsError(try JSONValue.parse(Array(broken.utf8)), broken)
        }
    }
}
