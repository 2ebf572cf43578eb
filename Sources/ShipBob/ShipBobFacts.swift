import ConnectorNet

/// ShipBob behaviour the client relies on, in one place (api-notes "ShipBob"). Items marked
/// unconfirmed are our reading, not ShipBob's documentation.
public enum ShipBobFacts {
    /// api-notes: legacy 1.0/2.0 ended 2026-07-31; target `2026-07`. The tenant's `api_url`
    /// carries it (`https://api.shipbob.com/2026-07`); this is what it is checked against.
    public static let apiVersion = "2026-07"

    /// api-notes: required on `POST /order`, optional on reads.
    public static let channelHeader = "shipbob_channel_id"

    /// api-notes: 429 carries `x-retry-after` (seconds), which ConnectorNet's `RetryAfter`
    /// honours for every client; remaining calls come as `x-remaining-calls`, or
    /// `X-RateLimit-Remaining` per one FAQ page: accept either.
    public static let remainingCallsHeaders = ["x-remaining-calls", "x-ratelimit-remaining"]

    public static func remainingCalls(_ response: HTTPResponse) -> Int? {
        remainingCallsHeaders.lazy.compactMap { response.header($0).flatMap { Int($0.trimmed) } }.first
    }

    /// api-notes: access tokens live about an hour; refresh this long before expiry so a token
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
    /// inventory levels, channels for `ping`), and `offline_access` for a refresh token.
    public static let oauthScopes = ["channels_read", "orders_read", "fulfillments_read", "receiving_read", "receiving_write",
                                     "products_read", "products_write", "inventory_read", "offline_access"]
    /// RFC 6749 §5.2 error codes meaning the grant itself is gone: only a new authorization helps.
    public static let deadGrantErrors: Set<String> = ["invalid_grant", "invalid_client", "unauthorized_client"]

    /// `GET /order`: `Limit` up to 250 (api-notes); further pages are announced by a
    /// `next-page` header holding the next page's URL (ShipBob FAQ, as the sandbox does).
    public static let orderPageLimit = 250
    public static let nextPageHeader = "next-page"

    /// Product and inventory-level lists page with `PageSize` (at most 250 in the sandbox's
    /// reading; unconfirmed for ShipBob) and a `next` link in the body.
    public static let listPageSize = 250

    /// Unconfirmed: current (Standard Webhooks) payload bodies are not published. Keys under
    /// which an order may be wrapped, tried in order before reading the body as the order itself.
    public static let orderEnvelopeKeys = ["data", "order"]

    /// WRO status once everything is stowed (api-notes: Awaiting -> Arrived/PartiallyArrived
    /// -> Processing -> Completed, plus Cancelled and Incomplete).
    public static let receivingCompleted = "Completed"
    /// Statuses in which a WRO can hold received stock not yet applied: what reconcile asks
    /// for, with `ExternalSync=false` (ShipBob's own sync loop, api-notes).
    public static let receivingStatusesWithStock = ["Arrived", "PartiallyArrived", "Processing", "Completed", "Incomplete"]
    /// `GET /receiving` page size we ask for (no maximum is documented to us; 250 as `GET /order`).
    public static let receivingPageLimit = 250

    /// Unconfirmed (api-notes: "Receiving webhook topic names are unconfirmed", `wro.*` seen only
    /// in third-party code): a topic starting with one of these is about a receiving order.
    public static let receivingTopicPrefixes = ["receiving.", "wro.", "warehouse_receiving_order"]
    /// Unconfirmed: keys under which a receiving webhook body may carry the WRO id.
    public static let receivingIDKeys = ["id", "wro_id", "receiving_order_id", "warehouse_receiving_order_id"]
    public static let receivingEnvelopeKeys = ["data", "receiving_order", "warehouse_receiving_order", "wro"]
}
