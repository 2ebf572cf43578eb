import XCTest

@testable import WebhookCore

final class TwilioCallbackSettingsTests: XCTestCase {
    func settings(_ json: String) throws -> TwilioCallbackSettings {
        try TwilioCallbackSettings.load(config: ConfigDocument(path: "/s/tenants/acme/config.json", root: try JSONValue.parse(Array(json.utf8))))
    }

    func testReadsTheStatusCallbackURL() throws {
        let s = try settings(#"{"webhook": {}, "twilio": {"account_sid": "AC1", "status_callback_url": "https://connector.example.com/webhooks/acme/twilio"}}"#)
        XCTAssertEqual(s.statusCallbackURL, "https://connector.example.com/webhooks/acme/twilio")
    }

    func testAMissingKeyIsNamedWithTheFile() {
        for json in [#"{}"#, #"{"twilio": {"from": "+13125550199"}}"#] {
            XCTAssertThrowsError(try settings(json)) {
                XCTAssertTrue("\($0)".contains("/s/tenants/acme/config.json: twilio.status_callback_url is not set"), "\($0)")
            }
        }
    }

    func testAValueThatIsNotAnAbsoluteHTTPURLIsRefused() {
        for value in [#"42"#, #""/webhooks/acme/twilio""#, #""ftp://x/y""#, #""https://""#, #""https:///path""#, #""https://a b/c""#] {
            XCTAssertThrowsError(try settings(#"{"twilio": {"status_callback_url": \#(value)}}"#), value) {
                XCTAssertTrue("\($0)".contains("twilio.status_callback_url expected an absolute http(s) URL"), "\($0)")
            }
        }
    }

    func testTheQueryStringIsAppendedOnlyWhenTheConfiguredURLHasNone() {
        let plain = TwilioCallbackSettings(statusCallbackURL: "https://h.example/webhooks/acme/twilio")
        XCTAssertEqual(plain.signedURL(queryString: nil), "https://h.example/webhooks/acme/twilio")
        XCTAssertEqual(plain.signedURL(queryString: ""), "https://h.example/webhooks/acme/twilio")
        XCTAssertEqual(plain.signedURL(queryString: "a=1&b=%20"), "https://h.example/webhooks/acme/twilio?a=1&b=%20")
        let withQuery = TwilioCallbackSettings(statusCallbackURL: "https://h.example/webhooks/acme/twilio?k=1")
        XCTAssertEqual(withQuery.signedURL(queryString: "k=1"), "https://h.example/webhooks/acme/twilio?k=1")
    }

    func testWebhookLimitsReadTheSameDocument() throws {
        let doc = ConfigDocument(path: "c.json", root: try JSONValue.parse(Array(#"{"webhook": {"max_body_bytes": 2048}}"#.utf8)))
        XCTAssertEqual(try WebhookLimits.load(config: doc), WebhookLimits(maxBodyBytes: 2048, toleranceSeconds: 300))
        let bad = ConfigDocument(path: "c.json", root: try JSONValue.parse(Array(#"{"webhook": {"max_body_bytes": -1}}"#.utf8)))
        XCTAssertThrowsError(try WebhookLimits.load(config: bad)) { XCTAssertEqual("\($0)", "c.json: webhook.max_body_bytes expected a positive integer") }
    }
}
