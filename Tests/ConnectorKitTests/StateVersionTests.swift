import ConnectorKit
import XCTest

final class StateVersionTests: XCTestCase {
    let temp = TempDir()
    var dir: String { temp.path }

    func testUnstampedStateIsVersionOneAndIsMigratedStepByStepToCurrent() throws {
        XCTAssertEqual(try StateVersion.read(dir), 1)
        final class Steps: @unchecked Sendable { var seen: [Int] = [] }
        let steps = Steps()
        let migrations = (1..<StateVersion.current).map { from in
            StateVersion.Migration(from: from, what: "step \(from)") { _ in steps.seen.append(from) }
        }
        try StateVersion.ensure(dir, migrations: migrations, logger: Logger(job: "test"))
        XCTAssertEqual(steps.seen, Array(1..<StateVersion.current))
        XCTAssertEqual(try StateVersion.read(dir), StateVersion.current)
        try StateVersion.ensure(dir, migrations: migrations, logger: Logger(job: "test"))
        XCTAssertEqual(steps.seen, Array(1..<StateVersion.current), "current state is not migrated again")
    }

    func testAMissingStepIsAnErrorAndLeavesTheVersionAlone() throws {
        XCTAssertThrowsError(try StateVersion.ensure(dir, migrations: [], logger: Logger(job: "test")))
        XCTAssertEqual(try StateVersion.read(dir), 1)
    }

    func testNewerStateIsRefusedWithAConfigurationError() throws {
        try Data(#"{"version":\#(StateVersion.current + 1)}"#.utf8).write(to: URL(fileURLWithPath: dir + "/state-version"))
        XCTAssertThrowsError(try StateVersion.ensure(dir, migrations: StateVersion.tenantMigrations, logger: Logger(job: "test"))) {
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .config)
            XCTAssertTrue("\($0)".contains("newer ml-connector"), "\($0)")
        }
    }
}
