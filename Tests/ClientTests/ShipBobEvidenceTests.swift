import ConnectorKit
import ConnectorNet
import Sandbox

@testable import ShipBob
import WebhookCore
import XCTest
import Secrets
import ConnectorConfig

/// The ShipBob client against the in-process sandbox under each of its switches, for the
/// behaviours docs/vendors/shipbob.md records: the channel page, paging headers and `Limit`,
/// `shipbob_channel_id` on writes only, variant barcodes and `customs.value` per version.
final class ShipBobEvidenceTests: XCTestCase {
    var server: SandboxServer!
    var base = ""
    var tenant: TenantPaths!
    var secrets: SecretStore!
    var http: HTTPClient!
    var channelID: Int64 = 0

    override func setUp() async throws {
        server = SandboxServer(options: SandboxOptions())
        base = "http://127.0.0.1:\(try await server.start())"
        let state = NSTemporaryDirectory() + "shipbob-evidence-\(UUID().uuidString)"
        tenant = StateLayout(root: state).tenant("demo")
        try tenant.prepare()
        secrets = SecretStore(path: tenant.secrets, key: try MasterKey.create(at: state + "/master.key"))
        http = HTTPClient(settings: HTTPSettings(), logger: Logger(job: "test"))
        let creds = try control(.get, "/_control/credentials")["shipbob"]!
        try secrets.set(SecretName.shipbobPAT, value: creds["pat"]!.string!)
        channelID = creds["channel_id"]!.int64!
    }

    override func tearDown() async throws { await server.stop() }

    @discardableResult
    func control(_ method: HTTPMethod, _ path: String, _ body: String? = nil) throws -> JSONValue {
        let r = try http.send(HTTPRequest(method, base + path, headers: body == nil ? [] : [("Content-Type", "application/json")],
                                          body: body.map { Data($0.utf8) }))
        XCTAssertTrue(r.isSuccess, "\(method) \(path): \(r.status) \(r.bodySnippet(limit: 200))")
        return try JSONValue.parse(r.body)
    }

    func client(version: String = "2026-07") -> ShipBobClient {
        let settings = ShipBobSettings(apiURL: base + "/shipbob/" + version, auth: .pat, channelID: channelID)
        let policy = RetryPolicy(settings: HTTPSettings(), sleep: { _ in })
        return ShipBobClient(settings: settings, auth: ShipBobAuth(settings: settings, tenant: tenant, secrets: secrets, http: http, policy: policy),
                             http: http, policy: policy, logger: Logger(job: "test"))
    }

    func requests() throws -> [JSONValue] { try control(.get, "/_control/requests?service=shipbob").array ?? [] }

