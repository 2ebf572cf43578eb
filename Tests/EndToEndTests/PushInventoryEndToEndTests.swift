import Foundation
import XCTest

/// `push-shipbob-inventory` against the sandbox: SYSPRO stock codes kept as ShipBob
/// products, only differences sent, each accepted change recorded before the next.
final class PushInventoryEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    @discardableResult
    func run(_ job: String, _ args: [String] = [], expect status: Int32 = 0) throws -> CommandResult {
        let r = try demo.job(job, args)
        XCTAssertEqual(r.status, status, "\(job) \(args): \(r.stderr)")
        return r
    }

    func pushed(_ r: CommandResult) -> [[String: Any]] {
        r.stdout.split(separator: "\n").map { try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any] }
    }

    /// ShipBob requests since the log was last cleared, as "METHOD path".
    func shipBobCalls() throws -> [String] {
        (try HTTP.json(demo.sandboxURL + "/_control/requests?service=shipbob") as! [[String: Any]])
            .map { "\($0["method"] as! String) \($0["path"] as! String) \($0["status"] as! Int)" }
    }

    func clearLog() throws { _ = try demo.control("DELETE", "/_control/requests") }

    func variant(sku: String) throws -> [String: Any]? {
        let r = try HTTP.request("GET", demo.sandboxURL + "/shipbob/2026-07/product?sku=\(sku)",
                                 headers: ["authorization": "Bearer sandbox-pat-demo"])
        let page = try JSONSerialization.jsonObject(with: r.body) as! [String: Any]
        let products = page["items"] as! [[String: Any]]
        return products.flatMap { $0["variants"] as! [[String: Any]] }.first { $0["sku"] as? String == sku }
    }

    func syspro(_ table: String, _ rows: [[String: Any]]) throws {
        let r = try demo.control("POST", "/_control/syspro/tables/\(table)", rows)
        XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
    }

    func testANewStockCodeReachesShipBobOnceAndASecondRunSendsNothing() throws {
        try run("poll-syspro-inventory")
        XCTAssertNil(try variant(sku: "AC-SCARF-WOL"), "the seed's ShipBob never stocked the scarf")
        try clearLog()
        let first = pushed(try run("push-shipbob-inventory", ["--json"]))
        XCTAssertEqual(first.map { $0["stock_code"] as? String }, ["AC-SCARF-WOL"], "every other FG stock code exists in ShipBob already")
        XCTAssertEqual(first.first?["action"] as? String, "created")
        XCTAssertEqual(try shipBobCalls().filter { !$0.hasPrefix("GET") }, ["POST /shipbob/2026-07/product 201"])
        let made = try XCTUnwrap(try variant(sku: "AC-SCARF-WOL"))
        XCTAssertEqual(made["name"] as? String, "Wool Scarf Charcoal")
        XCTAssertEqual((made["customs"] as? [String: Any])?["value"] as? Double, 29.5)

        try clearLog()
        XCTAssertEqual(pushed(try run("push-shipbob-inventory", ["--json"])).count, 0)
        XCTAssertEqual(try shipBobCalls(), [], "nothing changed, so not one request")
    }

    func testAChangedNameAndPriceAreSentOnceAsAnUpdate() throws {
        try run("poll-syspro-inventory")
        try run("push-shipbob-inventory")
        try syspro("InvMaster", [["StockCode": "TS-WHT-M", "Description": "Classic Tee White M (organic)"]])
        try syspro("InvPrice", [["StockCode": "TS-WHT-M", "PriceCode": "A", "SellingPrice": 21.5]])
        try run("poll-syspro-inventory")
        try clearLog()
        let sent = pushed(try run("push-shipbob-inventory", ["--json"]))
        XCTAssertEqual(sent.map { "\($0["stock_code"]!) \($0["action"]!)" }, ["TS-WHT-M updated"])
        XCTAssertEqual(try shipBobCalls().map { $0.split(separator: " ").first! }, ["PATCH"])
        let v = try XCTUnwrap(try variant(sku: "TS-WHT-M"))
        XCTAssertEqual(v["name"] as? String, "Classic Tee White M (organic)")
        XCTAssertEqual((v["customs"] as? [String: Any])?["value"] as? Double, 21.5)
        try clearLog()
        try run("push-shipbob-inventory")
        XCTAssertEqual(try shipBobCalls(), [])
    }

    func testRateLimitsAndAnOutageMidPushConvergeWithNoExtraPushes() throws {
        try run("poll-syspro-inventory")
        try run("push-shipbob-inventory")
        let codes = ["HD-GRY-L", "HD-GRY-M", "JN-SLM-IND-32"]  // the order they are pushed in
        try syspro("InvMaster", codes.map { ["StockCode": $0, "Description": "Renamed \($0)"] })
        try run("poll-syspro-inventory")
        let productOfSecond = try productId(sku: codes[1])
        try clearLog()
        // Two 429s for every product write, then the second product's endpoint is down for
        // longer than the retries last: the first is sent, the run stops at the second.
        _ = try demo.control("POST", "/_control/faults", [
            ["service": "shipbob", "path_contains": "/product/", "status": 429, "count": 2, "retry_after": 1],
            ["service": "shipbob", "path_contains": "/product/\(productOfSecond)", "status": 503, "count": 20, "retry_after": 0],
        ])
        let failed = try demo.job("push-shipbob-inventory", ["--json"])
        XCTAssertNotEqual(failed.status, 0, "the outage outlasted the retries")
        XCTAssertEqual(pushed(failed).map { $0["stock_code"] as? String }, [codes[0]], "the first product went through before the outage")
        _ = try demo.control("DELETE", "/_control/faults")
        let rest = pushed(try run("push-shipbob-inventory", ["--json"]))
        XCTAssertEqual(rest.map { $0["stock_code"] as? String }, [codes[1], codes[2]], "only what is still different is sent")
        let accepted = try shipBobCalls().filter { $0.hasPrefix("PATCH") && $0.hasSuffix(" 200") }
        XCTAssertEqual(accepted.count, 3, "one accepted write per changed stock code: \(accepted)")
        for code in codes { XCTAssertEqual(try variant(sku: code)?["name"] as? String, "Renamed \(code)") }
        try clearLog()
        try run("push-shipbob-inventory")
        XCTAssertEqual(try shipBobCalls(), [])
    }

    func testThePollPipedIntoThePushSendsWhatChanged() throws {
        try run("poll-syspro-inventory")
        try run("push-shipbob-inventory")
        try syspro("InvPrice", [["StockCode": "DR-WRP-NAV-M", "PriceCode": "A", "SellingPrice": 99.0]])
        try clearLog()
        let bin = Products.directory
        let r = try runProgram("/bin/sh", ["-c", "'\(bin)/poll-syspro-inventory' | '\(bin)/push-shipbob-inventory' --stdin --json"], env: demo.env)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(pushed(r).map { $0["stock_code"] as? String }, ["DR-WRP-NAV-M"])
        XCTAssertEqual((try variant(sku: "DR-WRP-NAV-M")?["customs"] as? [String: Any])?["value"] as? Double, 99.0)
    }

    func testAPipelineThatNamesNoStockCodeAsksShipBobNothing() throws {
        try run("poll-syspro-inventory")
        try clearLog()
        // Not even the catalogue, which a first push would otherwise learn.
        let piped = try runProgram(Products.path("push-shipbob-inventory"), ["--stdin", "--json"], env: demo.env, stdin: "")
        XCTAssertEqual(piped.status, 0, piped.stderr)
        XCTAssertEqual(piped.stdout, "")
        XCTAssertEqual(try shipBobCalls(), [])
    }

    func testABadStdinLineIsNamedAfterTheGoodOnesArePushed() throws {
        try run("poll-syspro-inventory")
        try run("push-shipbob-inventory")
        try syspro("InvMaster", [["StockCode": "TS-WHT-L", "Description": "Tee L"]])
        try run("poll-syspro-inventory")
        let piped = try runProgram(Products.path("push-shipbob-inventory"), ["--stdin", "--json"], env: demo.env,
                                   stdin: "not json\n{\"stock_code\":\"TS-WHT-L\"}\n")
        XCTAssertEqual(piped.status, 65)
        XCTAssertTrue(piped.stderr.contains("stdin line 1"), piped.stderr)
        XCTAssertEqual(pushed(piped).map { $0["stock_code"] as? String }, ["TS-WHT-L"])
    }

    private func productId(sku: String) throws -> Int {
        let r = try HTTP.request("GET", demo.sandboxURL + "/shipbob/2026-07/product?sku=\(sku)",
                                 headers: ["authorization": "Bearer sandbox-pat-demo"])
        let page = try JSONSerialization.jsonObject(with: r.body) as! [String: Any]
        return (page["items"] as! [[String: Any]]).first!["id"] as! Int
    }
}
