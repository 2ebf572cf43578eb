import Foundation
import XCTest

/// The fidelity rule in the repository itself: each vendor fact is a section of
/// docs/vendors/<vendor>.md saying its source, how sure it is and what the sandbox enforces;
/// code cites those sections by heading, and nothing cites notes outside the repository.
final class VendorFactsTests: XCTestCase {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
    let vendors = ["syspro", "shipbob", "hubspot", "twilio"]

    func headings(_ vendor: String) throws -> Set<String> {
        let text = try String(contentsOfFile: root + "/docs/vendors/\(vendor).md", encoding: .utf8)
        return Set(text.components(separatedBy: "\n## ").dropFirst().map { String($0.prefix { $0 != "\n" }) })
    }

    func sources() -> [(path: String, text: String)] {
        var out: [(String, String)] = []
        for dir in ["Sources", "Tests"] {
            let e = FileManager.default.enumerator(atPath: root + "/" + dir)
            while let f = e?.nextObject() as? String {
                guard f.hasSuffix(".swift"), let text = try? String(contentsOfFile: root + "/" + dir + "/" + f, encoding: .utf8) else { continue }
                out.append((dir + "/" + f, text))
            }
        }
        return out
    }

    func testEveryFactSaysItsSourceStatusAndSandbox() throws {
        for vendor in vendors {
            let text = try String(contentsOfFile: root + "/docs/vendors/\(vendor).md", encoding: .utf8)
            for section in text.components(separatedBy: "\n## ").dropFirst() {
                for part in ["Source:", "Status:", "Sandbox:"] {
                    XCTAssertTrue(section.contains(part), "\(vendor).md, \"\(section.prefix { $0 != "\n" })\" lacks \(part)")
                }
            }
        }
    }

    func testEveryCitedSectionIsAHeadingOfItsVendorFile() throws {
        let known = Dictionary(uniqueKeysWithValues: try vendors.map { ($0, try headings($0)) })
        let pattern = try NSRegularExpression(pattern: #"docs/vendors/(\w+)\.md,\s*(?:(?://+|#|\*)\s*)?"([^"]+)""#)
        var cited = 0
        for (path, text) in sources() {
            for m in pattern.matches(in: text, range: NSRange(text.startIndex..., in: text)) {
                let vendor = (text as NSString).substring(with: m.range(at: 1))
                let heading = (text as NSString).substring(with: m.range(at: 2))
                    .replacingOccurrences(of: #"\s*\n\s*(?://+|#|\*)?\s*"#, with: " ", options: .regularExpression)
                cited += 1
                XCTAssertTrue(known[vendor]?.contains(heading) == true, "\(path) cites \"\(heading)\", not a heading of docs/vendors/\(vendor).md")
            }
        }
        XCTAssertGreaterThan(cited, 20, "the code cites its vendor facts by heading")
    }

    /// The notes the team kept outside the repository, by name (spelt in pieces so this file
    /// does not cite them itself).
    let outsideNotes = ["api" + "-notes", "DESIGN" + ".md", "../" + "shared"]

    func testNothingCitesNotesOutsideTheRepository() throws {
        var outside = sources().filter { s in outsideNotes.contains { s.text.contains($0) } }.map(\.path)
        let docs = (try FileManager.default.contentsOfDirectory(atPath: root + "/docs")).filter { $0.hasSuffix(".md") }.map { "docs/" + $0 }
        for doc in ["README.md", "SECURITY.md"] + docs {
            let text = try String(contentsOfFile: root + "/" + doc, encoding: .utf8)
            if outsideNotes.contains(where: text.contains) { outside.append(doc) }
        }
        XCTAssertEqual(outside, [])
    }
}
