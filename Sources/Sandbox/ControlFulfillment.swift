import ConnectorKit
import Foundation
import WebhookCore

/// `/_control/shipbob/...` for what happens inside ShipBob's warehouses, so tests can drive
/// receiving and shipping the way ShipBob's floor would:
///
/// - `GET  receiving`, `GET receiving/{id}`: the WROs as stored.
/// - `POST receiving` `{"fulfillment_center_id": 10, "purchase_order_number": "P1",
///   "items": [{"sku": "TS-BLU-L", "expected_quantity": 24, "lot_number": "L1"?}]}`: a new
///   WRO, Awaiting (the lot shows in `GET /receiving/{id}/boxes`).
/// - `POST receiving/{id}/receive` `{"items": [{"sku": "TS-BLU-L", "quantity": 10}], "stow": true?, "status": "..."?}`:
///   received grows by `quantity`; the status is the one given, else Arrived once everything
///   expected is in, else PartiallyArrived. Received units are not on hand yet
///   (docs/vendors/shipbob.md, "Receiving: stowed, not received, is on hand"); with
///   `"stow": true` they are stowed at once, as below.
/// - `POST receiving/{id}/stow` `{"items": [{"sku": "TS-BLU-L", "quantity": 10}], "status": "..."?}`:
///   stowed grows by `quantity` (at most what was received and not yet stowed), ShipBob's
///   on-hand at the WRO's fulfillment center grows by the same; the status is the one given,
///   else Completed once everything expected is stowed, else Processing. Both set
///   `last_updated_date` to now.
/// - `POST orders/{id}/shipments/{shipmentId}` `{"status": "LabeledCreated", "tracking":
///   {"carrier": "UPS", "tracking_number": "1Z..."}, "delivered": true?, "last_update_at": "..."?}`:
///   updates one shipment. The first time a shipment becomes shipped (LabeledCreated, label
///   printed, when `order_shipped` fires; or Completed, seed 003) its items leave ShipBob's
///   on-hand and committed stock at its fulfillment center, once.
enum ControlFulfillment {
    static let shippedStatuses: Set<String> = ["LabeledCreated", "Completed"]

    static func route(_ req: SandboxRequest, _ p: [String], _ w: inout World, _ now: Double) throws -> Reply? {
        guard p.count >= 2, p[0] == "shipbob" else { return nil }
        switch (req.method, Array(p.dropFirst())) {
        case ("GET", ["receiving"]):
            return .json(.array(w.shipbob.receivings))
        case ("GET", let r) where r.count == 2 && r[0] == "receiving":
            guard let i = index(of: r[1], w.shipbob) else { return .json(["error": "unknown receiving order"], status: 404) }
            return .json(w.shipbob.receivings[i])
        case ("POST", ["receiving"]):
            return .json(try create(try body(req), &w.shipbob, now), status: 201)
        case ("POST", let r) where r.count == 3 && r[0] == "receiving" && (r[2] == "receive" || r[2] == "stow"):
            guard let i = index(of: r[1], w.shipbob) else { return .json(["error": "unknown receiving order"], status: 404) }
            let input = try body(req)
            if r[2] == "receive" { try receive(input, at: i, &w.shipbob, now) }
            if r[2] == "stow" || input["stow"] == .bool(true) {
                var stow = input
                if r[2] == "receive" { stow[set: "status"] = nil }
                try self.stow(stow, at: i, &w.shipbob, now)
            }
            return .json(w.shipbob.receivings[i])
        case ("POST", let r) where r.count == 4 && r[0] == "orders" && r[2] == "shipments":
            guard let order = Int(r[1]), let shipment = Int(r[3]) else { throw ControlError("order and shipment ids must be numbers") }
            return .json(try updateShipment(order: order, shipment: shipment, try body(req), &w.shipbob, now))
        default:
            return nil
        }
    }

