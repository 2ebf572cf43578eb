import ConnectorKit
import ConnectorNet

@testable import ShipBob
import XCTest

/// ShipBob's token endpoint answers as `OAuthTokens(tokenAnswer:)` reads them.
final class ShipBobTokenAnswerTests: XCTestCase {
    let now = Date(timeIntervalSince1970: 1_795_000_000)

    func tokens(_ body: String, status: Int = 200) throws -> OAuthTokens {
        try OAuthTokens(tokenAnswer: HTTPResponse(status: status, headers: [:], body: Data(body.utf8)),
                        to: HTTPRequest(.post, "https://auth.shipbob.com/connect/token"), operation: "OAuth refresh",
                        keeping: nil, tenant: "acme", now: now)
    }

    func testExpiresInSetsTheExpiry() throws {
        let t = try tokens(#"{"access_token":"a","refresh_token":"r","expires_in":1800}"#)
        XCTAssertEqual(t.expiresAt, now.addingTimeInterval(1800))
    }

    /// 1e300 seconds trapped when the expiry was logged (Tests/Fuzz/shipbob's seed
    /// oauth-expires-in-1e300); negative or huge lifetimes are not ones ShipBob gives.
    func testAnExpiresInNoTokenLivesIsReadAsTheUsualHour() throws {
        for lifetime in ["1e300", "-5", "86401", "\"soon\""] {
            let t = try tokens(#"{"access_token":"a","refresh_token":"r","expires_in":\#(lifetime)}"#)
            XCTAssertEqual(t.expiresAt, now.addingTimeInterval(ShipBobFacts.accessTokenLifetime), lifetime)
            XCTAssertFalse(Timestamp.iso8601(t.expiresAt).isEmpty)
        }
    }

    /// The granted scopes are kept for `ml-connector probe`; an answer without `scope` keeps none.
    func testTheAnswersScopeIsKeptAsTheGrantedScopes() throws {
        let t = try tokens(#"{"access_token":"a","refresh_token":"r","scope":"orders_read receiving_read offline_access"}"#)
        XCTAssertEqual(t.scopes, ["orders_read", "receiving_read", "offline_access"])
        XCTAssertNil(try tokens(#"{"access_token":"a","refresh_token":"r"}"#).scopes)
    }

    func testADeadGrantNamesTheCommandThatMendsIt() {
        XCTAssertThrowsError(try tokens(#"{"error":"invalid_grant","error_description":"redeemed"}"#, status: 400)) { error in
            XCTAssertEqual((error as? VendorError)?.kind, .authRejected)
            XCTAssertTrue("\(error)".contains("ml-connector oauth shipbob --tenant acme"), "\(error)")
        }
    }
}
