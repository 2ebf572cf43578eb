import ConnectorKit
import Foundation
import Sandbox
import XCTest

final class SandboxShipBobTests: SandboxTestCase {
    /// Every paging header on, to pin their values (the default sends none).
    override var options: SandboxOptions { SandboxOptions(accessTokenLifetime: 2, rateLimit: 5, shipBob: ShipBobSwitches(pagingHeaders: .all)) }

    let api = "/shipbob/2026-07"

    func refresh(_ token: String) async throws -> HTTPResult {
        try await request("POST", "/shipbob/connect/token", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                          body: Data(SandboxTestCase.encode([("grant_type", "refresh_token"), ("client_id", "sandbox-client"),
                                                             ("client_secret", "sandbox-client-secret"), ("refresh_token", token)]).utf8))
    }

    func testMissingOrUnknownBearerIs401AndRetiredVersionsAre410() async throws {
        let none = try await get(api + "/channel")
        XCTAssertEqual(none.status, 401)
        let bogus = try await get(api + "/channel", headers: ["Authorization": "Bearer nope"])
        XCTAssertEqual(bogus.status, 401)
        let old = try await get("/shipbob/1.0/order", headers: pat)
        XCTAssertEqual(old.status, 410)
        XCTAssertTrue(old.json["message"]!.string!.contains("2026-07-31"))
        let channels = try await get(api + "/channel", headers: pat)
        XCTAssertEqual(channels.json["items"]?.array?.compactMap { $0["id"]?.int64 }, [55176, 55177, 55178])
    }

