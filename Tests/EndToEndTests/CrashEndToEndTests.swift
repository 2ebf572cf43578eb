import Foundation
import XCTest

/// Kills `shipbob-to-syspro` with SIGKILL at varied points across many runs while SYSPRO
/// answers slowly after committing (so kills land between "posted" and "recorded"), then
/// lets one run finish: every order is in SYSPRO exactly once, and its shipped shipment
/// has exactly one dispatch note, whether SORTOI's answers name the order or not.
final class CrashEndToEndTests: EndToEndCase {
    func testSigkillAtRandomPointsNeverLosesOrDoublesAnOrderWhenAnswersLeaveOutTheOrder() throws {
        try sigkillRounds(omitOrderPercent: 100)
    }

    func testSigkillAtRandomPointsNeverLosesOrDoublesAnOrderWhenAnswersNameTheOrder() throws {
        try sigkillRounds(omitOrderPercent: 0)
    }

    func sigkillRounds(omitOrderPercent: Int) throws {
        let demo = try DemoTenant(sandboxArgs: ["--syspro-omit-order-percent", String(omitOrderPercent)])
        defer { demo.stop() }
        // A short in-flight window (PostInFlight): an unclear dispatch not found is posted
        // again after 3 s, not 70.
        try demo.editConfig { c in c["http"] = ["connect_timeout_seconds": 1, "timeout_seconds": 2] }
        _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "Transaction/Post",
                                                         "delay_ms": 150, "delay_after_commit": true, "count": 10_000])
        var orders: [Int64] = []
        var shipments: [Int64: Int] = [:]
        var kills = 0
        for _ in 0..<30 {
            // Fresh work every round, delivered twice in both topic generations.
            for _ in 0..<2 {
                let created = try demo.control("POST", "/_control/shipbob/orders", [
                    "channel": ["id": 55176], "products": [["sku": "TS-BLU-M", "quantity": 1], ["sku": "JN-SLM-IND-32", "quantity": 2]]])
                let json = try JSONSerialization.jsonObject(with: created.body) as? [String: Any]
                let id = Int64((json?["id"] as? NSNumber)?.int64Value ?? 0)
                XCTAssertGreaterThan(id, 0, created.text)
                orders.append(id)
                let shipment = ((json?["shipments"] as? [[String: Any]])?.first?["id"] as? NSNumber)?.intValue ?? 0
                shipments[id] = shipment
                let shipped = try demo.control("POST", "/_control/shipbob/orders/\(id)/shipments/\(shipment)", [
                    "status": "Completed", "tracking": ["carrier": "USPS", "tracking_number": "94001118992231974\(id % 100_000)"],
                    "last_update_at": ISO8601DateFormatter().string(from: Date())])
                XCTAssertEqual(shipped.status, 200, shipped.text)
                XCTAssertEqual(try demo.emit("order.shipped", orderID: id).status, 0)
                XCTAssertEqual(try demo.emit("order_shipped", orderID: id).status, 0)
            }
            if try runKilled("shipbob-to-syspro", env: demo.env, after: .random(in: 5_000...450_000)) { kills += 1 }
        }
        XCTAssertGreaterThan(kills, 10, "enough runs were killed mid-pass to mean something")
        _ = try demo.control("DELETE", "/_control/faults")
        sleep(4)   // past the in-flight window of the last killed post
        let final = try demo.job("shipbob-to-syspro")
        XCTAssertEqual(final.status, 0, final.stderr)

        let byPo = Dictionary(grouping: try demo.salesOrders()) { ($0["CustomerPoNumber"] as? String ?? "").trimmingCharacters(in: .whitespaces) }
        let notes = try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/MdnMaster") as! [[String: Any]]
        let byReference = Dictionary(grouping: notes) { ($0["SpecialInstrs"] as? String ?? "").trimmingCharacters(in: .whitespaces) }
        for id in orders {
            XCTAssertEqual(byPo["SB\(id)"]?.count, 1, "ShipBob order \(id) is in SYSPRO exactly once (after \(kills) kills)")
            XCTAssertEqual(byReference["SB\(id) S\(shipments[id]!)"]?.count, 1, "its shipment has exactly one dispatch note (after \(kills) kills)")
        }
        XCTAssertEqual(notes.count, orders.count)
        XCTAssertEqual(demo.files("spool/shipbob/new"), [])
        XCTAssertEqual(demo.files("spool/shipbob/cur"), [])
    }

    /// The same for WRO receipts, under each shape SYSPRO may answer INVTMR in: stows of a
    /// few units at a time, runs killed at random while SYSPRO holds its answer after
    /// committing; in the end each WRO item's receipts add up to what ShipBob stowed.
    func testSigkillAtRandomPointsNeverLosesOrDoublesAReceiptUnderEitherAnswerShape() throws {
        let demo = try DemoTenant()
        defer { demo.stop() }
        // Requests limited to 1 + 4 s: an interrupted post not found is posted again after 5 s.
        try demo.editConfig { c in c["http"] = ["connect_timeout_seconds": 1, "timeout_seconds": 4] }
        var stowed: [Int: Int] = [:]
        var kills = 0
        for shape in ["full", "portor"] {
            _ = try demo.control("PUT", "/_control/syspro/movement-settings", ["answer_shape": shape])
            _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "INVTMR",
                                                             "delay_ms": 150, "delay_after_commit": true, "count": 10_000])
            let created = try demo.control("POST", "/_control/shipbob/receiving", [
                "fulfillment_center_id": 10, "purchase_order_number": "P-\(shape)", "items": [["sku": "TS-BLU-L", "expected_quantity": 60]]])
            let wro = ((try JSONSerialization.jsonObject(with: created.body) as? [String: Any])?["id"] as? NSNumber)?.intValue ?? 0
            XCTAssertGreaterThan(wro, 0, created.text)
            for round in 0..<12 {
                let qty = 5
                XCTAssertEqual(try demo.control("POST", "/_control/shipbob/receiving/\(wro)/receive",
                                                ["items": [["sku": "TS-BLU-L", "quantity": qty]], "stow": true]).status, 200)
                stowed[wro, default: 0] += qty
                let r = try runProgram("ml-sandbox", ["emit", "shipbob", "receiving.updated", "--to", demo.stack!.url(tenant: demo.tenant),
                                                      "--secret", try demo.webhookSecret, "--sandbox", demo.sandboxURL,
                                                      "--wro-id", String(wro), "--webhook-id", "msg_crash_\(wro)_\(round)"])
                XCTAssertEqual(r.status, 0, r.stderr)
                if try runKilled("shipbob-to-syspro", env: demo.env, after: .random(in: 5_000...300_000)) { kills += 1 }
            }
            _ = try demo.control("DELETE", "/_control/faults")
        }
        XCTAssertGreaterThan(kills, 4, "enough runs were killed mid-pass to mean something")
        sleep(6)  // interrupted posts can no longer be in flight
        for _ in 0..<2 {
            let final = try demo.job("shipbob-to-syspro")
            XCTAssertEqual(final.status, 0, final.stderr)
        }
        let movements = try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/InvMovements") as! [[String: Any]]
        for (wro, total) in stowed {
            let rows = movements.filter { ($0["Reference"] as? String ?? "").trimmingCharacters(in: .whitespaces).hasPrefix("WRO\(wro)-") }
            XCTAssertEqual(rows.reduce(0) { $0 + (($1["TrnQty"] as? NSNumber)?.intValue ?? 0) }, total,
                           "WRO \(wro): receipts add up to what was stowed (after \(kills) kills)")
            let references = rows.map { $0["Reference"] as? String ?? "" }
            XCTAssertEqual(Set(references).count, references.count, "no Reference posted twice: \(references.sorted())")
        }
        XCTAssertEqual(demo.files("attention"), [])
    }

    /// A person's edits of customer classes, `hubspot-to-syspro` killed at random while
    /// SYSPRO holds its ARSSCS answer after committing: every edit ends in SYSPRO and in the
    /// audit exactly once.
    func testSigkillAtRandomPointsNeverLosesOrDoublesACustomerWriteBack() throws {
        let demo = try DemoTenant(webStack: false)
        defer { demo.stop() }
        try demo.editConfig { c in
            var h = c["hubspot"] as? [String: Any] ?? [:]
            h["write_back"] = ["properties": ["customer_class"]]
            c["hubspot"] = h
        }
        XCTAssertEqual(try demo.job("syspro-to-hubspot").status, 0)
        XCTAssertEqual(try demo.job("hubspot-to-syspro").status, 0)
        _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "Setup/Update",
                                                         "delay_ms": 150, "delay_after_commit": true, "count": 10_000])
        let customers = ["0000100", "0000101", "0000102", "0000103", "0000104", "0000105", "0000106", "0000107"]
        let classes = ["KA", "RT", "WB", "WH"]
        var latest: [String: String] = [:]
        var kills = 0
        for round in 0..<24 {
            let code = customers[round % customers.count], value = classes[(round / customers.count + round) % classes.count]
            let r = try demo.control("POST", "/_control/hubspot/edit", ["customer": code, "properties": ["syspro_customer_class": value]])
            XCTAssertEqual(r.status, 200, r.text)
            latest[code] = value
            if try runKilled("hubspot-to-syspro", env: demo.env, after: .random(in: 5_000...400_000)) { kills += 1 }
        }
        XCTAssertGreaterThan(kills, 5, "enough runs were killed mid-pass to mean something")
        _ = try demo.control("DELETE", "/_control/faults")
        XCTAssertEqual(try demo.job("hubspot-to-syspro").status, 0)
        XCTAssertEqual(try demo.job("hubspot-to-syspro").status, 0)

        let rows = try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/ArCustomer") as! [[String: Any]]
        for (code, value) in latest {
            let row = rows.first { ($0["Customer"] as? String)?.trimmingCharacters(in: .whitespaces) == code }
            let syspro = row?["CustomerClass"] as? String
            // A latest edit equal to what SYSPRO already held needs nothing and is not audited.
            XCTAssertEqual(syspro, value, "customer \(code) holds the latest edit (after \(kills) kills)")
        }
        let lines = demo.auditLines().filter { $0["job"] as? String == "hubspot-to-syspro" }
        let byEdit = Dictionary(grouping: lines, by: { $0["id"] as? String ?? "" })
        for (edit, entries) in byEdit {
            XCTAssertEqual(entries.count, 1, "edit \(edit) has one audit line: \(entries.map { $0["outcome"] ?? "" })")
        }
        let ledger = try String(contentsOfFile: demo.tenantDir + "/state/hubspot-to-syspro/changes.json", encoding: .utf8)
        XCTAssertFalse(ledger.contains("\"posting\""), "no edit is left unproven")
    }
}
