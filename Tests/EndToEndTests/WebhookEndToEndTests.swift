import Foundation
import WebhookCore
import XCTest
import ConnectorKit

/// webhook-cgi through a real nginx + fcgiwrap: what is accepted is spooled exactly
/// once; every refusal answers the documented status, writes one audit line, spools nothing.
final class WebhookEndToEndTests: EndToEndCase {
    var work: String!
    var state: String { work + "/state" }
    var stack: WebStack!
    let secret = "whsec_" + Data((0..<24).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()

    override func setUpWithError() throws {
        try super.setUpWithError()
        work = NSTemporaryDirectory() + "mlc-e2e-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let initResult = try runProgram("ml-connector", ["init", "--tenant", "acme", "--state", state])
        XCTAssertEqual(initResult.status, 0, initResult.stderr)
        let set = try runProgram("ml-connector", ["secret", "set", "shipbob_webhook_secret", "--tenant", "acme", "--state", state], stdin: secret + "\n")
        XCTAssertEqual(set.status, 0, set.stderr)
        stack = try WebStack(state: state, workdir: work + "/web")
    }

    override func tearDownWithError() throws {
        stack?.stop()
        if let work { try? FileManager.default.removeItem(atPath: work) }
    }

    var spoolNew: [String] { (try? FileManager.default.contentsOfDirectory(atPath: state + "/tenants/acme/spool/shipbob/new")) ?? [] }

    func auditLines(_ tenant: String? = "acme") -> [[String: Any]] {
        let dir = tenant.map { state + "/tenants/\($0)/audit" } ?? state + "/audit"
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
        return files.flatMap { f -> [[String: Any]] in
            let text = (try? String(contentsOfFile: dir + "/" + f, encoding: .utf8)) ?? ""
            return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
    }

    func post(id: String = "msg_" + UUID().uuidString.replacingOccurrences(of: "-", with: ""),
              topic: String? = "order.shipped", body: String = #"{"id": 15949208}"#,
              timestamp: Int64 = Int64(Date().timeIntervalSince1970), signWith: String? = nil,
              omit: Set<String> = [], method: String = "POST", tenant: String = "acme") throws -> HTTP.Response {
        let signer = try StandardWebhooks(secret: signWith ?? secret)
        var headers = ["content-type": "application/json",
                       "webhook-id": id, "webhook-timestamp": String(timestamp),
                       "webhook-signature": signer.signature(id: id, timestamp: timestamp, body: Array(body.utf8))]
        if let topic { headers["x-webhook-topic"] = topic }
        for h in omit { headers.removeValue(forKey: h) }
        return try HTTP.request(method, stack.url(tenant: tenant), headers: headers, body: method == "GET" ? nil : Data(body.utf8))
    }

    func testSignedDeliveryIsSpooledOnceAndARedeliveryAlsoAnswers200() throws {
        let first = try post(id: "msg_same")
        XCTAssertEqual(first.status, 200, first.text)
        let again = try post(id: "msg_same")
        XCTAssertEqual(again.status, 200, again.text)
        XCTAssertEqual(spoolNew, ["msg_same"])
        let path = state + "/tenants/acme/spool/shipbob/new/msg_same"
        let spooled = try Data(contentsOf: URL(fileURLWithPath: path))
        XCTAssertFalse(String(decoding: spooled, as: UTF8.self).contains("15949208"), "the body is sealed at rest")
        let envelope = try WebhookEnvelope.read(spooled, key: try MasterKey.load(from: state + "/master.key"), path: path)
        XCTAssertEqual(envelope.topic, "order.shipped")
        XCTAssertEqual(String(decoding: envelope.body, as: UTF8.self), #"{"id": 15949208}"#, "raw body bytes are kept")
        XCTAssertEqual(auditLines().compactMap { $0["outcome"] as? String }.sorted(), ["accepted", "duplicate"])
    }

    func testLegacyTopicHeaderIsAcceptedAndASignedDeliveryWithoutATopicIsSpooledToo() throws {
        let r = try post(topic: nil, omit: [], method: "POST")
        XCTAssertEqual(r.status, 200, "a signed delivery is never refused for its topic (docs/vendors/shipbob.md, \"Webhook topics and payload shapes\")")
        XCTAssertEqual(spoolNew.count, 1)
        let untopical = try WebhookEnvelope.read(try Data(contentsOf: URL(fileURLWithPath: state + "/tenants/acme/spool/shipbob/new/" + spoolNew[0])),
                                                 key: try MasterKey.load(from: state + "/master.key"), path: spoolNew[0])
        XCTAssertEqual(untopical.topic, "", "left for shipbob-to-syspro to place")
        let signer = try StandardWebhooks(secret: secret)
        let ts = Int64(Date().timeIntervalSince1970)
        let body = #"{"id": 1}"#
        let legacy = try HTTP.request("POST", stack.url(tenant: "acme"), headers: [
            "shipbob-topic": "order_shipped", "shipbob-subscription-id": "1582", "webhook-id": "msg_legacy",
            "webhook-timestamp": String(ts), "webhook-signature": signer.signature(id: "msg_legacy", timestamp: ts, body: Array(body.utf8))],
            body: Data(body.utf8))
        XCTAssertEqual(legacy.status, 200, legacy.text)
        XCTAssertEqual(spoolNew.sorted(), [untopical.id, "msg_legacy"].sorted())
    }

    func testForgedStaleAndMalformedDeliveriesAreRefusedAuditedAndNotSpooled() throws {
        let otherSecret = "whsec_" + Data(repeating: 7, count: 24).base64EncodedString()
        let cases: [(HTTP.Response, Int, String)] = [
            (try post(signWith: otherSecret), 401, "no v1 signature matches"),
            (try post(timestamp: Int64(Date().timeIntervalSince1970) - 301), 401, "older than the tolerance"),
            (try post(timestamp: Int64(Date().timeIntervalSince1970) + 400), 401, "ahead"),
            (try post(omit: ["webhook-signature"]), 400, "missing header webhook-signature"),
            (try post(omit: ["webhook-id"]), 400, "missing header webhook-id"),
            (try post(omit: ["webhook-timestamp"]), 400, "missing header webhook-timestamp"),
            (try post(method: "GET"), 405, "method GET not allowed"),
            (try post(tenant: "nosuch"), 404, "unknown tenant nosuch"),
            (try post(id: "msg_big", body: String(repeating: "x", count: 1_048_577)), 413, "exceeds the limit"),
        ]
        for (response, status, reason) in cases {
            XCTAssertEqual(response.status, status, "\(reason): \(response.text)")
        }
        XCTAssertEqual(spoolNew, [])
        let refusals = auditLines().filter { ($0["outcome"] as? String) == "refused" } + auditLines(nil)
        XCTAssertEqual(refusals.count, cases.count)
        for (_, status, reason) in cases {
            XCTAssertTrue(refusals.contains { ($0["reason"] as? String ?? "").contains(reason) && (($0["detail"] as? [String: String])?["status"] == String(status)) },
                          "audit has \(status) \(reason)")
        }
    }

    func testUnwritableSpoolAnswers503WithRetryAfterSoShipBobRetries() throws {
        let newDir = state + "/tenants/acme/spool/shipbob/new"
        try FileManager.default.removeItem(atPath: newDir)
        try "not a directory".write(toFile: newDir, atomically: false, encoding: .utf8)
        let r = try post(id: "msg_later")
        XCTAssertEqual(r.status, 503, r.text)
        XCTAssertEqual(r.headers["retry-after"], "60")
        try FileManager.default.removeItem(atPath: newDir)
        try FileManager.default.createDirectory(atPath: newDir, withIntermediateDirectories: false)
        // The retried delivery must now be accepted, not dismissed as a duplicate.
        XCTAssertEqual(try post(id: "msg_later").status, 200)
        XCTAssertEqual(spoolNew, ["msg_later"])
    }

    /// Answers handed from the posting threads to the test.
    final class Answers: @unchecked Sendable {
        private let lock = NSLock()
        private var all: [Result<HTTP.Response, Error>] = []
        func add(_ r: Result<HTTP.Response, Error>) { lock.withLock { all.append(r) } }
        var list: [Result<HTTP.Response, Error>] { lock.withLock { all } }
    }

    /// Posts the same signed delivery `count` times at once through nginx.
    func parallelPosts(id: String, count: Int) throws -> [Result<HTTP.Response, Error>] {
        let body = #"{"id": 15949208}"#, ts = Int64(Date().timeIntervalSince1970)
        let headers = ["content-type": "application/json", "x-webhook-topic": "order.shipped",
                       "webhook-id": id, "webhook-timestamp": String(ts),
                       "webhook-signature": try StandardWebhooks(secret: secret).signature(id: id, timestamp: ts, body: Array(body.utf8))]
        let url = stack.url(tenant: "acme"), answers = Answers()
        DispatchQueue.concurrentPerform(iterations: count) { _ in
            answers.add(Result { try HTTP.request("POST", url, headers: headers, body: Data(body.utf8)) })
        }
        return answers.list
    }

    func testParallelDeliveriesOfOneIdWhileNewCannotBeWrittenAreNeverAcknowledged() throws {
        let newDir = state + "/tenants/acme/spool/shipbob/new"
        try FileManager.default.removeItem(atPath: newDir)
        try "not a directory".write(toFile: newDir, atomically: false, encoding: .utf8)
        let answers = try parallelPosts(id: "msg_racing", count: 20).map { try $0.get() }
        for r in answers {
            XCTAssertNotEqual(r.status, 200, "told ShipBob it was stored while nothing was: \(r.text)")
            XCTAssertEqual(r.status, 503, r.text)
            XCTAssertEqual(r.headers["retry-after"], "60")
        }
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: state + "/tenants/acme/spool/shipbob/ids"), [],
                       "the id stays free for ShipBob's retry")
        try FileManager.default.removeItem(atPath: newDir)
        try FileManager.default.createDirectory(atPath: newDir, withIntermediateDirectories: false)
        XCTAssertEqual(try post(id: "msg_racing").status, 200)
        XCTAssertEqual(spoolNew, ["msg_racing"])
    }

    func testParallelDuplicatesOfOneIdSpoolOnceAndAreAnswered200Or503WithRetryAfter() throws {
        let answers = try parallelPosts(id: "msg_dup", count: 20).map { try $0.get() }
        XCTAssertEqual(spoolNew, ["msg_dup"], "exactly one spooled")
        for r in answers {
            XCTAssertTrue(r.status == 200 || (r.status == 503 && r.headers["retry-after"] == "60"), "\(r.status) \(r.text)")
        }
        XCTAssertEqual(answers.filter { $0.status == 200 && $0.text == "accepted\n" }.count, 1, "the committed delivery is acknowledged")
        XCTAssertEqual(auditLines().filter { $0["outcome"] as? String == "accepted" }.count, 1)
    }

    /// Anyone can send refusals: a line may not be as long as the forger's headers, and a
    /// flood is counted instead of written line by line (`RefusalBudget`).
    func testTwoHundredForgedDeliveriesWithHugeIdsAddLessThan200KBToTheAudit() throws {
        let otherSecret = "whsec_" + Data(repeating: 9, count: 24).base64EncodedString()
        let auditDir = state + "/tenants/acme/audit"
        func auditBytes() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: auditDir)) ?? []).reduce(0) { sum, f in
                sum + (((try? FileManager.default.attributesOfItem(atPath: auditDir + "/" + f))?[.size] as? Int) ?? 0)
            }
        }
        let before = auditBytes()
        for n in 0..<200 {
            let id = "msg_" + String(repeating: "f", count: 7_900) + String(n)
            let r = try post(id: id, signWith: otherSecret)
            XCTAssertEqual(r.status, 401, r.text)
        }
        let added = auditBytes() - before
        XCTAssertLessThan(added, 200_000, "the audit grew by \(added) bytes")
        let refused = auditLines().filter { $0["outcome"] as? String == "refused" }
        XCTAssertFalse(refused.isEmpty, "refusals are still audited")
        for line in refused { XCTAssertLessThanOrEqual((line["id"] as? String ?? "").utf8.count, 200, "ids are cut") }
        XCTAssertEqual(spoolNew, [])
    }
}
