import ConnectorKit
import ENetXML
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Sandbox
import WebhookCore
import XCTest

final class SandboxControlTests: SandboxTestCase {
    func testShipBob429FaultCarriesRetryAfterHeadersAndIsConsumed() async throws {
        let add = try await postJSON("/_control/faults", #"{"service":"shipbob","path_contains":"/order","status":429,"count":1,"retry_after":7}"#)
        XCTAssertEqual(add.status, 201)
        let hit = try await get("/shipbob/2026-07/order", headers: pat)
        XCTAssertEqual(hit.status, 429)
        XCTAssertEqual(hit.header("x-retry-after"), "7")
        XCTAssertEqual(hit.header("retry-after"), "7")
        let channel = try await get("/shipbob/2026-07/channel", headers: pat)
        XCTAssertEqual(channel.status, 200, "path_contains limits the rule")
        let after = try await get("/shipbob/2026-07/order", headers: pat)
        XCTAssertEqual(after.status, 200, "count 1 is used up")
    }

    func test429WithoutRetryHeaderSaysNothingAboutWhenToComeBack() async throws {
        _ = try await postJSON("/_control/faults", #"[{"service":"shipbob","status":429,"retry_header":false},{"service":"odata","status":503,"retry_header":false}]"#)
        let shipbob = try await get("/shipbob/2026-07/order", headers: pat)
        XCTAssertEqual(shipbob.status, 429)
        XCTAssertNil(shipbob.header("x-retry-after"))
        XCTAssertNil(shipbob.header("retry-after"))
        XCTAssertEqual(shipbob.header("x-remaining-calls"), "0")
        let odata = try await odata("InvMaster")
        XCTAssertEqual(odata.status, 503)
        XCTAssertNil(odata.header("retry-after"))
    }

    func testDropClosesTheConnectionWithoutAnAnswerAndCommitsOnlyWhenAfterCommit() async throws {
        _ = try await postJSON("/_control/faults", #"{"service":"shipbob","path_contains":"/channel","drop":true}"#)
        let before = try rawExchange("GET", "/shipbob/2026-07/channel", headers: ["Authorization: Bearer sandbox-pat-demo"])
        XCTAssertEqual(before, "", "not a byte of answer")
        let next = try await get("/shipbob/2026-07/channel", headers: pat)
        XCTAssertEqual(next.status, 200, "count 1 is used up")

        let id = try await logon()
        _ = try await postJSON("/_control/faults", #"{"service":"syspro","path_contains":"Transaction/Post","drop":true,"delay_after_commit":true}"#)
        let xml = salesOrderXML(po: "SB-DROPPED", lines: [("TS-WHT-L", "FG", "1")])
        let query = SandboxTestCase.encode([("UserId", id), ("BusinessObject", "SORTOI"), ("XmlIn", xml)])
        let after = try rawExchange("GET", rest + "/Transaction/Post?" + query)
        XCTAssertEqual(after, "")
        let orders = try await get("/_control/syspro/sales-orders").json.array!
        XCTAssertTrue(orders.contains { $0["CustomerPoNumber"]?.string == "SB-DROPPED" }, "committed, then dropped")
        let log = try await get("/_control/requests", [("service", "syspro")]).json.array!
        XCTAssertEqual(log.last?["status"]?.int64, 0, "the log shows no status for a dropped answer")

        let both = try await postJSON("/_control/faults", #"{"service":"syspro","drop":true,"status":500}"#)
        XCTAssertEqual(both.status, 400)
    }

    func testDelayAfterCommitCommitsTheOrderBeforeTheAnswerLeaves() async throws {
        let id = try await logon()
        _ = try await postJSON("/_control/faults", #"{"service":"syspro","path_contains":"Transaction/Post","delay_ms":1500,"delay_after_commit":true}"#)
        let xml = salesOrderXML(po: "SB-CRASH", lines: [("TS-WHT-L", "FG", "1")])
        let url = URL(string: base + rest + "/Transaction/Post?"
            + SandboxTestCase.encode([("UserId", id), ("BusinessObject", "SORTOI"), ("XmlIn", xml)]))!
        let answer = Task { try await URLSession.shared.data(from: url).0 }
        try await Task.sleep(for: .milliseconds(500))
        // A client killed now would never see the answer, yet SYSPRO already has the order.
        let orders = try await get("/_control/syspro/sales-orders").json.array!
        XCTAssertTrue(orders.contains { $0["CustomerPoNumber"]?.string == "SB-CRASH" })
        let late = try await answer.value
        XCTAssertEqual(try XML.parse(late).value("SalesOrder"), "015562")
    }

    func testExpireSessionFaultAndExpireAllEndSessions() async throws {
        let id = try await logon()
        _ = try await postJSON("/_control/faults", #"{"service":"syspro","path_contains":"Transaction/Post","expire_session":true}"#)
        let r = try await post(id, "SORTOI", xmlIn: salesOrderXML(po: "X", lines: [("TS-WHT-L", "FG", "1")]))
        XCTAssertEqual(r.text, "ERROR: The supplied UserID is invalid.")
        let again = try await logon()
        _ = try await request("POST", "/_control/syspro/expire-sessions")
        let profile = try await get(rest + "/GetLogonProfile", [("UserId", again)])
        XCTAssertEqual(profile.text, "ERROR: The supplied UserID is invalid.")
    }

    func testFaultsClearAndBadFaultIs400() async throws {
        let bad = try await postJSON("/_control/faults", #"{"service":"mail","status":500}"#)
        XCTAssertEqual(bad.status, 400)
        _ = try await postJSON("/_control/faults", #"{"service":"odata","status":503,"count":5}"#)
        let failing = try await odata("InvMaster")
        XCTAssertEqual(failing.status, 503)
        XCTAssertNotNil(failing.json["error"]?["message"])
        _ = try await request("DELETE", "/_control/faults")
        let cleared = try await odata("InvMaster")
        XCTAssertEqual(cleared.status, 200)
    }

    func testRequestLogRecordsEverySimulatorCallAndClears() async throws {
        _ = try await logon()
        _ = try await get("/shipbob/2026-07/channel")
        let log = try await get("/_control/requests").json.array!
        XCTAssertEqual(log.count, 2)
        XCTAssertEqual(log[0]["service"]?.string, "syspro")
        XCTAssertEqual(log[0]["method"]?.string, "GET")
        XCTAssertEqual(log[0]["path"]?.string, rest + "/Logon")
        XCTAssertTrue(log[0]["query"]!.string!.contains("Operator=ADMIN"))
        XCTAssertEqual(log[1]["status"]?.int64, 401)
        let shipbobOnly = try await get("/_control/requests", [("service", "shipbob")]).json.array!
        XCTAssertEqual(shipbobOnly.count, 1)
        _ = try await request("DELETE", "/_control/requests")
        let emptied = try await get("/_control/requests")
        XCTAssertEqual(emptied.json.array?.count, 0)
    }

    func testCreatedShipBobOrderIsServedAndResetRestoresTheSeed() async throws {
        let made = try await postJSON("/_control/shipbob/orders", #"{"reference_id":"T-1","products":[{"sku":"MUG-LOGO-11OZ","quantity":1}]}"#)
        XCTAssertEqual(made.status, 201)
        let id = made.json["id"]!.int64!
        XCTAssertEqual(made.json["shipments"]?.array?.first?["products"]?.array?.first?["sku"]?.string, "MUG-LOGO-11OZ")
        let served = try await get("/shipbob/2026-07/order/\(id)", headers: pat)
        XCTAssertEqual(served.json["reference_id"]?.string, "T-1")
        let stored = try await get("/_control/shipbob/orders/\(id)")
        XCTAssertEqual(stored.status, 200)
        _ = try await request("POST", "/_control/reset")
        let afterReset = try await get("/_control/shipbob/orders/\(id)")
        XCTAssertEqual(afterReset.status, 404)
    }

    func testCredentialsListEverythingInitNeeds() async throws {
        let c = try await get("/_control/credentials").json
        XCTAssertEqual(c["syspro"]?["operator"]?.string, "ADMIN")
        XCTAssertEqual(c["syspro"]?["company_id"]?.string, "FASHION")
        XCTAssertEqual(c["syspro"]?["odata_user"]?.string, "odata")
        XCTAssertEqual(c["shipbob"]?["client_id"]?.string, "sandbox-client")
        XCTAssertEqual(c["shipbob"]?["channel_id"]?.int64, 55176)
        XCTAssertNoThrow(try StandardWebhooks(secret: c["webhook_secret"]!.string!))
    }
}

final class SandboxWebhookTests: XCTestCase {
    func testDatedTopicIsSignedAndNamedInXWebhookTopic() throws {
        let secret = "whsec_" + Data(repeating: 7, count: 24).base64EncodedString()
        let order = try XCTUnwrap(ShipBobWebhook.seedOrder(id: ShipBobWebhook.defaultOrderId))
        let body = Array(try JSON.encode(ShipBobWebhook.payload(topic: "order.shipped", order: order, shipmentId: nil)!))
        let hook = try ShipBobWebhook(topic: "order.shipped", body: body, secret: secret, id: "msg_1", timestamp: 1_800_000_000)
        let h = Dictionary(hook.headers, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(h["x-webhook-topic"], "order.shipped")
        XCTAssertNil(h["shipbob-topic"])
        XCTAssertNoThrow(try StandardWebhooks(secret: secret).verify(id: h["webhook-id"], timestamp: h["webhook-timestamp"],
                                                                      signature: h["webhook-signature"], body: body, now: 1_800_000_010))
    }

    func testLegacyShipmentTopicCarriesTheShipmentAndLegacyHeaders() throws {
        let order = try XCTUnwrap(ShipBobWebhook.seedOrder(id: 15949212))
        let second = ShipBobWebhook.payload(topic: "shipment_delivered", order: order, shipmentId: 101199723)
        XCTAssertEqual(second?["id"]?.int64, 101199723)
        XCTAssertEqual(ShipBobWebhook.payload(topic: "order.shipment.delivered", order: order, shipmentId: nil)?["id"]?.int64, 101199722)
        let hook = try ShipBobWebhook(topic: "shipment_delivered", body: [], secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let h = Dictionary(hook.headers, uniquingKeysWith: { a, _ in a })
        XCTAssertEqual(h["shipbob-topic"], "shipment_delivered")
        XCTAssertEqual(h["shipbob-subscription-id"], "1582")
        XCTAssertTrue(h["webhook-id"]!.hasPrefix("msg_"))
    }
}
