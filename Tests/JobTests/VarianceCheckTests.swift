import Foundation
import Syspro
import XCTest
import ConnectorKit
import ShipBob
import Inventory
import WebhookCore
import ConnectorConfig

final class VarianceCheckTests: XCTestCase {
    let check = VarianceCheck(config: TenantConfig(
        mappings: Mappings(channelCustomers: [:], skuStockCodes: ["TShirtBlueM": "TS-BLU-M"], locationWarehouses: ["10": "LA", "17": "DA"]),
        sections: [SysproSettings(restURL: "http://x/Rest", odataURL: "http://x/odata", operator: "ADMIN", companyID: "C",
                                  odataUser: "o", orderWarehouse: "FG"),
                   ShipBobSettings(apiURL: "http://x/shipbob/2026-07", auth: .pat)]))

    func key(_ wh: String, _ code: String) -> LevelKey { LevelKey(warehouse: wh, stockCode: code) }
    func level(_ sku: String, _ fc: Int64, _ onHand: Int) -> ShipBobLocationLevel {
        ShipBobLocationLevel(inventoryId: 1, sku: sku, locationId: fc, onHand: onHand, committed: 0, awaiting: 0)
    }

    /// A SYSPRO QtyOnHand of 1e19 (or inf) trapped when the finding was written.
    func testAQuantityBeyondInt64IsReportedAsThePlainNumber() {
        XCTAssertEqual(Double(12).plainText, "12")
        XCTAssertEqual((-2.5).plainText, "-2.5")
        XCTAssertEqual((1e19).plainText, "1e+19")
        XCTAssertEqual(Double.infinity.plainText, "inf")
        XCTAssertEqual((9_007_199_254_740_991.0).plainText, "9007199254740991", "the largest whole number a Double holds exactly")
    }

    func testEqualCountsAreNotDifferencesAndSkusMapToStockCodes() {
        let report = check.compare(syspro: [key("LA", "TS-BLU-M"): 10, key("DA", "TS-BLU-M"): 4],
                                   shipbob: [level("TShirtBlueM", 10, 10), level("TShirtBlueM", 17, 4)], inFlight: InFlight())
        XCTAssertEqual(report.compared, 2)
        XCTAssertEqual(report.differences, [])
    }

    func testAReceiptShipBobCountedButSysproHasNotPostedIsNotADifference() {
        var inFlight = InFlight()
        inFlight.receipts[key("LA", "TS-BLU-M")] = 48
        let report = check.compare(syspro: [key("LA", "TS-BLU-M"): 10], shipbob: [level("TShirtBlueM", 10, 58)], inFlight: inFlight)
        XCTAssertEqual(report.differences, [])
        let without = check.compare(syspro: [key("LA", "TS-BLU-M"): 10], shipbob: [level("TShirtBlueM", 10, 58)], inFlight: InFlight())
        XCTAssertEqual(without.differences.map(\.difference), [48], "without the in-flight receipt it would be adjusted, then posted again")
    }

    func testAShipmentSysproHasNotRelievedIsNotADifference() {
        var inFlight = InFlight()
        inFlight.shipments[key("DA", "TS-BLU-M")] = 2
        XCTAssertEqual(check.compare(syspro: [key("DA", "TS-BLU-M"): 6], shipbob: [level("TShirtBlueM", 17, 4)], inFlight: inFlight).differences, [])
    }

    func testARealDifferenceIsSignedFromShipBobsSide() throws {
        let report = check.compare(syspro: [key("LA", "HD-GRY-M"): 8], shipbob: [level("HD-GRY-M", 10, 12)], inFlight: InFlight())
        let line = try XCTUnwrap(report.differences.first)
        XCTAssertEqual(line.difference, 4)
        XCTAssertEqual(line.sysproExpected, 8)
        XCTAssertEqual(line.locationId, 10)
    }

    func testSkusOnOneSideOnlyAreListedNotCompared() {
        let report = check.compare(syspro: [key("LA", "AC-SCARF-WOL"): 5], shipbob: [level("MUG-LOGO-11OZ", 10, 24)], inFlight: InFlight())
        XCTAssertEqual(report.compared, 0)
        XCTAssertEqual(Set(report.oneSided.map { "\($0.side.rawValue) \($0.stockCode)" }),
                       ["syspro-only AC-SCARF-WOL", "shipbob-only MUG-LOGO-11OZ"])
    }

    func testAProductShipBobHasButDoesNotStockAtALocationCountsZeroThere() {
        let report = check.compare(syspro: [key("LA", "HD-GRY-M"): 8, key("DA", "HD-GRY-M"): 3],
                                   shipbob: [level("HD-GRY-M", 10, 8)], inFlight: InFlight())
        XCTAssertEqual(report.differences.map { "\($0.warehouse) \($0.difference)" }, ["DA -3.0"])
    }

    func testALevelWithAnUnresolvedMovementIsSkipped() {
        var inFlight = InFlight()
        inFlight.uncertain = [key("LA", "HD-GRY-M")]
        let report = check.compare(syspro: [key("LA", "HD-GRY-M"): 8], shipbob: [level("HD-GRY-M", 10, 20)], inFlight: inFlight)
        XCTAssertEqual(report.differences, [])
        XCTAssertEqual(report.skipped, ["LA/HD-GRY-M"])
    }

    func testLocationsNotMappedToAWarehouseAreIgnored() {
        let report = check.compare(syspro: [:], shipbob: [level("HD-GRY-M", 28, 8)], inFlight: InFlight())
        XCTAssertEqual(report.compared, 0)
        XCTAssertEqual(report.oneSided, [])
    }
}

final class WarehouseLevelsTests: XCTestCase {
    func testWarehouseCodesBecomeSafeFileNamesAndBack() throws {
        let dir = NSTemporaryDirectory() + "mlc-levels-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let levels = WarehouseLevels(directory: dir)
        let codes = ["FG", "LA", "W-1_2", "A/B", "..", "Dépôt"]
        for code in codes {
            let path = levels.store(code).path
            XCTAssertEqual(PathString(path).parent, dir, "\(code) names a file in the levels directory: \(path)")
            XCTAssertFalse(PathString(path).lastComponent.hasPrefix("."), path)
        }
        let read = try codes.map {
            try StockLevel(row: .object(["StockCode": .string("A"), "Warehouse": .string($0), "QtyOnHand": .number(1),
                                         "TimeStamp": .string("0x0000000000000007")]), source: "test")
        }
        _ = try levels.merge(read, printAll: false)
        XCTAssertEqual(Set(try levels.load().values.map(\.warehouse)), Set(codes), "each file's name reads back as its warehouse")
    }
}
