import ConnectorKit
import ConnectorNet
import Sandbox
import ShipBob
import WebhookCore
import XCTest
import Secrets
import ConnectorConfig

/// The ShipBob client against the in-process sandbox: OAuth rotation, paging, 429.
final class ShipBobSandboxTests: XCTestCase {
    var server: SandboxServer!
    var base = ""
    var tenant: TenantPaths!
    var secrets: SecretStore!
    var http: HTTPClient!
    var settings: ShipBobSettings!
    var firstRefreshToken = ""
    let sleeps = SleepRecorder()

    override func setUp() async throws {
        server = SandboxServer(options: SandboxOptions())
        let port = try await server.start()
        base = "http://127.0.0.1:\(port)"
        let state = NSTemporaryDirectory() + "shipbob-sandbox-\(UUID().uuidString)"
        tenant = StateLayout(root: state).tenant("demo")
        try tenant.prepare()
        secrets = SecretStore(path: tenant.secrets, key: try MasterKey.create(at: state + "/master.key"))
        http = HTTPClient(settings: HTTPSettings(), logger: Logger(job: "test"))
        let creds = try JSONValue.parse(try http.send(HTTPRequest(.get, base + "/_control/credentials")).body)["shipbob"]!
        firstRefreshToken = creds["refresh_token"]!.string!
        try secrets.set(SecretName.shipbobClientSecret, value: creds["client_secret"]!.string!)
        try secrets.set(SecretName.shipbobRefreshToken, value: firstRefreshToken)
        try secrets.set(SecretName.shipbobPAT, value: creds["pat"]!.string!)
        settings = ShipBobSettings(apiURL: base + "/shipbob/2026-07", auth: .oauth, tokenURL: base + "/shipbob/connect/token",
                                   clientID: creds["client_id"]!.string!, channelID: creds["channel_id"]!.int64)
    }

    override func tearDown() async throws { await server.stop() }

    var policy: RetryPolicy {
        let s = sleeps
        return RetryPolicy(settings: HTTPSettings(), sleep: { s.add($0) })
    }

    func auth(_ s: ShipBobSettings? = nil) -> ShipBobAuth {
        ShipBobAuth(settings: s ?? settings, tenant: tenant, secrets: secrets, http: http, policy: policy)
    }

    func client(_ s: ShipBobSettings? = nil) -> ShipBobClient {
        ShipBobClient(settings: s ?? settings, auth: auth(s), http: http, policy: policy, logger: Logger(job: "test"))
    }

    var stored: OAuthTokens? { try? SealedFile<OAuthTokens>(path: tenant.token("shipbob-oauth"), key: secrets.key).load() }

    func testRotatedRefreshTokenIsPersistedAndShared() throws {
        let token = try auth().accessToken()
        let saved = try XCTUnwrap(stored)
        XCTAssertEqual(saved.accessToken, token)
        XCTAssertNotEqual(saved.refreshToken, firstRefreshToken, "the rotated refresh token must be saved")
        XCTAssertEqual(try auth().accessToken(), token, "another instance (another job) reuses the stored token")

        let renewed = try auth().renewal(rejected: token)
        XCTAssertNotEqual(renewed.token, token)
        XCTAssertTrue(renewed.granted)
        XCTAssertNotEqual(stored?.refreshToken, saved.refreshToken, "every refresh rotates again")
        let taken = try auth().renewal(rejected: token)
        XCTAssertEqual(taken.token, renewed.token, "a token already replaced is not refreshed twice")
        XCTAssertFalse(taken.granted, "the other job's token is taken, not granted to this one")
    }

    func testARefreshWithNoRoomToSaveItsAnswerSpendsNothing() throws {
        // RLIMIT_FSIZE as a full disk (FullDiskWritesTests): no file may grow past 1000 bytes.
        var old = rlimit(), tight = rlimit()
        getrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        tight = old
        tight.rlim_cur = 1000
        let oldHandler = signal(SIGXFSZ, SIG_IGN)
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &tight)
        XCTAssertThrowsError(try auth().accessToken()) { XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .ioError, "\($0)") }
        setrlimit(Int32(RLIMIT_FSIZE.rawValue), &old)
        signal(SIGXFSZ, oldHandler)
        XCTAssertNil(stored)
        XCTAssertFalse(try auth().accessToken().isEmpty, "the refresh token was never sent, so it still works")
    }

    func testDeadRefreshTokenTellsTheOperatorToAuthorizeAgain() throws {
        try secrets.set(SecretName.shipbobRefreshToken, value: "not-a-token")
        XCTAssertThrowsError(try auth().accessToken()) {
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .config)
            XCTAssertTrue("\($0)".contains("invalid_grant") && "\($0)".contains("ml-connector oauth"), "\($0)")
        }
    }

    func testATokenRefusedJustAfterItsRefreshIsRefreshedOnceMore() throws {
        let c = client()
        _ = try auth().accessToken()
        try fault(#"{"service":"shipbob","path_contains":"/channel","status":401,"count":2}"#)
        XCTAssertFalse(try c.channels().isEmpty, "two 401s in a row: two refreshes, then the call goes through")
    }

    func testThreeRefusalsInARowAskTheOperatorToAuthorizeAgain() throws {
        try fault(#"{"service":"shipbob","path_contains":"/channel","status":401,"count":3}"#)
        XCTAssertThrowsError(try client().channels()) {
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .config)
            XCTAssertTrue("\($0)".contains("ml-connector oauth shipbob --tenant demo"), "\($0)")
        }
    }

    private func fault(_ json: String) throws {
        let r = try http.send(HTTPRequest(.post, base + "/_control/faults", headers: [("Content-Type", "application/json")], body: Data(json.utf8)))
        XCTAssertEqual(r.status, 201)
    }

    func testOrderLookupAndPaging() throws {
        let c = client()
        let json = try XCTUnwrap(try c.order(id: 15949208))
        XCTAssertEqual(try ShipBobOrder(json: json).id, 15949208)
        XCTAssertNil(try c.order(id: 1))
        let all = try JSONValue.parse(try http.send(HTTPRequest(.get, base + "/_control/shipbob/orders")).body).array!.count
        XCTAssertGreaterThan(all, 2)
        let paged = try c.orders(query: [("Limit", "2")])
        XCTAssertEqual(paged.count, all)
        XCTAssertEqual(Set(paged.compactMap { $0["id"]?.int64 }).count, all)
        XCTAssertFalse(try c.channels().isEmpty)
    }

    func testTooManyRequestsWaitsAsToldAndSucceeds() throws {
        try fault(#"{"service":"shipbob","path_contains":"/channel","status":429,"retry_after":3,"count":2}"#)
        var pat = settings!
        pat.auth = .pat
        XCTAssertFalse(try client(pat).channels().isEmpty)
        XCTAssertEqual(sleeps.all, [3, 3], "x-retry-after replaces the jitter")
    }
}
