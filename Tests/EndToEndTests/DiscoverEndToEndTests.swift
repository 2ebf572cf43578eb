import Foundation
import XCTest

/// `ml-connector discover` against the sandbox: it proposes the demo tenant's own mappings from
/// the data alone, names what it leaves to a person, writes to no vendor, and `--apply` writes
/// only a config that passes `config check`.
final class DiscoverEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    var configPath: String { demo.tenantDir + "/config.json" }

    func mappings() throws -> [String: [String: String]] {
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as! [String: Any]
        return config["mappings"] as! [String: [String: String]]
    }

    func setMappings(_ m: [String: [String: String]]) throws {
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: configPath))) as! [String: Any]
        config["mappings"] = m
        try JSONSerialization.data(withJSONObject: config).write(to: URL(fileURLWithPath: configPath))
    }

    func discover(_ args: [String] = []) throws -> [String: Any] {
        let r = try demo.job("ml-connector", ["discover", "--json"] + args)
        XCTAssertEqual(r.status, 0, r.stderr)
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
    }

    func pairs(_ list: Any?) -> [String: String] {
        Dictionary(uniqueKeysWithValues: (list as? [[String: Any]] ?? []).map { ($0["key"] as! String, $0["value"] as! String) })
    }

    func testFromNoMappingsItProposesTheDemosOwnAndLeavesChannelsToAPerson() throws {
        let demoMappings = try mappings()
        try setMappings(["channel_customers": [:], "sku_stock_codes": [:], "location_warehouses": [:]])
        _ = try demo.control("DELETE", "/_control/requests")
        let report = try discover()
        let proposed = report["proposed"] as! [String: Any]
        XCTAssertEqual(pairs(proposed["sku_stock_codes"]), demoMappings["sku_stock_codes"])
        XCTAssertEqual(pairs(proposed["location_warehouses"]), demoMappings["location_warehouses"])
        let unmapped = report["unmapped"] as! [String: [[String: Any]]]
        let channels = Dictionary(uniqueKeysWithValues: unmapped["channels"]!.map { ($0["key"] as! String, $0["candidates"] as! [String]) })
        XCTAssertEqual(Set(channels.keys), ["55176", "55177", "55178"])
        for (channel, customer) in demoMappings["channel_customers"]! {
            XCTAssertEqual(channels[channel]?.first, customer, "the demo's customer is the first candidate for \(channel)")
        }
        XCTAssertTrue(unmapped["skus"]!.contains { $0["key"] as? String == "MUG-LOGO-11OZ" }, "a ShipBob-only product is named")
        let log = try HTTP.json(demo.sandboxURL + "/_control/requests") as! [[String: Any]]
        XCTAssertFalse(log.isEmpty)
        XCTAssertEqual(log.filter { $0["method"] as? String != "GET" }.count, 0, "discover wrote nothing: \(log)")
        XCTAssertEqual(try mappings()["location_warehouses"], [:], "nothing applied without --apply")
    }

    func testWithTheDemosMappingsItNamesTheUnmappedChannel55178() throws {
        let r = try demo.job("ml-connector", ["discover"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("channel 55178 Pop-up Store POS"), r.stdout)
        XCTAssertFalse(r.stdout.contains("proposed mappings"), "everything else is mapped already: \(r.stdout)")
    }

    func testApplyWritesTheProposalKeepingWhatAPersonMappedAndTheConfigStillChecks() throws {
        try setMappings(["channel_customers": ["55176": "0000100"], "sku_stock_codes": [:], "location_warehouses": ["10": "FG"]])
        _ = try discover(["--apply"])
        let applied = try mappings()
        XCTAssertEqual(applied["location_warehouses"], ["10": "FG", "17": "DA", "28": "NY"], "a person's mapping wins over a guess")
        XCTAssertEqual(applied["sku_stock_codes"], ["TShirtBlueM": "TS-BLU-M"])
        XCTAssertEqual(applied["channel_customers"], ["55176": "0000100"])
        XCTAssertEqual(try demo.job("ml-connector", ["config", "check"]).status, 0)
        let again = try discover()
        XCTAssertEqual(pairs((again["proposed"] as! [String: Any])["location_warehouses"]), [:])
    }
}
