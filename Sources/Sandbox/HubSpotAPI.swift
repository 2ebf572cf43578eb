import ConnectorKit
import Foundation
import WebhookCore

/// HubSpot's API under `/hubspot`, standing for `https://api.hubapi.com` (docs/vendors/hubspot.md,
/// HubSpot): a private app token, the limits of the chosen tier, then CRM objects (v3),
/// properties (v3), search and associations (v4).
struct HubSpotAPI {
    static let prefix = "/hubspot"
    let state: SandboxState

    func handle(_ req: SandboxRequest) -> Reply {
        let parts = req.path.split(separator: "/").dropFirst().map(String.init)  // drop "hubspot"
        let now = SandboxClock.now()
        let tier = state.options.hubspotTier
        let perDay = state.options.hubspotDailyLimit ?? tier.perDay
        return state.world.withLock { w in
            // "Authorization: Bearer pat-..." (docs/vendors/hubspot.md); HubSpot answers a missing or
            // unknown token with 401 INVALID_AUTHENTICATION
            // (developers.hubspot.com/docs/api-reference/error-handling).
            guard let token = req.header("authorization").flatMap({ h in h.lowercased().hasPrefix("bearer ") ? String(h.dropFirst(7)).trimmed : nil }),
                  token == SeedData.hubSpotToken else {
                return HubSpotError(status: 401, category: "INVALID_AUTHENTICATION",
                                    message: "Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview").reply
            }
            let kind = HubSpotAPI.kind(req.method, parts)
            w.hubspot.calls[kind, default: 0] += 1
            if kind == "search" {
                if let e = w.hubspot.limiter.admitSearch(token, now: now) {
                    w.hubspot.calls["rate_limited", default: 0] += 1
                    return e.reply
                }
                return route(req, parts, &w.hubspot, now)
            }
            switch w.hubspot.limiter.admit(token, now: now, perTenSeconds: tier.perTenSeconds, perDay: perDay, zone: state.options.hubspotTimeZone) {
            case .limited(let e, let headers):
                w.hubspot.calls["rate_limited", default: 0] += 1
                var r = e.reply
                r.headers += headers
                return r
            case .allowed(let headers):
                var r = route(req, parts, &w.hubspot, now)
                r.headers += headers
                return r
            }
        }
    }

    /// What a call is, for `GET /_control/hubspot/counts`: the benchmark compares calls
    /// made against the fewest the sync could have made.
    static func kind(_ method: String, _ p: [String]) -> String {
        guard p.count >= 3, p[0] == "crm" else { return "other" }
        if p[1] == "v4" { return "associations" }
        if p[2] == "properties" { return "properties" }
        guard p[2] == "objects" else { return "other" }
        if p.count == 6 && p[4] == "batch" { return "batch_" + p[5] }
        if p.count == 5 && p[4] == "search" { return "search" }
        if p.count == 5 && p[4] == "merge" { return "merge" }
        switch (method, p.count) {
        case ("POST", 4): return "create"
        case ("GET", 4): return "list"
        case ("GET", 5): return "read"
        case ("PATCH", 5): return "update"
        case ("DELETE", 5): return "archive"
        default: return "other"
        }
    }

    private func route(_ req: SandboxRequest, _ p: [String], _ s: inout HubSpotStore, _ now: Double) -> Reply {
        let body: JSONValue
        if req.body.isEmpty {
            body = .null
        } else {
            do { body = try JSONValue.parse(Data(req.body)) } catch {
                return HubSpotError.validation("Invalid input JSON: \(error)").reply
            }
        }
        if req.method == "GET", p == ["account-info", "v3", "details"] { return accountDetails(now) }
        if req.method == "POST", p == ["oauth", "v2", "private-apps", "get", "access-token-info"] { return tokenInfo(body, s) }
        let result: Result<Reply, HubSpotError>
        switch (p.count >= 3 ? p[1] : "", p.count >= 3 ? p[2] : "") {
        case ("v3", "objects"): result = HubSpotObjectsAPI(req: req, body: body, now: now).route(Array(p.dropFirst(3)), &s)
        case ("v3", "properties"): result = properties(req, body, Array(p.dropFirst(3)), &s)
        case ("v4", "objects"), ("v4", "associations"): result = HubSpotAssociationsAPI(body: body, mergedIds: state.options.hubspotMergedIds).route(req.method, Array(p.dropFirst(2)), &s)
        default: result = .failure(.notFound("Unknown path \(req.method) \(req.path)"))
        }
        switch result {
        case .success(let r): return r
        case .failure(let e): return e.reply
        }
    }

    /// `POST /oauth/v2/private-apps/get/access-token-info` `{"tokenKey"}`: the private app's
    /// scopes (docs/vendors/hubspot.md, "Private app token scopes").
    private func tokenInfo(_ body: JSONValue, _ s: HubSpotStore) -> Reply {
        guard body["tokenKey"]?.string == SeedData.hubSpotToken else {
            return HubSpotError(status: 401, category: "INVALID_AUTHENTICATION", message: "The token key is not a valid private app token").reply
        }
        return .json(["userId": .int(1), "hubId": .int(SeedData.hubSpotPortalId), "appId": .int(SeedData.hubSpotAppId),
                      "scopes": .array(s.scopes.map(JSONValue.string))])
    }

    /// `GET /account-info/v3/details` (developers.hubspot.com, account information API):
    /// the portal id, `timeZone` and its present offset, the company currency.
    private func accountDetails(_ now: Double) -> Reply {
        let zone = state.options.hubspotTimeZone
        let offset = zone.offset(atUTC: Int64(now.rounded(.down)))
        let sign = offset < 0 ? "-" : "+", minutes = abs(offset) / 60
        func two(_ v: Int) -> String { v < 10 ? "0\(v)" : String(v) }
        return .json(["portalId": .int(SeedData.hubSpotPortalId), "accountType": "STANDARD", "timeZone": .string(zone.identifier),
                      "companyCurrency": "USD", "additionalCurrencies": .array([]), "dataHostingLocation": "na1",
                      "uiDomain": "app.hubspot.com", "utcOffset": .string("\(sign)\(two(minutes / 60)):\(two(minutes % 60))"),
                      "utcOffsetMilliseconds": .int(offset * 1000)])
    }

    /// `/crm/v3/properties/{type}[/{name}]` (developers.hubspot.com/docs/api-reference/
    /// latest/crm/properties/guide): list, read one, create (201; 409 when it exists).
    private func properties(_ req: SandboxRequest, _ body: JSONValue, _ p: [String], _ s: inout HubSpotStore) -> Result<Reply, HubSpotError> {
        guard let typeName = p.first, let type = HubSpotSchema.objectType(typeName) else {
            return .failure(.notFound("Unknown object type \(p.first ?? "")"))
        }
        let defs = (s.properties[type] ?? [:]).values.sorted { $0.name < $1.name }
        switch (req.method, p.count) {
        case ("GET", 1): return .success(.json(["results": .array(defs.map(\.json))]))
        case ("GET", 2):
            guard let d = s.properties[type]?[p[1]] else { return .failure(.notFound("Unable to find property \(p[1]) for \(type)")) }
            return .success(.json(d.json))
        case ("POST", 1): return s.createProperty(type, body).map { .json($0.json, status: 201) }
        default: return .failure(.notFound("Unknown path \(req.method) \(req.path)"))
        }
    }
}
