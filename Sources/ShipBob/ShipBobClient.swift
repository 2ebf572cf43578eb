import ConnectorKit
import ConnectorNet
import WebhookCore

public struct ShipBobChannel: Sendable, Equatable {
    public let id: Int64
    public let name: String
    /// What the channel's application may do (docs/vendors/shipbob.md, "Token scopes"); the
    /// token's own channel lists the token's scopes. Nil when the answer has none.
    public let scopes: [String]?

    public init(id: Int64, name: String, scopes: [String]? = nil) { self.id = id; self.name = name; self.scopes = scopes }

    /// The channels of one `GET /channel` answer: `{items, next, prev}` as documented, or a bare
    /// array as older versions answered (docs/vendors/shipbob.md, "GET /channel answers a page");
    /// `next` is the following page's link, nil on the last. `url` names the call in errors.
    static func page(_ answer: JSONValue, url: String) throws -> (channels: [ShipBobChannel], next: String?) {
        let list: [JSONValue], next: String?
        if let items = answer.array {
            (list, next) = (items, nil)
        } else if answer.object != nil, let items = answer["items"]?.array ?? (answer["items"]?.isNull == true ? [] : nil) {
            (list, next) = (items, answer["next"]?.string.flatMap { $0.isEmpty ? nil : $0 })
        } else {
            throw VendorError(.shipbob, .badAnswer, operation: "channels", url: url, message: "answer is neither {items, next, prev} nor a JSON array")
        }
        return (try list.map { c in
            guard let id = c["id"]?.int64 else {
                throw VendorError(.shipbob, .badAnswer, operation: "channels", url: url, message: "a channel has no numeric id")
            }
            return ShipBobChannel(id: id, name: c["name"]?.string ?? "", scopes: c["scopes"]?.array?.compactMap(\.string))
        }, next)
    }
}

/// ShipBob's REST API under the tenant's versioned `api_url`. 429s are absorbed by the retry
/// policy, which honours `x-retry-after` (150 requests a minute, sliding window).
public final class ShipBobClient {
    public let settings: ShipBobSettings
    public let auth: ShipBobAuth
    private let http: HTTPClient
    private let policy: RetryPolicy
    private let logger: Logger

    /// The dated version `api_url` names: what product writes are shaped for.
    public var apiVersion: String? { ShipBobFacts.apiVersion(of: settings.apiURL) }

    public init(settings: ShipBobSettings, auth: ShipBobAuth, http: HTTPClient, policy: RetryPolicy, logger: Logger) {
        self.settings = settings
        self.auth = auth
        self.http = http
        self.policy = policy
        self.logger = logger
        if !settings.apiURL.contains("/\(ShipBobFacts.apiVersion)") {
            logger.warn("shipbob api_url does not name the API version this connector targets",
                             ["api_url": settings.apiURL, "expected_version": ShipBobFacts.apiVersion])
        }
    }

    /// `GET /order/{id}`; `nil` when ShipBob does not know the order.
    public func order(id: Int64) throws -> JSONValue? {
        let (request, response) = try get(URLEncoding.join(settings.apiURL, "order/\(id)"))
        if response.status == 404 { return nil }
        return try json(request, response, operation: "order \(id)")
    }

    /// `GET /order` with filters (e.g. `LastUpdateStartDate`, `HasTracking`), every page.
    public func orders(query: [(String, String)]) throws -> [JSONValue] {
        try pagedList("order", query: query, limit: ShipBobFacts.orderPageLimit, operation: "orders")
    }

    /// Every page of a `Page`/`Limit` list answering a JSON array (`GET /order`, `GET /receiving`).
    /// A full page alone never means there is more, nor a short one that there is not
    /// (docs/vendors/shipbob.md, "Listing orders: Limit and paging headers"): a `next-page`
    /// header is followed (and once one came, its absence ends the list); else `total-pages`
    /// with `page-number` say whether another page exists; without either, pages are read
    /// until one comes back empty.
    func pagedList(_ path: String, query: [(String, String)], limit: Int, operation: String) throws -> [JSONValue] {
        let base = query.filter { !["page", "limit"].contains($0.0.lowercased()) }
        let limit = min(max(limit, ShipBobFacts.pageLimitRange.lowerBound), ShipBobFacts.pageLimitRange.upperBound)
        func pageURL(_ n: Int) -> String {
            URLEncoding.url(URLEncoding.join(settings.apiURL, path), query: base + [("Page", String(n)), ("Limit", String(limit))])
        }
        var all: [JSONValue] = []
        var page = 1
        var url: String? = pageURL(1)
        var seen = Set<String>()
        var announcesNext = false
        var previous: [JSONValue] = []
        while let current = url, seen.insert(current).inserted {
            let (request, response) = try get(current)
            guard let items = try json(request, response, operation: operation).array else {
                throw VendorError(.shipbob, .badAnswer, operation: operation, url: request.redactedURL, message: "answer is not a JSON array")
            }
            // A server that ignores `Page` answers the same page for ever: that is the end too.
            if !items.isEmpty && items == previous { break }
            previous = items
            all += items
            page += 1
            if let next = response.header(ShipBobFacts.nextPageHeader)?.trimmed, !next.isEmpty {
                url = URLEncoding.resolve(next, against: settings.apiURL)
                announcesNext = true
            } else if announcesNext {
                url = nil  // the server announces further pages, and announced none
            } else if let total = response.header(ShipBobFacts.totalPagesHeader).flatMap({ Int($0.trimmed) }) {
                let number = response.header(ShipBobFacts.pageNumberHeader).flatMap { Int($0.trimmed) } ?? page - 1
                url = number < total && !items.isEmpty ? pageURL(number + 1) : nil
            } else {
                url = items.isEmpty ? nil : pageURL(page)
            }
        }
        return all
    }

