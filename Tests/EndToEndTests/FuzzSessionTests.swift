import Foundation
import XCTest

/// A bounded libFuzzer session per harness in Tests/Fuzz (scripts/fuzz): the shipped corpus
/// first, then mutations for a few seconds, under AddressSanitizer. Fails on any crash, hang
/// (10 s for one input), or forgery a harness reports; the stderr tail names the input.
/// A fixed seed, so a failure here reproduces with the same command.
final class FuzzSessionTests: EndToEndCase {
    func fuzz(_ target: String, seconds: Int = 6, file: StaticString = #filePath, line: UInt = #line) throws {
        let result = try runProgram(Products.repoRoot + "/scripts/fuzz",
                                    [target, "-seed=1", "-runs=10000000", "-max_total_time=\(seconds)", "-print_final_stats=1"])
        XCTAssertEqual(result.status, 0, "scripts/fuzz \(target):\n" + String(result.stderr.suffix(4000)), file: file, line: line)
        XCTAssertTrue(result.stderr.contains("stat::number_of_executed_units"), "no session ran:\n\(result.stderr.suffix(2000))",
                      file: file, line: line)
    }

    func testWebhookRequestsNeitherCrashNorAcceptAnUnsignedDelivery() throws { try fuzz("webhook") }
    func testSignatureVerifiersAcceptOnlyTheTrueSignature() throws { try fuzz("verifiers") }
    func testJSONParserNeitherCrashesNorHangs() throws { try fuzz("json") }
    func testFormDecoderNeitherCrashesNorHangs() throws { try fuzz("form") }
    func testBase64DecoderAgreesWithItsEncoder() throws { try fuzz("base64") }
    func testSysproXMLParserNeitherCrashesNorHangs() throws { try fuzz("xml") }
    func testShipBobAnswersAndWebhookBodiesNeitherCrashNorHang() throws { try fuzz("shipbob") }
    func testHubSpotAnswersNeitherCrashNorHang() throws { try fuzz("hubspot") }
    func testTwilioAnswersNeitherCrashNorHang() throws { try fuzz("twilio") }
    func testSysproRESTAndODataAnswersNeitherCrashNorHang() throws { try fuzz("syspro") }
}