    private static func body(_ req: SandboxRequest) throws -> JSONValue {
        guard !req.body.isEmpty else { return [:] }
        do { return try JSONValue.parse(Data(req.body)) } catch { throw ControlError("body is not JSON: \(error)") }
    }

    private static func index(of id: String, _ s: ShipBobStore) -> Int? {
        guard let id = Int64(id) else { return nil }
        return s.receivings.firstIndex { $0["id"]?.int64 == id }
    }

    private static func inventoryID(sku: String, _ s: ShipBobStore) throws -> Int {
        guard let id = s.product(sku: sku)?["variants"]?.array?.first?["inventory"]?["inventory_id"]?.int64 else {
            throw ControlError("ShipBob has no product with SKU \(sku)")
        }
        return Int(id)
    }

    private static func create(_ input: JSONValue, _ s: inout ShipBobStore, _ now: Double) throws -> JSONValue {
        let fcID = Int(input["fulfillment_center_id"]?.int64 ?? 10)
        guard let fc = s.fulfillmentCenter(id: fcID) else { throw ControlError("unknown fulfillment center \(fcID)") }
        var lots: [Int64: String] = [:]
        let items = try (input["items"]?.array ?? []).map { i -> (sku: String, inventoryId: Int, expected: Int, received: Int) in
            guard let sku = i["sku"]?.string else { throw ControlError("each item needs a sku") }
            let inventory = try inventoryID(sku: sku, s)
            if let lot = i["lot_number"]?.string { lots[Int64(inventory)] = lot }
            return (sku, inventory, Int(i["expected_quantity"]?.int64 ?? 1), 0)
        }
        guard !items.isEmpty else { throw ControlError("a receiving order needs items") }
        let id = (s.receivings.compactMap { $0["id"]?.int64 }.max().map(Int.init) ?? 880_100) + 1
        if !lots.isEmpty { s.receivingLots[Int64(id)] = lots }
        let wro = ShipBobShapes.receiving(id: id, status: "Awaiting", fc: fc,
                                          purchaseOrder: input["purchase_order_number"]?.string ?? "PO-\(id)",
                                          expectedArrival: SandboxClock.iso(now), lastUpdated: SandboxClock.iso(now),
                                          externalSync: false, items: items)
        s.receivings.append(wro)
        return wro
    }

    private static func picked(_ input: JSONValue, _ wro: JSONValue) throws -> [(index: Int, qty: Int)] {
        let quantities = wro["inventory_quantities"]?.array ?? []
        return try (input["items"]?.array ?? []).map { item in
            guard let sku = item["sku"]?.string, let qty = item["quantity"]?.int64.map(Int.init), qty > 0 else {
                throw ControlError("each item needs a sku and a positive quantity")
            }
            guard let q = quantities.firstIndex(where: { $0["sku"]?.string == sku }) else {
                throw ControlError("SKU \(sku) is not on receiving order \(wro["id"]?.int64.map(String.init) ?? "")")
            }
            return (q, qty)
        }
    }

    private static func receive(_ input: JSONValue, at i: Int, _ s: inout ShipBobStore, _ now: Double) throws {
        var wro = s.receivings[i]
        var quantities = wro["inventory_quantities"]?.array ?? []
        for (q, qty) in try picked(input, wro) {
            quantities[q][set: "received_quantity"] = .int(Int(quantities[q]["received_quantity"]?.int64 ?? 0) + qty)
        }
        let allIn = quantities.allSatisfy { ($0["received_quantity"]?.int64 ?? 0) >= ($0["expected_quantity"]?.int64 ?? 0) }
        wro[set: "inventory_quantities"] = .array(quantities)
        wro[set: "status"] = .string(input["status"]?.string ?? (allIn ? "Arrived" : "PartiallyArrived"))
        wro[set: "last_updated_date"] = .string(SandboxClock.iso(now))
        s.receivings[i] = wro
    }

