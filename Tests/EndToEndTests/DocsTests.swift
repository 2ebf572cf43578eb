import Foundation
import XCTest
import ConnectorKit
import GoLive
import ConnectorConfig

/// What README.md and docs/ tell users must be what the tests and CI actually use, and every
/// place they send a reader to must exist.
final class DocsTests: EndToEndCase {
    let root = Products.repoRoot

    func read(_ file: String) throws -> String { try String(contentsOfFile: root + "/" + file, encoding: .utf8) }

    /// README.md, SECURITY.md and every page under docs/.
    func pages() -> [String] {
        var out = ["README.md", "SECURITY.md"]
        let e = FileManager.default.enumerator(atPath: root + "/docs")
        while let f = e?.nextObject() as? String { if f.hasSuffix(".md") { out.append("docs/" + f) } }
        return out
    }

    /// The pages, Package.swift and every file under the directories that cite them.
    func citingFiles() -> [String] {
        var files = ["Package.swift"] + pages()
        for dir in ["Sources", "Tests", "scripts", "bench", "contrib"] {
            let e = FileManager.default.enumerator(atPath: root + "/" + dir)
            while let f = e?.nextObject() as? String { files.append(dir + "/" + f) }
        }
        return files
    }

    func testDeploymentGuideShowsTheNginxSnippetTheTestsUse() throws {
        let snippet = try read("etc/nginx-webhooks.conf")
        XCTAssertTrue(try read("docs/deployment.md").contains(snippet.trimmingCharacters(in: .whitespacesAndNewlines)),
                      "docs/deployment.md must quote etc/nginx-webhooks.conf verbatim")
    }

    func testCiRunsTheTestCommandTheReadmeGives() throws {
        XCTAssertTrue(try read("README.md").contains("./scripts/test"))
        XCTAssertTrue(try read(".ci/run").contains("./scripts/test"))
    }

    func testTheConfigExampleOfTheConfigurationGuideIsAValidConfig() throws {
        let text = try read("docs/configuration.md")
        let section = try XCTUnwrap(text.range(of: "## Configure a tenant"))
        let start = try XCTUnwrap(text.range(of: "```json\n", range: section.upperBound..<text.endIndex))
        let end = try XCTUnwrap(text.range(of: "```", range: start.upperBound..<text.endIndex))
        let path = NSTemporaryDirectory() + "docs-config-\(UUID().uuidString).json"
        try String(text[start.upperBound..<end.lowerBound]).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertNoThrow(try TenantConfig.load(path))
    }

    /// Code, scripts and docs send the reader to a section by file and heading
    /// (`docs/benchmarks.md, "Start-up"`): each must be a heading of that file. Vendor files
    /// are VendorFactsTests' to check.
    func testEverySectionCitedIsAHeadingOfTheFileNamed() throws {
        let pattern = try NSRegularExpression(pattern: #"(README\.md|SECURITY\.md|docs/[a-z-]+\.md),\s*(?:(?://+|#|\*)\s*)?"([^"]+)""#)
        var cited = 0
        for file in citingFiles() {
            guard let text = try? read(file) else { continue }
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let doc = (text as NSString).substring(with: m.range(at: 1))
                let name = (text as NSString).substring(with: m.range(at: 2))
                let headings = try read(doc).split(separator: "\n").filter { $0.hasPrefix("#") }
                cited += 1
                XCTAssertTrue(headings.contains { $0.contains(name) }, "\(file) cites \(doc), \"\(name)\", which is not a heading there")
            }
        }
        XCTAssertGreaterThan(cited, 20)
    }

    /// A README section moved into docs/ leaves no citation behind that names README alone.
    func testNothingCitesAReadmeSectionWithoutItsFile() throws {
        let pattern = try NSRegularExpression(pattern: #"README,\s*(?:(?://+|#|\*)\s*)?""#)
        let stale = citingFiles().filter { file in
            guard let text = try? read(file) else { return false }
            return pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        XCTAssertEqual(stale, [])
    }

    /// Every relative link of the pages resolves to a file, and every `#anchor` to a heading
    /// of it (GitHub's anchors: lower case, spaces to hyphens, punctuation dropped).
    func testEveryLinkBetweenThePagesResolves() throws {
        let link = try NSRegularExpression(pattern: #"\]\(([^)\s]+)\)"#)
        var checked = 0
        for page in pages() {
            let text = try read(page)
            let dir = (page as NSString).deletingLastPathComponent
            for m in link.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let target = (text as NSString).substring(with: m.range(at: 1))
                if target.hasPrefix("http://") || target.hasPrefix("https://") || target.hasPrefix("mailto:") { continue }
                let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
                let file = parts[0].isEmpty ? page : dir.isEmpty ? parts[0] : dir + "/" + parts[0]
                checked += 1
                guard let linked = try? read(file) else { XCTFail("\(page) links \(target): no file \(file)"); continue }
                if parts.count == 2 {
                    let anchors = linked.split(separator: "\n").filter { $0.hasPrefix("#") }.map { anchor(String($0)) }
                    XCTAssertTrue(anchors.contains(parts[1]), "\(page) links \(target): \(file) has no such heading")
                }
            }
        }
        XCTAssertGreaterThan(checked, 20)
    }

    func anchor(_ heading: String) -> String {
        let title = heading.drop { $0 == "#" }.trimmingCharacters(in: .whitespaces).lowercased()
        return String(title.compactMap { c -> Character? in
            if c == " " { return "-" }
            return c.isLetter || c.isNumber || c == "-" || c == "_" ? c : nil
        })
    }
}
