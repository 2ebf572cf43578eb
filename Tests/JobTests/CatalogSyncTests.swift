import Foundation
import XCTest
import ConnectorKit
import ConnectorNet
import ShipBob
import Inventory

/// A ShipBob catalogue in memory that can lose an answer after committing, like a
/// connection dropped once ShipBob has created the product.
final class FakeCatalog: ProductCatalog {
    var variants: [String: ShipBobVariant] = [:]
    var creates = 0, updates = 0, lists = 0
    var loseAnswerAfterCreate = false
    var nextId: Int64 = 100

    func products() throws -> [ShipBobVariant] { lists += 1; return Array(variants.values) }
    func variant(sku: String) throws -> ShipBobVariant? { variants[sku] }
    func createProduct(_ spec: ProductSpec) throws -> ShipBobClient.CreateOutcome {
        if variants[spec.sku] != nil { return .skuTaken }
        creates += 1
        nextId += 1
        let v = ShipBobVariant(productId: nextId, variantId: nextId + 1000, inventoryId: nextId + 2000, sku: spec.sku,
                               name: spec.name, barcode: spec.barcode, value: spec.value)
        variants[spec.sku] = v
        if loseAnswerAfterCreate { loseAnswerAfterCreate = false; throw Interrupted() }
        return .created(v)
    }
    func updateProduct(_ current: ShipBobVariant, to spec: ProductSpec) throws -> ShipBobVariant {
        guard let v = variants[current.sku], v.productId == current.productId else {
            throw HTTPStatusError(request: HTTPRequest(.patch, "http://x/product/\(current.productId)"),
                                  response: HTTPResponse(status: 404, headers: [:], body: Data()))
        }
        updates += 1
        let updated = ShipBobVariant(productId: v.productId, variantId: v.variantId, inventoryId: v.inventoryId, sku: v.sku,
                                     name: spec.name, barcode: spec.barcode, value: spec.value ?? v.value)
        variants[spec.sku] = updated
        return updated
    }
}

final class CatalogSyncTests: XCTestCase {
    var dir: String!
    var catalog: FakeCatalog!

    override func setUp() {
        dir = NSTemporaryDirectory() + "mlc-catalog-" + UUID().uuidString
        catalog = FakeCatalog()
    }
    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    func sync() throws -> CatalogSync {
        CatalogSync(catalog: catalog, told: try JournaledMap(path: dir + "/shipbob-products.json"),
                    audit: AuditLog(directory: dir + "/audit", job: "test"))
    }

    func product(_ code: String, _ name: String = "Tee", value: Double? = 10) -> DesiredProduct {
        DesiredProduct(stockCode: code, spec: ProductSpec(sku: code, name: name, barcode: "0001", value: value))
    }

    func push(_ desired: [DesiredProduct]) throws -> [String] {
        let s = try sync()
        var actions: [String] = []
        try s.push(s.differences(desired)) { actions.append("\($0.stockCode) \($0.action.rawValue)") }
        return actions
    }

    func testOnlyDifferencesFromWhatShipBobWasToldAreSent() throws {
        XCTAssertEqual(try push([product("A"), product("B")]), ["A created", "B created"])
        XCTAssertEqual(try push([product("A"), product("B")]), [], "a second run in a new process sends nothing")
        XCTAssertEqual(try push([product("A", "Tee v2"), product("B")]), ["A updated"])
        XCTAssertEqual(catalog.creates, 2)
        XCTAssertEqual(catalog.updates, 1)
    }

    func testAProductCreatedBeforeTheAnswerWasLostIsAdoptedNotCreatedTwice() throws {
        catalog.loseAnswerAfterCreate = true
        XCTAssertThrowsError(try push([product("A")]))
        XCTAssertEqual(try push([product("A")]), ["A adopted"])
        XCTAssertEqual(catalog.creates, 1)
        XCTAssertEqual(catalog.updates, 0, "ShipBob already showed what SYSPRO says")
    }

    func testWhatShipBobAlreadyHoldsIsLearnedAndOnlyRealDifferencesAreSent() throws {
        catalog.variants["A"] = ShipBobVariant(productId: 1, variantId: 2, inventoryId: 3, sku: "A", name: "Tee", barcode: "0001", value: 10)
        catalog.variants["B"] = ShipBobVariant(productId: 4, variantId: 5, inventoryId: 6, sku: "B", name: "Old name", barcode: "0001", value: 10)
        let s = try sync()
        XCTAssertEqual(try s.learnCatalogue(), 2)
        var actions: [String] = []
        try s.push(s.differences([product("A"), product("B")])) { actions.append("\($0.stockCode) \($0.action.rawValue)") }
        XCTAssertEqual(actions, ["B updated"])
        XCTAssertEqual(catalog.creates, 0)
    }

    func testAProductDeletedInShipBobIsMadeAgain() throws {
        XCTAssertEqual(try push([product("A")]), ["A created"])
        catalog.variants["A"] = nil
        XCTAssertEqual(try push([product("A", "Tee v2")]), ["A created"])
        XCTAssertEqual(catalog.creates, 2)
    }

    func testAValueSysproDoesNotGiveIsNotCompared() throws {
        XCTAssertEqual(try push([product("A", value: 10)]), ["A created"])
        XCTAssertEqual(try push([product("A", value: nil)]), [])
    }
}