    func testChannelsAreReadFromTheDocumentedPageAndFromABareArray() throws {
        let seeded = try XCTUnwrap(try control(.get, "/_control/shipbob/settings")["channel_shape"]?.string)
        XCTAssertEqual(seeded, "page", "the documented shape is the default")
        let fromPage = try client().channels()
        try control(.post, "/_control/shipbob/settings", #"{"channel_shape": "array"}"#)
        let fromArray = try client().channels()
        XCTAssertEqual(fromPage, fromArray)
        XCTAssertTrue(fromPage.contains { $0.id == channelID })
        let raw = try JSONValue.parse(try http.send(HTTPRequest(.get, base + "/shipbob/2026-07/channel",
                                                                headers: [("Authorization", "Bearer sandbox-pat-demo")])).body)
        XCTAssertNotNil(raw.array, "the switch serves the bare array")
    }

    func testAChannelPageWithANextLinkIsFollowedToTheEnd() throws {
        let first = #"{"items": [{"id": 1, "name": "A"}], "next": "/2026-07/channel?Cursor=c1", "prev": null}"#
        let page = try ShipBobChannel.page(try JSONValue.parse(Data(first.utf8)), url: "u")
        XCTAssertEqual(page.channels, [ShipBobChannel(id: 1, name: "A")])
        XCTAssertEqual(page.next, "/2026-07/channel?Cursor=c1")
        XCTAssertNil(try ShipBobChannel.page(try JSONValue.parse(Data(#"{"items": [], "next": null}"#.utf8)), url: "u").next)
        XCTAssertThrowsError(try ShipBobChannel.page(try JSONValue.parse(Data(#"{"channels": []}"#.utf8)), url: "u"))
    }

    /// Orders added until the list is an exact multiple of `size`: the case where a client
    /// trusting "a full page means more" and one trusting "a short page means the end" differ.
    func ordersMadeAMultiple(of size: Int) throws -> Set<Int64> {
        var all = try control(.get, "/_control/shipbob/orders").array ?? []
        while all.count % size != 0 {
            try control(.post, "/_control/shipbob/orders", #"{"products": [{"sku": "TShirtBlueM", "quantity": 1}]}"#)
            all = try control(.get, "/_control/shipbob/orders").array ?? []
        }
        return Set(all.compactMap { $0["id"]?.int64 })
    }

    func testEveryOrderIsListedOnceUnderEachPagingHeaderMode() throws {
        let size = 3
        let all = try ordersMadeAMultiple(of: size)
        XCTAssertGreaterThan(all.count, size)
        for mode in ShipBobSwitches.PagingHeaders.allCases {
            try control(.post, "/_control/shipbob/settings", #"{"paging_headers": "\#(mode.rawValue)"}"#)
            try control(.delete, "/_control/requests")
            let listed = try client().pagedList("order", query: [], limit: size, operation: "orders")
            XCTAssertEqual(listed.count, all.count, "\(mode): no order twice")
            XCTAssertEqual(Set(listed.compactMap { $0["id"]?.int64 }), all, "\(mode): every order")
            let calls = try requests().count
            XCTAssertEqual(calls, mode == .none ? all.count / size + 1 : all.count / size,
                           "\(mode): without headers one empty page ends the list; with them, no page more than needed")
        }
    }

    func testLimitStaysWithinThePublishedRangeWhichTheSandboxEnforces() throws {
        _ = try client().pagedList("order", query: [], limit: 1_000, operation: "orders")
        let queries = try requests().compactMap { $0["query"]?.string }
        XCTAssertFalse(queries.isEmpty)
        XCTAssertTrue(queries.allSatisfy { $0.contains("Limit=250") }, "\(queries)")
        for limit in ["0", "251"] {
            let r = try http.send(HTTPRequest(.get, base + "/shipbob/2026-07/order?Limit=\(limit)", headers: [("Authorization", "Bearer sandbox-pat-demo")]))
            XCTAssertEqual(r.status, 400, "Limit \(limit)")
        }
    }

    func testTheChannelHeaderGoesOnlyOnWritesThatDeclareItSoReadsSeeEveryChannel() throws {
        let all = try control(.get, "/_control/shipbob/orders").array ?? []
        let channels = Set(all.compactMap { $0["channel"]?["id"]?.int64 })
        XCTAssertGreaterThan(channels.count, 1, "the seed has orders on several channels")
        try control(.delete, "/_control/requests")
        let c = client()
        XCTAssertEqual(try c.orders(query: []).count, all.count, "the configured channel does not narrow the list")
        let other = try XCTUnwrap(all.first { $0["channel"]?["id"]?.int64 != channelID }?["id"]?.int64)
        XCTAssertNotNil(try c.order(id: other), "an order of another channel is found")
        XCTAssertEqual(try requests().filter { $0["shipbob_channel_id"] != nil }.count, 0, "no read carried the header")

        // What the connector would miss otherwise: the sandbox narrows reads that carry it.
        let narrowed = try http.send(HTTPRequest(.get, base + "/shipbob/2026-07/order?Limit=250",
                                                 headers: [("Authorization", "Bearer sandbox-pat-demo"), ("shipbob_channel_id", String(channelID))]))
        XCTAssertLessThan(try JSONValue.parse(narrowed.body).array?.count ?? 0, all.count)

        // A write that declares it carries it (the sandbox refuses POST /order without it).
        try control(.delete, "/_control/requests")
        let order: JSONValue = .object(["reference_id": .string("EVID-\(UUID().uuidString)"), "recipient": .object(["name": .string("A")]),
                                        "products": .array([.object(["sku": .string("TShirtBlueM"), "quantity": .number(1)])])])
        let (_, made) = try c.send(.post, base + "/shipbob/2026-07/order", json: order)
        XCTAssertEqual(made.status, 201, made.bodySnippet(limit: 200))
        XCTAssertEqual(try requests().compactMap { $0["shipbob_channel_id"]?.string }, [String(channelID)])

        XCTAssertTrue(ShipBobFacts.declaresChannelHeader(.post, path: "order"))
        XCTAssertTrue(ShipBobFacts.declaresChannelHeader(.post, path: "/order?x=1"))
        XCTAssertTrue(ShipBobFacts.declaresChannelHeader(.post, path: "shipment:batchCancel"))
        XCTAssertFalse(ShipBobFacts.declaresChannelHeader(.get, path: "order"))
        XCTAssertFalse(ShipBobFacts.declaresChannelHeader(.post, path: "product"))
        XCTAssertFalse(ShipBobFacts.declaresChannelHeader(.post, path: "receiving:setExternalSync"))
    }

    func testProductWritesSendBarcodesAndTheCustomsValueEachVersionTakes() throws {
        try control(.delete, "/_control/requests")
        guard case .created(let made) = try client().createProduct(ProductSpec(sku: "EVID-1", name: "Tee", barcode: "012345678905", value: 12.34)) else {
            return XCTFail("not created")
        }
        XCTAssertEqual(made.barcodes, ["012345678905"])
        XCTAssertEqual(made.upc, "012345678905", "a UPC-A goes in upc too")
        XCTAssertEqual(made.value, 12.34, "2026-07 keeps decimals")
        let updated = try client().updateProduct(made, to: ProductSpec(sku: "EVID-1", name: "Tee", barcode: "EAN-2", value: 12.34))
        XCTAssertEqual(updated.barcodes, ["EAN-2", "012345678905"], "the new barcode first, ShipBob's others kept")

        let old = client(version: "2026-01")
        guard case .created(let whole) = try old.createProduct(ProductSpec(sku: "EVID-2", name: "Cap", barcode: nil, value: 12.6)) else {
            return XCTFail("2026-01 refused the product")
        }
        XCTAssertEqual(whole.value, 13, "2026-01 takes an int32")
        XCTAssertEqual(try old.updateProduct(whole, to: ProductSpec(sku: "EVID-2", name: "Cap", barcode: nil, value: 9.4)).value, 9)
    }

    func testTheSandboxRefusesABareBarcodeAndADecimalCustomsValueWhereTheVersionDoesNotTakeIt() throws {
        func post(_ version: String, _ variant: String) throws -> Int {
            try http.send(HTTPRequest(.post, base + "/shipbob/\(version)/product",
                                      headers: [("Authorization", "Bearer sandbox-pat-demo"), ("Content-Type", "application/json")],
                                      body: Data(#"{"name": "X", "type_id": 1, "variants": [\#(variant)]}"#.utf8))).status
        }
        XCTAssertEqual(try post("2026-07", #"{"sku": "B1", "name": "X", "barcode": "1"}"#), 400)
        XCTAssertEqual(try post("2026-01", #"{"sku": "B2", "name": "X", "customs": {"value": 1.5}}"#), 400)
        XCTAssertEqual(try post("2025-07", #"{"sku": "B3", "name": "X", "customs": {"value": 1.5}}"#), 400)
        XCTAssertEqual(try post("2026-01", #"{"sku": "B4", "name": "X", "customs": {"value": 2}, "barcodes": [{"value": "1"}]}"#), 201)
        XCTAssertEqual(try post("2026-07", #"{"sku": "B5", "name": "X", "customs": {"value": 1.5}}"#), 201)
    }

    func testTheVersionIsReadFromTheApiURL() {
        XCTAssertEqual(ShipBobFacts.apiVersion(of: "https://api.shipbob.com/2026-01"), "2026-01")
        XCTAssertEqual(ShipBobFacts.apiVersion(of: "http://127.0.0.1:9/shipbob/2025-07/"), "2025-07")
        XCTAssertNil(ShipBobFacts.apiVersion(of: "https://api.shipbob.com/1.0"))
        XCTAssertEqual(ShipBobFacts.customsValue(12.345, apiVersion: nil), 12.35, "no dated version: the targeted 2026-07")
        XCTAssertEqual(ShipBobFacts.customsValue(12.5, apiVersion: "2026-01"), 13)
    }
}
