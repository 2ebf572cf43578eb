import ConnectorKit
import ConnectorNet
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig
import Secrets

/// OAuth tokens sealed in `tokens/shipbob-oauth.json`.
public struct OAuthTokens: Codable, Sendable, Equatable {
    public var accessToken: String
    public var expiresAt: Date
    public var refreshToken: String
    /// The token answer's `scope`, what `ml-connector probe` checks; nil when the answer
    /// carried none (and in files written before it was kept).
    public var scopes: [String]?

    public init(accessToken: String, expiresAt: Date, refreshToken: String, scopes: [String]? = nil) {
        self.accessToken = accessToken; self.expiresAt = expiresAt; self.refreshToken = refreshToken; self.scopes = scopes
    }
}

/// The bearer token for ShipBob: a Personal Access Token, or OAuth2 access tokens refreshed
/// with rotating refresh tokens.
///
/// docs/vendors/shipbob.md: refresh tokens rotate on each refresh, so the new one is saved (atomically,
/// sealed) before the access token is used: a crash after the refresh must not leave us with
/// only the spent token. Refreshes happen under `locks/shipbob-oauth.lock`, re-reading the
/// file once the lock is held, because another job may have rotated the token meanwhile.
public final class ShipBobAuth {
    public let settings: ShipBobSettings
    public let tenant: TenantPaths
    private let secrets: SecretStore
    private let http: HTTPClient
    private let policy: RetryPolicy
    private let file: SealedTokenCache<OAuthTokens>
    private let now: @Sendable () -> Date

    public init(settings: ShipBobSettings, tenant: TenantPaths, secrets: SecretStore, http: HTTPClient,
                policy: RetryPolicy, lockWait: Double = 60, now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.tenant = tenant
        self.secrets = secrets
        self.http = http
        self.policy = policy
        self.file = SealedTokenCache(tenant: tenant, name: ShipBobFacts.oauthTokenName, key: secrets.key, lockWait: lockWait)
        self.now = now
    }

    public var isOAuth: Bool { settings.auth == .oauth }

    /// The scopes the last OAuth token answer granted, as stored; nil with a Personal Access
    /// Token (ShipBob returns no scopes with one) or when the answer named none.
    public func grantedScopes() throws -> [String]? {
        guard isOAuth else { return nil }
        return try file.load()?.scopes
    }

    /// A token good for at least the refresh margin.
    public func accessToken() throws -> String {
        guard isOAuth else { return try secrets.require(SecretName.shipbobPAT, tenant: tenant.name) }
        if let t = try file.load(), isFresh(t) { return t.accessToken }
        return try file.locked {
            let stored = try file.load()
            if let stored, isFresh(stored) { return stored.accessToken }
            return try refresh(from: stored)
        }
    }

    /// After ShipBob answered 401 to `rejected`: a new access token (OAuth), unless another job
    /// has already replaced it. With a PAT there is nothing to renew: a config error.
    public func renew(rejected: String) throws -> String { try renewal(rejected: rejected).token }

    /// `renew`, saying whether the token is one ShipBob has just granted this process
    /// (`granted`) or one another job refreshed meanwhile and stored.
    public func renewal(rejected: String) throws -> (token: String, granted: Bool) {
        guard isOAuth else {
            throw VendorError(.shipbob, .authRejected, operation: "API", url: settings.apiURL,
                               message: "personal access token refused (HTTP 401); set a new one with `ml-connector secret set \(SecretName.shipbobPAT) --tenant \(tenant.name)`")
        }
        return try file.locked {
            let stored = try file.load()
            if let stored, stored.accessToken != rejected, isFresh(stored) { return (stored.accessToken, false) }
            return (try refresh(from: stored), true)
        }
    }

    /// Caller holds the lock. Uses the stored (rotated) refresh token, or the first one from
    /// the secret; if the stored one is refused and `ml-connector oauth` has since put a
    /// different one into the secret, that one is tried once.
    private func refresh(from stored: OAuthTokens?) throws -> String {
        let fromSecret = try secrets.get(SecretName.shipbobRefreshToken)
        guard let token = stored?.refreshToken ?? fromSecret else {
            throw VendorError(.shipbob, .authRejected, operation: "OAuth refresh", url: settings.tokenURL ?? "-",
                               message: "no refresh token stored; run `ml-connector oauth shipbob --tenant \(tenant.name)`")
        }
        do {
            return try refresh(using: token)
        } catch let e as VendorError where e.vendor == .shipbob && e.kind == .authRejected {
            guard let fromSecret, fromSecret != token else { throw e }
            http.logger.info("shipbob stored refresh token refused; trying the one in secrets", ["tenant": tenant.name])
            return try refresh(using: fromSecret)
        }
    }

    private func refresh(using refreshToken: String) throws -> String {
        try grant([("grant_type", "refresh_token"), ("refresh_token", refreshToken)], operation: "OAuth refresh",
                  keeping: refreshToken).accessToken
    }

    /// The second half of the authorization code grant (`ml-connector oauth shipbob --code`):
    /// the code and the PKCE verifier for the tokens, saved as every refresh saves them.
    public func exchange(code: String, authorization: ShipBobAuthorization) throws -> OAuthTokens {
        try file.locked {
            try grant([("grant_type", "authorization_code"), ("code", code), ("redirect_uri", authorization.redirectURI),
                       ("code_verifier", authorization.verifier)], operation: "OAuth code exchange", keeping: nil)
        }
    }

    /// One token request (client credentials added) and its answer, sealed into the token
    /// file before anything uses it, into room taken before the request: ShipBob spends the
    /// refresh token it is sent, so the answer must not then meet a full disk. `keeping`: the
    /// refresh token to keep when the answer brings none.
    private func grant(_ fields: [(String, String)], operation: String, keeping: String?) throws -> OAuthTokens {
        guard let tokenURL = settings.tokenURL, let clientID = settings.clientID else {
            throw ConfigError(file: tenant.config, key: "shipbob.token_url", problem: "and shipbob.client_id are required when shipbob.auth is \"oauth\"")
        }
        let form = URLEncoding.form(fields + [("client_id", clientID),
                                              ("client_secret", try secrets.require(SecretName.shipbobClientSecret, tenant: tenant.name))])
        let request = HTTPRequest(.post, tokenURL, headers: [("Content-Type", "application/x-www-form-urlencoded"),
                                                             ("Accept", "application/json")], body: form)
        let room = try file.reserve()
        let tokens: OAuthTokens
        do {
            let response = try http.perform(request, policy: policy)
            tokens = try OAuthTokens(tokenAnswer: response, to: request, operation: operation, keeping: keeping,
                                     tenant: tenant.name, now: now())
        } catch {
            room.cancel()
            throw error
        }
        try file.save(tokens, into: room)
        http.logger.debug("shipbob tokens saved", ["tenant": tenant.name, "operation": operation, "expires": Timestamp.iso8601(tokens.expiresAt)])
        return tokens
    }

    private func isFresh(_ t: OAuthTokens) -> Bool {
        t.expiresAt.timeIntervalSince(now()) > ShipBobFacts.refreshMargin
    }
}
