import ConnectorKit
import ConnectorNet

/// ShipBob behaviour the client relies on, in one place (sources and status of each in
/// docs/vendors/shipbob.md). Items marked unconfirmed are our reading, not ShipBob's documentation.
public enum ShipBobFacts {
    /// docs/vendors/shipbob.md: legacy 1.0/2.0 ended 2026-07-31; target `2026-07`. The tenant's `api_url`
    /// carries it (`https://api.shipbob.com/2026-07`); this is what it is checked against.
    public static let apiVersion = "2026-07"

    /// Sent only on the calls whose definition declares it (docs/vendors/shipbob.md,
    /// "shipbob_channel_id only where declared"): on a read it may narrow the answer to one
    /// channel and hide the orders of every other.
    public static let channelHeader = "shipbob_channel_id"
    /// The writes (method, path under the version) that declare the header.
    static let channelScopedWrites: Set<String> = ["POST order", "POST order:estimate", "POST return", "POST shipment:batchCancel"]

    /// Whether a call to `path` (below the versioned base, query left out) carries `shipbob_channel_id`.
    public static func declaresChannelHeader(_ method: HTTPMethod, path: String) -> Bool {
        let bare = (path.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false).first ?? "").split(separator: "/").joined(separator: "/")
        return channelScopedWrites.contains("\(method.rawValue) \(bare)")
    }

    /// docs/vendors/shipbob.md: 429 carries `x-retry-after` (seconds), which ConnectorNet's `RetryAfter`
    /// honours for every client; remaining calls come as `x-remaining-calls`, or
    /// `X-RateLimit-Remaining` per one FAQ page: accept either.
    public static let remainingCallsHeaders = ["x-remaining-calls", "x-ratelimit-remaining"]

    public static func remainingCalls(_ response: HTTPResponse) -> Int? {
        remainingCallsHeaders.lazy.compactMap { response.header($0).flatMap { Int($0.trimmed) } }.first
    }

    /// docs/vendors/shipbob.md: access tokens live about an hour; refresh this long before expiry so a token
    /// never dies in the middle of a job.
    public static let accessTokenLifetime: Double = 3600
    /// The longest `expires_in` believed (a day): a larger one, a negative or a non-number is
    /// not a lifetime ShipBob gives, and a date that far out cannot even be logged (1e300 trapped).
    public static let longestAccessTokenLifetime: Double = 86_400
    public static let refreshMargin: Double = 300
    public static let oauthTokenName = "shipbob-oauth"
    /// What `ml-connector oauth shipbob` keeps between printing the authorize URL and the
    /// code exchange (the PKCE verifier, the state), sealed under `tokens/`.
    public static let oauthPendingName = "shipbob-oauth-pending"

    /// developer.shipbob.com/auth: the authorize endpoint sits beside the token endpoint
    /// (`https://auth.shipbob.com/connect/authorize` and `/connect/token`), so it is derived
    /// from `shipbob.token_url` (the sandbox serves both under `/shipbob/connect/`).
    public static func authorizeURL(tokenURL: String) -> String? {
        guard tokenURL.hasSuffix("/token") else { return nil }
        return String(tokenURL.dropLast("token".count)) + "authorize"
    }

    /// developer.shipbob.com/auth, "You may request access for the following scopes": what
    /// the jobs call (orders and shipments, receiving and its external-sync flag, products,
    /// inventory levels, channels for `ping`, webhooks and fulfillment centers for `probe`), and
    /// `offline_access` for a refresh token.
    public static let oauthScopes = ["channels_read", "orders_read", "fulfillments_read", "receiving_read", "receiving_write",
                                     "products_read", "products_write", "inventory_read", "webhooks_read", "locations_read", "offline_access"]
    /// What each job's ShipBob calls need, by the scope named for each resource
    /// (docs/vendors/shipbob.md, "Token scopes"): `ml-connector probe` names the jobs a
    /// missing scope would stop. `/fulfillment-center` counts for both scopes that may guard it.
    public static let jobScopes: [(job: String, scopes: [String])] = [
        ("shipbob-to-syspro", ["orders_read", "receiving_read", "receiving_write"]),
        ("push-shipbob-inventory", ["products_read", "products_write"]),
        ("inventory-variance", ["inventory_read", "orders_read", "receiving_read"]),
        ("ml-connector ping, probe and discover", ["channels_read", "locations_read", "products_read", "receiving_read", "webhooks_read"]),
    ]

    /// The jobs that call with `scope`, for a person deciding what a missing one stops.
    public static func jobs(needing scope: String) -> String {
        jobScopes.filter { $0.scopes.contains(scope) }.map(\.job).joined(separator: ", ")
    }

    /// RFC 6749 §5.2 error codes meaning the grant itself is gone: only a new authorization helps.
    public static let deadGrantErrors: Set<String> = ["invalid_grant", "invalid_client", "unauthorized_client"]

    /// `GET /order` and `GET /receiving`: `Limit` is 1...250 (docs/vendors/shipbob.md, "Listing
    /// orders: Limit and paging headers"); what we ask for is clamped into it.
    public static let pageLimitRange = 1...250
    public static let orderPageLimit = 250
    /// Paging headers one of which may come with a page (which ShipBob sends is unconfirmed:
    /// the client follows whichever arrives, and reads until an empty page without them).
    public static let nextPageHeader = "next-page"
    public static let totalPagesHeader = "total-pages"
    public static let pageNumberHeader = "page-number"

    /// `customs.value` of a product variant: a whole number (int32) before 2026-07, a decimal
    /// from 2026-07 (docs/vendors/shipbob.md, "customs.value per API version").
    public static let decimalCustomsValueFrom = "2026-07"

    /// The dated version an `api_url` names (`.../2026-07`), or nil.
    public static func apiVersion(of apiURL: String) -> String? {
        apiURL.split(separator: "/").map(String.init).last { part in
            part.count == 7 && part.enumerated().allSatisfy { i, c in i == 4 ? c == "-" : c.isNumber }
        }
    }

    /// `value` as `version` stores it: rounded to a whole number before 2026-07, to cents from
    /// it on. An `api_url` without a dated version is taken as the version this connector targets.
    public static func customsValue(_ value: Double, apiVersion version: String?) -> Double {
        (version ?? apiVersion) < decimalCustomsValueFrom ? value.rounded() : (value * 100).rounded() / 100
    }

    /// A barcode that is a UPC-A (12 digits) also goes into the variant's `upc`.
    public static func isUPC(_ barcode: String) -> Bool { barcode.count == 12 && barcode.allSatisfy(\.isASCII) && barcode.allSatisfy(\.isNumber) }

    /// Webhook topic: in `x-webhook-topic` (current) or `shipbob-topic` (legacy); a body may
    /// carry one under these keys (unconfirmed: docs/vendors/shipbob.md, "Webhook topics and
    /// payload shapes").
    /// The order topics a subscription to this receiver needs (docs/vendors/shipbob.md,
    /// "Webhook subscriptions"): `ml-connector probe` names any it lacks.
    public static let orderTopics = ["order.shipped", "order.shipment.delivered", "order.shipment.exception",
                                     "order.shipment.on_hold", "order.shipment.cancelled"]

    public static let bodyTopicKeys = ["topic", "type", "event_type", "event"]

    /// Product and inventory-level lists page with `PageSize` (at most 250 in the sandbox's
    /// reading; unconfirmed for ShipBob) and a `next` link in the body.
    public static let listPageSize = 250

    /// Unconfirmed: current (Standard Webhooks) payload bodies are not published. Keys under
    /// which an order may be wrapped, tried in order before reading the body as the order itself.
    public static let orderEnvelopeKeys = ["data", "order"]

    /// WRO status once everything is stowed (docs/vendors/shipbob.md: Awaiting -> Arrived/PartiallyArrived
    /// -> Processing -> Completed, plus Cancelled and Incomplete).
    public static let receivingCompleted = "Completed"
    /// Statuses in which a WRO can hold received stock not yet applied: what reconcile asks
    /// for, with `ExternalSync=false` (ShipBob's own sync loop, docs/vendors/shipbob.md).
    public static let receivingStatusesWithStock = ["Arrived", "PartiallyArrived", "Processing", "Completed", "Incomplete"]
    /// `GET /receiving` page size we ask for (no maximum is documented to us; 250 as `GET /order`).
    public static let receivingPageLimit = 250

    /// Unconfirmed (docs/vendors/shipbob.md: "Receiving webhook topic names are unconfirmed", `wro.*` seen only
    /// in third-party code): a topic starting with one of these is about a receiving order.
    public static let receivingTopicPrefixes = ["receiving.", "wro.", "warehouse_receiving_order"]
    /// Unconfirmed: keys under which a receiving webhook body may carry the WRO id.
    public static let receivingIDKeys = ["id", "wro_id", "receiving_order_id", "warehouse_receiving_order_id"]
    public static let receivingEnvelopeKeys = ["data", "receiving_order", "warehouse_receiving_order", "wro"]
}
