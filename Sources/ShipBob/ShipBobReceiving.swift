import ConnectorKit
import ConnectorNet
import WebhookCore

/// A warehouse receiving order (WRO) as `GET /receiving/{id}` serves it (docs/vendors/shipbob.md,
/// "Receiving: stowed, not received, is on hand"; developer.shipbob.com/2026-07/api/receiving/get-warehouse-receiving-order):
/// status, fulfillment center and per inventory item the expected, received and stowed
/// quantities. Read tolerantly: only `id` is required.
public struct ShipBobReceivingOrder: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public let inventoryID: Int64
        public let sku: String
        public let expected: Int
        public let received: Int
        public let stowed: Int

        public init(inventoryID: Int64, sku: String, expected: Int, received: Int, stowed: Int) {
            self.inventoryID = inventoryID; self.sku = sku; self.expected = expected; self.received = received; self.stowed = stowed
        }
    }

    public let id: Int64
    public let status: String
    public let fulfillmentCenterID: Int64?
    public let fulfillmentCenterName: String?
    public let purchaseOrderNumber: String?
    public let lastUpdated: String?
    /// `external_sync_timestamp` is set: someone (we) called `receiving:setExternalSync`.
    public let isExternallySynced: Bool
    public let items: [Item]

    public init(json: JSONValue) throws {
        guard let id = json["id"]?.int64 else {
            throw DataError(source: "ShipBob receiving order", problem: "id is missing or not a number")
        }
        self.id = id
        status = json["status"]?.string ?? ""
        fulfillmentCenterID = json["fulfillment_center"]?["id"]?.int64
        fulfillmentCenterName = json["fulfillment_center"]?["name"]?.string
        purchaseOrderNumber = json["purchase_order_number"]?.string
        lastUpdated = json["last_updated_date"]?.string
        isExternallySynced = json["external_sync_timestamp"].map { !$0.isNull } ?? false
        items = try (json["inventory_quantities"]?.array ?? []).enumerated().map { i, q in
            guard let inventory = q["inventory_id"]?.int64 else {
                throw DataError(source: "ShipBob receiving order \(id)", problem: "inventory_quantities[\(i)].inventory_id is missing")
            }
            return Item(inventoryID: inventory, sku: q["sku"]?.string ?? "", expected: Int(q["expected_quantity"]?.int64 ?? 0),
                        received: Int(q["received_quantity"]?.int64 ?? 0), stowed: Int(q["stowed_quantity"]?.int64 ?? 0))
        }
    }

    public var isCompleted: Bool { status.lowercased() == ShipBobFacts.receivingCompleted.lowercased() }

    /// The distinct lot numbers the boxes of a WRO give one inventory item
    /// (`GET /receiving/{id}/boxes`: `box_items[]` with `inventory_id`, `lot_number`;
    /// docs/vendors/shipbob.md, "Receiving boxes carry the lot numbers").
    public static func lots(boxes: JSONValue, inventoryID: Int64) -> Set<String> {
        var lots: Set<String> = []
        for box in boxes.array ?? [] {
            for item in box["box_items"]?.array ?? [] where item["inventory_id"]?.int64 == inventoryID {
                if let lot = item["lot_number"]?.string?.trimmed, !lot.isEmpty { lots.insert(lot) }
            }
        }
        return lots
    }
}

extension ShipBobClient {
    /// `GET /receiving/{id}`: the authoritative current quantities (webhook bodies can be
    /// stale or out of order); `nil` when ShipBob does not know the WRO.
    public func receivingOrder(id: Int64) throws -> JSONValue? {
        let (request, response) = try get(URLEncoding.join(settings.apiURL, "receiving/\(id)"))
        if response.status == 404 { return nil }
        return try json(request, response, operation: "receiving order \(id)")
    }

    /// `GET /receiving/{id}/boxes`: the boxes and, per box item, quantities and lot data.
    public func receivingBoxes(id: Int64) throws -> JSONValue {
        let (request, response) = try get(URLEncoding.join(settings.apiURL, "receiving/\(id)/boxes"))
        return try json(request, response, operation: "receiving order \(id) boxes")
    }

    /// `GET /receiving` with filters (`Statuses`, `ExternalSync`, ...), every page: `Page` and
    /// `Limit` (developer.shipbob.com/2026-07/api/receiving/get-multiple-warehouse-receiving-orders).
    /// A `next-page` header is followed when sent; otherwise a full page asks for the next.
    public func receivingOrders(query: [(String, String)]) throws -> [JSONValue] {
        try pagedList("receiving", query: query, limit: ShipBobFacts.receivingPageLimit, operation: "receiving orders")
    }

    /// `POST /receiving:setExternalSync` `{"ids": [...], "is_external_sync": true}`
    /// (developer.shipbob.com/2026-07/api/receiving/set-external-sync-flag-for-wros): marks
    /// WROs as applied, so ShipBob's own sync loop (`ExternalSync=false`) stops listing them.
    /// Setting a flag twice is harmless, so the call may be repeated.
    public func setExternalSync(ids: [Int64], synced: Bool = true) throws {
        let body = JSONValue.object(["ids": .array(ids.map { .number(Double($0)) }), "is_external_sync": .bool(synced)])
        let (request, response) = try send(.post, URLEncoding.join(settings.apiURL, "receiving:setExternalSync"),
                                           json: body, idempotent: true)
        guard response.isSuccess else { throw HTTPStatusError(request: request, response: response) }
    }
}
