import Foundation
import XCTest

/// `ml-connector probe` against the sandbox: each assumption checked, differences named with
/// what to change, nothing written to any vendor, the result kept for `status`.
final class ProbeEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    func probe() throws -> (status: Int32, results: [String: [String: Any]]) {
        let r = try demo.job("ml-connector", ["probe", "--json"])
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let results = (doc["results"] as! [[String: Any]]).map { ("\($0["system"]!) \($0["check"]!)", $0) }
        return (r.status, Dictionary(uniqueKeysWithValues: results))
    }

    func editConfig(_ change: (inout [String: Any]) -> Void) throws {
        let path = demo.tenantDir + "/config.json"
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        change(&config)
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: path))
    }

    func testEveryCheckRunsAndNothingIsWrittenToAnyVendor() throws {
        _ = try demo.control("DELETE", "/_control/requests")
        let (_, results) = try probe()
        let ordersBefore = try demo.salesOrders().count
        let movementsBefore = (try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/InvMovements") as! [Any]).count
        for check in ["SYSPRO e.net logon", "SYSPRO e.net session reuse", "SYSPRO e.net invalid-session text",
                      "SYSPRO e.net server time zone", "SYSPRO e.net SORTOI validates", "SYSPRO e.net INVTMR validates",
                      "SYSPRO e.net INVTMA validates", "SYSPRO OData entity sets and columns",
                      "SYSPRO OData page size", "ShipBob token", "ShipBob mapped channels", "ShipBob mapped fulfillment centers",
                      "ShipBob receiving", "HubSpot token", "HubSpot token scopes", "HubSpot account time zone", "Twilio credentials", "Twilio sender"] {
            XCTAssertEqual(results[check]?["outcome"] as? String, "ok", "\(check): \(results[check] ?? [:])")
        }
        let log = try HTTP.json(demo.sandboxURL + "/_control/requests") as! [[String: Any]]
        let reads = ["/access-token-info"]  // HubSpot's token details are read with a POST
        XCTAssertEqual(log.filter { $0["method"] as? String != "GET" && !reads.contains(where: ($0["path"] as? String ?? "").hasSuffix) }.count, 0,
                       "probe wrote nothing")
        for post in log where (post["path"] as? String ?? "").lowercased().hasSuffix("/transaction/post") {
            let query = ((post["query"] as? String ?? "").removingPercentEncoding ?? "").replacingOccurrences(of: "+", with: " ")
            XCTAssertTrue(query.contains("<Process>VALIDATE</Process>") || query.contains("<ValidateOnly>Y</ValidateOnly>"), "posted for real: \(query.prefix(200))")
        }
        XCTAssertEqual(try demo.salesOrders().count, ordersBefore, "SYSPRO kept no sales order")
        XCTAssertEqual((try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/InvMovements") as! [Any]).count, movementsBefore, "nor a movement")
        XCTAssertTrue(try demo.job("ml-connector", ["status", "--tenant", "demo"]).stdout.contains("probe at "))
    }

    func testMappingsNamingWhatShipBobDoesNotHaveDifferWithWhatToChange() throws {
        try editConfig { config in
            var m = config["mappings"] as! [String: Any]
            var channels = m["channel_customers"] as! [String: String]; channels["99999"] = "0000100"; m["channel_customers"] = channels
            var centers = m["location_warehouses"] as! [String: String]; centers["4242"] = "FG"; m["location_warehouses"] = centers
            config["mappings"] = m
        }
        let (status, results) = try probe()
        XCTAssertEqual(status, 1, "something differs")
        let channels = try XCTUnwrap(results["ShipBob mapped channels"])
        XCTAssertEqual(channels["outcome"] as? String, "differs")
        XCTAssertTrue((channels["detail"] as? String ?? "").contains("99999"))
        XCTAssertTrue((channels["change"] as? String ?? "").contains("mappings.channel_customers"))
        XCTAssertEqual(results["ShipBob mapped fulfillment centers"]?["outcome"] as? String, "differs")
        let status2 = try demo.job("ml-connector", ["status", "--tenant", "demo"])
        XCTAssertTrue(status2.stdout.contains("differs: ShipBob mapped channels"), status2.stdout)
    }

    func testAServerPagingBelowTheConfiguredPageSizeDiffers() throws {
        demo.stop()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--odata-page-size", "7"])
        try editConfig { config in
            var s = config["syspro"] as! [String: Any]; s["odata_page_size"] = 1000; config["syspro"] = s
        }
        let (_, results) = try probe()
        let page = try XCTUnwrap(results["SYSPRO OData page size"])
        XCTAssertEqual(page["outcome"] as? String, "differs", "\(page)")
        XCTAssertEqual(page["change"] as? String, "syspro.odata_page_size = 7")
    }

    func testASubscriptionPostingElsewhereAndAMissingScopeDiffer() throws {
        let mine = "https://hooks.example.com/webhooks/demo/shipbob"
        XCTAssertEqual(try probe().results["ShipBob webhook subscriptions"]?["outcome"] as? String, "cannot check", "no webhook.public_url yet")
        try editConfig { config in config["webhook"] = ["public_url": mine] }
        let creds = try HTTP.json(demo.sandboxURL + "/_control/credentials") as! [String: Any]
        let pat = (creds["shipbob"] as! [String: Any])["pat"] as! String
        func subscribe(_ url: String, _ topics: [String]) throws {
            let r = try HTTP.request("POST", demo.sandboxURL + "/shipbob/2026-07/webhook",
                                     headers: ["authorization": "Bearer " + pat, "content-type": "application/json"],
                                     body: try JSONSerialization.data(withJSONObject: ["url": url, "topics": topics]))
            XCTAssertEqual(r.status, 201, r.text)
        }
        try subscribe("https://old-integration.example.com/shipbob", ["order.shipped"])
        var sub = try XCTUnwrap(try probe().results["ShipBob webhook subscriptions"])
        XCTAssertEqual(sub["outcome"] as? String, "differs")
        XCTAssertTrue((sub["detail"] as? String ?? "").contains("old-integration.example.com"), "\(sub)")

        try subscribe(mine, ["order.shipped", "order.shipment.delivered"])
        sub = try XCTUnwrap(try probe().results["ShipBob webhook subscriptions"])
        XCTAssertEqual(sub["outcome"] as? String, "differs")
        XCTAssertTrue((sub["detail"] as? String ?? "").contains("order.shipment.cancelled"), "\(sub)")

        _ = try demo.control("POST", "/_control/hubspot/scopes", ["scopes": ["crm.objects.companies.read", "crm.objects.companies.write",
                                                                            "crm.objects.contacts.read", "crm.objects.contacts.write"]])
        let scopes = try XCTUnwrap(try probe().results["HubSpot token scopes"])
        XCTAssertEqual(scopes["outcome"] as? String, "differs")
        XCTAssertTrue((scopes["detail"] as? String ?? "").contains("crm.schemas.companies.write"), "\(scopes)")
    }

    func testBinaryFiltersRefusedByTheStrictServerDifferAndAreStoredAsTheJobsMode() throws {
        let strict = try XCTUnwrap(try probe().results["SYSPRO OData binary filters"])
        XCTAssertEqual(strict["outcome"] as? String, "differs", "\(strict)")
        XCTAssertTrue(try String(contentsOfFile: demo.tenantDir + "/state/syspro-odata.json", encoding: .utf8).contains("keyed"))
        demo.stop()
        demo = try DemoTenant(webStack: false, sandboxArgs: ["--odata-binary-compare"])
        XCTAssertEqual(try probe().results["SYSPRO OData binary filters"]?["outcome"] as? String, "ok")
        XCTAssertTrue(try String(contentsOfFile: demo.tenantDir + "/state/syspro-odata.json", encoding: .utf8).contains("binary-compare"))
    }

    func testAColumnTheServerDoesNotHaveDiffersAndNamesTheSettingToChange() throws {
        try editConfig { config in
            var inventory = config["inventory"] as? [String: Any] ?? [:]; inventory["barcode_field"] = "UpcCode"; config["inventory"] = inventory
        }
        let columns = try XCTUnwrap(try probe().results["SYSPRO OData entity sets and columns"])
        XCTAssertEqual(columns["outcome"] as? String, "differs")
        XCTAssertTrue((columns["detail"] as? String ?? "").contains("InvMaster.UpcCode"), "\(columns)")
        XCTAssertTrue((columns["change"] as? String ?? "").contains("inventory.barcode_field"), "\(columns)")
    }
}
