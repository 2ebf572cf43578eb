import Foundation
import XCTest

/// The connector against the sandbox under each ShipBob switch, for what docs/vendors/shipbob.md
/// records: `ping` on both channel list shapes, deliveries without a topic header or a shipment
/// id spooled and placed, the reconcile's tracking-update pass, barcodes and customs values
/// round-tripped with no PATCH for what did not change, and a catalogue written by the
/// previous release taken over without a PATCH storm or a lost barcode.
final class ShipBobEvidenceEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func tearDown() { demo?.stop() }

    func start(webStack: Bool) throws { demo = try DemoTenant(webStack: webStack) }

    func settings(_ body: [String: Any]) throws {
        let r = try demo.control("POST", "/_control/shipbob/settings", body)
        XCTAssertEqual(r.status, 200, String(decoding: r.body, as: UTF8.self))
    }

    func shipBobCalls() throws -> [String] {
        (try HTTP.json(demo.sandboxURL + "/_control/requests?service=shipbob") as! [[String: Any]])
            .map { "\($0["method"] as! String) \($0["path"] as! String) \($0["status"] as! Int)" }
    }

    func clearLog() throws { _ = try demo.control("DELETE", "/_control/requests") }

    func run(_ job: String, _ args: [String] = []) throws -> CommandResult {
        let r = try demo.job(job, args)
        XCTAssertEqual(r.status, 0, "\(job) \(args): \(r.stderr)")
        return r
    }

    func testPingPassesAgainstTheDocumentedChannelPageAndABareArray() throws {
        try start(webStack: false)
        for shape in ["page", "array"] {
            try settings(["channel_shape": shape])
            let r = try demo.job("ml-connector", ["ping"])
            XCTAssertEqual(r.status, 0, "\(shape): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stdout.contains("ok    ShipBob: 3 channel(s)"), "\(shape): \(r.stdout)")
        }
    }

    /// Sends one signed delivery with `ml-sandbox emit shipbob` and the given extra options.
    func emit(_ topic: String, _ order: Int64, _ extra: [String]) throws {
        let r = try runProgram("ml-sandbox", ["emit", "shipbob", topic, "--to", demo.stack!.url(tenant: demo.tenant),
                                              "--secret", try demo.webhookSecret, "--order-id", String(order),
                                              "--sandbox", demo.sandboxURL] + extra)
        XCTAssertEqual(r.status, 0, "\(topic) \(extra): \(r.stdout) \(r.stderr)")
        XCTAssertTrue(r.stdout.hasPrefix("200"), "a signed delivery is never refused: \(r.stdout)")
    }

    func testDeliveriesWithoutATopicHeaderOrAShipmentIdAreSpooledAndPlacedAndTheRestAwaitAPerson() throws {
        try start(webStack: true)
        try emit("order.shipped", 15949208, ["--without-topic-header"])
        try emit("order.shipment.delivered", 15948959, ["--shape", "order-reference", "--webhook-id", "msg_thin"])
        try emit("order.shipment.delivered", 15949214, ["--without-topic-header", "--shape", "envelope"])
        try emit("shipment_delivered", 15947699, ["--without-topic-header", "--shape", "order-reference"])
        let odd = demo.work + "/odd.json"
        try Data(#"{"hello": 1}"#.utf8).write(to: URL(fileURLWithPath: odd))
        try emit("order.shipped", 15949208, ["--without-topic-header", "--body-file", odd, "--webhook-id", "msg_no_topic"])
        try emit("inventory.recounted", 15949208, ["--body-file", odd, "--webhook-id", "msg_odd_topic"])
        XCTAssertEqual(demo.files("spool/shipbob/new").filter { !$0.hasPrefix(".") }.count, 6, "every signed delivery is spooled")

        let r = try run("shipbob-to-syspro")
        let byPo = Dictionary(grouping: try demo.salesOrders()) { ($0["CustomerPoNumber"] as? String ?? "").trimmingCharacters(in: .whitespaces) }
        for id in [15949208, 15948959, 15949214, 15947699] {
            XCTAssertEqual(byPo["SB\(id)"]?.count, 1, "ShipBob order \(id) placed and posted once: \(r.stdout) \(r.stderr)")
        }
        XCTAssertEqual(demo.files("spool/shipbob/failed").filter { !$0.hasPrefix(".") }, ["msg_no_topic", "msg_odd_topic"])
        let attention = try demo.files("attention").map { try String(contentsOfFile: demo.tenantDir + "/attention/" + $0, encoding: .utf8) }
        XCTAssertEqual(attention.count, 2)
        XCTAssertTrue(attention.contains { $0.contains("msg_no_topic") && $0.contains("no topic") }, "\(attention)")
        XCTAssertTrue(attention.contains { $0.contains("msg_odd_topic") && $0.contains("inventory.recounted") }, "the raw topic: \(attention)")
        let thin = demo.auditLines().first { $0["id"] as? String == "msg_thin" && $0["action"] as? String == "order" }
        XCTAssertEqual(thin?["outcome"] as? String, "posted", "a shipment body without a shipment id is read from GET /order/{id}")
    }

    func testTheReconcileFindsAnOrderWhoseTrackingAloneChanged() throws {
        try start(webStack: false)
        let now = Date()
        let iso = ISO8601DateFormatter()
        let old = iso.string(from: now.addingTimeInterval(-3 * 86_400)), recent = iso.string(from: now.addingTimeInterval(-60))
        let made = try demo.control("POST", "/_control/shipbob/orders", [
            "id": 15990001, "created_date": old, "products": [["sku": "TShirtBlueM", "quantity": 1]],
            "shipments": [["id": 15990002, "status": "Completed", "last_update_at": old, "last_tracking_update_at": recent,
                           "tracking": ["carrier": "USPS", "tracking_number": "9400100000000000000001"]]],
        ] as [String: Any])
        XCTAssertEqual(made.status, 201, String(decoding: made.body, as: UTF8.self))
        try clearLog()
        let r = try run("shipbob-to-syspro", ["--reconcile", "--report"])
        XCTAssertTrue(r.stdout.contains("reconcile: spooled"), r.stdout)
        XCTAssertTrue(demo.files("spool/shipbob/new").contains { $0.hasPrefix("reconcile-order-15990001-") }, "\(demo.files("spool/shipbob/new"))")
        let queries = (try HTTP.json(demo.sandboxURL + "/_control/requests?service=shipbob") as! [[String: Any]]).compactMap { $0["query"] as? String }
        XCTAssertTrue(queries.contains { $0.contains("LastTrackingUpdateStartDate") }, "\(queries)")
        XCTAssertTrue(queries.contains { $0.contains("LastUpdateStartDate") }, "\(queries)")
    }

    /// `ml-sandbox serve --shipbob-paging-headers` under each setting, with enough orders
    /// updated since the reconcile's window for an exact multiple of ShipBob's 250-order page.
    func testTheReconcileListsEveryOrderUnderEachPagingHeaderSetting() throws {
        for mode in ["none", "next-page", "total-pages", "all"] {
            demo?.stop()
            demo = try DemoTenant(webStack: false, sandboxArgs: ["--shipbob-paging-headers", mode, "--rate-limit", "1000"])
            XCTAssertEqual((try HTTP.json(demo.sandboxURL + "/_control/shipbob/settings") as! [String: Any])["paging_headers"] as? String, mode)
            let recent = ISO8601DateFormatter().string(from: Date().addingTimeInterval(-60))
            let seeded = try demo.files("spool/shipbob/new").count
            for i in 0..<250 {
                let r = try demo.control("POST", "/_control/shipbob/orders", [
                    "id": 16000000 + i, "created_date": recent, "products": [["sku": "TShirtBlueM", "quantity": 1]],
                    "shipments": [["id": 17000000 + i, "status": "Completed", "last_update_at": recent, "last_tracking_update_at": recent,
                                   "tracking": ["carrier": "USPS", "tracking_number": "94001000000000000\(i)"]]],
                ] as [String: Any])
                XCTAssertEqual(r.status, 201)
            }
            _ = try run("shipbob-to-syspro", ["--reconcile"])
            let spooled = Set(demo.files("spool/shipbob/new").filter { $0.hasPrefix("reconcile-order-160") }.map { $0.split(separator: "-")[2] })
            XCTAssertEqual(spooled.count, 250, "\(mode): every order of the exact multiple, once (\(seeded) spooled before)")
        }
    }

    func variantOf(_ sku: String, version: String = "2026-07") throws -> (productId: Int, variant: [String: Any])? {
        let r = try HTTP.request("GET", demo.sandboxURL + "/shipbob/\(version)/product?sku=\(sku)", headers: ["authorization": "Bearer sandbox-pat-demo"])
        let items = (try JSONSerialization.jsonObject(with: r.body) as! [String: Any])["items"] as! [[String: Any]]
        for p in items {
            if let v = (p["variants"] as! [[String: Any]]).first(where: { $0["sku"] as? String == sku }) { return (p["id"] as! Int, v) }
        }
        return nil
    }

    func testBarcodesRoundTripWithoutPatchesAndACatalogueOfThePreviousReleaseCausesNoStormAndLosesNothing() throws {
        try start(webStack: false)
        _ = try run("poll-syspro-inventory")
        _ = try run("push-shipbob-inventory")
        let shirt = try XCTUnwrap(try variantOf("TS-WHT-M"))
        let barcode = try XCTUnwrap((shirt.variant["barcodes"] as? [[String: Any]])?.first?["value"] as? String)
        XCTAssertNil(shirt.variant["barcode"], "ShipBob's variants have no bare barcode")
        try clearLog()
        _ = try run("push-shipbob-inventory")
        XCTAssertEqual(try shipBobCalls(), [], "unchanged barcodes: not one request")

        // The previous release's belief on disk: `barcode` in every record, no `barcodes`.
        let path = demo.tenantDir + "/inventory/shipbob-products.json"
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".journal"))
        var records = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: [String: Any]]
        XCTAssertGreaterThan(records.count, 5)
        for (k, var r) in records {
            r["barcode"] = (r.removeValue(forKey: "barcodes") as? [String])?.first
            r["upc"] = nil
            records[k] = r
        }
        try JSONSerialization.data(withJSONObject: records).write(to: URL(fileURLWithPath: path))
        // ...and a barcode that, sent as `barcode`, never reached ShipBob.
        let emptied = try HTTP.request("PATCH", demo.sandboxURL + "/shipbob/2026-07/product/\(shirt.productId)",
                                       headers: ["authorization": "Bearer sandbox-pat-demo", "content-type": "application/json"],
                                       body: try JSONSerialization.data(withJSONObject: ["variants": [["id": shirt.variant["id"]!, "barcodes": [] as [Any], "upc": ""]]]))
        XCTAssertEqual(emptied.status, 200)

        try clearLog()
        _ = try run("push-shipbob-inventory")
        let calls = try shipBobCalls()
        XCTAssertEqual(calls.filter { !$0.hasPrefix("GET") }, ["PATCH /shipbob/2026-07/product/\(shirt.productId) 200"],
                       "the catalogue is read again and only the lost barcode is sent: \(calls)")
        XCTAssertEqual(((try variantOf("TS-WHT-M"))?.variant["barcodes"] as? [[String: Any]])?.first?["value"] as? String, barcode)
        try clearLog()
        _ = try run("push-shipbob-inventory")
        XCTAssertEqual(try shipBobCalls(), [], "and after that, nothing")
    }

    func testA2026_01TenantSendsWholeCustomsValuesAndThenNothing() throws {
        try start(webStack: false)
        _ = try run("poll-syspro-inventory")
        _ = try run("push-shipbob-inventory")
        try demo.editConfig { c in
            var s = c["shipbob"] as! [String: Any]
            s["api_url"] = (s["api_url"] as! String).replacingOccurrences(of: "/2026-07", with: "/2026-01")
            c["shipbob"] = s
        }
        try clearLog()
        _ = try run("push-shipbob-inventory")
        let calls = try shipBobCalls()
        XCTAssertFalse(calls.contains { $0.hasSuffix(" 400") }, "2026-01 refused nothing: \(calls)")
        let value = (try XCTUnwrap(try variantOf("AC-SCARF-WOL", version: "2026-01")).variant["customs"] as? [String: Any])?["value"] as? Double
        XCTAssertEqual(value, 30, "29.50 sent as the int32 2026-01 takes")
        try clearLog()
        _ = try run("push-shipbob-inventory")
        XCTAssertEqual(try shipBobCalls(), [], "rounded values are not a difference on the next run")
    }

    /// Code cites ShipBob facts by the vendor file and a heading in quotes: each must be a
    /// heading of that file, and each heading must say its source, status and sandbox.
    func testEveryShipBobFactTheCodeCitesIsAHeadingWithSourceStatusAndSandbox() throws {
        let root = Products.repoRoot
        let doc = try String(contentsOfFile: root + "/docs/vendors/shipbob.md", encoding: .utf8)
        let sections = doc.components(separatedBy: "\n## ").dropFirst()
        let headings = Set(sections.map { String($0.prefix { $0 != "\n" }) })
        for section in sections {
            for part in ["Source:", "Status:", "Sandbox:"] {
                XCTAssertTrue(section.contains(part), "\(section.prefix { $0 != "\n" }) lacks \(part)")
            }
        }
        let pattern = try NSRegularExpression(pattern: #"docs/vendors/shipbob\.md,\s*(?:(?://+|#|\*)\s*)?"([^"]+)""#)
        var cited = 0
        for dir in ["Sources", "Tests"] {
            let e = FileManager.default.enumerator(atPath: root + "/" + dir)
            while let f = e?.nextObject() as? String {
                guard f.hasSuffix(".swift"), let text = try? String(contentsOfFile: root + "/" + dir + "/" + f, encoding: .utf8) else { continue }
                for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                    // A citation may wrap onto the next comment line.
                    let heading = (text as NSString).substring(with: m.range(at: 1))
                        .replacingOccurrences(of: #"\s*\n\s*(?://+|#|\*)?\s*"#, with: " ", options: .regularExpression)
                    cited += 1
                    XCTAssertTrue(headings.contains(heading), "\(dir)/\(f) cites \"\(heading)\", not a heading of docs/vendors/shipbob.md")
                }
            }
        }
        XCTAssertGreaterThan(cited, 5)
    }
}