    /// `GET /channel`, every page: maps channel ids to names for `ml-connector ping`.
    public func channels() throws -> [ShipBobChannel] {
        var all: [ShipBobChannel] = []
        var url: String? = URLEncoding.join(settings.apiURL, "channel")
        var seen = Set<String>()
        while let current = url, seen.insert(current).inserted {
            let (request, response) = try get(current)
            let page = try ShipBobChannel.page(try json(request, response, operation: "channels"), url: request.redactedURL)
            all += page.channels
            url = page.next.map { URLEncoding.resolve($0, against: settings.apiURL) }
        }
        return all
    }

    func get(_ url: String) throws -> (HTTPRequest, HTTPResponse) { try send(.get, url) }

    /// One authorised call, JSON body if any. A 401 with OAuth means the access token died
    /// early (revoked, clock skew): renew and repeat. A token another job has just stored is
    /// taken without counting (the chaos soak expires every live token at random, and each
    /// running job then meets the 401 that only one of them refreshes for); a third token
    /// ShipBob grants this process and then refuses in a row is a credentials problem.
    /// Whether a failed call may be repeated is the method's (HTTPMethod.isIdempotent).
    func send(_ method: HTTPMethod, _ url: String, json body: JSONValue? = nil, idempotent: Bool? = nil) throws -> (HTTPRequest, HTTPResponse) {
        var token = try auth.accessToken()
        var grants = 0, taken = 0
        while true {
            var headers = [("Authorization", "Bearer \(token)"), ("Accept", "application/json")]
            if let channel = settings.channelID, ShipBobFacts.declaresChannelHeader(method, path: relativePath(url)) {
                headers.append((ShipBobFacts.channelHeader, String(channel)))
            }
            if body != nil { headers.append(("Content-Type", "application/json")) }
            let request = HTTPRequest(method, url, headers: headers, body: try body.map { try JSON.encode($0) }, idempotent: idempotent)
            let response = try http.perform(request, policy: policy)
            if let remaining = ShipBobFacts.remainingCalls(response) {
                logger.debug("shipbob rate budget", ["remaining": "\(remaining)"])
            }
            guard response.status == 401 else { return (request, response) }
            // Each token taken from the store was granted to another job since this one's
            // last 401; the bound only stops a loop if something rewrites the store for ever.
            guard grants < 2, taken < ShipBobClient.maxTakenTokens else {
                throw VendorError(.shipbob, .authRejected, operation: method.rawValue, url: request.redactedURL,
                                   message: "access tokens refreshed twice in a row were refused (HTTP 401); run `ml-connector oauth shipbob --tenant \(auth.tenant.name)` again")
            }
            let renewed = try auth.renewal(rejected: token)
            token = renewed.token
            if renewed.granted { grants += 1 } else { taken += 1 }
        }
    }

    /// Tokens other jobs stored that one call may try after a 401 before it gives up.
    static let maxTakenTokens = 8

    /// `url` below the versioned base (`order/12`), or the whole of it when it lies elsewhere.
    private func relativePath(_ url: String) -> String {
        let base = settings.apiURL.hasSuffix("/") ? String(settings.apiURL.dropLast()) : settings.apiURL
        return url.hasPrefix(base + "/") ? String(url.dropFirst(base.count + 1)) : url
    }

    func json(_ request: HTTPRequest, _ response: HTTPResponse, operation: String) throws -> JSONValue {
        guard response.isSuccess else { throw HTTPStatusError(request: request, response: response) }
        do { return try JSONValue.parse(response.body) } catch {
            throw VendorError(.shipbob, .badAnswer, operation: operation, url: request.redactedURL,
                               message: "answer is not JSON: \"\(response.bodySnippet(limit: 80))\"")
        }
    }
}
