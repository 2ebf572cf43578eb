import ConnectorKit
import Foundation
import WebhookCore

/// ShipBob's receiving endpoints beyond a single GET
/// (developer.shipbob.com/2026-07/api/receiving): the filtered, paged list, a WRO's boxes
/// and `POST /receiving:setExternalSync`.
enum ShipBobReceiving {
    /// `GET /receiving/{id}/boxes`: the sandbox packs every WRO in one box
    /// (EverythingInOneBox), one box item per inventory item with its quantities and lot.
    static func boxes(_ wro: JSONValue, lots: [Int64: String]) -> JSONValue {
        let items: [JSONValue] = (wro["inventory_quantities"]?.array ?? []).map { q in
            let inventory = q["inventory_id"]?.int64 ?? 0
            return ["inventory_id": .int(Int(inventory)), "quantity": q["expected_quantity"] ?? .int(0),
                    "received_quantity": q["received_quantity"] ?? .int(0), "stowed_quantity": q["stowed_quantity"] ?? .int(0),
                    "lot_number": lots[inventory].map { .string($0) } ?? .null, "lot_date": .null]
        }
        let received = items.contains { ($0["received_quantity"]?.int64 ?? 0) > 0 }
        return [[
            "box_id": .int(Int(wro["id"]?.int64 ?? 0) * 10 + 1), "box_number": 1,
            "box_status": .string(wro["status"]?.string ?? "Awaiting"), "tracking_number": .null,
            "arrived_date": received ? wro["last_updated_date"] ?? .null : .null, "received_date": .null,
            "counting_started_date": .null, "box_items": .array(items),
        ]]
    }

    /// `GET /receiving`: `IDs`, `Statuses`, `ExternalSync` filters; `Page`/`Limit` paging with
    /// the headers `GET /order` sends (`page-number`, `total-pages`, `total-count`, and
    /// `next-page` when another page exists). Oldest id first.
    static func list(_ req: SandboxRequest, _ s: ShipBobStore, base: String) -> Reply {
        let page = max(1, Int(req.param("Page") ?? "") ?? 1)
        let limit = Int(req.param("Limit") ?? "") ?? 50
        guard (1...250).contains(limit) else { return .json(["message": "Limit must be between 1 and 250"], status: 400) }
        var items = s.receivings
        if let ids = req.param("IDs") {
            let set = Set(ids.split(separator: ",").compactMap { Int64(String($0).trimmed) })
            items = items.filter { set.contains($0["id"]?.int64 ?? -1) }
        }
        if let statuses = req.param("Statuses") {
            let wanted = Set(statuses.split(separator: ",").map { String($0).trimmed.lowercased() })
            items = items.filter { wanted.contains($0["status"]?.string?.lowercased() ?? "") }
        }
        if let sync = req.param("ExternalSync")?.lowercased() {
            items = items.filter { ($0["external_sync_timestamp"]?.isNull == false) == (sync == "true") }
        }
        items.sort { ($0["id"]?.int64 ?? 0) < ($1["id"]?.int64 ?? 0) }
        return ShipBobAPI.headerPaged(items, req, page: page, limit: limit, url: base + "/receiving")
    }

    /// `POST /receiving:setExternalSync` with `{"ids": [...], "is_external_sync": bool}`:
    /// stamps (or clears) `external_sync_timestamp`; answers the updated WROs.
    static func setExternalSync(_ req: SandboxRequest, _ s: inout ShipBobStore, _ now: Double) -> Reply {
        guard let body = try? JSONValue.parse(Data(req.body)), let ids = body["ids"]?.array?.compactMap(\.int64), !ids.isEmpty else {
            return .json(["message": "ids is required"], status: 400)
        }
        let synced = body["is_external_sync"] != .bool(false)
        var updated: [JSONValue] = []
        for id in ids {
            guard let i = s.receivings.firstIndex(where: { $0["id"]?.int64 == id }) else {
                return .json(["message": .string("Receiving order \(id) not found")], status: 400)
            }
            s.receivings[i][set: "external_sync_timestamp"] = synced ? .string(SandboxClock.iso(now)) : .null
            updated.append(s.receivings[i])
        }
        return .json(.array(updated))
    }
}
