import ConnectorKit
import GoLive
import XCTest
import ConnectorConfig

final class MappingDiscoveryTests: XCTestCase {
    typealias I = DiscoveryInput

    func input(products: [I.Product] = [], stock: [I.StockItem] = [], centers: [I.Center] = [], warehouses: [I.Warehouse] = []) -> I {
        I(channels: [], centers: centers, products: products, customers: [], warehouses: warehouses, stockItems: stock)
    }

    func testSkuRulesApplyStrictestFirstAndOnlyWhenOneStockCodeMatches() {
        let p = MappingDiscovery.propose(input(
            products: [.init(sku: "A-1", barcodes: []), .init(sku: "b_2", barcodes: []), .init(sku: "Shirt", barcodes: ["0123"]),
                       .init(sku: "Twin", barcodes: ["999"]), .init(sku: "Alone", barcodes: [])],
            stock: [.init(code: "A-1", barcode: nil), .init(code: "B-2", barcode: nil), .init(code: "TS-1", barcode: "0123"),
                    .init(code: "X1", barcode: "999"), .init(code: "X2", barcode: "999")]), current: Mappings())
        XCTAssertEqual(p.exactSkus, ["A-1"])
        XCTAssertEqual(p.skuStockCodes.map { "\($0.key)=\($0.value)/\($0.how.rawValue)" }, ["Shirt=TS-1/barcode", "b_2=B-2/normalised"])
        XCTAssertEqual(p.unmappedSkus.map(\.key), ["Alone", "Twin"])
        XCTAssertEqual(p.unmappedSkus.last?.candidates, ["X1", "X2"])
    }

    func testCentersMatchTheWarehouseSharingMostWordsAndTiesAreLeftToAPerson() {
        let p = MappingDiscovery.propose(input(
            centers: [.init(id: 10, name: "Moreno Valley (CA)"), .init(id: 20, name: "Elsewhere Hub")],
            warehouses: [.init(code: "LA", description: "Los Angeles - Moreno Valley"), .init(code: "E1", description: "Elsewhere one"),
                         .init(code: "E2", description: "Elsewhere two")]), current: Mappings())
        XCTAssertEqual(p.locationWarehouses, [.init(key: "10", value: "LA", how: .name)])
        XCTAssertEqual(p.unmappedLocations.first?.candidates, ["E1", "E2"])
    }

    func testExistingEntriesAreNeitherProposedNorOverwritten() {
        var current = Mappings()
        current.locationWarehouses = ["10": "FG"]
        let p = MappingDiscovery.propose(input(centers: [.init(id: 10, name: "Moreno Valley")],
                                               warehouses: [.init(code: "LA", description: "Moreno Valley")]), current: current)
        XCTAssertTrue(p.locationWarehouses.isEmpty)
        XCTAssertEqual(p.applied(to: current).locationWarehouses, ["10": "FG"])
    }
}
