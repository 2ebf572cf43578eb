import Foundation
import XCTest
import ConnectorKit
@testable import Inventory
import Syspro

/// SYSPRO's INVTMA side: each post leaves an InvMovements row under its Reference.
final class FakeAdjustments: AdjustmentPoster {
    var rows: [InvMovementRow] = []
    var posts = 0

    func postAdjustment(_ line: InventoryMovementLine, transactionDate: String) throws -> InventoryPostResult {
        posts += 1
        let journal = String(900 + rows.count)
        rows.append(InvMovementRow(stockCode: line.stockCode, warehouse: line.warehouse, reference: line.reference,
                                   quantity: NSDecimalNumber(decimal: line.quantity).doubleValue, journal: journal))
        return InventoryPostResult(items: [.init(stockCode: line.stockCode, warehouse: line.warehouse, reference: line.reference,
                                                 journal: journal, errors: [])], itemsProcessed: 1, itemsInvalid: 0)
    }

    func movements(reference: String, stockCode: String) throws -> [InvMovementRow] {
        rows.filter { $0.reference == reference && $0.stockCode == stockCode }
    }
}

final class LevelAdjusterTests: XCTestCase {
    var dir: String!
    var syspro: FakeAdjustments!
    var ledger: Ledger!
    let line = VarianceLine(warehouse: "LA", locationId: 10, stockCode: "TS-BLU-M", sku: "TShirtBlueM", sysproOnHand: 50,
                            inFlightReceipts: 0, inFlightShipments: 0, sysproExpected: 50, shipbobOnHand: 44, difference: -6,
                            action: "")

    override func setUp() {
        dir = NSTemporaryDirectory() + "mlc-adjust-" + UUID().uuidString
        syspro = FakeAdjustments()
        ledger = Ledger(directory: dir + "/ledger/adjustments")
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    var adjuster: LevelAdjuster { LevelAdjuster(poster: syspro, ledger: ledger, transactionDate: "2026-11-28", inFlightWindow: 70) }
    var reference: String { LevelAdjuster.reference(line, day: "2026-11-28") }

    /// A run killed after writing `pending` and sending the post, `age` seconds ago.
    func interruptedPost(age: TimeInterval) throws {
        try ledger.put(.init(key: reference, status: .pending, updated: Date(timeIntervalSinceNow: -age)))
    }

    func testAnObservationIsAdjustedOnceAndThenKnownAsDone() throws {
        guard case .adjusted(let ref, _) = try adjuster.apply(line) else { return XCTFail("first apply posts") }
        XCTAssertEqual(ref, reference)
        XCTAssertEqual(try adjuster.apply(line), .alreadyAdjusted(reference: reference))
        XCTAssertEqual(syspro.posts, 1)
        XCTAssertEqual(syspro.rows.map(\.quantity), [-6])
    }

    func testAnInterruptedPostThatMayStillBeInFlightWaitsInsteadOfPostingAgain() throws {
        try interruptedPost(age: 5)
        XCTAssertThrowsError(try adjuster.apply(line)) {
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .tempFail, "\($0)")
            XCTAssertTrue("\($0)".contains(reference) && "\($0)".contains("in flight"), "\($0)")
        }
        XCTAssertEqual(syspro.posts, 0)
        XCTAssertEqual(try ledger.get(reference)?.status, .pending)
    }

    func testAnInterruptedPostFoundInInvMovementsIsNotPostedAgain() throws {
        try interruptedPost(age: 5)
        syspro.rows.append(InvMovementRow(stockCode: "TS-BLU-M", warehouse: "LA", reference: reference, quantity: -6, journal: "777"))
        XCTAssertEqual(try adjuster.apply(line), .alreadyAdjusted(reference: reference))
        XCTAssertEqual(syspro.posts, 0)
        XCTAssertEqual(try ledger.get(reference)?.target, "777")
    }

    func testAnInterruptedPostStillAbsentOnceItCannotBeInFlightIsPostedUnderItsReference() throws {
        try interruptedPost(age: 71)
        guard case .adjusted = try adjuster.apply(line) else { return XCTFail("posted once the window has passed") }
        XCTAssertEqual(syspro.rows.map(\.reference), [reference])
    }
}
