import Foundation
import XCTest

/// Kills `shipbob-to-syspro` with SIGKILL at varied points across many runs while SYSPRO
/// answers slowly after committing (so kills land between "posted" and "recorded"), then
/// lets one run finish: every order is in SYSPRO exactly once.
final class CrashEndToEndTests: XCTestCase {
    func testSigkillAtRandomPointsNeverLosesOrDoublesAnOrder() throws {
        let demo = try DemoTenant()
        defer { demo.stop() }
        let orders: [Int64] = [15949208, 15948959, 15947699, 15949210, 15949211, 15949212, 15949214, 15949218]
        for id in orders {
            XCTAssertEqual(try demo.emit("order.shipped", orderID: id).status, 0)
            XCTAssertEqual(try demo.emit("order_shipped", orderID: id).status, 0)
        }
        _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "Transaction/Post",
                                                         "delay_ms": 150, "delay_after_commit": true, "count": 10_000])
        var kills = 0
        for round in 0..<40 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: Products.path("shipbob-to-syspro"))
            p.environment = ProcessInfo.processInfo.environment.merging(demo.env) { $1 }
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            usleep(UInt32.random(in: 5_000...400_000))
            if p.isRunning { kill(p.processIdentifier, SIGKILL); kills += 1 }
            p.waitUntilExit()
            if round % 10 == 9 { XCTAssertEqual(try demo.emit("order.shipment.delivered", orderID: orders.randomElement()!).status, 0) }
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
