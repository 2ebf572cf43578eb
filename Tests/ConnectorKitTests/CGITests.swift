import WebhookCore
import XCTest

@testable import ConnectorKit

final class CGITests: XCTestCase {
    func testMapsHeadersFromTheCgiEnvironment() {
        let r = CGIRequest(environment: ["REQUEST_METHOD": "POST", "DOCUMENT_URI": "/webhooks/demo/shipbob",
                                         "CONTENT_LENGTH": "12", "HTTP_WEBHOOK_ID": "msg_1", "HTTP_X_WEBHOOK_TOPIC": "order.shipped"])
        XCTAssertEqual(r.method, "POST")
        XCTAssertEqual(r.path, "/webhooks/demo/shipbob")
        XCTAssertEqual(r.contentLength, 12)
        XCTAssertEqual(r.header("webhook-id"), "msg_1")
        XCTAssertEqual(r.header("X-Webhook-Topic"), "order.shipped")
        XCTAssertNil(r.header("webhook-signature"))
    }

    func testFallsBackToRequestUriWithoutItsQuery() {
        let r = CGIRequest(environment: ["REQUEST_URI": "/webhooks/demo/shipbob?x=1"])
        XCTAssertEqual(r.path, "/webhooks/demo/shipbob")
    }

    func testRendersStatusHeadersAndBody() {
        let text = CGIResponse(status: 503, body: "later", headers: [("Retry-After", "60")]).rendered
        XCTAssertTrue(text.hasPrefix("Status: 503 Service Unavailable\r\n"))
        XCTAssertTrue(text.contains("Retry-After: 60\r\n"))
        XCTAssertTrue(text.hasSuffix("\r\n\r\nlater\n"))
    }
}
