import Foundation
import XCTest

/// Kills `shipbob-to-syspro` with SIGKILL at varied points across many runs while SYSPRO
/// answers slowly after committing (so kills land between "posted" and "recorded"), then
/// lets one run finish: every order is in SYSPRO exactly once.
final class CrashEndToEndTests: EndToEndCase {
    func testSigkillAtRandomPointsNeverLosesOrDoublesAnOrder() throws {
        let demo = try DemoTenant()
        defer { demo.stop() }
        _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "Transaction/Post",
                                                         "delay_ms": 150, "delay_after_commit": true, "count": 10_000])
        var orders: [Int64] = []
        var kills = 0
        for _ in 0..<30 {
            // Fresh work every round, delivered twice in both topic generations.
            for _ in 0..<2 {
                let created = try demo.control("POST", "/_control/shipbob/orders", [
                    "channel": ["id": 55176], "products": [["sku": "TS-BLU-M", "quantity": 1], ["sku": "JN-SLM-IND-32", "quantity": 2]]])
                let id = Int64(((try JSONSerialization.jsonObject(with: created.body) as? [String: Any])?["id"] as? NSNumber)?.int64Value ?? 0)
                XCTAssertGreaterThan(id, 0, created.text)
                orders.append(id)
                XCTAssertEqual(try demo.emit("order.shipped", orderID: id).status, 0)
                XCTAssertEqual(try demo.emit("order_shipped", orderID: id).status, 0)
            }
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Products.path("shipbob-to-syspro"))
            p.environment = ProcessInfo.processInfo.environment.merging(demo.env) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 5_000...450_000))
            if p.isRunning { kill(p.processIdentifier, SIGKILL); kills += 1 }
            p.waitUntilExit()
        }
        XCTAssertGreaterThan(kills, 10, "enough runs were killed mid-pass to mean something")
        _ = try demo.control("DELETE", "/_control/faults")
        let final = try demo.job("shipbob-to-syspro")
        XCTAssertEqual(final.status, 0, final.stderr)

        let byPo = Dictionary(grouping: try demo.salesOrders()) { ($0["CustomerPoNumber"] as? String ?? "").trimmingCharacters(in: .whitespaces) }
        for id in orders {
            XCTAssertEqual(byPo["SB\(id)"]?.count, 1, "ShipBob order \(id) is in SYSPRO exactly once (after \(kills) kills)")
        }
        XCTAssertEqual(demo.files("spool/shipbob/new"), [])
        XCTAssertEqual(demo.files("spool/shipbob/cur"), [])
    }
}
