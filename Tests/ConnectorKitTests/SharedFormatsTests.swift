import XCTest

@testable import ConnectorKit
import WebhookCore
import Secrets

/// webhook-cgi writes through WebhookCore's owners of the shared formats and the jobs read
/// (and write) through ConnectorKit's types on top of them: each test pins that what one
/// side writes is exactly what the other reads.
final class SharedFormatsTests: XCTestCase {
    func testAnEnvelopeWebhookCgiSpoolsIsReadByWebhookEnvelope() throws {
        let dir = TempDir()
        let key = try MasterKey.create(at: dir.file("master.key"))
        let raw = try Sealed.loadKeys(dir.file("master.key"))[0]
        let body = Array("{\"recipient\":\"Jane\"}".utf8)
        let spooled = SpoolEnvelope(id: "msg_1", source: "shipbob", topic: "order.shipped", receivedAt: "2027-01-15T08:00:00Z",
                                    headers: ["webhook-id": "msg_1"],
                                    sealedBody: try SpoolEnvelope.seal(body, key: raw, source: "shipbob"))
        let queue = StateLayout(root: dir.path).tenant("acme").spool("shipbob")
        try queue.prepare()
        XCTAssertEqual(try Maildir.put(root: StateLayout(root: dir.path).tenant("acme").spoolDirectory("shipbob"), id: "msg_1", bytes: spooled.bytes), .stored)

        let read = try WebhookEnvelope.read(try Posix.readFile(queue.path(.new, "msg_1")), key: key, path: "msg_1")
        XCTAssertEqual(read, WebhookEnvelope(id: "msg_1", source: "shipbob", topic: "order.shipped",
                                             receivedAt: Timestamp.parse("2027-01-15T08:00:00Z")!,
                                             headers: ["webhook-id": "msg_1"], body: Data(body)))
    }

    func testWebhookEnvelopeWritesTheEnvelopeWebhookCgiWrites() throws {
        let dir = TempDir()
        let key = try MasterKey.create(at: dir.file("master.key"))
        let e = WebhookEnvelope(id: "SM1.delivered", source: "twilio", topic: "delivered", receivedAt: Date(timeIntervalSince1970: 1_800_000_000),
                                headers: ["content-type": "application/x-www-form-urlencoded"], body: Data("To=%2B1555".utf8))
        let bytes = [UInt8](try e.sealedJSON(key: key))
        let spooled = try XCTUnwrap(SpoolEnvelope(try JSONValue.parse(bytes)))
        XCTAssertEqual(spooled.bytes, bytes, "the same fields in the same order")
        XCTAssertEqual(spooled.receivedAt, "2027-01-15T08:00:00Z")
        let raw = try Sealed.loadKeys(dir.file("master.key"))
        XCTAssertEqual(try Sealed.open(spooled.sealedBody, keys: raw, context: TwilioCallbackSettings.sealContext), Array(e.body),
                       "sealed under the context po-alerts-twilio opens callbacks with")
    }

