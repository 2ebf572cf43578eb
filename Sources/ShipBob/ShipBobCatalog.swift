import ConnectorKit
import ConnectorNet
import WebhookCore

/// One ShipBob product variant as the inventory jobs see it: the SKU is the join key
/// with SYSPRO's stock code; `inventoryId` is what ShipBob counts stock against.
public struct ShipBobVariant: JSONRecord, Equatable {
    public var productId: Int64
    public var variantId: Int64
    public var inventoryId: Int64?
    public var sku: String
    public var name: String
    /// The variant's `barcodes[].value` (docs/vendors/shipbob.md, "Product variant barcodes").
    /// `nil` in a record the previous release wrote: it believed in a bare `barcode` field
    /// ShipBob does not have, so what ShipBob shows is unknown until the catalogue is read again.
    public var barcodes: [String]?
    public var upc: String?
    public var value: Double?

    /// As `inventory/shipbob-products.json` holds it.
    public var jsonBytes: [UInt8] { var out: [UInt8] = []; appendJSON(to: &out); return out }

    public func appendJSON(to out: inout [UInt8]) {
        var w = JSONObjectWriter(continuing: &out)
        if let barcodes {
            w.field("barcodes") { out in
                out.append(UInt8(ascii: "["))
                for (i, b) in barcodes.enumerated() {
                    if i > 0 { out.append(UInt8(ascii: ",")) }
                    JSONObjectWriter.appendString(b, to: &out)
                }
                out.append(UInt8(ascii: "]"))
            }
        }
        if let inventoryId { w.field("inventory_id", number: Double(inventoryId)) }
        w.field("name", name)
        w.field("product_id", number: Double(productId))
        w.field("sku", sku)
        w.field("upc", upc)
        if let value { w.field("value", number: value) }
        w.field("variant_id", number: Double(variantId))
        w.finish(into: &out)
    }

    /// A stored record; one of the previous release (a `barcode`, no `barcodes`) reads with
    /// `barcodes` nil, whatever its `barcode` said.
    public init(json: JSONValue, source: String) throws {
        guard let p = json["product_id"]?.int64, let v = json["variant_id"]?.int64, let sku = json["sku"]?.string else {
            throw DataError(source: source, problem: "a product record lacks product_id, variant_id or sku")
        }
        self.init(productId: p, variantId: v, inventoryId: json["inventory_id"]?.int64, sku: sku, name: json["name"]?.string ?? "",
                  barcodes: json["barcodes"]?.array.map { $0.compactMap(\.string) }, upc: json["upc"]?.string, value: json["value"]?.double)
    }

    public init(productId: Int64, variantId: Int64, inventoryId: Int64?, sku: String, name: String, barcodes: [String]?,
                upc: String? = nil, value: Double?) {
        self.productId = productId; self.variantId = variantId; self.inventoryId = inventoryId
        self.sku = sku; self.name = name; self.barcodes = barcodes; self.upc = upc; self.value = value
    }

    /// Every variant of a `GET /product` item: `sku`, `name`, `barcodes[{value}]`, `upc`,
    /// `customs.value`, `inventory.inventory_id` (docs/vendors/shipbob.md, "Product variant barcodes").
    static func all(in product: JSONValue, source: String) throws -> [ShipBobVariant] {
        guard let productId = product["id"]?.int64 else { throw DataError(source: source, problem: "a product has no numeric id") }
        return try (product["variants"]?.array ?? []).map { v in
            guard let id = v["id"]?.int64, let sku = v["sku"]?.string, !sku.isEmpty else {
                throw DataError(source: source, problem: "product \(productId) has a variant without id or sku")
            }
            return ShipBobVariant(productId: productId, variantId: id, inventoryId: v["inventory"]?["inventory_id"]?.int64, sku: sku,
                                  name: v["name"]?.string ?? product["name"]?.string ?? "",
                                  barcodes: (v["barcodes"]?.array ?? []).compactMap { $0["value"]?.nonEmptyString },
                                  upc: v["upc"]?.nonEmptyString, value: v["customs"]?["value"]?.double)
        }
    }
}

