import Foundation
import XCTest
import ConnectorKit
import Inventory
import Syspro

/// SYSPRO's INVTMA side: each post leaves an InvMovements row under its Reference.
final class FakeAdjustments: AdjustmentPoster {
    var rows: [InvMovementRow] = []
    var posts = 0
    var answer = MovementAnswer.full
    /// Answer without a journal or an error and commit nothing.
    var answerWithoutPosting = false
    var lines: [InventoryMovementLine] = []

    func postAdjustment(_ line: InventoryMovementLine, transactionDate: String) throws -> InventoryPostResult {
        posts += 1
        lines.append(line)
        if answerWithoutPosting { return MovementAnswer.portor.result(line, journal: "") }
        let journal = String(900 + rows.count)
        rows.append(InvMovementRow(stockCode: line.stockCode, warehouse: line.warehouse, reference: line.reference,
                                   quantity: NSDecimalNumber(decimal: line.quantity).doubleValue, journal: journal))
        return answer.result(line, journal: journal)
    }

    func movements(reference: String, stockCode: String) throws -> [InvMovementRow] {
        rows.filter { $0.reference == reference && $0.stockCode == stockCode }
    }
}

/// Every test runs with full answers and again with PORTOR-like ones.
final class LevelAdjusterTests: XCTestCase {
    var answer = MovementAnswer.full

    /// Runs `body` once per answer shape SYSPRO may use, each from a fresh tenant.
    func eachAnswer(_ body: () throws -> Void) throws {
        for a in MovementAnswer.allCases {
            tearDown()
            answer = a
            try setUp()
            try body()
        }
    }
    var clock = Date()
    var movements = MovementSettings()
    var dir: String!
    var syspro: FakeAdjustments!
    var ledger: Ledger!
    let line = VarianceLine(warehouse: "LA", locationId: 10, stockCode: "TS-BLU-M", sku: "TShirtBlueM", sysproOnHand: 50,
                            inFlightReceipts: 0, inFlightShipments: 0, sysproExpected: 50, shipbobOnHand: 44, difference: -6,
                            action: "")

    override func setUp() {
        dir = NSTemporaryDirectory() + "mlc-adjust-" + UUID().uuidString
        syspro = FakeAdjustments()
        syspro.answer = answer
        clock = Date()
        ledger = Ledger(directory: dir + "/ledger/adjustments")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    var adjuster: LevelAdjuster {
        LevelAdjuster(poster: syspro, ledger: ledger, transactionDate: "2026-11-28", inFlightWindow: 70, movements: movements,
                      now: { [unowned self] in self.clock })
    }
    var reference: String { LevelAdjuster.reference(line, day: "2026-11-28") }

    /// A run killed after writing `pending` and sending the post, `age` seconds ago.
    func interruptedPost(age: TimeInterval) throws {
        try ledger.put(.init(key: reference, status: .pending, updated: clock - age))
    }

    func testAnObservationIsAdjustedOnceAndThenKnownAsDone() throws {
        try eachAnswer {
            guard case .adjusted(let ref, _) = try adjuster.apply(line) else { return XCTFail("first apply posts") }
            XCTAssertEqual(ref, reference)
            XCTAssertEqual(try adjuster.apply(line), .alreadyAdjusted(reference: reference))
            XCTAssertEqual(syspro.posts, 1)
            XCTAssertEqual(syspro.rows.map(\.quantity), [-6])
        }
    }

    func testAnInterruptedPostThatMayStillBeInFlightWaitsInsteadOfPostingAgain() throws {
        try eachAnswer {
            try interruptedPost(age: 5)
            XCTAssertThrowsError(try adjuster.apply(line)) {
                XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .tempFail, "\($0)")
                XCTAssertTrue("\($0)".contains(reference) && "\($0)".contains("in flight"), "\($0)")
            }
            XCTAssertEqual(syspro.posts, 0)
            XCTAssertEqual(try ledger.get(reference)?.status, .pending)
        }
    }

    func testAnInterruptedPostFoundInInvMovementsIsNotPostedAgain() throws {
        try eachAnswer {
            try interruptedPost(age: 5)
            syspro.rows.append(InvMovementRow(stockCode: "TS-BLU-M", warehouse: "LA", reference: reference, quantity: -6, journal: "777"))
            XCTAssertEqual(try adjuster.apply(line), .alreadyAdjusted(reference: reference))
            XCTAssertEqual(syspro.posts, 0)
            XCTAssertEqual(try ledger.get(reference)?.target, "777")
        }
    }

    func testAnInterruptedPostStillAbsentOnceItCannotBeInFlightIsPostedUnderItsReference() throws {
        try eachAnswer {
            try interruptedPost(age: 71)
            guard case .adjusted = try adjuster.apply(line) else { return XCTFail("posted once the window has passed") }
            XCTAssertEqual(syspro.rows.map(\.reference), [reference])
        }
    }

    func testAnAnswerWithNeitherJournalNorErrorNeverResetsTheLedgerNorPostsTwice() throws {
        try eachAnswer {
            syspro.answerWithoutPosting = true
            XCTAssertThrowsError(try adjuster.apply(line)) { XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .tempFail, "\($0)") }
            XCTAssertEqual(try ledger.get(reference)?.status, .pending, "kept pending, not forgotten")
            clock += 30
            XCTAssertThrowsError(try adjuster.apply(line), "within the window nothing is posted")
            XCTAssertEqual(syspro.posts, 1)
            syspro.answerWithoutPosting = false
            clock += 41
            guard case .adjusted = try adjuster.apply(line) else { return XCTFail("absent after the window: posted") }
            XCTAssertEqual(try adjuster.apply(line), .alreadyAdjusted(reference: reference))
            XCTAssertEqual(syspro.rows.map(\.reference), [reference], "exactly one movement")
        }
    }

    func testAMultiBinWarehouseAndALotTraceableStockCodeGetTheirBinAndLot() throws {
        try eachAnswer {
            movements = MovementSettings(bins: ["LA": .init(default: "RECV", stockCodes: ["TS-BLU-M": "B-07"])], lots: ["TS-BLU-M": "LOT-9"])
            guard case .adjusted = try adjuster.apply(line) else { return XCTFail() }
            XCTAssertEqual(syspro.lines.map(\.binLocation), ["B-07"])
            XCTAssertEqual(syspro.lines.map(\.lot), ["LOT-9"])
        }
    }

    func testALotTraceableStockCodeWithoutAConfiguredLotIsNotPosted() throws {
        try eachAnswer {
            movements = MovementSettings(lots: ["TS-BLU-M": ""])
            guard case .refused(_, let errors) = try adjuster.apply(line) else { return XCTFail() }
            XCTAssertTrue(errors.contains("lot-traceable"), errors)
            XCTAssertEqual(syspro.posts, 0)
            XCTAssertNil(try ledger.get(reference))
        }
    }
}

