import Foundation
import XCTest
import ConnectorKit
import Twilio
import Alerts

/// A Twilio that answers each create with the next scripted outcome (creating the message
/// first when the script says it reached Twilio) and lists what it holds.
final class FakeTwilio: SMSGateway {
    enum Step { case accept, refuse(Int), rateLimited, unclearAfterCreating, unclearWithoutCreating }
    var script: [Step] = []
    var held: [TwilioMessage] = []
    var creates = 0
    var lists = 0
    var clock: Double = 1_000

    func create(to: String, body: String) throws -> SendOutcome {
        creates += 1
        let step = script.isEmpty ? .accept : script.removeFirst()
        func make() -> TwilioMessage {
            let m = TwilioMessage(sid: "SM" + String(format: "%032x", held.count + 1), status: "queued", to: to, body: body, created: clock)
            held.append(m)
            return m
        }
        switch step {
        case .accept: return .accepted(make())
        case .refuse(let code): return .refused(code: code, message: "The 'To' number \(to) is not a valid phone number.")
        case .rateLimited: return .notSent("HTTP 429 20429 Too Many Requests")
        case .unclearAfterCreating: _ = make(); return .unknown("HTTP 500")
        case .unclearWithoutCreating: return .unknown("timeout")
        }
    }

    func recent(to: String, since: Double) throws -> [TwilioMessage] {
        lists += 1
        return held.filter { $0.to == to && ($0.created ?? 0) >= since }.reversed()
    }
}

final class AlertSenderTests: XCTestCase {
    var dir: String!
    var outbox: SpoolQueue!
    var twilio: FakeTwilio!
    var phones = ["kmo": "+15555550101"]

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "alert-sender-" + UUID().uuidString
        outbox = SpoolQueue(root: dir + "/outbox")
        try outbox.prepare()
        twilio = FakeTwilio()
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func sender(maxAttempts: Int = 8, maxAge: Double = 86_400) throws -> AlertSender {
        AlertSender(gateway: twilio, outbox: outbox, deliveries: try JournaledMap<Delivery>(path: dir + "/deliveries.json"),
                    audit: AuditLog(directory: dir + "/audit", job: "po-alerts-twilio"), attention: AttentionBox(directory: dir + "/attention"),
                    phone: { [phones] in phones[$0] }, openBody: { $0 }, seal: { "sealed:\($0.count)" },
                    maxAttempts: maxAttempts, maxAge: maxAge, inFlightWindow: 70, backoff: { _ in 0 }, sleep: { _ in },
                    now: { [twilio] in twilio!.clock })
    }

    func queue(_ id: String = "po-approved.P00874.0x01.kmo", person: String = "kmo", queued: Double = 1_000) throws {
        let item = AlertItem(rule: "po-approved", table: "PorMasterHdr", record: "P00874", person: person, from: "0", to: "1",
                             queued: queued, sealedBody: "PO P00874 approved")
        _ = try outbox.put(id: id, data: Data(item.bytes))
    }

    /// What a run killed mid-request leaves: its attempt journaled (now), no answer recorded.
    func journalAttemptCutShort(_ id: String) throws {
        var d = Delivery()
        d.attempts = 1
        d.started = twilio.clock
        try JournaledMap<Delivery>(path: dir + "/deliveries.json").record(id, d)
    }

    func audit() throws -> [AuditEntry] {
        try AuditLog(directory: dir + "/audit", job: "").entries(day: Timestamp.day(Date()))
    }

    func testAnAcceptedMessageIsDoneWithItsSidInTheAudit() throws {
        try queue()
        let s = try sender().sendPending()
        XCTAssertEqual(s.sent, 1)
        XCTAssertEqual(try outbox.list(.done), ["po-approved.P00874.0x01.kmo"])
        XCTAssertEqual(try audit().map(\.target), [twilio.held[0].sid])
        XCTAssertEqual(try audit().first?.personal, "sealed:\(AlertSender.personal("+15555550101", "PO P00874 approved").count)")
    }

    func testARefusalParksAtOnceWithoutTheNumberInTheReason() throws {
        try queue()
        twilio.script = [.refuse(21211)]
        let s = try sender().sendPending()
        XCTAssertEqual(s.parked, 1)
        XCTAssertEqual(twilio.creates, 1, "permanent: not retried")
        let why = try XCTUnwrap(outbox.reason("po-approved.P00874.0x01.kmo"))
        XCTAssertTrue(why.contains("21211") && why.contains("phone.kmo") && !why.contains("+1555"), why)
        XCTAssertEqual(try AttentionBox(directory: dir + "/attention").all().count, 1)
    }

    func testAnUnclearAnswerWhoseMessageExistsIsNotSentAgain() throws {
        try queue()
        twilio.script = [.unclearAfterCreating]
        let s = try sender().sendPending()
        XCTAssertEqual(twilio.creates, 1)
        XCTAssertEqual(twilio.held.count, 1)
        XCTAssertEqual(s.found, 1)
        XCTAssertEqual(try outbox.list(.done).count, 1)
    }

