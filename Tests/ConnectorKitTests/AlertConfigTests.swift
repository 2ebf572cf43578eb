import Alerts
import Twilio
import XCTest

@testable import ConnectorKit
import WebhookCore

final class AlertConfigTests: XCTestCase {
    let base = ConfigFixture.valid.dropLast(1)

    func config(twilio: String = #""twilio": {"account_sid": "AC0123456789abcdef0123456789abcdef", "from": "+15005550006"}"#,
                rule: String = #"{"name": "po-approved", "table": "PorMasterHdr", "key": ["PurchaseOrder"], "watch": "OrderStatus", "from": ["0"], "to": ["1"], "template": "PO {PurchaseOrder}", "recipients": ["procurement"]}"#,
                groups: String = #"{"procurement": ["kmo", "rlt"]}"#) -> String {
        base + ", " + twilio + #", "alerts": {"groups": "# + groups + #", "rules": ["# + rule + "]}}"
    }

    func testAValidRuleLoads() throws {
        let c = try load(config())
        XCTAssertEqual(c.alerts.rules.first?.name, "po-approved")
        XCTAssertEqual(c.alerts.people(["procurement"]), ["kmo", "rlt"])
        XCTAssertEqual(c.twilio.maxAttempts, 8)
    }

    func testAMisspeltRuleKeyIsNamed() {
        assertConfigError(config(rule: #"{"name": "x", "table": "T", "key": ["K"], "watch": "W", "to": ["1"], "template": "t", "recipients": ["kmo"], "too": ["2"]}"#),
                                        key: "alerts.rules[0].too", contains: "not a known setting")
    }

    func testRulesNeedATwilioAccountAndSender() {
        assertConfigError(config(twilio: #""twilio": {"from": "+15005550006"}"#), key: "twilio.account_sid", contains: "required")
        assertConfigError(config(twilio: #""twilio": {"account_sid": "AC0123456789abcdef0123456789abcdef"}"#),
                                        key: "twilio.from", contains: "messaging_service_sid")
    }

    func testARuleThatWouldAlertOnEveryChangeIsRefused() {
        assertConfigError(config(rule: #"{"name": "x", "table": "T", "key": ["K"], "watch": "W", "template": "t", "recipients": ["kmo"]}"#),
                                        key: "alerts.rules[0]", contains: "every change")
    }

    func testPhoneNumbersAreNotRecipients() {
        assertConfigError(config(rule: #"{"name": "x", "table": "T", "key": ["K"], "watch": "W", "to": ["1"], "template": "t", "recipients": ["+15555550101"]}"#),
                                        key: "alerts.rules[0].recipients", contains: "neither a group nor a person")
    }

    func testPhoneSecretsAreNamedPerPerson() {
        XCTAssertTrue(SecretName.isKnown("phone.kmo"))
        XCTAssertTrue(SecretName.isKnown(SecretName.twilioAuthToken))
        XCTAssertFalse(SecretName.isKnown("phone."))
        XCTAssertFalse(SecretName.isKnown("phone.../x"))
        XCTAssertTrue(TwilioSettings.isE164("+15555550101"))
        XCTAssertFalse(TwilioSettings.isE164("+05555550101"))
        XCTAssertFalse(TwilioSettings.isE164("5555550101"))
    }
}
