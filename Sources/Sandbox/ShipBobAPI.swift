import ConnectorKit
import Foundation
import WebhookCore

/// ShipBob's REST API under `/shipbob/<version>/` and its OAuth token endpoint under
/// `/shipbob/connect/` (docs/vendors/shipbob.md).
struct ShipBobAPI {
    static let versions: Set<String> = ["2025-07", "2026-01", "2026-07"]
    static let retiredVersions: Set<String> = ["1.0", "2.0"]
    /// developer.shipbob.com/2026-07/api/receiving/get-fulfillment-centers
    static let fulfillmentCenterPath = "fulfillment-center"

    let state: SandboxState

    func handle(_ req: SandboxRequest) -> Reply {
        let parts = req.path.split(separator: "/").dropFirst().map(String.init)  // drop "shipbob"
        guard let version = parts.first else { return notFound() }
        if version == "connect" { return connect(req, Array(parts.dropFirst())) }
        if ShipBobAPI.retiredVersions.contains(version) {
            return .json(["message": .string("API version \(version) reached end of support on 2026-07-31. Use a dated version such as 2026-07.")], status: 410)
        }
        guard ShipBobAPI.versions.contains(version) else { return notFound() }

        let now = SandboxClock.now()
        let bearer = req.header("authorization").flatMap { h in h.lowercased().hasPrefix("bearer ") ? String(h.dropFirst(7)).trimmed : nil }
        return state.world.withLock { w in
            guard let bearer, let principal = w.auth.principal(bearer: bearer, now: now) else {
                return .json(["message": "Authorization has been denied for this request."], status: 401)
                    .adding("www-authenticate", "Bearer")
            }
            switch w.rate.admit(principal, now: now, limit: state.options.rateLimit) {
            case .limited(let retryAfter):
                return .json(["message": "API rate limit exceeded"], status: 429)
                    .adding("x-retry-after", String(retryAfter)).adding("retry-after", String(retryAfter))
                    .adding("x-remaining-calls", "0")
            case .allowed(let remaining):
                let switches = state.shipBobSwitches.withLock { $0 }
                if let scope = ShipBobScopes.required(method: req.method, resource: parts.count > 1 ? parts[1] : "", switches)
                    .first(where: { !w.auth.granted.contains($0) }) {
                    return ShipBobScopes.forbidden(scope).adding("x-remaining-calls", String(remaining))
                }
                return route(req, Array(parts.dropFirst()), version: version, switches, granted: w.auth.granted, &w.shipbob, now)
                    .pagingHeaders(switches.pagingHeaders)
                    .adding("x-remaining-calls", String(remaining))
            }
        }
    }

    private func notFound() -> Reply { .json(["message": "Resource not found"], status: 404) }

    private func route(_ req: SandboxRequest, _ p: [String], version: String, _ switches: ShipBobSwitches,
                       granted: [String], _ s: inout ShipBobStore, _ now: Double) -> Reply {
        let base = req.origin + "/shipbob/" + version
        // On reads the optional `shipbob_channel_id` narrows orders to that channel, as it may
        // in reality (docs/vendors/shipbob.md, "shipbob_channel_id only where declared").
        let readChannel = req.header("shipbob_channel_id").flatMap { Int64($0.trimmed) }
        func visible(_ o: JSONValue) -> Bool { readChannel == nil || o["channel"]?["id"]?.int64 == readChannel }
        switch (req.method, p.first ?? "", p.count) {
        case (_, "webhook", _): return ShipBobWebhookSubscriptions.route(req, p, &s, now)
        case ("GET", "channel", 1): return channels(req, s, granted: granted, shape: switches.channelShape, path: "/shipbob/" + version + "/channel")
        case ("GET", "order", 1): return listOrders(req, s, base: base, visible: visible)
        case ("GET", "order", 2):
            guard let id = Int(p[1]), let o = s.orders[id], visible(o) else { return notFound() }
            return .json(o)
        case ("GET", "order", 3) where p[2] == "shipment":
            guard let id = Int(p[1]), let o = s.orders[id], visible(o) else { return notFound() }
            return .json(o["shipments"] ?? [])
        case ("POST", "order", 1): return createOrder(req, &s, now)
        case ("GET", "product", 1):
            var items = s.products
            if let sku = req.param("sku") ?? req.param("SKU") {
                items = items.filter { p in p["variants"]?.array?.contains { $0["sku"]?.string == sku } ?? false }
            }
            return paged(items.map { ShipBobAPI.served($0, version: version) }, req, base: base + "/product")
        case ("POST", "product", 1): return createProduct(req, version: version, &s, now)
        case ("GET", "inventory-level", 1):
            return paged(s.products.compactMap { inventoryLevel($0, s) }, req, base: base + "/inventory-level")
        case ("PATCH", "product", 2):
            guard let id = Int(p[1]) else { return notFound() }
            return updateProduct(req, id: id, version: version, &s, now)
        case ("GET", "inventory-level", 2) where p[1] == "locations":
            return levelsByLocation(req, s, base: base + "/inventory-level/locations")
        case ("GET", "inventory-level", 3) where p[2] == "locations":
            guard let id = Int(p[1]), s.levels[id] != nil else { return notFound() }
            return .json(["inventory_id": .int(id), "locations": .array(locations(inventoryId: id, s))])
        case ("GET", "receiving", 1): return ShipBobReceiving.list(req, s, base: base)
        case ("POST", "receiving:setExternalSync", 1): return ShipBobReceiving.setExternalSync(req, &s, now)
        case ("GET", "receiving", 2):
            guard let id = Int(p[1]), let r = s.receivings.first(where: { $0["id"]?.int64 == Int64(id) }) else { return notFound() }
            return .json(r)
        case ("GET", "receiving", 3) where p[2] == "boxes":
            guard let id = Int64(p[1]), let r = s.receivings.first(where: { $0["id"]?.int64 == id }) else { return notFound() }
            return .json(ShipBobReceiving.boxes(r, lots: s.receivingLots[id] ?? [:]))
        case ("GET", ShipBobAPI.fulfillmentCenterPath, 1): return .json(.array(s.fulfillmentCenters))
        default: return notFound()
        }
    }