    func testAnUnclearAnswerWithoutAMessageIsSentAgain() throws {
        try queue()
        twilio.script = [.unclearWithoutCreating]
        let s = try sender().sendPending()
        XCTAssertEqual(twilio.creates, 2)
        XCTAssertEqual(twilio.lists, 1, "looked up before the resend")
        XCTAssertEqual(s.sent, 1)
    }

    func testAnAttemptInterruptedByACrashIsLookedUpFirst() throws {
        try queue()
        // A run that journaled its attempt and died before recording the answer.
        try journalAttemptCutShort("po-approved.P00874.0x01.kmo")
        twilio.held = [TwilioMessage(sid: "SM" + String(repeating: "a", count: 32), status: "sent", to: "+15555550101",
                                     body: "PO P00874 approved", created: twilio.clock + 1)]
        let s = try sender().sendPending()
        XCTAssertEqual(twilio.creates, 0)
        XCTAssertEqual(s.found, 1)
    }

    func testAnAttemptCutShortIsNotMadeAgainWhileItsRequestMayStillCreateTheMessage() throws {
        try queue()
        // A run killed while its create was on the way: Twilio has created nothing yet.
        try journalAttemptCutShort("po-approved.P00874.0x01.kmo")
        twilio.clock += 5
        var s = try sender().sendPending()
        XCTAssertEqual(twilio.creates, 0, "no second create while the first may still land")
        XCTAssertEqual(s.sent + s.found + s.parked, 0)
        XCTAssertEqual(s.inFlight, 1, "counted, so the run ends with 75: work is waiting")
        XCTAssertEqual(try outbox.list(.new), ["po-approved.P00874.0x01.kmo"], "the item waits in new/")

        // The killed run's request reaches Twilio after all; the next run finds its message.
        twilio.held = [TwilioMessage(sid: "SM" + String(repeating: "b", count: 32), status: "queued", to: "+15555550101",
                                     body: "PO P00874 approved", created: twilio.clock)]
        twilio.clock += 30
        s = try sender().sendPending()
        XCTAssertEqual(twilio.creates, 0)
        XCTAssertEqual(s.found, 1)
    }

    func testAnAttemptCutShortAndNeverCreatedIsSentOnceItsRequestCannotBeRunning() throws {
        try queue()
        try journalAttemptCutShort("po-approved.P00874.0x01.kmo")
        twilio.clock += 71
        let s = try sender().sendPending()
        XCTAssertEqual(s.sent, 1)
        XCTAssertEqual(twilio.creates, 1)
    }

    func testALookupNeverTakesAnotherAlertsMessage() throws {
        // The same text to the same person twice: the first was sent; the second's attempt
        // was cut short by a crash before Twilio got it.
        try queue("po-approved.P00874.0x01.kmo")
        _ = try sender().sendPending()
        try queue("po-approved.P00874.0x09.kmo")
        try journalAttemptCutShort("po-approved.P00874.0x09.kmo")
        twilio.clock += 71  // past the time its request could still be running at Twilio
        let s = try sender().sendPending()
        XCTAssertEqual(s.found, 0, "the first alert's message is not the second's")
        XCTAssertEqual(s.sent, 1)
        XCTAssertEqual(twilio.held.count, 2)
    }

    func testTwilioRefusingWorkStopsTheRunAndKeepsEveryItem() throws {
        try queue("a.P1.0x01.kmo")
        try queue("b.P2.0x01.kmo")
        twilio.script = [.rateLimited]
        let s = try sender().sendPending()
        XCTAssertNotNil(s.stopped)
        XCTAssertEqual(twilio.creates, 1, "the second item is not tried while Twilio limits")
        XCTAssertEqual(try outbox.list(.new).count, 2)
    }

    func testAttemptsAcrossRunsAreBoundedAndThenParked() throws {
        try queue()
        twilio.script = Array(repeating: .unclearWithoutCreating, count: 10)
        for _ in 0..<3 { _ = try sender(maxAttempts: 4).sendPending() }
        XCTAssertEqual(twilio.creates, 4)
        XCTAssertEqual(try outbox.list(.failed), ["po-approved.P00874.0x01.kmo"])
        XCTAssertTrue(outbox.reason("po-approved.P00874.0x01.kmo")?.contains("twilio.max_attempts") == true)
    }

    func testAnAlertTooOldIsParkedNotSentLate() throws {
        try queue(queued: 0)
        twilio.clock = 100_000
        let s = try sender(maxAge: 3_600).sendPending()
        XCTAssertEqual(s.parked, 1)
        XCTAssertEqual(twilio.creates, 0)
    }

    func testAPersonWithoutANumberIsParkedNamingTheSecret() throws {
        try queue("po-approved.P00874.0x01.zed", person: "zed")
        _ = try sender().sendPending()
        XCTAssertTrue(outbox.reason("po-approved.P00874.0x01.zed")?.contains("phone.zed") == true)
    }

    func testAReplayedItemStartsANewRoundOfAttempts() throws {
        try queue()
        twilio.script = [.refuse(21610)]
        _ = try sender(maxAttempts: 1).sendPending()
        try outbox.requeue("po-approved.P00874.0x01.kmo")
        let s = try sender(maxAttempts: 1).sendPending()
        XCTAssertEqual(s.sent, 1)
        XCTAssertEqual(twilio.creates, 2)
    }
}
