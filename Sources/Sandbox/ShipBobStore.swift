import ConnectorKit
import Foundation
import WebhookCore

/// ShipBob's side of the demo merchant: what its API reads and writes.
struct ShipBobStore: Sendable {
    /// Stock ShipBob counts per inventory item and fulfillment center (docs/vendors/shipbob.md: inventory is
    /// read-only in ShipBob's API, ShipBob counts what it holds).
    struct Level: Sendable {
        var onHand: Int
        var committed: Int
        var awaiting: Int
        var fulfillable: Int { max(0, onHand - committed) }
    }

    var channels: [JSONValue]
    /// Webhook subscriptions (`GET`/`POST /webhook`, `DELETE /webhook/{id}`): none until made.
    var webhooks: [JSONValue] = []
    var fulfillmentCenters: [JSONValue]
    var products: [JSONValue]
    var levels: [Int: [Int: Level]]
    var orders: [Int: JSONValue]
    var receivings: [JSONValue]
    var nextOrderId: Int
    var nextShipmentId: Int
    var nextProductId: Int
    /// Shipments whose items already left on-hand stock (`ControlFulfillment`): once each.
    var shippedShipments: Set<Int> = []
    /// WRO id -> inventory id -> the lot number its box items carry (`GET /receiving/{id}/boxes`).
    var receivingLots: [Int64: [Int64: String]] = [:]

    func product(sku: String) -> JSONValue? {
        products.first { p in p["variants"]?.array?.contains { $0["sku"]?.string?.caseInsensitiveCompare(sku) == .orderedSame } ?? false }
    }

    func channel(id: Int) -> JSONValue? { channels.first { $0["id"]?.int64 == Int64(id) } }

    func fulfillmentCenter(id: Int) -> (id: Int, name: String)? {
        guard let fc = fulfillmentCenters.first(where: { $0["id"]?.int64 == Int64(id) }) else { return nil }
        return (id, fc["name"]?.string ?? "")
    }

    /// The latest change to an order: its creation or any shipment update; ShipBob's
    /// `LastUpdateStartDate` filter works on this.
    static func lastUpdate(of order: JSONValue) -> String {
        let dates = [order["created_date"]?.string] + (order["shipments"]?.array ?? []).map { $0["last_update_at"]?.string }
        return dates.compactMap { $0 }.max() ?? ""
    }

    /// A full order from a partial one, as `POST /order` and the control endpoint accept
    /// it: products are matched to the catalog by SKU (or reference_id), one shipment at
    /// the first fulfillment center is added unless `shipments` are given, and every other
    /// key of `input` overrides the default.
    mutating func createOrder(from input: JSONValue, channelId: Int, now: Double) -> JSONValue {
        let id = input["id"]?.int64.map(Int.init) ?? nextOrderId
        nextOrderId = max(nextOrderId, id + 1)
        let created = input["created_date"]?.string ?? SandboxClock.iso(now)
        let reference = input["reference_id"]?.string ?? "SBX-\(id)"
        let channel = self.channel(id: channelId) ?? ["id": .int(channelId), "name": "Unknown channel"]
        let r = input["recipient"]
        let a = r?["address"]
        let recipient = ShipBobShapes.Recipient(
            name: r?["name"]?.string ?? "Sandbox Customer", address1: a?["address1"]?.string ?? "100 N Racine Ave",
            address2: a?["address2"]?.string, company: a?["company_name"]?.string, city: a?["city"]?.string ?? "Chicago",
            state: a?["state"]?.string ?? "IL", country: a?["country"]?.string ?? "US", zip: a?["zip_code"]?.string ?? "60607",
            email: r?["email"]?.string ?? "customer@example.com", phone: r?["phone_number"]?.string ?? "555-555-5555")
        let lines: [(product: JSONValue?, line: ShipBobShapes.Line)] = (input["products"]?.array ?? []).map { p in
            let sku = p["sku"]?.string ?? p["reference_id"]?.string ?? ""
            let product = self.product(sku: sku)
            let price = p["unit_price"]?.double ?? product?["variants"]?.array?.first?["customs"]?["value"]?.double ?? 0
            return (product, ShipBobShapes.Line(sku: sku, quantity: Int(p["quantity"]?.int64 ?? 1), unitPrice: price))
        }
        let fc = fulfillmentCenter(id: Int(input["location_id"]?.int64 ?? 10)) ?? (10, "Moreno Valley (CA)")
        let defaultShipment = { (shipmentId: Int) in
            ShipBobShapes.shipment(id: shipmentId, orderId: id, referenceId: reference, recipient: recipient,
                                   created: created, lastUpdate: created, status: "Processing", location: fc,
                                   tracking: nil, items: lines)
        }
        var shipments: [JSONValue] = []
        for patch in input["shipments"]?.array ?? [[:]] {
            let shipmentId = patch["id"]?.int64.map(Int.init) ?? nextShipmentId
            nextShipmentId = max(nextShipmentId, shipmentId + 1)
            shipments.append(defaultShipment(shipmentId).merging(patch))
        }
        var order = ShipBobShapes.order(
            id: id, referenceId: reference, orderNumber: input["order_number"]?.string ?? reference, channel: channel,
            created: created, status: "Processing", recipient: recipient, lines: lines, shipments: shipments,
            shippingMethod: input["shipping_method"]?.string ?? "Standard")
        var rest = input.object ?? [:]
        for handled in ["id", "recipient", "products", "shipments", "channel", "location_id"] { rest[handled] = nil }
        order = order.merging(.object(rest))
        orders[id] = order
        return order
    }
}
