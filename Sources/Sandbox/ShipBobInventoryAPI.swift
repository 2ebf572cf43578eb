import ConnectorKit
import Foundation
import WebhookCore

/// The product-catalogue writes and the per-fulfillment-center levels of ShipBob's API,
/// which `push-shipbob-inventory` and `inventory-variance` use.
extension ShipBobAPI {
    /// `PATCH /product/{productId}`: a partial update; variants are matched by their `id`
    /// (developer.shipbob.com/2026-01/api/products/update-product: "When updating variants
    /// through this endpoint, you must include the variant ID").
    func updateProduct(_ req: SandboxRequest, id: Int, version: String, _ s: inout ShipBobStore, _ now: Double) -> Reply {
        guard let index = s.products.firstIndex(where: { $0["id"]?.int64 == Int64(id) }) else {
            return .json(["message": "Product not found"], status: 404)
        }
        guard let input = try? JSONValue.parse(Data(req.body)), input.object != nil else {
            return .json(["message": "The request body must be a JSON product"], status: 400)
        }
        if let refused = ShipBobAPI.refuseVariantFields(input["variants"]?.array ?? [], version: version) { return refused }
        var product = s.products[index]
        if let name = input["name"]?.string { product[set: "name"] = .string(name) }
        var variants = product["variants"]?.array ?? []
        for patch in input["variants"]?.array ?? [] {
            guard let vid = patch["id"]?.int64, let vi = variants.firstIndex(where: { $0["id"]?.int64 == vid }) else {
                return .json(["variants": .array([.string("Variant \(patch["id"]?.int64.map(String.init) ?? "without id") is not part of product \(id).")])],
                             status: 422)
            }
            if let sku = patch["sku"]?.string, sku != variants[vi]["sku"]?.string {
                return .json(["variants": .array([.string("The SKU of variant \(vid) cannot be changed.")])], status: 422)
            }
            var v = variants[vi]
            if let name = patch["name"]?.string { v[set: "name"] = .string(name) }
            if let barcodes = patch["barcodes"]?.array { v[set: "barcodes"] = .array(barcodes.map { ["value": $0["value"] ?? nil] }) }
            if let upc = patch["upc"], !upc.isNull { v[set: "upc"] = upc }
            if let value = patch["customs"]?["value"]?.double {
                v[set: "customs"] = (v["customs"] ?? [:]).merging(["value": .number(value)])
            }
            variants[vi] = v
        }
        product[set: "variants"] = .array(variants)
        product[set: "updated_on"] = .string(SandboxClock.iso(now))
        s.products[index] = product
        return .json(ShipBobAPI.served(product, version: version))
    }

    /// What product writes refuse for their variants (docs/vendors/shipbob.md, "Product variant
    /// barcodes" and "customs.value per API version"): a bare `barcode` (variants have
    /// `barcodes[{value}]`, `upc`, `gtin`), and a `customs.value` with a fraction before 2026-07
    /// (an int32 there). Answered as ASP.NET's model validation answers, 400 by field.
    static func refuseVariantFields(_ variants: [JSONValue], version: String) -> Reply? {
        for (i, v) in variants.enumerated() {
            if v["barcode"] != nil {
                return .json(.object(["variants[\(i)].barcode": ["Unknown field: a variant's barcodes go in barcodes[{value}] (or upc, gtin)."]]),
                             status: 400)
            }
            if version < "2026-07", let value = v["customs"]?["value"], value.double.map({ $0 != $0.rounded() }) ?? !value.isNull {
                return .json(.object(["variants[\(i)].customs.value": .array([.string(
                    "The JSON value could not be converted to System.Int32 (API \(version) takes a whole number; decimals from 2026-07).")])]),
                             status: 400)
            }
        }
        return nil
    }

    /// A product as `version` shows it: before 2026-07 `customs.value` is an int32, so a value
    /// stored with cents (written under 2026-07) reads rounded.
    static func served(_ product: JSONValue, version: String) -> JSONValue {
        guard version < "2026-07", var variants = product["variants"]?.array else { return product }
        for (i, v) in variants.enumerated() {
            if let value = v["customs"]?["value"]?.double, value != value.rounded() {
                variants[i][set: "customs"] = (v["customs"] ?? [:]).merging(["value": .number(value.rounded())])
            }
        }
        var p = product
        p[set: "variants"] = .array(variants)
        return p
    }

    /// `GET /inventory-level/locations`: every inventory item with its levels per
    /// fulfillment center, paged like the other lists
    /// (developer.shipbob.com/2026-07/api/inventory/get-all-inventory-levels-grouped-by-fulfillment-center).
    func levelsByLocation(_ req: SandboxRequest, _ s: ShipBobStore, base: String) -> Reply {
        let location = req.param("LocationId").flatMap { Int($0.trimmed) }
        let wanted = req.param("InventoryIds").map { Set($0.split(separator: ",").compactMap { Int(String($0).trimmed) }) }
        let items: [JSONValue] = s.products.compactMap { product in
            guard let v = product["variants"]?.array?.first, let id = v["inventory"]?["inventory_id"]?.int64.map(Int.init) else { return nil }
            if let wanted, !wanted.contains(id) { return nil }
            return [
                "inventory_id": .int(id), "sku": v["sku"] ?? .null, "name": v["name"] ?? .null,
                "locations": .array(locations(inventoryId: id, s).filter { location == nil || $0["location_id"]?.int64 == Int64(location!) }),
            ]
        }
        return paged(items, req, base: base)
    }

    /// One inventory item's levels per fulfillment center, as both location endpoints show them.
    func locations(inventoryId: Int, _ s: ShipBobStore) -> [JSONValue] {
        let byFc = s.levels[inventoryId] ?? [:]
        return byFc.keys.sorted().map { fc in
            let l = byFc[fc]!
            return [
                "location_id": .int(fc), "name": .str(s.fulfillmentCenter(id: fc)?.name),
                "on_hand_quantity": .int(l.onHand), "committed_quantity": .int(l.committed),
                "fulfillable_quantity": .int(l.fulfillable), "awaiting_quantity": .int(l.awaiting),
                "internal_transfer_quantity": 0,
            ]
        }
    }
}
