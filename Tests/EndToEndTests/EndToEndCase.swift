import XCTest

/// The end-to-end tier: tests that start ml-sandbox, nginx and fcgiwrap, install the programs,
/// kill jobs mid-run, soak or fuzz. They run under `scripts/test` (which sets
/// `ML_CONNECTOR_TESTS=full`), so that a bare `swift test` stays the fast tier a developer
/// runs after every change (unit, client and job tests).
class EndToEndCase: XCTestCase {
    static let tierVariable = "ML_CONNECTOR_TESTS"

    override func setUpWithError() throws {
        try super.setUpWithError()
        try super.setUpWithError()
        try XCTSkipUnless(ProcessInfo.processInfo.environment[Self.tierVariable] == "full",
                          "end-to-end tier: run scripts/test, or set \(Self.tierVariable)=full")
    }
}
