import ENetXML
import Foundation
import WebhookCore
import XCTest
import ConnectorKit
import Syspro
import ShipBob
import Fulfillment
import ConnectorConfig

/// How SYSPRO answers a post that went through: with each item's journal and StatusOfItems,
/// or as a recorded PORTOR answer (`<Item><Key>...<ItemNumber>`, neither journal nor
/// StatusOfItems). Parsed from XML, as the live client does.
enum MovementAnswer: CaseIterable {
    case full, portor

    func result(_ line: InventoryMovementLine, journal: String) -> InventoryPostResult {
        let key = "<Warehouse>\(line.warehouse)</Warehouse><StockCode>\(line.stockCode)</StockCode>"
        let text = switch self {
        case .full: "<PostInvReceipts><Item><Journal>\(journal)</Journal>\(key)<Reference>\(line.reference)</Reference></Item>"
            + "<StatusOfItems><ItemsProcessed>000001</ItemsProcessed><ItemsInvalid>000000</ItemsInvalid></StatusOfItems></PostInvReceipts>"
        case .portor: "<PostInvReceipts><Item><Key>\(key)</Key><ItemNumber>000001</ItemNumber></Item></PostInvReceipts>"
        }
        return InventoryPostResult(try! XML.parse(text))
    }
}

/// SYSPRO's inventory side: InvMaster codes, INVTMR posts that leave InvMovements rows.
final class FakeInventory: InventorySystem {
    var stockCodes: Set<String> = ["TS-BLU-M", "TS-BLU-L"]
    var movements: [(line: InventoryMovementLine, journal: String)] = []
    var posts = 0
    var failAfterCommit: Error?
    var refuse = false
    var answer = MovementAnswer.full
    /// Answer like `.portor` but commit nothing: an answer that proves neither outcome.
    var answerWithoutPosting = false

    func existingStockCodes(_ codes: [String]) throws -> Set<String> { stockCodes.intersection(codes) }
    func movements(reference: String, stockCode: String) throws -> [InvMovementRow] {
        movements.filter { $0.line.reference == reference && $0.line.stockCode == stockCode }.map {
            InvMovementRow(stockCode: $0.line.stockCode, warehouse: $0.line.warehouse, reference: $0.line.reference,
                           quantity: NSDecimalNumber(decimal: $0.line.quantity).doubleValue, journal: $0.journal)
        }
    }
    func postReceipt(_ line: InventoryMovementLine, transactionDate: String) throws -> InventoryPostResult {
        posts += 1
        if refuse {
            return InventoryPostResult(items: [.init(stockCode: line.stockCode, warehouse: line.warehouse, reference: line.reference,
                                                     journal: nil, errors: ["warehouse 'LA' [2]: not stocked"])],
                                       itemsProcessed: 0, itemsInvalid: 1)
        }
        if answerWithoutPosting { return MovementAnswer.portor.result(line, journal: "") }
        let journal = String(1200 + movements.count)
        movements.append((line, journal))
        if let e = failAfterCommit { failAfterCommit = nil; throw e }
        return answer.result(line, journal: journal)
    }
    func posted(_ code: String) -> [Decimal] { movements.filter { $0.line.stockCode == code }.map(\.line.quantity) }
}

final class FakeReceiving: ReceivingSource {
    var wros: [Int64: JSONValue] = [:]
    var synced: [Int64] = []
    /// Inventory id -> the lot numbers the WRO's boxes give it.
    var lots: [Int64: Set<String>] = [:]
    func receivingOrder(id: Int64) throws -> ShipBobReceivingOrder? { try wros[id].map { try ShipBobReceivingOrder(json: $0) } }
    func lot(wro: Int64, inventoryID: Int64) throws -> String? { lots[inventoryID].flatMap { $0.count == 1 ? $0.first : nil } }
    /// As ShipBob does: the WRO carries the stamp from now on.
    func markSynced(id: Int64) throws {
        synced.append(id)
        if case .object(var o)? = wros[id] { o["external_sync_timestamp"] = .string("2026-08-05T10:00:00Z"); wros[id] = .object(o) }
    }

    /// A WRO whose items have `qty` received and stowed.
    func set(_ id: Int64, status: String, fc: Int = 10, received: [(sku: String, inventory: Int, qty: Int)]) {
        set(id, status: status, fc: fc, items: received.map { ($0.sku, $0.inventory, $0.qty, $0.qty) })
    }

