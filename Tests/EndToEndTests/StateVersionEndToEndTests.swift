import Foundation
import XCTest

/// The state format version: state from before versions were kept is migrated by the first
/// run and nothing is posted again; state a newer build wrote is refused untouched.
final class StateVersionEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    var stamps: [String] { [demo.state + "/state-version", demo.tenantDir + "/state-version"] }

    func version(_ path: String) throws -> Int {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path))) as! [String: Any]
        return (json["version"] as! NSNumber).intValue
    }

    func table(_ name: String) throws -> [[String: Any]] {
        try HTTP.json(demo.sandboxURL + "/_control/syspro/tables/" + name) as! [[String: Any]]
    }

    func testInitStampsNewStateWithThisBuildsVersion() throws {
        for s in stamps { XCTAssertEqual(try version(s), 2, s) }
    }

    func testStateFromBeforeVersionsIsMigratedByTheFirstRunAndNothingIsPostedAgain() throws {
        XCTAssertEqual(try demo.job("shipbob-to-syspro", ["--reconcile"]).status, 0)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        let orders = try demo.salesOrders().count, movements = try table("InvMovements").count
        XCTAssertGreaterThan(orders, 0)
        // The state as the previous release left it: no stamp anywhere.
        for s in stamps { try FileManager.default.removeItem(atPath: s) }
        let status = try demo.job("ml-connector", ["status", "--tenant", "demo"])
        XCTAssertTrue(status.stdout.contains("state version 1, migrated at the next run"), status.stdout)

        let r = try demo.job("shipbob-to-syspro", ["--reconcile"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.contains("state migrated"), r.stderr)
        XCTAssertEqual(try demo.job("shipbob-to-syspro").status, 0)
        for s in stamps { XCTAssertEqual(try version(s), 2, s) }
        XCTAssertEqual(try demo.salesOrders().count, orders, "no order imported twice")
        XCTAssertEqual(try table("InvMovements").count, movements, "no receipt posted twice")
        XCTAssertTrue(try demo.job("ml-connector", ["status", "--tenant", "demo"]).stdout.contains("(state version 2)"))
    }

    func testStateFromANewerBuildIsRefusedUntouched() throws {
        try Data(#"{"version":99}"#.utf8).write(to: URL(fileURLWithPath: demo.tenantDir + "/state-version"))
        _ = try demo.control("DELETE", "/_control/requests")
        let r = try demo.job("shipbob-to-syspro", ["--reconcile"])
        XCTAssertEqual(r.status, 78, r.stderr)
        XCTAssertTrue(r.stderr.contains("state version 99 was written by a newer ml-connector"), r.stderr)
        XCTAssertEqual((try HTTP.json(demo.sandboxURL + "/_control/requests") as! [Any]).count, 0, "no vendor was called")
        XCTAssertEqual(try version(demo.tenantDir + "/state-version"), 99)
        let status = try demo.job("ml-connector", ["status", "--tenant", "demo"])
        XCTAssertEqual(status.status, 2)
        XCTAssertTrue(status.stdout.contains("newer ml-connector"), status.stdout)
    }
}