/// What a product should look like in ShipBob: the fields the connector owns.
public struct ProductSpec: Codable, Sendable, Equatable {
    public var sku: String
    public var name: String
    /// SYSPRO's barcode for the stock code: sent as one of the variant's `barcodes`.
    public var barcode: String?
    public var value: Double?

    public init(sku: String, name: String, barcode: String?, value: Double?) {
        self.sku = sku; self.name = name; self.barcode = barcode; self.value = value
    }

    /// This spec as ShipBob's `apiVersion` can hold it (a whole customs value before 2026-07),
    /// so that a value the version rounds is not "different" on every run.
    public func accepted(by apiVersion: String?) -> ProductSpec {
        var s = self
        s.value = value.map { ShipBobFacts.customsValue($0, apiVersion: apiVersion) }
        return s
    }

    /// Whether ShipBob already shows this. What SYSPRO does not give (a value, a barcode) is not
    /// compared; a barcode is shown when it is among the variant's `barcodes` or is its `upc`,
    /// and unknown (so not shown) in a record of the previous release.
    public func matches(_ v: ShipBobVariant) -> Bool {
        v.name == name && (value == nil || v.value == value) && barcodeShown(in: v)
    }

    func barcodeShown(in v: ShipBobVariant) -> Bool {
        guard let barcode else { return true }
        guard let known = v.barcodes else { return false }
        return known.contains(barcode) || v.upc == barcode
    }

    /// The variant fields a write sends: the barcode first among `barcodes` (`keeping` the
    /// others ShipBob has, in case a write replaces the list), in `upc` too when it is a UPC-A;
    /// `customs.value` as `apiVersion` takes it. Never a bare `barcode`, which ShipBob refuses.
    func variantFields(keeping others: [String], apiVersion: String?) -> [String: JSONValue] {
        var variant: [String: JSONValue] = ["name": .string(name)]
        if let barcode {
            variant["barcodes"] = .array(([barcode] + others.filter { $0 != barcode }).map { .object(["value": .string($0)]) })
            if ShipBobFacts.isUPC(barcode) { variant["upc"] = .string(barcode) }
        }
        if let value { variant["customs"] = .object(["value": .number(ShipBobFacts.customsValue(value, apiVersion: apiVersion))]) }
        return variant
    }
}

/// Stock per fulfillment center for one inventory item.
public struct ShipBobLocationLevel: Sendable, Equatable {
    public var inventoryId: Int64
    public var sku: String
    public var locationId: Int64
    public var onHand: Int
    public var committed: Int
    public var awaiting: Int

    public init(inventoryId: Int64, sku: String, locationId: Int64, onHand: Int, committed: Int, awaiting: Int) {
        self.inventoryId = inventoryId; self.sku = sku; self.locationId = locationId
        self.onHand = onHand; self.committed = committed; self.awaiting = awaiting
    }

    /// The levels of one `GET /inventory-level/locations` item: one per fulfillment center.
    static func all(in item: JSONValue, source: String) throws -> [ShipBobLocationLevel] {
        guard let id = item["inventory_id"]?.int64 else { throw DataError(source: source, problem: "an item has no inventory_id") }
        return try (item["locations"]?.array ?? []).map { l in
            guard let loc = l["location_id"]?.int64, let onHand = l["on_hand_quantity"]?.int64 else {
                throw DataError(source: source, problem: "inventory \(id) has a location without location_id or on_hand_quantity")
            }
            return ShipBobLocationLevel(inventoryId: id, sku: item["sku"]?.string ?? "", locationId: loc, onHand: Int(onHand),
                                        committed: Int(l["committed_quantity"]?.int64 ?? 0), awaiting: Int(l["awaiting_quantity"]?.int64 ?? 0))
        }
    }
}

extension ShipBobClient {
    /// `GET /product`, every page (cursor paging: `next` holds the next page's URL).
    public func products() throws -> [ShipBobVariant] {
        try pages(path: "product", operation: "products") { try ShipBobVariant.all(in: $0, source: "ShipBob GET /product") }
    }