    /// `GET /order`: filters as developer.shipbob.com/2026-07/api/orders/get-orders (with
    /// `LastTrackingUpdateStartDate`/`EndDate` and an optional channel narrowing); the paging
    /// headers of `headerPaged`, of which the `paging_headers` switch keeps none, some or all.
    /// Newest first unless `SortOrder=Oldest`.
    private func listOrders(_ req: SandboxRequest, _ s: ShipBobStore, base: String, visible: (JSONValue) -> Bool) -> Reply {
        let page = max(1, Int(req.param("Page") ?? "") ?? 1)
        let limit = Int(req.param("Limit") ?? "") ?? 50
        guard (1...250).contains(limit) else {
            return .json(["message": "Limit must be between 1 and 250"], status: 400)
        }
        var orders = s.orders.values.filter(visible)
        if let ids = req.param("IDs") {
            let set = Set(ids.split(separator: ",").compactMap { Int64(String($0).trimmed) })
            orders = orders.filter { set.contains($0["id"]?.int64 ?? -1) }
        }
        if let refs = req.param("ReferenceIds") {
            let set = Set(refs.split(separator: ",").map { String($0).trimmed })
            orders = orders.filter { set.contains($0["reference_id"]?.string ?? "") }
        }
        func date(_ name: String) -> Date? { req.param(name).flatMap { Timestamp.parse($0) ?? Timestamp.parse($0 + "Z") } }
        func orderDate(_ s: String) -> Date? { Timestamp.parse(s) }
        if let start = date("StartDate") { orders = orders.filter { orderDate($0["created_date"]?.string ?? "").map { $0 >= start } ?? false } }
        if let end = date("EndDate") { orders = orders.filter { orderDate($0["created_date"]?.string ?? "").map { $0 <= end } ?? false } }
        if let start = date("LastUpdateStartDate") { orders = orders.filter { orderDate(ShipBobStore.lastUpdate(of: $0)).map { $0 >= start } ?? false } }
        if let end = date("LastUpdateEndDate") { orders = orders.filter { orderDate(ShipBobStore.lastUpdate(of: $0)).map { $0 <= end } ?? false } }
        let shipments = { (o: JSONValue) in o["shipments"]?.array ?? [] }
        // Carrier tracking updates move a shipment's `last_tracking_update_at` only.
        let tracked = { (o: JSONValue) in shipments(o).compactMap { $0["last_tracking_update_at"]?.string.flatMap(orderDate) } }
        if let start = date("LastTrackingUpdateStartDate") { orders = orders.filter { tracked($0).contains { $0 >= start } } }
        if let end = date("LastTrackingUpdateEndDate") { orders = orders.filter { tracked($0).contains { $0 <= end } } }
        if let v = req.param("HasTracking")?.lowercased() {
            orders = orders.filter { o in shipments(o).contains { $0["tracking"]?.isNull == false } == (v == "true") }
        }
        if let v = req.param("IsTrackingUploaded")?.lowercased() {
            orders = orders.filter { o in shipments(o).contains { $0["is_tracking_uploaded"] == .bool(true) } == (v == "true") }
        }
        let oldest = req.param("SortOrder")?.lowercased() == "oldest"
        orders.sort { a, b in
            let (x, y) = (a["id"]?.int64 ?? 0, b["id"]?.int64 ?? 0)
            return oldest ? x < y : x > y
        }
        return ShipBobAPI.headerPaged(orders, req, page: page, limit: limit, url: base + "/order")
    }

