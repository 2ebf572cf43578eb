import Foundation
import XCTest

/// `ml-connector ping` and `config check` against the sandbox: each system answers for
/// itself, and a failure names the system, the reason and the exit status.
final class OperatorToolEndToEndTests: EndToEndCase {
    var demo: DemoTenant!

    override func setUpWithError() throws { try super.setUpWithError(); demo = try DemoTenant(webStack: false) }
    override func tearDown() { demo?.stop() }

    func testPingReachesEverySystemOfAWiredTenant() throws {
        let r = try demo.job("ml-connector", ["ping"])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("ok    SYSPRO e.net"), r.stdout)
        XCTAssertTrue(r.stdout.contains("ok    SYSPRO OData"), r.stdout)
        XCTAssertTrue(r.stdout.contains("ok    ShipBob: 3 channel(s)"), r.stdout)
    }

    func testPingNamesTheSystemThatFailsAndGoesOnWithTheOthers() throws {
        _ = try demo.control("POST", "/_control/faults", ["service": "syspro", "path_contains": "Logon", "status": 503, "count": 100])
        let r = try demo.job("ml-connector", ["ping"])
        XCTAssertEqual(r.status, 69, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("FAIL  SYSPRO e.net"), r.stdout)
        XCTAssertTrue(r.stdout.contains("ok    ShipBob"), "the other systems are still checked: \(r.stdout)")
    }

    func testPingWithAWrongPasswordIsAConfigurationError() throws {
        let set = try runProgram("ml-connector", ["secret", "set", "syspro_operator_password"], env: demo.env, stdin: "wrong\n")
        XCTAssertEqual(set.status, 0, set.stderr)
        let r = try demo.job("ml-connector", ["ping"])
        XCTAssertEqual(r.status, 78, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("FAIL  SYSPRO e.net") && r.stdout.contains("Invalid operator password"), r.stdout)
    }

    func testConfigCheckNamesFileKeyAndExpectation() throws {
        XCTAssertEqual(try demo.job("ml-connector", ["config", "check"]).stdout, "ok demo\n")
        try demo.editConfig { config in
            var syspro = config["syspro"] as! [String: Any]
            syspro["session_timeout_minutes"] = "twenty"
            config["syspro"] = syspro
        }
        let r = try demo.job("ml-connector", ["config", "check"])
        XCTAssertEqual(r.status, 78)
        XCTAssertTrue(r.stdout.contains("config.json: syspro.session_timeout_minutes expected an integer"), r.stdout)
    }
}