    private static func stow(_ input: JSONValue, at i: Int, _ s: inout ShipBobStore, _ now: Double) throws {
        var wro = s.receivings[i]
        var quantities = wro["inventory_quantities"]?.array ?? []
        let fc = Int(wro["fulfillment_center"]?["id"]?.int64 ?? 0)
        for (q, qty) in try picked(input, wro) {
            let received = Int(quantities[q]["received_quantity"]?.int64 ?? 0), stowed = Int(quantities[q]["stowed_quantity"]?.int64 ?? 0)
            guard stowed + qty <= received else {
                throw ControlError("SKU \(quantities[q]["sku"]?.string ?? "") has \(received - stowed) received and not stowed, cannot stow \(qty)")
            }
            quantities[q][set: "stowed_quantity"] = .int(stowed + qty)
            let inventory = Int(quantities[q]["inventory_id"]?.int64 ?? 0)
            s.levels[inventory, default: [:]][fc, default: .init(onHand: 0, committed: 0, awaiting: 0)].onHand += qty
        }
        let allStowed = quantities.allSatisfy { ($0["stowed_quantity"]?.int64 ?? 0) >= ($0["expected_quantity"]?.int64 ?? 0) }
        wro[set: "inventory_quantities"] = .array(quantities)
        wro[set: "status"] = .string(input["status"]?.string ?? (allStowed ? "Completed" : "Processing"))
        wro[set: "last_updated_date"] = .string(SandboxClock.iso(now))
        s.receivings[i] = wro
    }

    private static func updateShipment(order: Int, shipment: Int, _ input: JSONValue, _ s: inout ShipBobStore,
                                       _ now: Double) throws -> JSONValue {
        guard var o = s.orders[order] else { throw ControlError("unknown order \(order)") }
        var shipments = o["shipments"]?.array ?? []
        guard let i = shipments.firstIndex(where: { $0["id"]?.int64 == Int64(shipment) }) else {
            throw ControlError("order \(order) has no shipment \(shipment)")
        }
        var sh = shipments[i]
        let stamp = input["last_update_at"]?.string ?? SandboxClock.iso(now)
        let status = input["status"]?.string ?? sh["status"]?.string ?? "Processing"
        sh[set: "status"] = .string(status)
        sh[set: "last_update_at"] = .string(stamp)
        if let t = input["tracking"], let number = t["tracking_number"]?.string {
            let carrier = t["carrier"]?.string ?? "UPS"
            sh[set: "tracking"] = ShipBobShapes.Tracking(carrier: carrier, number: number, service: t["carrier_service"]?.string ?? "Ground").json
            sh[set: "last_tracking_update_at"] = .string(stamp)
        }
        if shippedStatuses.contains(status), sh["actual_fulfillment_date"]?.isNull ?? true {
            sh[set: "actual_fulfillment_date"] = .string(stamp)
        }
        if input["delivered"] == .bool(true) {
            sh[set: "delivery_date"] = .string(stamp)
            sh[set: "status_details"] = [["name": "Delivered", "description": "Shipment Delivered", "id": 203,
                                          "inventory_id": nil, "exception_fulfillment_center_id": nil, "extra_information": nil]]
        }
        if shippedStatuses.contains(status), s.shippedShipments.insert(shipment).inserted {
            let fc = Int(sh["location"]?["id"]?.int64 ?? 0)
            for product in sh["products"]?.array ?? [] {
                for item in product["inventory_items"]?.array ?? [] {
                    guard let inv = item["id"]?.int64.map(Int.init), let qty = item["quantity"]?.int64.map(Int.init),
                          s.levels[inv]?[fc] != nil else { continue }
                    s.levels[inv]![fc]!.onHand = max(0, s.levels[inv]![fc]!.onHand - qty)
                    s.levels[inv]![fc]!.committed = max(0, s.levels[inv]![fc]!.committed - qty)
                }
            }
        }
        shipments[i] = sh
        o[set: "shipments"] = .array(shipments)
        s.orders[order] = o
        return o
    }
}
