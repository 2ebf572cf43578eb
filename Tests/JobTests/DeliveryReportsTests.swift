import Foundation
import WebhookCore
import XCTest
import ConnectorKit
import Twilio
import Alerts

/// Twilio's status callbacks against the alerts they report on.
final class DeliveryReportsTests: XCTestCase {
    var dir: String!
    var outbox: SpoolQueue!
    var callbacks: SpoolQueue!
    var twilio: FakeTwilio!
    let id = "po-approved.P00874.0x01.kmo"

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "delivery-reports-" + UUID().uuidString
        outbox = SpoolQueue(root: dir + "/outbox")
        callbacks = SpoolQueue(root: dir + "/spool")
        try outbox.prepare()
        try callbacks.prepare()
        twilio = FakeTwilio()
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    var audit: AuditLog { AuditLog(directory: dir + "/audit", job: "po-alerts-twilio") }
    var attention: AttentionBox { AttentionBox(directory: dir + "/attention") }

    /// The callback as webhook-cgi spools it; the test's "seal" is the form itself.
    func spoolCallback(sid: String, status: String, errorCode: Int? = nil) throws {
        var form = "MessageSid=\(sid)&MessageStatus=\(status)"
        if let errorCode { form += "&ErrorCode=\(errorCode)" }
        var w = JSONObjectWriter()
        w.field("id", "\(sid).\(status)")
        w.field("received_at", UTC.iso8601(seconds: 1_000))
        w.field("sealed_body", form)
        w.field("source", "twilio")
        w.field("topic", status)
        _ = try callbacks.put(id: "\(sid).\(status)", data: Data(w.bytes))
    }

    func testAMessageFoundAlreadyUndeliveredIsParkedWhenItsReportComes() throws {
        let item = AlertItem(rule: "po-approved", table: "PorMasterHdr", record: "P00874", person: "kmo", from: "0", to: "1",
                             queued: 1_000, sealedBody: "PO P00874 approved")
        _ = try outbox.put(id: id, data: Data(item.bytes))
        // The create reached Twilio but its answer did not; by the lookup the handset had
        // already been found unreachable.
        twilio.script = [.unclearAfterCreating]
        let sender = AlertSender(gateway: twilio, outbox: outbox, deliveries: try JournaledMap<Delivery>(path: dir + "/deliveries.json"),
                                 audit: audit, attention: attention, phone: { _ in "+15555550101" }, openBody: { $0 }, seal: { _ in "sealed" },
                                 maxAttempts: 8, maxAge: 86_400, inFlightWindow: 70, backoff: { _ in 0 },
                                 sleep: { [twilio] _ in
                                     let m = twilio!.held[0]
                                     twilio!.held[0] = TwilioMessage(sid: m.sid, status: "undelivered", to: m.to, body: m.body, errorCode: 30003, created: m.created)
                                 }, now: { [twilio] in twilio!.clock })
        XCTAssertEqual(try sender.sendPending().found, 1)
        let sid = twilio.held[0].sid

        try spoolCallback(sid: sid, status: "undelivered", errorCode: 30003)
        let summary = try DeliveryReports(spool: callbacks, outbox: outbox, deliveries: try JournaledMap<Delivery>(path: dir + "/deliveries.json"),
                                          audit: audit, attention: attention, open: { Array($0.utf8) }, now: { 1_000 }).record()
        XCTAssertEqual(summary.undelivered, 1)
        XCTAssertEqual(try outbox.list(.failed), [id], "parked for `ml-connector replay`, as any undelivered SMS")
        XCTAssertTrue(Posix.exists(dir + "/attention/twilio-\(id).json"))
        XCTAssertEqual(try JournaledMap<Delivery>(path: dir + "/deliveries.json")[id]?.parked, true)
    }
}

/// The status poll (docs/vendors/twilio.md, "Status poll").
extension DeliveryReportsTests {
    /// Two alerts sent by the previous release, whose callbacks never came: deliveries.json
    /// as that release wrote it (no `polled`), the items in `outbox/twilio/done/`.
    func sentByThePreviousRelease(_ ids: [String: String]) throws -> JournaledMap<Delivery> {
        var snapshot = "{"
        for (n, (id, sid)) in ids.sorted(by: { $0.key < $1.key }).enumerated() {
            snapshot += (n > 0 ? "," : "") + #""\#(id)":{"attempts":1,"sid":"\#(sid)","started":1000,"status":"queued"}"#
            let item = AlertItem(rule: "po-approved", table: "PorMasterHdr", record: "P00874", person: String(id.split(separator: ".").last!),
                                 from: "0", to: "1", queued: 1_000, sealedBody: "PO P00874 approved")
            _ = try outbox.put(id: id, data: Data(item.bytes))
            XCTAssertTrue(try outbox.claim(id))
            try outbox.complete(id)
        }
        try Data((snapshot + "}").utf8).write(to: URL(fileURLWithPath: dir + "/deliveries.json"))
        return try JournaledMap<Delivery>(path: dir + "/deliveries.json")
    }

