import Alerts
import GoLive
import ShipBob
import Syspro
import Twilio
import XCTest

@testable import ConnectorKit
import ConnectorConfig

/// A config every test starts from, and how tests load one and expect its error.
enum ConfigFixture {
    static let valid = """
    {"syspro": {"rest_url": "https://erp.example.com:31002/SYSPROWCFService/Rest", "odata_url": "https://erp.example.com/SYSPRO8Odata/SYSPROOData",
                "operator": "ADMIN", "company_id": "FASHION", "odata_user": "odata", "order_warehouse": "FG", "time_zone": "America/Chicago"},
     "shipbob": {"api_url": "https://api.shipbob.com/2026-07", "auth": "pat", "channel_id": 55176},
     "mappings": {"channel_customers": {"55176": "0000100"}, "sku_stock_codes": {"TShirtBlueM": "TS-BLU-M"}}}
    """
}

extension XCTestCase {
    func load(_ text: String) throws -> TenantConfig {
        let dir = TempDir()
        try text.write(toFile: dir.file("config.json"), atomically: true, encoding: .utf8)
        return try TenantConfig.load(dir.file("config.json"))
    }

    func assertConfigError(_ text: String, key: String, contains: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try load(text), file: file, line: line) { error in
            guard let e = error as? ConfigError else { return XCTFail("not a ConfigError: \(error)", file: file, line: line) }
            XCTAssertEqual(e.key, key, file: file, line: line)
            XCTAssertTrue(e.description.contains(contains), "\(e.description)", file: file, line: line)
            XCTAssertTrue(e.description.contains("config.json"), file: file, line: line)
            XCTAssertEqual(e.exitStatus, .config, file: file, line: line)
        }
    }
}

final class ConfigTests: XCTestCase {
    let valid = ConfigFixture.valid

    func testLoadsAValidConfigWithDefaults() throws {
        let c = try load(valid)
        XCTAssertEqual(c.syspro.sessionTimeoutMinutes, 30)
        XCTAssertEqual(c.webhook.maxBodyBytes, 1_048_576)
        XCTAssertEqual(c.webhook.toleranceSeconds, 300)
        XCTAssertEqual(c.mappings.channelCustomers["55176"], "0000100")
        XCTAssertEqual(c.shipbob.channelID, 55176)
    }

    func testNamesAMissingKey() {
        assertConfigError(valid.replacingOccurrences(of: #""operator": "ADMIN", "#, with: ""), key: "syspro.operator", contains: "missing")
    }

    func testNamesAKeyOfTheWrongTypeAndWhatWasExpected() {
        assertConfigError(valid.replacingOccurrences(of: #""channel_id": 55176"#, with: #""channel_id": "x""#),
                          key: "shipbob.channel_id", contains: "expected an integer")
    }

    func testRejectsAMisspeltKey() {
        assertConfigError(valid.replacingOccurrences(of: "order_warehouse", with: "order_warehous"), key: "syspro.order_warehous", contains: "not a known setting")
    }

    func testRejectsAUrlThatIsNotHttp() {
        assertConfigError(valid.replacingOccurrences(of: "https://api.shipbob.com/2026-07", with: "ftp://x"), key: "shipbob.api_url", contains: "http(s) URL")
    }

    func testOAuthRequiresTokenUrlAndClientId() {
        assertConfigError(valid.replacingOccurrences(of: #""auth": "pat""#, with: #""auth": "oauth""#), key: "shipbob.token_url", contains: "required")
    }

    func testRejectsAnUnknownAuthKind() {
        assertConfigError(valid.replacingOccurrences(of: #""auth": "pat""#, with: #""auth": "basic""#), key: "shipbob.auth", contains: #"expected "pat" or "oauth", found "basic""#)
    }

    func testMissingFileSaysHowToCreateIt() {
        XCTAssertThrowsError(try TenantConfig.load("/nonexistent/config.json")) {
            XCTAssertTrue("\($0)".contains("ml-connector init"))
        }
    }

    func testInvalidJsonIsReportedAsSuch() {
        assertConfigError("{", key: "(file)", contains: "not valid JSON")
    }

    /// A job checks the sections it reads; a mistake in another is for `config check` (and
    /// the job that reads it) to refuse.
    func testAJobRefusesOnlyTheSectionsItReads() throws {
        let broken = String(valid.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()) + #", "alerts": {"max_length": 0}}"#
        let dir = TempDir()
        try broken.write(toFile: dir.file("config.json"), atomically: true, encoding: .utf8)
        XCTAssertNoThrow(try TenantConfig.load(dir.file("config.json"), sections: [SysproSettings.self, ShipBobSettings.self]))
        XCTAssertThrowsError(try TenantConfig.load(dir.file("config.json"), sections: [TwilioSettings.self, AlertSettings.self])) {
            XCTAssertEqual(($0 as? ConfigError)?.key, "alerts.max_length")
        }
        assertConfigError(broken, key: "alerts.max_length", contains: "1 to 1600")
    }

    func testEverySectionTheFileMayHaveHasAnOwner() {
        let kit: Set<String> = ["webhook", "http", "mappings", "inventory", "reconcile", "monitor"]
        XCTAssertEqual(kit.union(TenantConfig.everySection.map { $0.key }), TenantConfig.sectionKeys)
        XCTAssertEqual(TenantConfig.everySection.count + kit.count, TenantConfig.sectionKeys.count)
    }
}
