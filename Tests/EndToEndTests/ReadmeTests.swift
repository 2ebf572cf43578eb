import Foundation
import XCTest
import ConnectorKit

/// What README.md tells users must be what the tests and CI actually use.
final class ReadmeTests: XCTestCase {
    func readme() throws -> String { try String(contentsOfFile: Products.repoRoot + "/README.md", encoding: .utf8) }

    func testReadmeShowsTheNginxSnippetTheTestsUse() throws {
        let snippet = try String(contentsOfFile: Products.repoRoot + "/etc/nginx-webhooks.conf", encoding: .utf8)
        XCTAssertTrue(try readme().contains(snippet.trimmingCharacters(in: .whitespacesAndNewlines)),
                      "README.md must quote etc/nginx-webhooks.conf verbatim")
    }

    func testCiRunsTheTestCommandTheReadmeGives() throws {
        let ci = try String(contentsOfFile: Products.repoRoot + "/.ci/run", encoding: .utf8)
        XCTAssertTrue(try readme().contains("scripts/test"))
        XCTAssertTrue(ci.contains("scripts/test"))
    }

    func testTheConfigExampleInTheReadmeIsAValidConfig() throws {
        let text = try readme()
        let section = try XCTUnwrap(text.range(of: "## Configure a tenant"))
        let start = try XCTUnwrap(text.range(of: "```json\n", range: section.upperBound..<text.endIndex))
        let end = try XCTUnwrap(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let path = NSTemporaryDirectory() + "readme-config-\(UUID().uuidString).json"
        try String(text[start.upperBound..<end.lowerBound]).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertNoThrow(try TenantConfig.load(path))
    }
}
