import Foundation
import XCTest
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `ml-connector oauth shipbob` against the sandbox's authorize and token endpoints
/// (authorization code with PKCE): the tokens it stores are what a ShipBob job then uses
/// with `shipbob.auth` "oauth".
final class ShipBobOAuthEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    func testAnAuthorizedTenantRunsAShipBobJobWithOAuthTokens() throws {
        try demo.authorizeShipBob()
        XCTAssertTrue(FileManager.default.fileExists(atPath: demo.tenantDir + "/tokens/shipbob-oauth.json"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: demo.tenantDir + "/tokens/shipbob-oauth-pending.json"), "the verifier is spent")
        let names = try runProgram("ml-connector", ["secret", "list"], env: demo.env).stdout
        XCTAssertTrue(names.contains("shipbob_refresh_token"))

        try demo.editConfig { c in
            var shipbob = c["shipbob"] as! [String: Any]
            shipbob["auth"] = "oauth"
            c["shipbob"] = shipbob
        }
        // Without the PAT, only the OAuth tokens can let a job in.
        try demo.removeSecret("shipbob_pat")
        _ = try demo.control("DELETE", "/_control/requests")
        let reconcile = try demo.job("shipbob-to-syspro", ["--reconcile"])
        XCTAssertEqual(reconcile.status, 0, reconcile.stderr)
        let requests = try HTTP.json(demo.sandboxURL + "/_control/requests") as! [[String: Any]]
        XCTAssertTrue(requests.contains { $0["service"] as? String == "shipbob" && $0["status"] as? Int == 200 }, "\(requests)")
        XCTAssertFalse(requests.contains { ($0["path"] as? String ?? "").hasSuffix("/connect/token") },
                       "the exchanged access token was used as it is, no refresh needed")
        let ping = try demo.job("ml-connector", ["ping"])
        XCTAssertTrue(ping.stdout.contains("ok    ShipBob: 3 channel(s)"), ping.stdout)
    }

    func testTheAuthorizeURLCarriesWhatShipBobAsksForAndNothingIsStoredOnADryRun() throws {
        let dry = try demo.job("ml-connector", ["oauth", "shipbob", "--redirect-uri", "https://connector.example.com/cb", "--dry-run"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: demo.tenantDir + "/tokens/shipbob-oauth-pending.json"))
        let url = try XCTUnwrap(dry.stdout.split(separator: "\n").first { $0.hasPrefix("http") }.map(String.init))
        let query = try XCTUnwrap(URLComponents(string: url)?.queryItems)
        func item(_ name: String) -> String? { query.first { $0.name == name }?.value }
        XCTAssertTrue(url.hasPrefix(demo.sandboxURL + "/shipbob/connect/authorize?"), url)
        XCTAssertEqual(item("response_type"), "code")
        XCTAssertEqual(item("redirect_uri"), "https://connector.example.com/cb")
        XCTAssertEqual(item("code_challenge_method"), "S256")
        XCTAssertEqual(item("code_challenge")?.count, 43, "base64url of a SHA-256")
        XCTAssertTrue(item("scope")?.split(separator: " ").contains("offline_access") == true, "a refresh token needs offline_access")
        XCTAssertNotNil(item("state"))
        XCTAssertEqual(item("client_id")?.isEmpty, false)
    }

    func testARedirectFromAnotherAuthorizationOrACodeWithoutOneIsRefused() throws {
        let first = try demo.startShipBobAuthorization()
        let redirect = try demo.approve(first)
        _ = try demo.startShipBobAuthorization()  // a second start replaces the first's verifier and state
        let mismatch = try demo.job("ml-connector", ["oauth", "shipbob", "--code", redirect])
        XCTAssertEqual(mismatch.status, 65, mismatch.stderr)
        XCTAssertTrue(mismatch.stderr.contains("state is not the one"), mismatch.stderr)

        // The sandbox, like ShipBob, takes a code only with the verifier of its challenge.
        let code = try XCTUnwrap(URLComponents(string: redirect)?.queryItems?.first { $0.name == "code" }?.value)
        let creds = try HTTP.json(demo.sandboxURL + "/_control/credentials") as! [String: Any]
        let shipbob = creds["shipbob"] as! [String: Any]
        let fields = [("grant_type", "authorization_code"), ("code", code), ("redirect_uri", DemoTenant.callback(demo.sandboxURL)),
                      ("code_verifier", "wrong-verifier-wrong-verifier-wrong-verifier-x"),
                      ("client_id", shipbob["client_id"] as! String), ("client_secret", shipbob["client_secret"] as! String)]
        let form = fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)" }.joined(separator: "&")
        let token = try HTTP.request("POST", demo.sandboxURL + "/shipbob/connect/token",
                                     headers: ["content-type": "application/x-www-form-urlencoded"], body: Data(form.utf8))
        XCTAssertEqual(token.status, 400, token.text)
        XCTAssertTrue(token.text.contains("invalid_grant"), token.text)

        try FileManager.default.removeItem(atPath: demo.tenantDir + "/tokens/shipbob-oauth-pending.json")
        let none = try demo.job("ml-connector", ["oauth", "shipbob", "--code", "abc"])
        XCTAssertEqual(none.status, 64, none.stderr)
        XCTAssertTrue(none.stderr.contains("no ShipBob authorization started for tenant demo"), none.stderr)
    }
}

extension DemoTenant {
    /// The app's registered callback in these tests: a sandbox page, so following the
    /// authorize redirect lands somewhere that answers.
    static func callback(_ sandboxURL: String) -> String { sandboxURL + "/_control/credentials" }

    /// Step 1 of `ml-connector oauth shipbob`: the authorize URL it prints.
    func startShipBobAuthorization(file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let r = try runProgram("ml-connector", ["oauth", "shipbob", "--redirect-uri", DemoTenant.callback(sandboxURL)], env: env)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        return try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("http") }.map(String.init), r.stdout, file: file, line: line)
    }

    /// What a person's browser does: open the URL; the sandbox approves at once and
    /// redirects to the callback with the code. Returns the URL it landed on.
    func approve(_ authorizeURL: String) throws -> String {
        let landed = Box<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: URL(string: authorizeURL)!) { _, response, _ in
            landed.value = response?.url?.absoluteString
            done.signal()
        }.resume()
        done.wait()
        return try XCTUnwrap(landed.value)
    }

    /// Both steps, the redirect URL pasted whole as a person would.
    func authorizeShipBob(file: StaticString = #filePath, line: UInt = #line) throws {
        let redirect = try approve(try startShipBobAuthorization(file: file, line: line))
        XCTAssertTrue(redirect.contains("code="), redirect, file: file, line: line)
        let r = try runProgram("ml-connector", ["oauth", "shipbob", "--code", redirect], env: env)
        XCTAssertEqual(r.status, 0, r.stderr, file: file, line: line)
        XCTAssertTrue(r.stdout.contains("ShipBob authorized tenant \(tenant)"), r.stdout, file: file, line: line)
    }
}
