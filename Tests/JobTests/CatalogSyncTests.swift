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
    var apiVersion: String? = "2026-07"

    func products() throws -> [ShipBobVariant] { lists += 1; return Array(variants.values) }
    func variant(sku: String) throws -> ShipBobVariant? { variants[sku] }
    func createProduct(_ spec: ProductSpec) throws -> ShipBobClient.CreateOutcome {
        if variants[spec.sku] != nil { return .skuTaken }
        creates += 1
        nextId += 1
        let v = ShipBobVariant(productId: nextId, variantId: nextId + 1000, inventoryId: nextId + 2000, sku: spec.sku,
                               name: spec.name, barcodes: spec.barcode.map { [$0] } ?? [], value: spec.value)
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
                                     name: spec.name, barcodes: spec.barcode.map { [$0] + (v.barcodes ?? []).filter { $0 != spec.barcode } } ?? v.barcodes,
                                     value: spec.value ?? v.value)
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

    func sync(told: JournaledMap<ShipBobVariant>? = nil) throws -> CatalogSync {
        CatalogSync(catalog: catalog, told: try told ?? JournaledMap(path: dir + "/shipbob-products.json"),
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
        catalog.variants["A"] = ShipBobVariant(productId: 1, variantId: 2, inventoryId: 3, sku: "A", name: "Tee", barcodes: ["0001"], value: 10)
        catalog.variants["B"] = ShipBobVariant(productId: 4, variantId: 5, inventoryId: 6, sku: "B", name: "Old name", barcodes: ["0001"], value: 10)
        let s = try sync()
        XCTAssertEqual(try s.learnCatalogue(), 2)
        var actions: [String] = []
        try s.push(s.differences([product("A"), product("B")])) { actions.append("\($0.stockCode) \($0.action.rawValue)") }
        XCTAssertEqual(actions, ["B updated"])
        XCTAssertEqual(catalog.creates, 0)
    }

    func testAnUnchangedBarcodeSendsNothingAndAChangedOneGoesFirstKeepingTheOthers() throws {
        XCTAssertEqual(try push([product("A")]), ["A created"])
        catalog.variants["A"]!.barcodes = ["0001", "MERCHANT-EAN"]
        try sync().learnCatalogue()
        XCTAssertEqual(try push([product("A")]), [], "0001 is among ShipBob's barcodes: no PATCH")
        var changed = product("A")
        changed.spec.barcode = "0002"
        XCTAssertEqual(try push([changed]), ["A updated"])
        XCTAssertEqual(catalog.variants["A"]?.barcodes, ["0002", "0001", "MERCHANT-EAN"])
        XCTAssertEqual(try push([changed]), [])
        XCTAssertEqual(catalog.updates, 1)
    }

    func testAStockCodeWithoutABarcodeLeavesShipBobsBarcodesAlone() throws {
        XCTAssertEqual(try push([product("A")]), ["A created"])
        var none = product("A")
        none.spec.barcode = nil
        XCTAssertEqual(try push([none]), [], "no barcode in SYSPRO is not a difference")
    }

    /// Upgrade: the previous release kept a bare `barcode` in its records, believing ShipBob
    /// stored it; ShipBob never had that field, so what it shows is unknown. Its records must
    /// cause neither a PATCH of every product nor a barcode that never arrives.
    func testRecordsOfThePreviousReleaseAreReadAgainSoOnlyMissingBarcodesAreSent() throws {
        let path = dir + "/shipbob-products.json"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Data(#"""
        {"a":{"barcode":"0001","inventory_id":3,"name":"Tee","product_id":1,"sku":"A","value":10,"variant_id":2},
         "b":{"barcode":"0001","inventory_id":6,"name":"Tee","product_id":4,"sku":"B","value":10,"variant_id":5},
         "c":{"barcode":"0001","inventory_id":9,"name":"Tee","product_id":7,"sku":"C","value":10,"variant_id":8}}
        """#.utf8).write(to: URL(fileURLWithPath: path))
        catalog.variants["A"] = ShipBobVariant(productId: 1, variantId: 2, inventoryId: 3, sku: "A", name: "Tee", barcodes: ["0001"], value: 10)
        catalog.variants["B"] = ShipBobVariant(productId: 4, variantId: 5, inventoryId: 6, sku: "B", name: "Tee", barcodes: [], value: 10)
        let told = try JournaledMap<ShipBobVariant>(path: path)
        let s = try sync(told: told)
        XCTAssertNil(told["a"]?.barcodes, "an old record's barcode is not believed")
        XCTAssertTrue(s.mustLearn(asked: false))
        XCTAssertEqual(try s.learnCatalogue(), 2)
        XCTAssertEqual(told["c"]?.barcodes, [], "a record ShipBob's list does not show is kept, its barcodes taken as unknown")
        XCTAssertFalse(s.mustLearn(asked: false), "so the catalogue is not read again on every run")
        var actions: [String] = []
        try s.push(s.differences([product("A"), product("B")])) { actions.append("\($0.stockCode) \($0.action.rawValue)") }
        XCTAssertEqual(actions, ["B updated"], "only the barcode that never reached ShipBob is sent")
        XCTAssertEqual(catalog.variants["B"]?.barcodes, ["0001"])
        XCTAssertEqual(try push([product("A"), product("B")]), [], "and the next run sends nothing")
        XCTAssertEqual(try push([product("C")]), ["C created"], "C, deleted in ShipBob (PATCH answers 404), is made again")
        XCTAssertFalse(try sync().mustLearn(asked: false), "the records are in the new format on disk")
    }

    func testA2026_01CatalogueHoldsWholeCustomsValuesSoCentsAreNotADifferenceEveryRun() throws {
        catalog.apiVersion = "2026-01"
        XCTAssertEqual(try push([product("A", value: 12.6)]), ["A created"])
        XCTAssertEqual(catalog.variants["A"]?.value, 13, "sent as the whole number 2026-01 takes")
        XCTAssertEqual(try push([product("A", value: 12.6)]), [])
        XCTAssertEqual(try push([product("A", value: 12.4)]), ["A updated"])
        catalog.apiVersion = "2026-07"
        XCTAssertEqual(try push([product("A", value: 12.4)]), ["A updated"], "2026-07 keeps the cents")
        XCTAssertEqual(catalog.variants["A"]?.value, 12.4)
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