    /// `GET /product?sku=`; nil when no variant carries that SKU.
    public func variant(sku: String) throws -> ShipBobVariant? {
        let found = try pages(path: "product", query: [("sku", sku)], operation: "product \(sku)") { product in
            try ShipBobVariant.all(in: product, source: "ShipBob GET /product?sku=\(sku)")
        }
        return found.first { $0.sku.lowercased() == sku.lowercased() }
    }

    /// `POST /product` with one variant. Not repeated after an ambiguous failure: the next
    /// run finds the SKU taken (422) and adopts the product instead.
    public func createProduct(_ spec: ProductSpec) throws -> CreateOutcome {
        var variant = spec.variantFields(keeping: [], apiVersion: apiVersion)
        variant["sku"] = .string(spec.sku)
        let url = URLEncoding.join(settings.apiURL, "product")
        let (request, response) = try send(.post, url, json: .object(["name": .string(spec.name), "type_id": .number(1), "variants": .array([.object(variant)])]))
        if response.status == 422, response.bodySnippet(limit: 400).lowercased().contains("already exist") { return .skuTaken }
        let product = try json(request, response, operation: "create product \(spec.sku)")
        guard let made = try ShipBobVariant.all(in: product, source: "ShipBob POST /product").first(where: { $0.sku == spec.sku }) else {
            throw VendorError(.shipbob, .badAnswer, operation: "create product \(spec.sku)", url: request.redactedURL, message: "the created product has no variant with that SKU")
        }
        return .created(made)
    }

    public enum CreateOutcome: Equatable { case created(ShipBobVariant), skuTaken }

    /// `PATCH /product/{id}` with the variant's id (developer.shipbob.com/2026-01/api/products/update-product).
    /// Every field is sent as an absolute value, so a repeat is harmless.
    public func updateProduct(_ current: ShipBobVariant, to spec: ProductSpec) throws -> ShipBobVariant {
        var variant = spec.variantFields(keeping: current.barcodes ?? [], apiVersion: apiVersion)
        variant["id"] = .number(Double(current.variantId))
        let url = URLEncoding.join(settings.apiURL, "product/\(current.productId)")
        let (request, response) = try send(.patch, url, json: .object(["variants": .array([.object(variant)])]), idempotent: true)
        let product = try json(request, response, operation: "update product \(spec.sku)")
        guard let updated = try ShipBobVariant.all(in: product, source: "ShipBob PATCH /product").first(where: { $0.variantId == current.variantId }) else {
            throw VendorError(.shipbob, .badAnswer, operation: "update product \(spec.sku)", url: request.redactedURL, message: "the answer lacks variant \(current.variantId)")
        }
        return updated
    }

    /// `GET /inventory-level/locations`, every page: each item's stock per fulfillment center
    /// (developer.shipbob.com/2026-07/api/inventory/get-all-inventory-levels-grouped-by-fulfillment-center).
    public func levelsByLocation() throws -> [ShipBobLocationLevel] {
        try pages(path: "inventory-level/locations", operation: "inventory levels") {
            try ShipBobLocationLevel.all(in: $0, source: "ShipBob GET /inventory-level/locations")
        }
    }

    /// The `items` of every page of a cursor-paged list (`next` is an absolute URL or null),
    /// each made into `T`s as its page arrives: a catalogue of 20,000 products is not held
    /// as JSON all at once.
    private func pages<T>(path: String, query: [(String, String)] = [], operation: String, each: (JSONValue) throws -> [T]) throws -> [T] {
        var url: String? = URLEncoding.url(URLEncoding.join(settings.apiURL, path), query: query + [("PageSize", String(ShipBobFacts.listPageSize))])
        var all: [T] = []
        var seen = Set<String>()
        while let current = url, seen.insert(current).inserted {
            let (request, response) = try get(current)
            let page = try json(request, response, operation: operation)
            guard let items = page["items"]?.array else {
                throw VendorError(.shipbob, .badAnswer, operation: operation, url: request.redactedURL, message: "answer has no items list")
            }
            for item in items { all += try each(item) }
            url = page["next"]?.string.map { URLEncoding.resolve($0, against: settings.apiURL) }
        }
        return all
    }
}
