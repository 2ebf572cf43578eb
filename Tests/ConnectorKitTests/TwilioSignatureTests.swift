import XCTest
import WebhookCore

final class TwilioSignatureTests: XCTestCase {
    /// api-notes, Twilio: the vector checked with the `twilio` Python package.
    let parameters: [(name: String, value: String)] = [
        ("CallSid", "CA1234567890ABCDE"), ("Caller", "+12349013030"), ("Digits", "1234"),
        ("From", "+12349013030"), ("To", "+18005551212"),
    ]
    let url = "https://mycompany.com/myapp.php?foo=1&bar=2"

    func testThePublishedVectorVerifies() {
        XCTAssertEqual(TwilioSignature.expected(authToken: "12345", url: url, parameters: parameters), "0/KCTR6DLpKmkAf8muzZqo1nDgQ=")
        XCTAssertTrue(TwilioSignature.isValid("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", authToken: "12345", url: url, parameters: parameters.reversed()))
    }

    func testAnyChangeBreaksTheSignature() {
        let good = "0/KCTR6DLpKmkAf8muzZqo1nDgQ="
        XCTAssertFalse(TwilioSignature.isValid(good, authToken: "12346", url: url, parameters: parameters), "another token")
        XCTAssertFalse(TwilioSignature.isValid(good, authToken: "12345", url: "http://mycompany.com/myapp.php?foo=1&bar=2", parameters: parameters),
                       "the URL nginx saw instead of the public one")
        var tampered = parameters
        tampered[2].value = "1235"
        XCTAssertFalse(TwilioSignature.isValid(good, authToken: "12345", url: url, parameters: tampered), "a changed parameter")
        XCTAssertFalse(TwilioSignature.isValid(good, authToken: "12345", url: url, parameters: parameters + [("MessageStatus", "delivered")]),
                       "an added parameter")
        XCTAssertFalse(TwilioSignature.isValid("", authToken: "12345", url: url, parameters: parameters))
    }
}
