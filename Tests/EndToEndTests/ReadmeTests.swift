import Foundation
import XCTest

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
}