    /// docs/vendors/shipbob.md, "Token scopes": a call needing a scope not granted is 403 with
    /// a ProblemDetails body; the token's channel and new token answers list only the grant.
    func testANarrowedGrantRefusesCallsOutsideItAndIsListedOnTheTokensChannel() async throws {
        let granted = ["products_read", "channels_read", "receiving_read"]
        let set = try await postJSON("/_control/shipbob/scopes", #"{"scopes": ["products_read", "channels_read", "receiving_read"]}"#)
        XCTAssertEqual(set.status, 200, set.text)
        let refused = try await get(api + "/order", headers: pat)
        XCTAssertEqual(refused.status, 403, refused.text)
        XCTAssertEqual(refused.json["status"]?.int64, 403)
        XCTAssertTrue(refused.json["detail"]?.string?.contains("orders_read") == true, refused.text)
        XCTAssertTrue(refused.header("content-type")?.hasPrefix("application/problem+json") == true)
        let channels = try await get(api + "/channel", headers: pat).json["items"]?.array ?? []
        XCTAssertEqual(channels.first { $0["id"]?.int64 == 55176 }?["scopes"]?.array?.compactMap(\.string), granted)
        XCTAssertTrue(channels.first { $0["id"]?.int64 == 55177 }?["scopes"]?.array?.contains("orders_read") == true, "another app's channel keeps its scopes")
        let initial = try await get("/_control/credentials").json["shipbob"]!["refresh_token"]!.string!
        let answer = try await refresh(initial)
        XCTAssertEqual(answer.json["scope"]?.string, (granted + ["offline_access"]).joined(separator: " "))
    }

    /// Which scope guards `/fulfillment-center` is unconfirmed: both by default, one by switch.
    func testFulfillmentCentersNeedBothScopesUnlessTheSwitchNamesOne() async throws {
        _ = try await postJSON("/_control/shipbob/scopes", #"{"scopes": ["receiving_read"]}"#)
        let refused = try await get(api + "/fulfillment-center", headers: pat)
        XCTAssertEqual(refused.status, 403, refused.text)
        XCTAssertTrue(refused.text.contains("locations_read"), refused.text)
        _ = try await postJSON("/_control/shipbob/settings", #"{"fulfillment_center_scope": "receiving_read"}"#)
        let served = try await get(api + "/fulfillment-center", headers: pat)
        XCTAssertEqual(served.status, 200, served.text)
    }

    func testRefreshTokenRotatesAndTheOldOneIsInvalidGrant() async throws {
        let initial = try await get("/_control/credentials").json["shipbob"]!["refresh_token"]!.string!
        let first = try await refresh(initial)
        XCTAssertEqual(first.status, 200, first.text)
        XCTAssertEqual(first.json["token_type"]?.string, "Bearer")
        XCTAssertEqual(first.json["expires_in"]?.int64, 2)
        XCTAssertTrue(first.json["scope"]!.string!.contains("offline_access"))
        XCTAssertEqual(first.json["access_token"]!.string!.split(separator: ".").count, 3, "JWT-shaped")
        let rotated = first.json["refresh_token"]!.string!
        XCTAssertNotEqual(rotated, initial)

        let reuse = try await refresh(initial)
        XCTAssertEqual(reuse.status, 400)
        XCTAssertEqual(reuse.json["error"]?.string, "invalid_grant")
        let credentials = try await get("/_control/credentials")
        XCTAssertEqual(credentials.json["shipbob"]!["refresh_token"]!.string, rotated)

        let access = first.json["access_token"]!.string!
        let ok = try await get(api + "/channel", headers: ["Authorization": "Bearer \(access)"])
        XCTAssertEqual(ok.status, 200)
        try await Task.sleep(for: .milliseconds(2200))
        let expired = try await get(api + "/channel", headers: ["Authorization": "Bearer \(access)"])
        XCTAssertEqual(expired.status, 401, "access tokens expire after --access-token-lifetime")
    }

    func testExpireTokensEndsLiveAccessTokensButTheRefreshTokenStillWorks() async throws {
        let initial = try await get("/_control/credentials").json["shipbob"]!["refresh_token"]!.string!
        let first = try await refresh(initial)
        let access = first.json["access_token"]!.string!
        let expired = try await request("POST", "/_control/shipbob/expire-tokens")
        XCTAssertEqual(expired.json["expired"]?.int64, 1)
        let refused = try await get(api + "/channel", headers: ["Authorization": "Bearer \(access)"])
        XCTAssertEqual(refused.status, 401)
        let again = try await refresh(first.json["refresh_token"]!.string!)
        XCTAssertEqual(again.status, 200, again.text)
        let ok = try await get(api + "/channel", headers: ["Authorization": "Bearer \(again.json["access_token"]!.string!)"])
        XCTAssertEqual(ok.status, 200)
    }

    func testExpireTokensCanSpareTokensYoungerThanAnAge() async throws {
        let initial = try await get("/_control/credentials").json["shipbob"]!["refresh_token"]!.string!
        let access = try await refresh(initial).json["access_token"]!.string!
        let spared = try await request("POST", "/_control/shipbob/expire-tokens", body: Data(#"{"older_than_seconds":3600}"#.utf8))
        XCTAssertEqual(spared.json["expired"]?.int64, 0, spared.text)
        let still = try await get(api + "/channel", headers: ["Authorization": "Bearer \(access)"])
        XCTAssertEqual(still.status, 200, "a token younger than the age lives on")
        let ended = try await request("POST", "/_control/shipbob/expire-tokens", body: Data(#"{"older_than_seconds":0}"#.utf8))
        XCTAssertEqual(ended.json["expired"]?.int64, 1, ended.text)
        let bad = try await request("POST", "/_control/shipbob/expire-tokens", body: Data(#"{"older_than_seconds":"soon"}"#.utf8))
        XCTAssertEqual(bad.status, 400)
    }

    func testBadClientSecretIsInvalidClient() async throws {
        let r = try await request("POST", "/shipbob/connect/token", headers: ["Content-Type": "application/x-www-form-urlencoded"],
                                  body: Data("grant_type=refresh_token&client_id=sandbox-client&client_secret=x&refresh_token=y".utf8))
        XCTAssertEqual(r.json["error"]?.string, "invalid_client")
    }

    func testRateLimitAnswers429WithRetryHeadersAfterTheWindowIsSpent() async throws {
        var remaining: [String] = []
        for _ in 0..<5 {
            let r = try await get(api + "/channel", headers: pat)
            XCTAssertEqual(r.status, 200)
            remaining.append(r.header("x-remaining-calls") ?? "")
        }
        XCTAssertEqual(remaining, ["4", "3", "2", "1", "0"])
        let limited = try await get(api + "/channel", headers: pat)
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.header("x-remaining-calls"), "0")
        let retry = Int(limited.header("x-retry-after") ?? "") ?? 0
        XCTAssertTrue((1...60).contains(retry), "x-retry-after \(retry)")
    }

    func testOrderListFiltersAndPagesWithShipBobHeaders() async throws {
        let page1 = try await get(api + "/order", [("Limit", "5")], headers: pat)
        XCTAssertEqual(page1.json.array?.count, 5)
        XCTAssertEqual(page1.header("page-number"), "1")
        XCTAssertEqual(page1.header("total-count"), "12")
        XCTAssertEqual(page1.header("total-pages"), "3")
        let next = try XCTUnwrap(page1.header("next-page"))
        XCTAssertTrue(next.hasPrefix(base + api + "/order?"), next)
        let page3 = try await get(api + "/order", [("Limit", "5"), ("Page", "3")], headers: pat)
        XCTAssertEqual(page3.json.array?.count, 2)
        XCTAssertNil(page3.header("next-page"))

        let byRef = try await get(api + "/order", [("ReferenceIds", "ORD-12348,#1045")], headers: pat)
        XCTAssertEqual(Set(byRef.json.array!.compactMap { $0["id"]?.int64 }), [15949208, 15949213])
        let tracked = try await get(api + "/order", [("HasTracking", "true")], headers: pat)
        XCTAssertTrue(tracked.json.array!.allSatisfy { o in o["shipments"]!.array!.contains { !$0["tracking"]!.isNull } })
        let over = try await get(api + "/order", [("Limit", "251")], headers: pat)
        XCTAssertEqual(over.status, 400)
    }

    func testOrderByIdHasTheSeedFileShape() async throws {
        let r = try await get(api + "/order/15949208", headers: pat)
        let o = r.json
        for key in ["id", "created_date", "purchase_date", "reference_id", "order_number", "status", "type", "channel",
                    "shipping_method", "recipient", "products", "shipments", "financials"] {
            XCTAssertNotNil(o[key], key)
        }
        XCTAssertEqual(o["products"]?.array?.first?["sku"]?.string, "TShirtBlueM")
        let shipment = o["shipments"]!.array![0]
        XCTAssertEqual(shipment["id"]?.int64, 101199713)
        XCTAssertEqual(shipment["location"]?["name"]?.string, "Moreno Valley (CA)")
        XCTAssertEqual(shipment["tracking"]?["tracking_number"]?.string, "9261290306529427911297")
        let unknown = try await get(api + "/order/1", headers: pat)
        XCTAssertEqual(unknown.status, 404)
    }

    func testCreateOrderNeedsTheChannelHeader() async throws {
        let body = #"{"reference_id":"WEB-1","recipient":{"name":"A B","address":{"address1":"1 Main","city":"X","state":"IL","country":"US","zip_code":"60607"}},"products":[{"reference_id":"TS-WHT-M","quantity":2}]}"#
        let without = try await postJSON(api + "/order", body, headers: pat)
        XCTAssertEqual(without.status, 400)
        var headers = pat
        headers["shipbob_channel_id"] = "55176"
        let made = try await postJSON(api + "/order", body, headers: headers)
        XCTAssertEqual(made.status, 201, made.text)
        XCTAssertEqual(made.json["channel"]?["id"]?.int64, 55176)
        XCTAssertEqual(made.json["shipments"]?.array?.count, 1)
        let dup = try await postJSON(api + "/order", body, headers: headers)
        XCTAssertEqual(dup.status, 422)
    }

    func testInventoryProductsReceivingAndFulfillmentCenters() async throws {
        let product = try await get(api + "/product", [("sku", "TShirtBlueM")], headers: pat)
        let inventoryId = product.json["items"]!.array![0]["variants"]!.array![0]["inventory"]!["inventory_id"]!.int64!
        XCTAssertEqual(inventoryId, 5264253)
        let locations = try await get(api + "/inventory-level/\(inventoryId)/locations", headers: pat)
        XCTAssertEqual(locations.json["locations"]?.array?.count, 3)
        let completed = try await get(api + "/receiving", [("Statuses", "Completed"), ("ExternalSync", "false")], headers: pat)
        XCTAssertEqual(completed.json.array?.compactMap { $0["id"]?.int64 }, [880101])
        let fcs = try await get(api + "/fulfillment-center", headers: pat)
        XCTAssertTrue(fcs.json.array!.contains { $0["name"]?.string == "Moreno Valley (CA)" })
    }
}
