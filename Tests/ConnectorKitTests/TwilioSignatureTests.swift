import XCTest
import WebhookCore

final class TwilioSignatureTests: XCTestCase {
    /// docs/vendors/twilio.md: the vector checked with the `twilio` Python package.
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

    // The vectors below were computed with twilio-python 9.13.0's RequestValidator
    // (compute_signature / validate), token "12345" and the parameters above.

    func testTheURLIsAcceptedWithAndWithoutItsDefaultPortAsTheOfficialValidatorDoes() {
        let with443 = "https://mycompany.com:443/myapp.php?foo=1&bar=2"
        XCTAssertEqual(TwilioSignature.expected(authToken: "12345", url: with443, parameters: parameters), "EpDEmp1PyjDYp77YxYU3GILBWzE=")
        XCTAssertTrue(TwilioSignature.isValid("EpDEmp1PyjDYp77YxYU3GILBWzE=", authToken: "12345", url: url, parameters: parameters),
                      "signed with :443, configured without")
        XCTAssertTrue(TwilioSignature.isValid("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", authToken: "12345", url: with443, parameters: parameters),
                      "signed without a port, configured with :443")
        // http: only :80 is added; the validator does not try :443 there.
        let viaHTTP80 = TwilioSignature.expected(authToken: "12345", url: "http://h/x", parameters: parameters)
        XCTAssertTrue(TwilioSignature.isValid(TwilioSignature.expected(authToken: "12345", url: "http://h:80/x", parameters: parameters),
                                              authToken: "12345", url: "http://h/x", parameters: parameters))
        XCTAssertFalse(TwilioSignature.isValid(TwilioSignature.expected(authToken: "12345", url: "http://h:443/x", parameters: parameters),
                                               authToken: "12345", url: "http://h/x", parameters: parameters))
        // Any port is removed, a non-default one too.
        XCTAssertTrue(TwilioSignature.isValid(viaHTTP80, authToken: "12345", url: "http://h:8080/x", parameters: parameters))
    }

    func testTheURLFormsAreTheOnesTheValidatorTries() {
        XCTAssertEqual(TwilioSignature.urlForms("https://a.example/p?q=1"), ["https://a.example/p?q=1", "https://a.example:443/p?q=1"])
        XCTAssertEqual(TwilioSignature.urlForms("https://a.example:443/p"), ["https://a.example/p", "https://a.example:443/p"])
        XCTAssertEqual(TwilioSignature.urlForms("http://127.0.0.1:8080/w"), ["http://127.0.0.1/w", "http://127.0.0.1:8080/w"])
        XCTAssertEqual(TwilioSignature.urlForms("http://a.example"), ["http://a.example", "http://a.example:80"])
        XCTAssertEqual(TwilioSignature.urlForms("https://u:p@a.example/w"), ["https://u:p@a.example/w", "https://u:p@a.example:443/w"])
        XCTAssertEqual(TwilioSignature.urlForms("https://[::1]:8443/w"), ["https://[::1]/w", "https://[::1]:8443/w"])
        XCTAssertEqual(TwilioSignature.urlForms("https://[::1]/w"), ["https://[::1]/w", "https://[::1]:443/w"])
    }

    func testARepeatedParametersDistinctValuesAreSignedOnceEachInSortedOrder() {
        let repeated: [(name: String, value: String)] = [("To", "+18005551212"), ("Tag", "b"), ("Tag", "a"), ("Tag", "b"), ("From", "x")]
        XCTAssertEqual(TwilioSignature.expected(authToken: "12345", url: url, parameters: repeated), "72RHB1MrS5ngRsff9ke57lDOGNY=")
        XCTAssertEqual(TwilioSignature.expected(authToken: "12345", url: url, parameters: repeated),
                       TwilioSignature.expected(authToken: "12345", url: url, parameters: [("From", "x"), ("Tag", "a"), ("Tag", "b"), ("To", "+18005551212")]))
    }

    func testHMACSHA256UnderAWebhookSettingSignsTheSameString() {
        XCTAssertEqual(TwilioSignature.expected(authToken: "12345", url: url, parameters: parameters, algorithm: .hmacSHA256),
                       "Rmm4Vzj+Ky7JGoWXMCsZDZuHDszLr9xvdbvitrDr4/M=")
        XCTAssertTrue(TwilioSignature.isValid("Rmm4Vzj+Ky7JGoWXMCsZDZuHDszLr9xvdbvitrDr4/M=", authToken: "12345",
                                              url: "https://mycompany.com:443/myapp.php?foo=1&bar=2", parameters: parameters, algorithm: .hmacSHA256))
        XCTAssertFalse(TwilioSignature.isValid("Rmm4Vzj+Ky7JGoWXMCsZDZuHDszLr9xvdbvitrDr4/M=", authToken: "12345", url: url, parameters: parameters),
                       "a SHA-256 signature is not a SHA-1 one")
        XCTAssertFalse(TwilioSignature.isValid("0/KCTR6DLpKmkAf8muzZqo1nDgQ=", authToken: "12345", url: url, parameters: parameters, algorithm: .hmacSHA256))
    }

    func testTheSettingsHeaderNamesTheAlgorithmAsTheValidatorReadsIt() {
        XCTAssertEqual(TwilioSignature.Algorithm.named(bySettings: nil), .hmacSHA1)
        XCTAssertEqual(TwilioSignature.Algorithm.named(bySettings: ""), .hmacSHA1)
        XCTAssertEqual(TwilioSignature.Algorithm.named(bySettings: "key=webhooks_sharedkey_1"), .hmacSHA1, "no algorithm part")
        XCTAssertEqual(TwilioSignature.Algorithm.named(bySettings: "key=k,algorithm=HMAC_SHA256"), .hmacSHA256)
        XCTAssertEqual(TwilioSignature.Algorithm.named(bySettings: "key=k, algorithm = hmac_sha256"), .hmacSHA256, "spaces and case")
        XCTAssertEqual(TwilioSignature.Algorithm.named(bySettings: "algorithm=,algorithm=HMAC_SHA1"), .hmacSHA1, "an empty part is skipped")
        XCTAssertNil(TwilioSignature.Algorithm.named(bySettings: "key=k,algorithm=HMAC_SHA512"), "unknown: refused, never unsigned")
    }
}
