import Foundation
import XCTest
import ConnectorKit
import Twilio
@testable import po_alerts_twilio

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
