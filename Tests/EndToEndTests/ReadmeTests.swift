import Foundation
import XCTest
import ConnectorKit

/// What README.md tells users must be what the tests and CI actually use.
final class ReadmeTests: EndToEndCase {
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

    /// Code and docs send the reader to README sections by name ("README, \"Start-up\""):
    /// each must be a heading there.
    func testEverySectionTheSourcesSendTheReaderToIsAReadmeHeading() throws {
        let headings = try readme().split(separator: "\n").filter { $0.hasPrefix("#") }
        let pattern = try NSRegularExpression(pattern: #"README,\s*(?:(?://+|#|\*)\s*)?"([^"]+)""#)
        let root = Products.repoRoot
        var files = ["Package.swift", "SECURITY.md"]
        for dir in ["Sources", "scripts", "bench"] {
            let e = FileManager.default.enumerator(atPath: root + "/" + dir)
            while let f = e?.nextObject() as? String { files.append(dir + "/" + f) }
        }
        var cited = 0
        for file in files {
            guard let text = try? String(contentsOfFile: root + "/" + file, encoding: .utf8) else { continue }
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let name = String(text[Range(m.range(at: 1), in: text)!])
                cited += 1
                XCTAssertTrue(headings.contains { $0.contains(name) }, "\(file) cites README section \"\(name)\", which README.md lacks")
            }
        }
        XCTAssertGreaterThan(cited, 5)
    }
}
