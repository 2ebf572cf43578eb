import ConnectorKit
import ConnectorNet

/// One ShipBob product variant as the inventory jobs see it: the SKU is the join key
/// with SYSPRO's stock code; `inventoryId` is what ShipBob counts stock against.
public struct ShipBobVariant: JSONRecord, Equatable {
    public var productId: Int64
    public var variantId: Int64
    public var inventoryId: Int64?
    public var sku: String
    public var name: String
    public var barcode: String?
    public var value: Double?

    /// As `inventory/shipbob-products.json` holds it.
    public var jsonBytes: [UInt8] { var out: [UInt8] = []; appendJSON(to: &out); return out }

    public func appendJSON(to out: inout [UInt8]) {
        var w = JSONObjectWriter(continuing: &out)
        w.field("barcode", barcode)
        if let inventoryId { w.field("inventory_id", number: Double(inventoryId)) }
        w.field("name", name)
        w.field("product_id", number: Double(productId))
        w.field("sku", sku)
        if let value { w.field("value", number: value) }
        w.field("variant_id", number: Double(variantId))
        w.finish(into: &out)
    }

    public init(json: JSONValue, source: String) throws {
        guard let p = json["product_id"]?.int64, let v = json["variant_id"]?.int64, let sku = json["sku"]?.string else {
            throw DataError(source: source, problem: "a product record lacks product_id, variant_id or sku")
        }
        self.init(productId: p, variantId: v, inventoryId: json["inventory_id"]?.int64, sku: sku, name: json["name"]?.string ?? "",
                  barcode: json["barcode"]?.string, value: json["value"]?.double)
    }

    public init(productId: Int64, variantId: Int64, inventoryId: Int64?, sku: String, name: String, barcode: String?, value: Double?) {
        self.productId = productId; self.variantId = variantId; self.inventoryId = inventoryId
        self.sku = sku; self.name = name; self.barcode = barcode; self.value = value
    }

    /// Every variant of a `GET /product` item (developer.shipbob.com/2026-07/guides/product-catalog:
    /// variants carry `sku`, `name`, `barcode`, `customs.value`, `inventory.inventory_id`).
    static func all(in product: JSONValue, source: String) throws -> [ShipBobVariant] {
        guard let productId = product["id"]?.int64 else { throw DataError(source: source, problem: "a product has no numeric id") }
        return try (product["variants"]?.array ?? []).map { v in
            guard let id = v["id"]?.int64, let sku = v["sku"]?.string, !sku.isEmpty else {
                throw DataError(source: source, problem: "product \(productId) has a variant without id or sku")
            }
            return ShipBobVariant(productId: productId, variantId: id, inventoryId: v["inventory"]?["inventory_id"]?.int64, sku: sku,
                                  name: v["name"]?.string ?? product["name"]?.string ?? "", barcode: v["barcode"]?.string,
                                  value: v["customs"]?["value"]?.double)
        }
    }
}

/// What a product should look like in ShipBob: the fields the connector owns.
public struct ProductSpec: Codable, Sendable, Equatable {
    public var sku: String
    public var name: String
    public var barcode: String?
    public var value: Double?

    public init(sku: String, name: String, barcode: String?, value: Double?) {
        self.sku = sku; self.name = name; self.barcode = barcode; self.value = value
    }

    /// Whether ShipBob already shows this (a value SYSPRO does not give is not compared).
    public func matches(_ v: ShipBobVariant) -> Bool {
        v.name == name && (barcode ?? "") == (v.barcode ?? "") && (value == nil || v.value == value)
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
        var variant: [String: JSONValue] = ["sku": .string(spec.sku), "name": .string(spec.name)]
        if let b = spec.barcode { variant["barcode"] = .string(b) }
        if let v = spec.value { variant["customs"] = .object(["value": .number(v)]) }
        let url = URLEncoding.join(settings.apiURL, "product")
        let (request, response) = try send(.post, url, json: .object(["name": .string(spec.name), "type_id": .number(1), "variants": .array([.object(variant)])]))
        if response.status == 422, response.bodySnippet(limit: 400).lowercased().contains("already exist") { return .skuTaken }
        let product = try json(request, response, operation: "create product \(spec.sku)")
        guard let made = try ShipBobVariant.all(in: product, source: "ShipBob POST /product").first(where: { $0.sku == spec.sku }) else {
            throw ShipBobError(.badAnswer, operation: "create product \(spec.sku)", url: request.redactedURL, message: "the created product has no variant with that SKU")
        }
        return .created(made)
    }

    public enum CreateOutcome: Equatable { case created(ShipBobVariant), skuTaken }

    /// `PATCH /product/{id}` with the variant's id (developer.shipbob.com/2026-01/api/products/update-product).
    /// Every field is sent as an absolute value, so a repeat is harmless.
    public func updateProduct(_ current: ShipBobVariant, to spec: ProductSpec) throws -> ShipBobVariant {
        var variant: [String: JSONValue] = ["id": .number(Double(current.variantId)), "name": .string(spec.name)]
        if let b = spec.barcode { variant["barcode"] = .string(b) }
        if let v = spec.value { variant["customs"] = .object(["value": .number(v)]) }
        let url = URLEncoding.join(settings.apiURL, "product/\(current.productId)")
        let (request, response) = try send(.patch, url, json: .object(["variants": .array([.object(variant)])]), idempotent: true)
        let product = try json(request, response, operation: "update product \(spec.sku)")
        guard let updated = try ShipBobVariant.all(in: product, source: "ShipBob PATCH /product").first(where: { $0.variantId == current.variantId }) else {
            throw ShipBobError(.badAnswer, operation: "update product \(spec.sku)", url: request.redactedURL, message: "the answer lacks variant \(current.variantId)")
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
                throw ShipBobError(.badAnswer, operation: operation, url: request.redactedURL, message: "answer has no items list")
            }
            for item in items { all += try each(item) }
            url = page["next"]?.string.map { URLEncoding.resolve($0, against: settings.apiURL) }
        }
        return all
    }
}
