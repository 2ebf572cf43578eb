import XCTest
import WebhookCore

/// The decoder X-Twilio-Signature is checked over: one wrong byte and a genuine callback is 403.
final class FormURLEncodedTests: XCTestCase {
    func decode(_ s: String) throws -> [String] {
        try FormURLEncoded.decode(Array(s.utf8)).map { "\($0.name)=\($0.value)" }
    }

    func testPlusIsASpaceAndPercentEscapesAreBytes() throws {
        XCTAssertEqual(try decode("Body=Hello+world%21&To=%2B13125550142"), ["Body=Hello world!", "To=+13125550142"])
        XCTAssertEqual(try decode("a%2Bb=c%2bd"), ["a+b=c+d"], "escaped + stays a plus, either hex case")
    }

    func testEscapedUTF8DecodesToTheCharacter() throws {
        XCTAssertEqual(try decode("Body=caf%C3%A9+%E2%9C%93"), ["Body=café ✓"])
    }

    func testOrderAndRepeatsAreKeptAndEmptyPiecesSkipped() throws {
        XCTAssertEqual(try decode("b=2&&a=1&b=1&"), ["b=2", "a=1", "b=1"])
        XCTAssertEqual(try decode(""), [])
    }

    func testANameWithoutEqualsHasAnEmptyValueAndOnlyTheFirstEqualsSplits() throws {
        XCTAssertEqual(try decode("ErrorCode&From="), ["ErrorCode=", "From="])
        XCTAssertEqual(try decode("x=a=b"), ["x=a=b"])
    }

    func testAStrayPercentIsRefusedWithItsOffset() {
        XCTAssertThrowsError(try decode("a=1&b=%zz")) { XCTAssertEqual($0 as? FormURLEncoded.Failure, .badPercentEscape(offset: 6)) }
        XCTAssertThrowsError(try decode("a=%4")) { XCTAssertEqual($0 as? FormURLEncoded.Failure, .badPercentEscape(offset: 2)) }
        XCTAssertThrowsError(try decode("a=%")) { XCTAssertEqual($0 as? FormURLEncoded.Failure, .badPercentEscape(offset: 2)) }
    }

    func testBytesThatAreNotUTF8AreRefused() {
        XCTAssertThrowsError(try decode("ok=1&bad=%FF")) {
            XCTAssertEqual($0 as? FormURLEncoded.Failure, .notUTF8(offset: 5))
            XCTAssertTrue("\($0)".contains("not UTF-8"))
        }
    }

    func testDecodedPairsVerifyASignatureMadeOverTheValues() throws {
        let params: [(name: String, value: String)] = [("MessageSid", "SM" + String(repeating: "a", count: 32)), ("To", "+13125550142"), ("Body", "a b&c")]
        let signature = TwilioSignature.expected(authToken: "12345", url: "https://x.example/cb", parameters: params)
        let body = "MessageSid=SM\(String(repeating: "a", count: 32))&To=%2B13125550142&Body=a+b%26c"
        XCTAssertTrue(TwilioSignature.isValid(signature, authToken: "12345", url: "https://x.example/cb",
                                              parameters: try FormURLEncoded.decode(Array(body.utf8))))
    }
}
