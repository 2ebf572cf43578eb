import XCTest

/// Every program but the sandbox starts without Foundation's internationalization (ICU): a
/// single unconditional `import Foundation` in any module a job links brings it back, and with
/// it about 3.5 MB more peak RSS and several ms on every start (docs/benchmarks.md, "Start-up").
/// Files take FoundationEssentials where the toolchain has it, Foundation only as the fallback.
final class FoundationImportTests: XCTestCase {
    func testNoModuleAProgramLinksImportsFoundationWhole() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources").path
        let exempt: Set<String> = ["Sandbox", "ml-sandbox"]
        var offenders: [String] = []
        for module in try FileManager.default.contentsOfDirectory(atPath: sources) where !exempt.contains(module) {
            let dir = sources + "/" + module
            for file in FileManager.default.enumerator(atPath: dir)?.compactMap({ $0 as? String }) ?? [] where file.hasSuffix(".swift") {
                let lines = try String(contentsOfFile: dir + "/" + file, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
                for (i, line) in lines.enumerated() {
                    let whole = line == "import Foundation" && !(i > 0 && lines[i - 1].hasPrefix("#else"))
                    if whole || line.hasPrefix("import FoundationInternationalization") || line.hasPrefix("import FoundationNetworking") {
                        offenders.append("\(module)/\(file):\(i + 1)")
                    }
                }
            }
        }
        XCTAssertEqual(offenders, [], "import FoundationEssentials under #if canImport(FoundationEssentials) instead")
    }
}
