import WebhookCore
import XCTest

@testable import ConnectorKit

/// The published Standard Webhooks test vector (docs/vendors/shipbob.md, "Standard Webhooks
/// signing"; checked with the `standardwebhooks` Python package) and the negative cases ported from it.
final class StandardWebhooksTests: XCTestCase {
    let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    let id = "msg_p5jXN8AQM9LWM0D4loKWxJek"
    let ts: Int64 = 1614265330
    let body = Array(#"{"test": 2432232314}"#.utf8)
    let expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="

    func verifier() throws -> StandardWebhooks { try StandardWebhooks(secret: secret) }

    func testSignsThePublishedVector() throws {
        XCTAssertEqual(try verifier().signature(id: id, timestamp: ts, body: body), expected)
    }

    func testAcceptsThePublishedVector() throws {
        XCTAssertNoThrow(try verifier().verify(id: id, timestamp: String(ts), signature: expected, body: body, now: ts))
    }

    func testRejectsEachMissingHeader() throws {
        let v = try verifier()
        XCTAssertThrowsError(try v.verify(id: nil, timestamp: String(ts), signature: expected, body: body, now: ts)) {
            XCTAssertEqual($0 as? StandardWebhooks.Failure, .missingHeader("webhook-id"))
        }
        XCTAssertThrowsError(try v.verify(id: id, timestamp: nil, signature: expected, body: body, now: ts)) {
            XCTAssertEqual($0 as? StandardWebhooks.Failure, .missingHeader("webhook-timestamp"))
        }
        XCTAssertThrowsError(try v.verify(id: id, timestamp: String(ts), signature: nil, body: body, now: ts)) {
            XCTAssertEqual($0 as? StandardWebhooks.Failure, .missingHeader("webhook-signature"))
        }
    }

    func testRejectsNonNumericTimestamp() throws {
        XCTAssertThrowsError(try verifier().verify(id: id, timestamp: "1614265330a", signature: expected, body: body, now: ts)) {
            XCTAssertEqual($0 as? StandardWebhooks.Failure, .malformedTimestamp)
            XCTAssertEqual(($0 as? StandardWebhooks.Failure)?.httpStatus, 400)
        }
    }

    func testRejectsOneFlippedCharacterInBodySignatureOrId() throws {
        let v = try verifier()
        var tampered = body; tampered[3] ^= 0x01
        XCTAssertThrowsError(try v.verify(id: id, timestamp: String(ts), signature: expected, body: tampered, now: ts)) {
            XCTAssertEqual($0 as? StandardWebhooks.Failure, .noMatchingSignature)
            XCTAssertEqual(($0 as? StandardWebhooks.Failure)?.httpStatus, 401)
        }
        var sig = Array(expected.utf8); sig[10] = sig[10] == UInt8(ascii: "A") ? UInt8(ascii: "B") : UInt8(ascii: "A")
        XCTAssertThrowsError(try v.verify(id: id, timestamp: String(ts), signature: String(decoding: sig, as: UTF8.self), body: body, now: ts))
        XCTAssertThrowsError(try v.verify(id: id + "x", timestamp: String(ts), signature: expected, body: body, now: ts))
    }

    func testRejectsTimestampsJustOutsideFiveMinutesEitherWay() throws {
        let v = try verifier()
        XCTAssertThrowsError(try v.verify(id: id, timestamp: String(ts), signature: expected, body: body, now: ts + 301)) {
            XCTAssertEqual($0 as? StandardWebhooks.Failure, .timestampTooOld)
        }
        XCTAssertThrowsError(try v.verify(id: id, timestamp: String(ts), signature: expected, body: body, now: ts - 301)) {
            XCTAssertEqual($0 as? StandardWebhooks.Failure, .timestampTooNew)
        }
        XCTAssertNoThrow(try v.verify(id: id, timestamp: String(ts), signature: expected, body: body, now: ts + 300))
        XCTAssertNoThrow(try v.verify(id: id, timestamp: String(ts), signature: expected, body: body, now: ts - 300))
    }

    func testAcceptsValidV1BesideAV2EntryAndRotatedKeys() throws {
        let v = try verifier()
        XCTAssertNoThrow(try v.verify(id: id, timestamp: String(ts), signature: "v2,abcdef \(expected)", body: body, now: ts))
        XCTAssertNoThrow(try v.verify(id: id, timestamp: String(ts), signature: "v1,Zm9vYmFy \(expected)", body: body, now: ts))
        XCTAssertThrowsError(try v.verify(id: id, timestamp: String(ts), signature: "v2," + expected.dropFirst(3), body: body, now: ts))
    }

    func testRejectsSecretThatIsNotBase64() {
        XCTAssertThrowsError(try StandardWebhooks(secret: "whsec_!!!not-base64"))
    }
}