    func testAnAuditLineWebhookCgiAppendsDecodesAsAnAuditEntry() throws {
        let dir = TempDir()
        // As webhook-cgi's Responder writes a refusal: detail always present, no target or personal.
        let line = AuditLine(ts: "2027-01-15T08:00:00Z", job: "webhook-cgi", action: "webhook", source: "shipbob", id: "-",
                             outcome: "refused", reason: "bad \"sig\"", detail: ["status": "401"])
        try line.append(to: dir.file("audit"))
        XCTAssertEqual(try String(contentsOfFile: dir.file("audit/2027-01-15.jsonl"), encoding: .utf8),
                       #"{"action":"webhook","detail":{"status":"401"},"id":"-","job":"webhook-cgi","outcome":"refused","reason":"bad \"sig\"","source":"shipbob","ts":"2027-01-15T08:00:00Z"}"# + "\n")
        let entries = try AuditLog(directory: dir.file("audit"), job: "other").entries(day: "2027-01-15")
        XCTAssertEqual(entries, [AuditEntry(action: "webhook", source: "shipbob", id: "-", outcome: "refused", reason: "bad \"sig\"",
                                            detail: ["status": "401"], job: "webhook-cgi", ts: Timestamp.parse("2027-01-15T08:00:00Z")!)])
    }

    func testAnAuditEntryTheJobsRecordReadsBackThroughAuditLine() throws {
        let dir = TempDir()
        let entry = AuditEntry(action: "order", source: "shipbob", id: "42", outcome: "attention", target: "syspro",
                               personal: "v1:x", ts: Date(timeIntervalSince1970: 1_800_000_000))
        try AuditLog(directory: dir.file("audit"), job: "shipbob-to-syspro").record(entry)
        let bytes = Array(try Posix.readFile(dir.file("audit/2027-01-15.jsonl")).dropLast())
        let line = try AuditLine(try JSONValue.parse(bytes))
        XCTAssertEqual(line.job, "shipbob-to-syspro", "the log's job fills an entry that names none")
        XCTAssertEqual(line.bytes, bytes)
        XCTAssertEqual(AuditEntry(line, ts: entry.ts), { var e = entry; e.job = "shipbob-to-syspro"; return e }())
        XCTAssertEqual(AuditLine.day(ofFile: "2027-01-15.jsonl"), "2027-01-15")
        XCTAssertNil(AuditLine.day(ofFile: ".refusals.jsonl"))
    }

    func testABatchOfAuditEntriesGoesToEachDayFileInOrder() throws {
        let dir = TempDir()
        let log = AuditLog(directory: dir.file("audit"), job: "j")
        let day2 = Date(timeIntervalSince1970: 1_800_000_000), day1 = day2.addingTimeInterval(-86_400)
        try log.record([AuditEntry(action: "a", source: "s", id: "2a", outcome: "ok", ts: day2),
                        AuditEntry(action: "a", source: "s", id: "1", outcome: "ok", ts: day1),
                        AuditEntry(action: "a", source: "s", id: "2b", outcome: "ok", ts: day2)])
        XCTAssertEqual(try log.entries(day: "2027-01-14").map(\.id), ["1"])
        XCTAssertEqual(try log.entries(day: "2027-01-15").map(\.id), ["2a", "2b"])
    }

    func testALogLineQuotesEveryValueTheSameWayForWebhookCgiAndTheJobs() {
        // webhook-cgi's 503 line once replaced `"` by `'` and left ids bare.
        XCTAssertEqual(Logfmt.line(ts: "2027-01-15T08:00:00Z", level: "error", job: "webhook-cgi", msg: "cannot accept webhook",
                                   ["source": "shipbob", "id": "a b", "reason": "config: \"x\" missing"]),
                       #"ts=2027-01-15T08:00:00Z level=error job=webhook-cgi msg="cannot accept webhook" source=shipbob id="a b" reason="config: \"x\" missing""# + "\n")
    }

    func testSecretsFileOpensWhatSecretStoreSeals() throws {
        let dir = TempDir()
        let key = try MasterKey.create(at: dir.file("master.key"))
        try SecretStore(path: dir.file("secrets.json"), key: key).set(SecretName.shipbobWebhookSecret, value: "whsec_abc")
        let file = try SecretsFile.read(dir.file("secrets.json"))
        XCTAssertEqual(file.names, [SecretName.shipbobWebhookSecret])
        let opened = try file.open(SecretName.shipbobWebhookSecret, keys: try Sealed.loadKeys(dir.file("master.key")))
        XCTAssertEqual(opened.map { String(decoding: $0, as: UTF8.self) }, "whsec_abc")
        XCTAssertNil(try file.open(SecretName.hubspotToken, keys: try Sealed.loadKeys(dir.file("master.key"))))
    }

    func testAMalformedSecretsFileIsADataErrorNamingIt() throws {
        let dir = TempDir()
        let key = try MasterKey.create(at: dir.file("master.key"))
        try "[\"v1:x\"]".write(toFile: dir.file("secrets.json"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try SecretStore(path: dir.file("secrets.json"), key: key).get("x")) {
            XCTAssertEqual("\($0)", "\(dir.file("secrets.json")): is not a JSON object of sealed values")
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .dataError)
        }
    }

    func testAFailedSystemCallIsOneErrorNamingOperationPathAndReason() {
        XCTAssertThrowsError(try Posix.readBytes("/nonexistent/secrets.json")) {
            XCTAssertEqual("\($0)", "open /nonexistent/secrets.json: No such file or directory")
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .ioError, "a job ends with 74")
        }
    }

    func testTenantPathsNameTheQueuesTheJobsOpen() {
        let tenant = StateLayout(root: "/state/").tenant("acme")
        XCTAssertEqual(tenant.spoolDirectory("shipbob"), "/state/tenants/acme/spool/shipbob")
        XCTAssertEqual(tenant.spool("shipbob").root, tenant.spoolDirectory("shipbob"))
        XCTAssertEqual(tenant.outbox("twilio").root, "/state/tenants/acme/outbox/twilio")
        XCTAssertEqual(tenant.queue("outbox/twilio").root, tenant.outboxDirectory("twilio"))
        XCTAssertEqual(tenant.audit, "/state/tenants/acme/audit")
        XCTAssertEqual(tenant.lock("shipbob-to-syspro"), "/state/tenants/acme/locks/shipbob-to-syspro.lock")
    }
}
