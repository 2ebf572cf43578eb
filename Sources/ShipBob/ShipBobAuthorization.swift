import ConnectorKit
import ConnectorNet
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig

/// One authorization a person is giving the connector in ShipBob: OAuth 2.0 authorization
/// code with PKCE (developer.shipbob.com/migration/pkce: S256, a fresh verifier each time,
/// the client secret still required). Kept sealed under `tokens/` between the authorize URL
/// and the code exchange, which are two runs of `ml-connector oauth shipbob`.
public struct ShipBobAuthorization: Codable, Sendable, Equatable {
    /// 43 characters of the URL-safe alphabet (32 random bytes), as RFC 7636 asks.
    public var verifier: String
    /// Echoed back with the code: a redirect carrying another state is not ours.
    public var state: String
    public var redirectURI: String
    public var started: Date

    public static func start(redirectURI: String, now: Date = Date()) -> ShipBobAuthorization {
        ShipBobAuthorization(verifier: Base64.encodeURL(Crypto.randomBytes(32)), state: Base64.encodeURL(Crypto.randomBytes(16)),
                             redirectURI: redirectURI, started: now)
    }

    /// base64url(SHA-256(verifier)), method S256.
    public var challenge: String { Base64.encodeURL(Crypto.sha256(Array(verifier.utf8))) }

    /// Where the person approves: client_id, scope, redirect_uri, state, nonce (ShipBob's
    /// list) and the PKCE challenge.
    public func authorizeURL(_ settings: ShipBobSettings, config: String) throws -> String {
        guard let tokenURL = settings.tokenURL, let base = ShipBobFacts.authorizeURL(tokenURL: tokenURL) else {
            throw ConfigError(file: config, key: "shipbob.token_url", problem: "must be set, ending in /connect/token (https://auth.shipbob.com/connect/token)")
        }
        guard let clientID = settings.clientID, !clientID.isEmpty else {
            throw ConfigError(file: config, key: "shipbob.client_id", problem: "must be set to the OAuth app's client id")
        }
        return URLEncoding.url(base, query: [
            ("client_id", clientID), ("response_type", "code"), ("scope", ShipBobFacts.oauthScopes.joined(separator: " ")),
            ("redirect_uri", redirectURI), ("state", state), ("nonce", Base64.encodeURL(Crypto.randomBytes(16))),
            ("code_challenge", challenge), ("code_challenge_method", "S256"),
        ])
    }

    /// The code and state from what the person pasted: the code alone, or the whole URL
    /// ShipBob redirected the browser to (`...?code=...&state=...`).
    public static func code(fromPasted pasted: String) throws -> (code: String, state: String?) {
        let text = pasted.trimmed
        guard text.contains("code=") else { return (text, nil) }
        let query = text.split(separator: "?", maxSplits: 1).last.map(String.init) ?? text
        let fields: [(name: String, value: String)]
        do { fields = try FormURLEncoded.decode(Array((query.split(separator: "#").first.map(String.init) ?? "").utf8)) }
        catch { throw DataError(source: "--code", problem: "not a redirect URL: \(error)") }
        guard let code = fields.first(where: { $0.name == "code" })?.value, !code.isEmpty else {
            throw DataError(source: "--code", problem: "the URL has no code parameter")
        }
        return (code, fields.first { $0.name == "state" }?.value)
    }
}
