import Foundation
import WebhookCore
import XCTest
import ConnectorKit
import Syspro
import Alerts

final class AlertRuleTests: XCTestCase {
    let approved = AlertRule(name: "po-approved", table: "PorMasterHdr", key: ["PurchaseOrder"], watch: "OrderStatus",
                             from: ["0"], to: ["1"], template: "PO {PurchaseOrder} approved", recipients: ["procurement"])
    let posted = AlertRule(name: "ap-posted", table: "ApInvoice", key: ["Supplier", "Invoice"], watch: "Journal", notTo: ["0"],
                           template: "{Invoice} posted", recipients: ["ap"])

    func row(_ po: String, _ status: String, version: UInt64) -> JSONValue {
        .object(["PurchaseOrder": .string(po), "OrderStatus": .string(status), "TimeStamp": .string("0x" + String(format: "%016llx", version))])
    }

    func memory() throws -> JournaledMap<Watched> {
        try JournaledMap<Watched>(path: NSTemporaryDirectory() + "watched-" + UUID().uuidString + ".json")
    }

    func testTheFirstPassLearnsAndAlertsNobody() throws {
        let m = try memory()
        let found = try AlertDetector.events(approved, rows: [row("P1", "1", version: 5)], memory: m, learning: true, source: "t")
        XCTAssertTrue(found.events.isEmpty)
        XCTAssertEqual(found.seen.count, 1)
    }

    func testOnlyTheRulesTransitionIsAnEvent() throws {
        let m = try memory()
        try m.record(found(m, [row("P1", "0", version: 1), row("P2", "0", version: 1), row("P3", "4", version: 1)], learning: true).seen)
        let next = try found(m, [row("P1", "1", version: 9), row("P2", "4", version: 9), row("P3", "1", version: 9)], learning: false)
        XCTAssertEqual(next.events.map(\.key), ["P1"], "0 -> 1 only; 0 -> 4 and 4 -> 1 are other transitions")
        try m.record(next.seen)
        XCTAssertTrue(try found(m, [row("P1", "1", version: 9)], learning: false).events.isEmpty, "a re-read unchanged row is no event")
    }

    func testARowFirstSeenCountsAsComingFromEmpty() throws {
        let m = try memory()
        let invoice = JSONValue.object(["Supplier": .string("TEXMFG"), "Invoice": .string("TX-1"), "Journal": .number(312), "TimeStamp": .string("0x0000000000000007")])
        let e = try AlertDetector.events(posted, rows: [invoice], memory: m, learning: false, source: "t").events
        XCTAssertEqual(e.map(\.key), ["TEXMFG/TX-1"])
        XCTAssertEqual(e.first?.to, "312", "numbers compare without a trailing .0")
        let unposted = JSONValue.object(["Supplier": .string("TEXMFG"), "Invoice": .string("TX-2"), "Journal": .number(0), "TimeStamp": .string("0x0000000000000007")])
        XCTAssertTrue(try AlertDetector.events(posted, rows: [unposted], memory: m, learning: false, source: "t").events.isEmpty)
    }

    func testTheSameTransitionAlwaysGetsTheSameOutboxIdAndALaterOneAnother() throws {
        let m = try memory()
        try m.record([("po-approved|P1", Watched("0"))])
        let a = try found(m, [row("P1", "1", version: 9)], learning: false).events[0]
        let b = try found(m, [row("P1", "1", version: 9)], learning: false).events[0]
        let c = try found(m, [row("P1", "1", version: 12)], learning: false).events[0]
        XCTAssertEqual(a.outboxID(person: "kmo"), b.outboxID(person: "kmo"))
        XCTAssertNotEqual(a.outboxID(person: "kmo"), c.outboxID(person: "kmo"))
        XCTAssertTrue(SpoolQueue.isValidID(a.outboxID(person: "kmo")))
        XCTAssertTrue(SpoolQueue.isValidID(AlertEvent(rule: posted, row: .null, key: "TEXMFG/TX 1", from: "", to: "3", version: RowVersion(1)).outboxID(person: "ap")))
    }

    func found(_ m: JournaledMap<Watched>, _ rows: [JSONValue], learning: Bool) throws -> (events: [AlertEvent], seen: [(key: String, value: Watched?)]) {
        try AlertDetector.events(approved, rows: rows, memory: m, learning: learning, source: "t")
    }

    func testTemplatesFillColumnsMoneyDatesAndGaps() {
        let t = MessageTemplate(text: "PO {PurchaseOrder}: {Total}, {Value:2}, due {Due:date}, {Missing}", maxLength: 320)
        XCTAssertEqual(t.render(["PurchaseOrder": .string("P1"), "Total": .string("1,234.50"), "Value": .number(1234567.891), "Due": .string("2026-09-05T00:00:00Z")]),
                       "PO P1: 1,234.50, 1,234,567.89, due 2026-09-05, ?")
        XCTAssertEqual(MessageTemplate.fixed(-0.5, decimals: 2), "-0.50")
        XCTAssertEqual(MessageTemplate.fixed(7.05, decimals: 2), "7.05")
    }

    func testAFixedFormatOfANumberBeyondInt64IsThePlainNumber() {
        XCTAssertEqual(MessageTemplate.fixed(1e300, decimals: 2), "1e+300")
        XCTAssertEqual(MessageTemplate.fixed(-.infinity, decimals: 0), "-inf")
        XCTAssertEqual(MessageTemplate.fixed(.nan, decimals: 2), "nan")
        XCTAssertEqual(MessageTemplate(text: "{Total:2}", maxLength: 160).render(["Total": .string("inf")]), "inf")
        XCTAssertEqual(MessageTemplate(text: String(repeating: "x", count: 400), maxLength: 160).render([:]).count, 160)
    }

    func testGroupsExpandToEachPersonOnce() {
        var a = AlertSettings()
        a.groups = ["procurement": ["kmo", "rlt"], "approvers": ["rlt"]]
        XCTAssertEqual(a.people(["procurement", "approvers", "apdesk"]), ["kmo", "rlt", "apdesk"])
    }
}
