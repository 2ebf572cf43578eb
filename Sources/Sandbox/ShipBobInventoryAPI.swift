import ConnectorKit
import Foundation

/// The product-catalogue writes and the per-fulfillment-center levels of ShipBob's API,
/// which `push-shipbob-inventory` and `inventory-variance` use.
extension ShipBobAPI {
    /// `PATCH /product/{productId}`: a partial update; variants are matched by their `id`
    /// (developer.shipbob.com/2026-01/api/products/update-product: "When updating variants
    /// through this endpoint, you must include the variant ID").
    func updateProduct(_ req: SandboxRequest, id: Int, _ s: inout ShipBobStore, _ now: Double) -> Reply {
        guard let index = s.products.firstIndex(where: { $0["id"]?.int64 == Int64(id) }) else {
            return .json(["message": "Product not found"], status: 404)
        }
        guard let input = try? JSONValue.parse(Data(req.body)), input.object != nil else {
            return .json(["message": "The request body must be a JSON product"], status: 400)
        }
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
            if let barcode = patch["barcode"], !barcode.isNull { v[set: "barcode"] = barcode }
            if let value = patch["customs"]?["value"]?.double {
                v[set: "customs"] = (v["customs"] ?? [:]).merging(["value": .number(value)])
            }
            variants[vi] = v
        }
        product[set: "variants"] = .array(variants)
        product[set: "updated_on"] = .string(SandboxClock.iso(now))
        s.products[index] = product
        return .json(product)
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