    func reports(_ deliveries: JournaledMap<Delivery>, now: Double) -> DeliveryReports {
        DeliveryReports(spool: callbacks, outbox: outbox, deliveries: deliveries, audit: audit, attention: attention,
                        open: { Array($0.utf8) }, now: { now })
    }

    func testThePollRecordsAFetchedStatusAsItsCallbackWouldOnStateOfThePreviousRelease() throws {
        let kmo = "po-approved.P00874.0x01.kmo", rlt = "po-approved.P00874.0x01.rlt"
        let deliveries = try sentByThePreviousRelease([kmo: "SM01", rlt: "SM02"])
        let held = ["SM01": TwilioMessage(sid: "SM01", status: "delivered", to: "+15555550101", body: "", created: 1_000),
                    "SM02": TwilioMessage(sid: "SM02", status: "undelivered", to: "+15555550102", body: "", errorCode: 30003, created: 1_000)]
        var fetched: [String] = []
        let early = try reports(deliveries, now: 1_000 + 599).poll(after: 600) { fetched.append($0); return held[$0] }
        XCTAssertEqual(fetched, [], "not yet: a callback may still come")
        XCTAssertEqual(early.fetched, 0)

        let polled = try reports(deliveries, now: 1_000 + 600).poll(after: 600) { fetched.append($0); return held[$0] }
        XCTAssertEqual(fetched.sorted(), ["SM01", "SM02"])
        XCTAssertEqual(polled.summary.recorded, 2)
        XCTAssertEqual(polled.summary.undelivered, 1)
        let reloaded = try JournaledMap<Delivery>(path: dir + "/deliveries.json")
        XCTAssertEqual(reloaded[kmo]?.status, "delivered")
        XCTAssertEqual(reloaded[rlt]?.status, "undelivered")
        XCTAssertEqual(reloaded[rlt]?.parked, true)
        XCTAssertEqual(try outbox.list(.failed), [rlt], "parked for `ml-connector replay`, as its callback would have done")
        XCTAssertTrue(Posix.exists(dir + "/attention/twilio-\(rlt).json"))

        // A late callback changes nothing more, and final statuses are not fetched again.
        try spoolCallback(sid: "SM02", status: "undelivered", errorCode: 30003)
        XCTAssertEqual(try reports(reloaded, now: 5_000).record().undelivered, 0)
        fetched = []
        _ = try reports(reloaded, now: 9_000).poll(after: 600) { fetched.append($0); return held[$0] }
        XCTAssertEqual(fetched, [])
    }

    func testAMessageWithoutAFinalStatusIsFetchedOncePerIntervalAndNotAfterItSettled() throws {
        let kmo = "po-approved.P00874.0x01.kmo"
        let deliveries = try sentByThePreviousRelease([kmo: "SM01"])
        var fetched = 0
        let sent = TwilioMessage(sid: "SM01", status: "sent", to: "+15555550101", body: "", created: 1_000)
        _ = try reports(deliveries, now: 2_000).poll(after: 600) { _ in fetched += 1; return sent }
        _ = try reports(deliveries, now: 2_100).poll(after: 600) { _ in fetched += 1; return sent }
        XCTAssertEqual(fetched, 1, "once per interval")
        XCTAssertEqual(deliveries[kmo]?.status, "sent")
        _ = try reports(deliveries, now: 2_700).poll(after: 600) { _ in fetched += 1; return sent }
        XCTAssertEqual(fetched, 2)
        _ = try reports(deliveries, now: 1_000 + TwilioFacts.statusSettled + 1).poll(after: 600) { _ in fetched += 1; return sent }
        XCTAssertEqual(fetched, 2, "a message this old has settled: not fetched")
    }

    struct Down: Error {}

    func testTwilioUnavailableEndsThePollAndTheNextRunPollsAgain() throws {
        let deliveries = try sentByThePreviousRelease(["po-approved.P00874.0x01.kmo": "SM01", "po-approved.P00874.0x01.rlt": "SM02"])
        var asked = 0
        let out = try reports(deliveries, now: 2_000).poll(after: 600) { _ in
            asked += 1
            throw Down()
        }
        XCTAssertEqual(asked, 1, "the first failure ends the poll")
        XCTAssertNotNil(out.stopped)
        XCTAssertNil(deliveries["po-approved.P00874.0x01.kmo"]?.polled)
    }
}
