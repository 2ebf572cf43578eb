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
        let notesBefore = (try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/MdnMaster") as! [Any]).count
        for check in ["SYSPRO e.net logon", "SYSPRO e.net session reuse", "SYSPRO e.net invalid-session text",
                      "SYSPRO e.net server time zone", "SYSPRO e.net SORTOI validates", "SYSPRO e.net INVTMR validates",
                      "SYSPRO e.net INVTMA validates", "SYSPRO e.net SORTDN validates", "SYSPRO OData entity sets and columns",
                      "SYSPRO OData page size", "ShipBob token", "ShipBob token scopes", "ShipBob mapped channels", "ShipBob mapped fulfillment centers",
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
        let posts = log.filter { ($0["path"] as? String ?? "").lowercased().hasSuffix("/transaction/post") }
        XCTAssertTrue(posts.contains { ($0["query"] as? String ?? "").contains("SORTDN") }, "a dispatch note was validated")
        XCTAssertTrue((results["SYSPRO e.net SORTDN validates"]?["detail"] as? String ?? "").contains("sales order 0155"), "built from a seeded open order")
        XCTAssertEqual((try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/MdnMaster") as! [Any]).count, notesBefore, "nor a dispatch note")
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

    func testAShipBobScopeTheJobsNeedMissingFromTheTokenDiffersAndShipBobRefusesItsCalls() throws {
        let granted = ["orders_read", "orders_write", "products_read", "inventory_read", "receiving_read",
                       "webhooks_read", "webhooks_write", "channels_read", "locations_read"]
        _ = try demo.control("POST", "/_control/shipbob/scopes", ["scopes": granted])
        let (status, results) = try probe()
        XCTAssertEqual(status, 1, "something differs")
        let scopes = try XCTUnwrap(results["ShipBob token scopes"])
        XCTAssertEqual(scopes["outcome"] as? String, "differs", "\(scopes)")
        let detail = scopes["detail"] as? String ?? ""
        XCTAssertTrue(detail.contains("products_write (push-shipbob-inventory)"), detail)
        XCTAssertTrue(detail.contains("receiving_write (shipbob-to-syspro)"), detail)
        XCTAssertTrue(detail.contains("channel 55176"), "read from the token's own channel: \(detail)")
        XCTAssertTrue((scopes["change"] as? String ?? "").contains("shipbob_pat"), "\(scopes)")
        for check in ["ShipBob token", "ShipBob mapped fulfillment centers", "ShipBob receiving", "ShipBob webhook subscriptions"] {
            XCTAssertNotEqual(results[check]?["outcome"] as? String, "differs", "the reads the probe makes are still granted: \(check)")
        }

        let creds = try HTTP.json(demo.sandboxURL + "/_control/credentials") as! [String: Any]
        let pat = (creds["shipbob"] as! [String: Any])["pat"] as! String
        let refused = try HTTP.request("POST", demo.sandboxURL + "/shipbob/2026-07/receiving:setExternalSync",
                                       headers: ["authorization": "Bearer " + pat, "content-type": "application/json"],
                                       body: Data(#"{"ids": [1], "is_external_sync": true}"#.utf8))
        XCTAssertEqual(refused.status, 403, refused.text)
        XCTAssertTrue(refused.text.contains("receiving_write"), refused.text)

        try editConfig { config in var sb = config["shipbob"] as! [String: Any]; sb["channel_id"] = 99999; config["shipbob"] = sb }
        let unknown = try XCTUnwrap(try probe().results["ShipBob token scopes"])
        XCTAssertEqual(unknown["outcome"] as? String, "differs", "\(unknown)")
        XCTAssertTrue((unknown["change"] as? String ?? "").contains("shipbob.channel_id"), "\(unknown)")
        try editConfig { config in var sb = config["shipbob"] as! [String: Any]; sb.removeValue(forKey: "channel_id"); config["shipbob"] = sb }
        XCTAssertEqual(try probe().results["ShipBob token scopes"]?["outcome"] as? String, "cannot check", "the token's channel is unknown")

        _ = try demo.control("POST", "/_control/shipbob/scopes", ["scopes": granted.filter { $0 != "channels_read" }])
        let blind = try XCTUnwrap(try probe().results["ShipBob token scopes"])
        XCTAssertEqual(blind["outcome"] as? String, "differs", "\(blind)")
        XCTAssertTrue((blind["detail"] as? String ?? "").contains("lacks channels_read"), "\(blind)")
    }

    func testATwilioSenderThatCannotSendSMSDiffers() throws {
        let creds = (try HTTP.json(demo.sandboxURL + "/_control/credentials") as! [String: Any])["twilio"] as! [String: Any]
        let from = creds["from"] as! String, service = creds["messaging_service_sid"] as! String
        func sender() throws -> [String: Any] { try XCTUnwrap(try probe().results["Twilio sender"]) }

        _ = try demo.control("POST", "/_control/twilio/numbers", ["sms_incapable": [from]])
        var result = try sender()
        XCTAssertEqual(result["outcome"] as? String, "differs", "\(result)")
        XCTAssertTrue((result["detail"] as? String ?? "").contains("cannot send SMS"), "\(result)")
        XCTAssertTrue((result["change"] as? String ?? "").contains("twilio.from"), "\(result)")

        try editConfig { config in var t = config["twilio"] as! [String: Any]; t["from"] = "+13125550142"; config["twilio"] = t }
        result = try sender()
        XCTAssertEqual(result["outcome"] as? String, "differs", "\(result)")
        XCTAssertTrue((result["detail"] as? String ?? "").contains("+13125550142 is not a number of account"), "\(result)")

        try editConfig { config in var t = config["twilio"] as! [String: Any]; t["messaging_service_sid"] = service; config["twilio"] = t }
        result = try sender()
        XCTAssertEqual(result["outcome"] as? String, "differs", "the service's one number cannot send SMS: \(result)")
        XCTAssertTrue((result["detail"] as? String ?? "").contains("no number of Messaging Service"), "\(result)")
        _ = try demo.control("POST", "/_control/twilio/numbers", ["sms_incapable": [String]()])
        result = try sender()
        XCTAssertEqual(result["outcome"] as? String, "ok", "\(result)")
        XCTAssertTrue((result["detail"] as? String ?? "").contains(service), "\(result)")

        let log = try HTTP.json(demo.sandboxURL + "/_control/requests?service=twilio") as! [[String: Any]]
        XCTAssertTrue(log.contains { ($0["path"] as? String ?? "").hasSuffix("/IncomingPhoneNumbers.json") }, "the number was read")
        XCTAssertTrue(log.contains { ($0["path"] as? String ?? "").hasSuffix("/PhoneNumbers") }, "the service's pool was read")
        XCTAssertFalse(log.contains { $0["method"] as? String != "GET" }, "the probe sent no message")
    }

    func testWithOAuthTheScopesOfTheTokenAnswerAreChecked() throws {
        _ = try demo.control("POST", "/_control/shipbob/scopes", ["scopes": ["orders_read", "products_read", "inventory_read", "receiving_read",
                                                                            "receiving_write", "webhooks_read", "channels_read", "locations_read"]])
        try demo.authorizeShipBob()
        try editConfig { config in
            var sb = config["shipbob"] as! [String: Any]; sb["auth"] = "oauth"; sb.removeValue(forKey: "channel_id"); config["shipbob"] = sb
        }
        let scopes = try XCTUnwrap(try probe().results["ShipBob token scopes"])
        XCTAssertEqual(scopes["outcome"] as? String, "differs", "\(scopes)")
        XCTAssertTrue((scopes["detail"] as? String ?? "").contains("per the OAuth token answer the token lacks products_write (push-shipbob-inventory)"), "\(scopes)")
        XCTAssertTrue((scopes["change"] as? String ?? "").contains("ml-connector oauth shipbob"), "\(scopes)")
    }

    func testWithoutAnOpenSalesOrderSORTDNCannotBeChecked() throws {
        let open = (try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/SorMaster") as! [[String: Any]])
            .filter { ["1", "2", "3", "4"].contains($0["OrderStatus"] as? String ?? "") }
        XCTAssertFalse(open.isEmpty, "the demo has open orders")
        _ = try demo.control("POST", "/_control/syspro/tables/SorMaster", open.map { ["SalesOrder": $0["SalesOrder"]!, "OrderStatus": "9"] })
        let dispatch = try XCTUnwrap(try probe().results["SYSPRO e.net SORTDN validates"])
        XCTAssertEqual(dispatch["outcome"] as? String, "cannot check", "\(dispatch)")
        XCTAssertTrue((dispatch["detail"] as? String ?? "").contains("no open sales order"), "\(dispatch)")
    }
}