    /// One page of a `Page`/`Limit` list (`GET /order`, `GET /receiving`) with ShipBob's
    /// paging headers: `page-number`, `total-pages`, `total-count`, and `next-page` (absolute
    /// URL) only when another page exists.
    static func headerPaged(_ items: [JSONValue], _ req: SandboxRequest, page: Int, limit: Int, url: String) -> Reply {
        let totalPages = max(1, (items.count + limit - 1) / limit)
        var reply = Reply.json(.array(Array(items.dropFirst((page - 1) * limit).prefix(limit))))
            .adding("page-number", String(page)).adding("total-pages", String(totalPages))
            .adding("total-count", String(items.count))
        if page < totalPages {
            var q = req.query.filter { $0.name.lowercased() != "page" }
            q.append(("Page", String(page + 1)))
            reply = reply.adding("next-page", url + "?" + FormEncoding.encode(q.map { ($0.name, $0.value) }))
        }
        return reply
    }

    /// `GET /channel`: the documented cursor page `{items, next, prev}` (`RecordsPerPage`,
    /// `Cursor`; `next` a host-relative link, null on the last page), or with the `array`
    /// switch the bare array older versions answered.
    /// The token's own channel (the demo's 55176) lists the scopes granted to the token, as
    /// ShipBob's channel for a token or app does; the other apps' channels keep their own.
    private func channels(_ req: SandboxRequest, _ s: ShipBobStore, granted: [String], shape: ShipBobSwitches.ChannelShape, path: String) -> Reply {
        let all = s.channels.map { c -> JSONValue in
            guard c["id"]?.int64 == Int64(SeedData.shipBobChannelId) else { return c }
            var mine = c
            mine[set: "scopes"] = .array(granted.map(JSONValue.string))
            return mine
        }
        guard shape == .page else { return .json(.array(all)) }
        let size = min(250, max(1, Int(req.param("RecordsPerPage") ?? "") ?? 50))
        let from = req.param("Cursor").flatMap { Int($0.dropFirst()) } ?? 0
        let items = Array(all.dropFirst(from).prefix(size))
        func link(_ offset: Int) -> JSONValue { .string(path + "?RecordsPerPage=\(size)&Cursor=c\(offset)") }
        return .json([
            "items": .array(items),
            "next": from + size < all.count ? link(from + size) : nil,
            "prev": from > 0 ? link(max(0, from - size)) : nil,
        ])
    }

    /// `shipbob_channel_id` is required on `POST /order` (docs/vendors/shipbob.md,
    /// "shipbob_channel_id only where declared").
    private func createOrder(_ req: SandboxRequest, _ s: inout ShipBobStore, _ now: Double) -> Reply {
        guard let channel = req.header("shipbob_channel_id").flatMap({ Int($0.trimmed) }) else {
            return .json(["message": "The shipbob_channel_id header is required"], status: 400)
        }
        guard s.channel(id: channel) != nil else { return .json(["message": .string("Channel \(channel) not found")], status: 403) }
        guard let input = try? JSONValue.parse(Data(req.body)), input.object != nil else {
            return .json(["message": "The request body must be a JSON order"], status: 400)
        }
        var problems: [String: JSONValue] = [:]
        if input["reference_id"]?.string?.isEmpty ?? true { problems["reference_id"] = ["The reference_id field is required."] }
        if input["recipient"] == nil { problems["recipient"] = ["The recipient field is required."] }
        if input["products"]?.array?.isEmpty ?? true { problems["products"] = ["At least one product is required."] }
        if let ref = input["reference_id"]?.string,
           s.orders.values.contains(where: { $0["reference_id"]?.string == ref && $0["channel"]?["id"]?.int64 == Int64(channel) }) {
            problems["reference_id"] = .array([.string("An order with reference id \(ref) already exists for this channel.")])
        }
        guard problems.isEmpty else { return .json(.object(problems), status: 422) }
        var clean = input.object!
        for k in ["id", "shipments", "status", "created_date"] { clean[k] = nil }
        return .json(s.createOrder(from: .object(clean), channelId: channel, now: now), status: 201)
    }