    func set(_ id: Int64, status: String, fc: Int = 10, items: [(sku: String, inventory: Int, received: Int, stowed: Int)]) {
        let items = items.map { r in
            #"{"sku": "\#(r.sku)", "inventory_id": \#(r.inventory), "expected_quantity": 48, "received_quantity": \#(r.received), "stowed_quantity": \#(r.stowed)}"#
        }.joined(separator: ",")
        let body = #"{"id": \#(id), "status": "\#(status)", "purchase_order_number": "P1", "fulfillment_center": {"id": \#(fc), "name": "FC"}, "external_sync_timestamp": null, "inventory_quantities": [\#(items)]}"#
        wros[id] = try! JSONValue.parse(Data(body.utf8))
    }
}

/// Every receipt test runs with SYSPRO answering in the full shape and again with
/// PORTOR-like answers (no journal, no StatusOfItems).
final class ReceiptProcessorTests: XCTestCase {
    var dir: String!
    var syspro: FakeInventory!
    var shipbob: FakeReceiving!
    var processor: ReceiptProcessor!
    var ledger: Ledger { Ledger(directory: dir + "/ledger/receipts") }
    var answer = MovementAnswer.full

    /// Runs `body` once per answer shape SYSPRO may use, each from a fresh tenant.
    func eachAnswer(_ body: () throws -> Void) throws {
        for a in MovementAnswer.allCases {
            tearDown()
            answer = a
            try setUpWithError()
            try body()
        }
    }
    var clock = Date()
    var movements = MovementSettings()

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "mlc-receipts-" + UUID().uuidString
        syspro = FakeInventory(); shipbob = FakeReceiving()
        syspro.answer = answer
        clock = Date()
        try makeProcessor()
    }

    func makeProcessor() throws {
        var config = TenantConfig(
            mappings: Mappings(channelCustomers: [:], skuStockCodes: ["TShirtBlueM": "TS-BLU-M"], locationWarehouses: ["10": "LA"]),
            sections: [SysproSettings(restURL: "http://x/Rest", odataURL: "http://x/odata", operator: "ADMIN", companyID: "C",
                                      odataUser: "o", orderWarehouse: "FG"),
                       ShipBobSettings(apiURL: "http://x/shipbob/2026-07", auth: .pat)])
        config.movements = movements
        processor = ReceiptProcessor(mapping: OrderMapping(config: config), syspro: syspro, shipbob: shipbob,
                                     ledger: Ledger(directory: dir + "/ledger/receipts"),
                                     audit: AuditLog(directory: dir + "/audit", job: "test"), inFlightWindow: 70,
                                     now: { [unowned self] in self.clock })
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func event(_ wro: Int64 = 880101, topic: String = "receiving.updated") -> WebhookEnvelope {
        WebhookEnvelope(id: UUID().uuidString, source: "shipbob", topic: topic, receivedAt: Date(), headers: [:],
                        body: Data(#"{"id": \#(wro), "status": "stale body"}"#.utf8))
    }

    func testSecondPartialReceiptPostsOnlyTheNewDeltaWithItsOwnReference() throws {
        try eachAnswer {
            shipbob.set(880101, status: "PartiallyArrived", received: [("TShirtBlueM", 5264253, 20)])
            guard case .applied = try processor.apply(event()) else { return XCTFail("first receipt posts") }
            shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48)])
            guard case .applied = try processor.apply(event()) else { return XCTFail("second receipt posts") }
            XCTAssertEqual(syspro.posted("TS-BLU-M"), [20, 28])
            XCTAssertEqual(syspro.movements.map(\.line.reference), ["WRO880101-5264253/1", "WRO880101-5264253/2"])
            XCTAssertEqual(syspro.movements.map(\.line.warehouse), ["LA", "LA"], "fulfillment center 10 maps to LA")
            let entry = try XCTUnwrap(ledger.get("wro-880101-5264253"))
            XCTAssertEqual(entry.status, .done)
            XCTAssertEqual(entry.detail?["posted_qty"], "48")
            XCTAssertEqual(entry.detail?["stock_code"], "TS-BLU-M")
            XCTAssertEqual(entry.detail?["sku"], "TShirtBlueM")
            XCTAssertEqual(entry.detail?["warehouse"], "LA")
            XCTAssertEqual(entry.detail?["fc"], "10")
            XCTAssertEqual(shipbob.synced, [880101], "a completed, fully posted WRO is marked synced")
        }
    }

    func testRedeliveredEventPostsNothing() throws {
        try eachAnswer {
            shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48), ("TS-BLU-L", 5264260, 24)])
            _ = try processor.apply(event())
            guard case .ignored = try processor.apply(event(topic: "wro.completed")) else { return XCTFail("nothing new to post") }
            XCTAssertEqual(syspro.posts, 2)
        }
    }

    func testCrashAfterSysproPostedIsResolvedThroughInvMovementsNotASecondPost() throws {
        try eachAnswer {
            shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48)])
            syspro.failAfterCommit = Interrupted()
            XCTAssertThrowsError(try processor.apply(event()))
            XCTAssertEqual(try ledger.get("wro-880101-5264253")?.status, .pending)
            _ = try processor.apply(event())
            XCTAssertEqual(syspro.posts, 1, "no second post")
            XCTAssertEqual(syspro.posted("TS-BLU-M"), [48])
            XCTAssertEqual(try ledger.get("wro-880101-5264253")?.detail?["posted_qty"], "48")
        }
    }

    func testPendingEntryNotInInvMovementsIsPostedOnceUnderTheSameReference() throws {
        try eachAnswer {
            shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48)])
            try ledger.put(.init(key: "wro-880101-5264253", status: .pending, updated: Date(timeIntervalSinceNow: -71),
                                 detail: ["posted_qty": "0", "seq": "0", "pending_qty": "48", "reference": "WRO880101-5264253/1"]))
            _ = try processor.apply(event())
            XCTAssertEqual(syspro.movements.map(\.line.reference), ["WRO880101-5264253/1"])
            XCTAssertEqual(syspro.posted("TS-BLU-M"), [48])
        }
    }

    func testPendingPostThatMayStillBeInFlightWaitsAndIsFoundOnceItCommits() throws {
        try eachAnswer {
            shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48)])
            try ledger.put(.init(key: "wro-880101-5264253", status: .pending, updated: Date(timeIntervalSinceNow: -5),
                                 detail: ["posted_qty": "0", "seq": "0", "pending_qty": "48", "reference": "WRO880101-5264253/1"]))
            XCTAssertThrowsError(try processor.apply(event())) {
                XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .tempFail, "\($0)")
                XCTAssertTrue("\($0)".contains("WRO880101-5264253/1") && "\($0)".contains("in flight"), "\($0)")
            }
            XCTAssertEqual(syspro.posts, 0, "nothing posted while the first post may still commit")
            XCTAssertEqual(try ledger.get("wro-880101-5264253")?.status, .pending)

            // The killed run's request commits at SYSPRO after all; the next look finds it.
            syspro.movements.append((InventoryMovementLine(warehouse: "LA", stockCode: "TS-BLU-M", quantity: 48,
                                                           reference: "WRO880101-5264253/1", notation: ""), "1300"))
            _ = try processor.apply(event())
            XCTAssertEqual(syspro.posts, 0, "found, not posted again")
            XCTAssertEqual(syspro.posted("TS-BLU-M"), [48])
            XCTAssertEqual(try ledger.get("wro-880101-5264253")?.detail?["posted_qty"], "48")
        }
    }

    func testUnmappedFulfillmentCenterAndUnknownSkuNeedAPersonAndPostNothingWrong() throws {
        try eachAnswer {
            shipbob.set(880102, status: "Completed", fc: 17, received: [("TShirtBlueM", 5264253, 5)])
            guard case .attention(let reason, let action) = try processor.apply(event(880102)) else { return XCTFail() }
            XCTAssertTrue(reason.contains("fulfillment center 17") && action.contains("mappings.location_warehouses"), reason)
            shipbob.set(880103, status: "Completed", received: [("MUG", 5264999, 5), ("TS-BLU-L", 5264260, 3)])
            guard case .attention(let r2, _) = try processor.apply(event(880103)) else { return XCTFail() }
            XCTAssertTrue(r2.contains("SKU MUG"), r2)
            XCTAssertEqual(syspro.posted("TS-BLU-L"), [3], "the known item is posted meanwhile")
            XCTAssertEqual(shipbob.synced, [], "not synced while an item is unposted")
        }
    }

    func testSysproRefusalGoesToAttentionAndLeavesTheLedgerAtWhatSysproHas() throws {
        try eachAnswer {
            shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48)])
            syspro.refuse = true
            guard case .attention(let reason, _) = try processor.apply(event()) else { return XCTFail() }
            XCTAssertTrue(reason.contains("not stocked"), reason)
            let entry = try ledger.get("wro-880101-5264253")
            XCTAssertEqual(entry?.status, .done)
            XCTAssertEqual(entry?.detail?["posted_qty"], "0")
            syspro.refuse = false
            _ = try processor.apply(event())
            XCTAssertEqual(syspro.movements.map(\.line.reference), ["WRO880101-5264253/1"])
        }
    }

    func testReceiptsBookWhatWasStowedAndSyncOnlyOnceAllStowedIsPosted() throws {
        try eachAnswer {
            shipbob.set(880101, status: "Arrived", items: [("TShirtBlueM", 5264253, 48, 0)])
            guard case .ignored = try processor.apply(event()) else { return XCTFail("received but not stowed: nothing to post") }
            shipbob.set(880101, status: "Processing", items: [("TShirtBlueM", 5264253, 48, 30)])
            guard case .applied = try processor.apply(event()) else { return XCTFail("the first stow posts") }
            XCTAssertEqual(shipbob.synced, [], "not synced while stowing")
            shipbob.set(880101, status: "Completed", items: [("TShirtBlueM", 5264253, 48, 48)])
            guard case .applied = try processor.apply(event()) else { return XCTFail("the rest of the stow posts") }
            XCTAssertEqual(syspro.posted("TS-BLU-M"), [30, 18])
            XCTAssertEqual(syspro.movements.map(\.line.reference), ["WRO880101-5264253/1", "WRO880101-5264253/2"])
            XCTAssertEqual(shipbob.synced, [880101])
            XCTAssertEqual(try ledger.get("wro-880101-5264253")?.detail?["basis"], "stowed")
        }
    }

    func testAnAnswerWithNeitherJournalNorErrorKeepsTheEntryPendingAndIsRepostedOnlyAfterTheWindow() throws {
        try eachAnswer {
            shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48)])
            syspro.answerWithoutPosting = true
            XCTAssertThrowsError(try processor.apply(event())) { XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .tempFail, "\($0)") }
            let entry = try XCTUnwrap(ledger.get("wro-880101-5264253"))
            XCTAssertEqual(entry.status, .pending, "an unproven answer never resets the ledger")
            XCTAssertEqual(entry.detail?["pending_qty"], "48")
            XCTAssertEqual(shipbob.synced, [])
            clock += 30
            XCTAssertThrowsError(try processor.apply(event()), "within the window: looked up, not posted")
            XCTAssertEqual(syspro.posts, 1)
            syspro.answerWithoutPosting = false
            clock += 41
            guard case .applied = try processor.apply(event()) else { return XCTFail("absent after the window: posted again") }
            XCTAssertEqual(syspro.posts, 2)
            XCTAssertEqual(syspro.movements.map(\.line.reference), ["WRO880101-5264253/1"], "one movement, under the first reference")
            XCTAssertEqual(shipbob.synced, [880101])
        }
    }

    func testMultiBinWarehouseAndLotTraceableStockCodeGetTheirBinAndLot() throws {
        try eachAnswer {
            movements = MovementSettings(bins: ["LA": .init(default: "RECV", stockCodes: ["TS-BLU-L": "A-01"])],
                                         lots: ["TS-BLU-M": "", "TS-BLU-L": "LOT-7"])
            try makeProcessor()
            shipbob.lots = [5264253: ["SB-LOT-1"]]
            shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48), ("TS-BLU-L", 5264260, 24)])
            guard case .applied = try processor.apply(event()) else { return XCTFail() }
            XCTAssertEqual(syspro.movements.map(\.line.binLocation), ["RECV", "A-01"])
            XCTAssertEqual(syspro.movements.map(\.line.lot), ["SB-LOT-1", "LOT-7"], "the WRO's lot, or the configured one")
        }
    }

    func testLotTraceableStockCodeWithoutALotNeedsAPersonAndPostsNothing() throws {
        try eachAnswer {
            movements = MovementSettings(lots: ["TS-BLU-M": ""])
            try makeProcessor()
            shipbob.lots = [5264253: ["A", "B"]]
            shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48)])
            guard case .attention(let reason, let action) = try processor.apply(event()) else { return XCTFail() }
            XCTAssertTrue(reason.contains("lot-traceable") && action.contains("movements"), reason)
            XCTAssertEqual(syspro.posts, 0)
            XCTAssertEqual(shipbob.synced, [])
        }
    }

    /// Upgrade: a ledger written by the release that booked received quantities.
    func oldEntry(posted: Int, seq: Int, pending: Int? = nil, age: TimeInterval = 3600) throws {
        var detail = ["warehouse": "LA", "stock_code": "TS-BLU-M", "sku": "TShirtBlueM", "fc": "10",
                      "posted_qty": String(posted), "seq": String(seq), "reference": "WRO880101-5264253/\(seq + (pending == nil ? 0 : 1))"]
        if let pending { detail["pending_qty"] = String(pending) }
        try ledger.put(.init(key: "wro-880101-5264253", status: pending == nil ? .done : .pending, attempts: seq + 1,
                             updated: clock - age, detail: detail))
    }

    func testReceivedQuantitiesBookedByTheOldReleaseAreNotPostedAgainAndTheRestConvergesOnStowed() throws {
        try eachAnswer {
            // The old release booked 20 received (journal 1100), none of it stowed yet.
            try oldEntry(posted: 20, seq: 1)
            shipbob.set(880101, status: "Processing", items: [("TShirtBlueM", 5264253, 48, 12)])
            guard case .ignored(let why) = try processor.apply(event()) else { return XCTFail("12 stowed of 20 booked: wait") }
            XCTAssertTrue(why.contains("12 stowed"), why)
            XCTAssertEqual(syspro.posts, 0)
            shipbob.set(880101, status: "Processing", items: [("TShirtBlueM", 5264253, 48, 35)])
            _ = try processor.apply(event())
            shipbob.set(880101, status: "Completed", items: [("TShirtBlueM", 5264253, 48, 48)])
            _ = try processor.apply(event())
            _ = try processor.apply(event(topic: "receiving.completed"))
            XCTAssertEqual(syspro.posted("TS-BLU-M"), [15, 13], "20 already in SYSPRO + 15 + 13 = the 48 stowed")
            XCTAssertEqual(syspro.movements.map(\.line.reference), ["WRO880101-5264253/2", "WRO880101-5264253/3"])
            let entry = try XCTUnwrap(ledger.get("wro-880101-5264253"))
            XCTAssertEqual(entry.detail?["posted_qty"], "48")
            XCTAssertEqual(entry.detail?["basis"], "stowed")
            XCTAssertEqual(shipbob.synced, [880101])
        }
    }

    func testAnOldReleaseFullyBookedWroIsOnlyMarkedSyncedOnceStowed() throws {
        try eachAnswer {
            try oldEntry(posted: 48, seq: 1)
            shipbob.set(880101, status: "Processing", items: [("TShirtBlueM", 5264253, 48, 40)])
            _ = try processor.apply(event())
            XCTAssertEqual(shipbob.synced, [], "8 received units not stowed yet")
            shipbob.set(880101, status: "Completed", items: [("TShirtBlueM", 5264253, 48, 48)])
            _ = try processor.apply(event())
            XCTAssertEqual(syspro.posts, 0, "nothing posted again")
            XCTAssertEqual(shipbob.synced, [880101])
        }
    }

    func testAnOldPendingPostIsResolvedThroughInvMovementsBeforeStowedIsCompared() throws {
        try eachAnswer {
            try oldEntry(posted: 0, seq: 0, pending: 48)
            syspro.movements.append((InventoryMovementLine(warehouse: "LA", stockCode: "TS-BLU-M", quantity: 48,
                                                           reference: "WRO880101-5264253/1", notation: ""), "1100"))
            shipbob.set(880101, status: "Completed", items: [("TShirtBlueM", 5264253, 48, 48)])
            _ = try processor.apply(event())
            XCTAssertEqual(syspro.posts, 0)
            XCTAssertEqual(try ledger.get("wro-880101-5264253")?.detail?["posted_qty"], "48")
            XCTAssertEqual(shipbob.synced, [880101])
        }
    }

    func testACompletedWroThatStowedLessThanTheOldReleaseBookedNeedsAPerson() throws {
        try eachAnswer {
            try oldEntry(posted: 48, seq: 1)
            shipbob.set(880101, status: "Completed", items: [("TShirtBlueM", 5264253, 48, 45)])
            guard case .attention(let reason, _) = try processor.apply(event()) else { return XCTFail() }
            XCTAssertTrue(reason.contains("45 stowed") && reason.contains("48"), reason)
            XCTAssertEqual(syspro.posts, 0)
            XCTAssertEqual(shipbob.synced, [])
        }
    }

    func testReceivingIdIsFoundInWrappedBodies() {
        XCTAssertEqual(ShipBobEvent.receivingOrderID(from: try! JSONValue.parse(Data(#"{"data": {"wro_id": 7}}"#.utf8))), 7)
        XCTAssertEqual(ShipBobEvent.receivingOrderID(from: try! JSONValue.parse(Data(#"{"id": 9}"#.utf8))), 9)
        XCTAssertNil(ShipBobEvent.receivingOrderID(from: try! JSONValue.parse(Data(#"{"x": 1}"#.utf8))))
    }
}

