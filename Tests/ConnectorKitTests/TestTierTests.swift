import Foundation
import XCTest

/// The fast tier (`swift test`) stays fast only if every end-to-end test class skips itself
/// without `ML_CONNECTOR_TESTS=full`: each must derive from EndToEndCase.
final class TestTierTests: XCTestCase {
    func testEveryEndToEndTestClassBelongsToTheFullTier() throws {
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("EndToEndTests")
        var strays: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: dir.path) where name.hasSuffix(".swift") && name != "EndToEndCase.swift" {
            let text = try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
            if text.range(of: #"class \w+\s*:\s*XCTestCase"#, options: .regularExpression) != nil { strays.append(name) }
        }
        XCTAssertEqual(strays, [], "derive these from EndToEndCase")
    }
}