    private func createProduct(_ req: SandboxRequest, version: String, _ s: inout ShipBobStore, _ now: Double) -> Reply {
        guard let input = try? JSONValue.parse(Data(req.body)), let name = input["name"]?.string,
              let variants = input["variants"]?.array, !variants.isEmpty else {
            return .json(["message": "A product needs a name and at least one variant"], status: 422)
        }
        if let refused = ShipBobAPI.refuseVariantFields(variants, version: version) { return refused }
        var made: [JSONValue] = []
        for v in variants {
            guard let sku = v["sku"]?.string, !sku.isEmpty else { return .json(["variants": ["Each variant needs a sku."]], status: 422) }
            if s.product(sku: sku) != nil { return .json(["variants": .array([.string("SKU \(sku) already exists.")])], status: 422) }
            let id = s.nextProductId
            s.nextProductId += 1
            let p = ShipBobShapes.product(id: id, variantId: id + 4_000_000, inventoryId: id + 540_000, sku: sku,
                                          name: v["name"]?.string ?? name, barcode: nil,
                                          value: v["customs"]?["value"]?.double ?? 0, created: SandboxClock.iso(now))
                .settingVariant(barcodes: v["barcodes"], upc: v["upc"])
            s.levels[id + 540_000] = [:]
            made.append(p)
        }
        // One product holds all variants: merge the generated ones under the first id.
        var product = made[0]
        product[set: "name"] = .string(name)
        product[set: "variants"] = .array(made.compactMap { $0["variants"]?.array?.first })
        s.products.append(product)
        return .json(ShipBobAPI.served(product, version: version), status: 201)
    }

    private func inventoryLevel(_ product: JSONValue, _ s: ShipBobStore) -> JSONValue? {
        guard let v = product["variants"]?.array?.first, let id = v["inventory"]?["inventory_id"]?.int64 else { return nil }
        let levels = s.levels[Int(id)]?.values.map { $0 } ?? []
        return [
            "inventory_id": .int(Int(id)), "sku": v["sku"] ?? .null, "name": v["name"] ?? .null,
            "total_on_hand_quantity": .int(levels.reduce(0) { $0 + $1.onHand }),
            "total_committed_quantity": .int(levels.reduce(0) { $0 + $1.committed }),
            "total_fulfillable_quantity": .int(levels.reduce(0) { $0 + $1.fulfillable }),
            "total_awaiting_quantity": .int(levels.reduce(0) { $0 + $1.awaiting }),
            "total_backordered_quantity": 0, "total_exception_quantity": 0, "total_internal_transfer_quantity": 0,
            "total_sellable_quantity": .int(levels.reduce(0) { $0 + $1.fulfillable }),
        ]
    }

    /// The cursor-style page of the product and inventory-level lists
    /// (`first`, `items`, `last`, `next`, `prev` with `PageSize`).
    func paged(_ all: [JSONValue], _ req: SandboxRequest, base: String) -> Reply {
        let size = min(250, max(1, Int(req.param("PageSize") ?? "") ?? 50))
        let page = max(1, Int(req.param("Page") ?? "") ?? 1)
        let pages = max(1, (all.count + size - 1) / size)
        func link(_ n: Int) -> JSONValue {
            var q = req.query.filter { $0.name != "Page" && $0.name != "PageSize" }
            q += [("Page", String(n)), ("PageSize", String(size))]
            return .string(base + "?" + FormEncoding.encode(q.map { ($0.name, $0.value) }))
        }
        return .json([
            "items": .array(Array(all.dropFirst((page - 1) * size).prefix(size))),
            "first": page > 1 ? link(1) : .null, "prev": page > 1 ? link(page - 1) : .null,
            "next": page < pages ? link(page + 1) : .null, "last": page < pages ? link(pages) : .null,
        ])
    }

    /// `/connect/token` (form-encoded) and `/connect/authorize`, mirroring auth.shipbob.com.
    private func connect(_ req: SandboxRequest, _ p: [String]) -> Reply {
        switch (req.method, p.first ?? "") {
        case ("POST", "token"):
            var form: [String: String] = [:]
            for (k, v) in FormEncoding.decode(req.bodyText) { form[k] = v }
            let now = SandboxClock.now()
            let lifetime = state.options.accessTokenLifetime
            return state.world.withLock { w in
                do throws(ShipBobAuth.GrantError) {
                    return .json(try w.auth.token(form: form, now: now, lifetime: lifetime))
                } catch {
                    return .json(error.json, status: error.status)
                }
            }
        case ("GET", "authorize"):
            guard req.param("client_id") == SeedData.shipBobClientId, let redirect = req.param("redirect_uri") else {
                return .json(["error": "invalid_request"], status: 400)
            }
            // PKCE is part of ShipBob's flow (developer.shipbob.com/migration/pkce), S256 only.
            guard let challenge = req.param("code_challenge"), req.param("code_challenge_method") == "S256" else {
                return .json(["error": "invalid_request", "error_description": "code_challenge with code_challenge_method S256 is required"], status: 400)
            }
            let code = state.world.withLock { $0.auth.authorize(challenge: challenge, redirectURI: redirect) }
            var q = [("code", code)]
            if let st = req.param("state") { q.append(("state", st)) }
            let location = redirect + (redirect.contains("?") ? "&" : "?") + FormEncoding.encode(q)
            return Reply(status: 302, headers: [("location", location)])
        default:
            return notFound()
        }
    }
}
