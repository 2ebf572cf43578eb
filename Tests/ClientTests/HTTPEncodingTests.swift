import ConnectorNet
import XCTest

final class HTTPEncodingTests: XCTestCase {
    func testPercentEncodingKeepsOnlyUnreserved() {
        XCTAssertEqual(URLEncoding.percentEncode("AZaz09-._~"), "AZaz09-._~")
        XCTAssertEqual(URLEncoding.percentEncode("<a b='1'>&+=/?é"), "%3Ca%20b%3D%271%27%3E%26%2B%3D%2F%3F%C3%A9")
    }

    func testQueryAndURL() {
        let xml = "<SalesOrders><Parameters><Process>IMPORT</Process></Parameters></SalesOrders>"
        XCTAssertEqual(URLEncoding.url("http://h/Rest/Transaction/Post", query: [("UserId", "abc"), ("XmlIn", xml)]),
                       "http://h/Rest/Transaction/Post?UserId=abc&XmlIn=%3CSalesOrders%3E%3CParameters%3E%3CProcess%3EIMPORT%3C%2FProcess%3E%3C%2FParameters%3E%3C%2FSalesOrders%3E")
        XCTAssertEqual(URLEncoding.url("http://h/p?a=1", query: [("b", "2")]), "http://h/p?a=1&b=2")
        XCTAssertEqual(String(decoding: URLEncoding.form([("grant_type", "refresh_token"), ("t", "a b&c")]), as: UTF8.self),
                       "grant_type=refresh_token&t=a%20b%26c")
    }

    func testJoinAndResolve() {
        XCTAssertEqual(URLEncoding.join("http://h/Rest/", "/Logon"), "http://h/Rest/Logon")
        XCTAssertEqual(URLEncoding.origin("https://h:8443/odata?x"), "https://h:8443")
        XCTAssertNil(URLEncoding.origin("SorMaster?$skip=5"))
        XCTAssertEqual(URLEncoding.resolve("http://internal-iis/odata/SorMaster?$skip=5", against: "https://erp.example.com/odata"),
                       "https://erp.example.com/odata/SorMaster?$skip=5")
        XCTAssertEqual(URLEncoding.resolve("SorMaster?$skip=5", against: "https://erp.example.com/odata"),
                       "https://erp.example.com/odata/SorMaster?$skip=5")
        XCTAssertEqual(URLEncoding.resolve("/x/y", against: "https://e.com/odata"), "https://e.com/x/y")
    }

    func testRedactionKeepsOnlyParameterNames() {
        let r = HTTPRequest(.get, "http://h/Rest/Logon?Operator=ADMIN&OperatorPassword=s3cret&CompanyId=EDU1")
        XCTAssertEqual(r.redactedURL, "http://h/Rest/Logon?Operator=…&OperatorPassword=…&CompanyId=…")
        XCTAssertFalse(r.redactedURL.contains("s3cret"))
    }

    func testIdempotencyDefaultsFollowTheMethod() {
        XCTAssertTrue(HTTPRequest(.get, "u").idempotent)
        XCTAssertTrue(HTTPRequest(.put, "u").idempotent)
        XCTAssertTrue(HTTPRequest(.delete, "u").idempotent)
        XCTAssertFalse(HTTPRequest(.post, "u").idempotent)
        XCTAssertFalse(HTTPRequest(.patch, "u").idempotent)
        XCTAssertFalse(HTTPRequest(.get, "u", idempotent: false).idempotent)
    }

    func testResponseHeaderLookupIgnoresCase() {
        let r = HTTPResponse(status: 200, headers: ["X-Retry-After": "3"], body: Data())
        XCTAssertEqual(r.header("x-retry-after"), "3")
        XCTAssertEqual(r.header("X-RETRY-AFTER"), "3")
    }
}
