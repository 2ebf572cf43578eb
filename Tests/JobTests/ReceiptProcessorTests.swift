import Foundation
import XCTest
import ConnectorKit
import Syspro
import ShipBob
@testable import shipbob_to_syspro

/// SYSPRO's inventory side: InvMaster codes, INVTMR posts that leave InvMovements rows.
final class FakeInventory: InventorySystem {
    var stockCodes: Set<String> = ["TS-BLU-M", "TS-BLU-L"]
    var movements: [(line: InventoryMovementLine, journal: String)] = []
    var posts = 0
    var failAfterCommit: Error?
    var refuse = false

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
        let journal = String(1200 + movements.count)
        movements.append((line, journal))
        if let e = failAfterCommit { failAfterCommit = nil; throw e }
        return InventoryPostResult(items: [.init(stockCode: line.stockCode, warehouse: line.warehouse, reference: line.reference,
                                                 journal: journal, errors: [])], itemsProcessed: 1, itemsInvalid: 0)
    }
    func posted(_ code: String) -> [Decimal] { movements.filter { $0.line.stockCode == code }.map(\.line.quantity) }
}

final class FakeReceiving: ReceivingSource {
    var wros: [Int64: JSONValue] = [:]
    var synced: [Int64] = []
    func receivingOrder(id: Int64) throws -> ShipBobReceivingOrder? { try wros[id].map { try ShipBobReceivingOrder(json: $0) } }
    func markSynced(id: Int64) throws { synced.append(id) }

    func set(_ id: Int64, status: String, fc: Int = 10, received: [(sku: String, inventory: Int, qty: Int)]) {
        let items = received.map { r in
            #"{"sku": "\#(r.sku)", "inventory_id": \#(r.inventory), "expected_quantity": 48, "received_quantity": \#(r.qty), "stowed_quantity": \#(r.qty)}"#
        }.joined(separator: ",")
        let body = #"{"id": \#(id), "status": "\#(status)", "purchase_order_number": "P1", "fulfillment_center": {"id": \#(fc), "name": "FC"}, "external_sync_timestamp": null, "inventory_quantities": [\#(items)]}"#
        wros[id] = try! JSONValue.parse(Data(body.utf8))
    }
}

final class ReceiptProcessorTests: XCTestCase {
    var dir: String!
    var syspro: FakeInventory!
    var shipbob: FakeReceiving!
    var processor: ReceiptProcessor!
    var ledger: Ledger { Ledger(directory: dir + "/ledger/receipts") }

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "mlc-receipts-" + UUID().uuidString
        syspro = FakeInventory(); shipbob = FakeReceiving()
        let config = TenantConfig(
            syspro: SysproSettings(restURL: "http://x/Rest", odataURL: "http://x/odata", operator: "ADMIN", companyID: "C",
                                   odataUser: "o", orderWarehouse: "FG"),
            shipbob: ShipBobSettings(apiURL: "http://x/shipbob/2026-07", auth: .pat),
            mappings: Mappings(channelCustomers: [:], skuStockCodes: ["TShirtBlueM": "TS-BLU-M"], locationWarehouses: ["10": "LA"]))
        processor = ReceiptProcessor(mapping: OrderMapping(config: config), syspro: syspro, shipbob: shipbob,
                                     ledger: Ledger(directory: dir + "/ledger/receipts"),
                                     audit: AuditLog(directory: dir + "/audit", job: "test"), inFlightWindow: 70, now: { Date() })
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func event(_ wro: Int64 = 880101, topic: String = "receiving.updated") -> WebhookEnvelope {
        WebhookEnvelope(id: UUID().uuidString, source: "shipbob", topic: topic, receivedAt: Date(), headers: [:],
                        body: Data(#"{"id": \#(wro), "status": "stale body"}"#.utf8))
    }

    func testSecondPartialReceiptPostsOnlyTheNewDeltaWithItsOwnReference() throws {
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

    func testRedeliveredEventPostsNothing() throws {
        shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48), ("TS-BLU-L", 5264260, 24)])
        _ = try processor.apply(event())
        guard case .ignored = try processor.apply(event(topic: "wro.completed")) else { return XCTFail("nothing new to post") }
        XCTAssertEqual(syspro.posts, 2)
    }

    func testCrashAfterSysproPostedIsResolvedThroughInvMovementsNotASecondPost() throws {
        shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48)])
        syspro.failAfterCommit = Interrupted()
        XCTAssertThrowsError(try processor.apply(event()))
        XCTAssertEqual(try ledger.get("wro-880101-5264253")?.status, .pending)
        _ = try processor.apply(event())
        XCTAssertEqual(syspro.posts, 1, "no second post")
        XCTAssertEqual(syspro.posted("TS-BLU-M"), [48])
        XCTAssertEqual(try ledger.get("wro-880101-5264253")?.detail?["posted_qty"], "48")
    }

    func testPendingEntryNotInInvMovementsIsPostedOnceUnderTheSameReference() throws {
        shipbob.set(880101, status: "Completed", received: [("TShirtBlueM", 5264253, 48)])
        try ledger.put(.init(key: "wro-880101-5264253", status: .pending, updated: Date(timeIntervalSinceNow: -71),
                             detail: ["posted_qty": "0", "seq": "0", "pending_qty": "48", "reference": "WRO880101-5264253/1"]))
        _ = try processor.apply(event())
        XCTAssertEqual(syspro.movements.map(\.line.reference), ["WRO880101-5264253/1"])
        XCTAssertEqual(syspro.posted("TS-BLU-M"), [48])
    }

    func testPendingPostThatMayStillBeInFlightWaitsAndIsFoundOnceItCommits() throws {
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

    func testUnmappedFulfillmentCenterAndUnknownSkuNeedAPersonAndPostNothingWrong() throws {
        shipbob.set(880102, status: "Completed", fc: 17, received: [("TShirtBlueM", 5264253, 5)])
        guard case .attention(let reason, let action) = try processor.apply(event(880102)) else { return XCTFail() }
        XCTAssertTrue(reason.contains("fulfillment center 17") && action.contains("mappings.location_warehouses"), reason)
        shipbob.set(880103, status: "Completed", received: [("MUG", 5264999, 5), ("TS-BLU-L", 5264260, 3)])
        guard case .attention(let r2, _) = try processor.apply(event(880103)) else { return XCTFail() }
        XCTAssertTrue(r2.contains("SKU MUG"), r2)
        XCTAssertEqual(syspro.posted("TS-BLU-L"), [3], "the known item is posted meanwhile")
        XCTAssertEqual(shipbob.synced, [], "not synced while an item is unposted")
    }

    func testSysproRefusalGoesToAttentionAndLeavesTheLedgerAtWhatSysproHas() throws {
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

    func testReceivingIdIsFoundInWrappedBodies() {
        XCTAssertEqual(ShipBobEvent.receivingOrderID(from: try! JSONValue.parse(Data(#"{"data": {"wro_id": 7}}"#.utf8))), 7)
        XCTAssertEqual(ShipBobEvent.receivingOrderID(from: try! JSONValue.parse(Data(#"{"id": 9}"#.utf8))), 9)
        XCTAssertNil(ShipBobEvent.receivingOrderID(from: try! JSONValue.parse(Data(#"{"x": 1}"#.utf8))))
    }
}
