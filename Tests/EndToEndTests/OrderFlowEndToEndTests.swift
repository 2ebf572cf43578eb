import Foundation
import XCTest

/// Signed webhooks through nginx + fcgiwrap, then `shipbob-to-syspro`, against the
/// sandbox: one SYSPRO sales order per ShipBob order, whatever arrives twice or out of order.
final class OrderFlowEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant() }
    override func tearDown() { demo?.stop() }

    func ordersByPo() throws -> [String: [[String: Any]]] {
        Dictionary(grouping: try demo.salesOrders()) { ($0["CustomerPoNumber"] as? String ?? "").trimmingCharacters(in: .whitespaces) }
    }

    func stockCodes(_ order: [String: Any]) -> [String] {
        ((order["lines"] as? [[String: Any]]) ?? []).compactMap { ($0["MStockCode"] as? String)?.trimmingCharacters(in: .whitespaces) }.sorted()
    }

    func testDuplicatedAndShuffledEventsMakeExactlyOneSalesOrderPerShipBobOrder() throws {
        let before = try demo.salesOrders().count
        // Both topic generations, redeliveries (same webhook id) and several events per order.
        var events: [(String, Int64, String?)] = [
            ("order_shipped", 15949208, "msg_a1"), ("order_shipped", 15949208, "msg_a1"),
            ("order.shipped", 15949208, nil), ("shipment_delivered", 15948959, nil),
            ("order.shipped", 15948959, "msg_b1"), ("order.shipment.on_hold", 15947699, nil),
            ("shipment_onhold", 15947699, nil), ("order.shipped", 15949214, nil), ("order.shipment.delivered", 15949214, nil),
        ]
        events.shuffle()
        for (topic, order, id) in events {
            let r = try demo.emit(topic, orderID: order, webhookID: id)
            XCTAssertEqual(r.status, 0, "\(topic) \(order): \(r.stdout) \(r.stderr)")
        }
        let first = try demo.job("shipbob-to-syspro")
        XCTAssertEqual(first.status, 0, first.stderr)
        let second = try demo.job("shipbob-to-syspro")
        XCTAssertEqual(second.status, 0, second.stderr)

        let byPo = try ordersByPo()
        for id in [15949208, 15948959, 15947699, 15949214] {
            XCTAssertEqual(byPo["SB\(id)"]?.count, 1, "exactly one sales order for ShipBob order \(id)")
        }
        XCTAssertEqual(try demo.salesOrders().count, before + 4)
        XCTAssertEqual((byPo["SB15949208"]?.first?["Customer"] as? String)?.trimmingCharacters(in: .whitespaces), "0000100")
        XCTAssertEqual((byPo["SB15949214"]?.first?["Customer"] as? String)?.trimmingCharacters(in: .whitespaces), "0000101")
        XCTAssertEqual(stockCodes(byPo["SB15949208"]!.first!), ["TS-BLU-M"], "SKU TShirtBlueM mapped by config")
        XCTAssertEqual(stockCodes(byPo["SB15948959"]!.first!), ["JN-SLM-IND-32", "TS-WHT-M"])
        XCTAssertEqual(demo.files("spool/shipbob/new"), [])
        XCTAssertEqual(demo.files("spool/shipbob/failed"), [])
        XCTAssertEqual(demo.files("attention"), [])

        // Emitting everything again later changes nothing in SYSPRO.
        for (topic, order, _) in events { try demo.emit(topic, orderID: order) }
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertEqual(try demo.salesOrders().count, before + 4)
    }

    func testUnmappedChannelGoesToAttentionAndReplayPostsItOnceFixed() throws {
        XCTAssertEqual(try demo.emit("order.shipped", orderID: 15949217, webhookID: "msg_pos").status, 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertNil(try ordersByPo()["SB15949217"])
        XCTAssertEqual(demo.files("attention"), ["shipbob-msg_pos.json"])
        let item = try String(contentsOfFile: demo.tenantDir + "/attention/shipbob-msg_pos.json", encoding: .utf8)
        XCTAssertTrue(item.contains("55178") && item.contains("mappings.channel_customers"), item)

        // Running again does not retry it by itself, nor duplicate the attention item.
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertEqual(demo.files("attention"), ["shipbob-msg_pos.json"])

        try demo.editConfig { config in
            var mappings = config["mappings"] as! [String: Any]
            var channels = mappings["channel_customers"] as! [String: String]
            channels["55178"] = "0000100"
            mappings["channel_customers"] = channels
            config["mappings"] = mappings
        }
        let replay = try demo.job("ml-connector", ["replay", "--attention", "--source", "shipbob"])
        XCTAssertEqual(replay.status, 0, replay.stderr)
        XCTAssertTrue(replay.stdout.contains("requeued shipbob msg_pos"))
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertEqual(try ordersByPo()["SB15949217"]?.count, 1)
        XCTAssertEqual(demo.files("attention"), [])
    }

    func testUnknownSkuGoesToAttentionNamingTheSku() throws {
        XCTAssertEqual(try demo.emit("order_shipped", orderID: 15949213, webhookID: "msg_mug").status, 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertNil(try ordersByPo()["SB15949213"])
        let item = try String(contentsOfFile: demo.tenantDir + "/attention/shipbob-msg_mug.json", encoding: .utf8)
        XCTAssertTrue(item.contains("not a SYSPRO stock code"), item)
        XCTAssertEqual(demo.files("spool/shipbob/failed").filter { !$0.hasPrefix(".") }, ["msg_mug"])
    }

    func testShipmentOnlyEventFetchesTheOrderFromShipBob() throws {
        XCTAssertEqual(try demo.emit("shipment_delivered", orderID: 15948959).status, 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertEqual(try ordersByPo()["SB15948959"]?.count, 1)
        let log = try demo.control("GET", "/_control/requests")
        XCTAssertTrue(log.text.contains("/order/15948959"), "the order was fetched from ShipBob")
    }

    func testSysproOutageLeavesEventsQueuedAndExits69() throws {
        XCTAssertEqual(try demo.emit("order.shipped", orderID: 15949208).status, 0)
        _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "Logon", "status": 503, "count": 100])
        let r = try demo.job("shipbob-to-syspro")
        XCTAssertEqual(r.status, 69, r.stderr)
        XCTAssertEqual(demo.files("spool/shipbob/new").count, 1, "the event waits for the next run")
        _ = try demo.control("DELETE", "/_control/faults")
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        XCTAssertEqual(try ordersByPo()["SB15949208"]?.count, 1)
    }

    func testAnotherRunHoldingTheLockMakesTheJobExit75() throws {
        let lockPath = demo.tenantDir + "/locks/shipbob-to-syspro.lock"
        FileManager.default.createFile(atPath: lockPath, contents: nil)
        let fd = open(lockPath, O_RDWR)
        defer { close(fd) }
        XCTAssertEqual(flock(fd, LOCK_EX | LOCK_NB), 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 75)
    }
}
