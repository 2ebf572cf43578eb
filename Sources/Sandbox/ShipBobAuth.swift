import ConnectorKit
import Foundation
import WebhookCore

/// ShipBob's credentials as docs/vendors/shipbob.md describe them: a Personal Access Token that never
/// expires, and OAuth2 (auth.shipbob.com/connect/token) access tokens that are JWTs living
/// about an hour, with refresh tokens (scope `offline_access`) that rotate on every use.
struct ShipBobAuth: Sendable {
    /// What the merchant granted the token and the OAuth app (one grant for both here):
    /// every call checks it, the token answer's `scope` and the token's channel list it, and
    /// `POST /_control/shipbob/scopes` narrows it (docs/vendors/shipbob.md, "Token scopes").
    var granted = ShipBobScopes.granted

    /// Access token -> when it was issued and when it stops working.
    private var accessTokens: [String: (issued: Double, expiry: Double)] = [:]
    /// Refresh token -> the grant (authorization) it belongs to.
    private var refreshTokens: [String: String] = [:]
    /// The demo grant's current refresh token, listed by the control endpoint.
    private(set) var demoRefreshToken: String
    /// One-use authorization codes, each with the PKCE challenge (S256) and redirect URI of
    /// the authorize request it answered: the exchange must bring the matching verifier and
    /// the same redirect URI (RFC 7636 §4.6, RFC 6749 §4.1.3).
    private var codes: [String: (challenge: String, redirectURI: String)] = [:]

    init() {
        demoRefreshToken = ShipBobAuth.opaqueToken()
        refreshTokens[demoRefreshToken] = "demo"
    }

    /// Who a bearer token acts for, which is also the rate-limit key: ShipBob totals calls
    /// per user per application (docs/vendors/shipbob.md), so rotating tokens does not reset the budget.
    func principal(bearer token: String, now: Double) -> String? {
        if token == SeedData.shipBobPAT { return "pat" }
        if let t = accessTokens[token], t.expiry > now { return "oauth:\(SeedData.shipBobClientId)" }
        return nil
    }

    enum GrantError: Error {
        case invalidClient, invalidGrant, invalidRequest(String), unsupportedGrantType
        var json: JSONValue {
            switch self {
            case .invalidClient: return ["error": "invalid_client"]
            case .invalidGrant: return ["error": "invalid_grant"]
            case .invalidRequest(let d): return ["error": "invalid_request", "error_description": .string(d)]
            case .unsupportedGrantType: return ["error": "unsupported_grant_type"]
            }
        }
        var status: Int { if case .invalidClient = self { return 401 }; return 400 }
    }

    /// The token endpoint: form fields in, token response out.
    mutating func token(form: [String: String], now: Double, lifetime: Int) throws(GrantError) -> JSONValue {
        guard form["client_id"] == SeedData.shipBobClientId, form["client_secret"] == SeedData.shipBobClientSecret else {
            throw .invalidClient
        }
        let grant: String
        switch form["grant_type"] {
        case "refresh_token":
            guard let rt = form["refresh_token"] else { throw .invalidRequest("refresh_token is required") }
            guard let g = refreshTokens.removeValue(forKey: rt) else { throw .invalidGrant }
            grant = g
        case "authorization_code":
            guard let code = form["code"] else { throw .invalidRequest("code is required") }
            guard let issued = codes.removeValue(forKey: code), form["redirect_uri"] == issued.redirectURI,
                  let verifier = form["code_verifier"],
                  Base64.encodeURL(Crypto.sha256(Array(verifier.utf8))) == issued.challenge else { throw .invalidGrant }
            grant = "code:\(code)"
        default:
            throw .unsupportedGrantType
        }
        let access = ShipBobAuth.jwt(now: now, lifetime: lifetime)
        accessTokens[access] = (now, now + Double(lifetime))
        let refresh = ShipBobAuth.opaqueToken()
        refreshTokens[refresh] = grant
        if grant == "demo" { demoRefreshToken = refresh }
        return [
            "access_token": .string(access), "expires_in": .int(lifetime), "token_type": "Bearer",
            "refresh_token": .string(refresh), "scope": .string((granted + ["offline_access"]).joined(separator: " ")),
        ]
    }

    /// Every access token issued at least `minimumAge` seconds ago stops working now, as if
    /// its hour had passed, so a job holding one must refresh mid-run; refresh tokens are
    /// untouched. A real token never dies seconds after its grant: the age lets a chaos run
    /// expire tokens often without doing that. Returns how many were live.
    mutating func expireAccessTokens(now: Double, minimumAge: Double = 0) -> Int {
        var ended = 0
        for (token, t) in accessTokens where t.expiry > now && now - t.issued >= minimumAge {
            accessTokens[token]!.expiry = now
            ended += 1
        }
        return ended
    }

    /// `GET /connect/authorize` stands in for the consent screen: it approves at once.
    mutating func authorize(challenge: String, redirectURI: String) -> String {
        let code = ShipBobAuth.opaqueToken()
        codes[code] = (challenge, redirectURI)
        return code
    }

    private static func opaqueToken() -> String {
        Crypto.randomBytes(32).map { String(format: "%02X", $0) }.joined()
    }

    private static func base64url(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Looks like ShipBob's JWTs (header.claims.signature); nobody verifies the signature.
    private static func jwt(now: Double, lifetime: Int) -> String {
        let header = #"{"alg":"RS256","typ":"at+jwt"}"#
        let claims = #"{"iss":"https://auth.shipbob.com","client_id":"\#(SeedData.shipBobClientId)","sub":"sandbox-user","iat":\#(Int(now)),"exp":\#(Int(now) + lifetime),"jti":"\#(opaqueToken())"}"#
        return [base64url(Array(header.utf8)), base64url(Array(claims.utf8)), base64url(Crypto.randomBytes(64))].joined(separator: ".")
    }
}

/// ShipBob's rate limit: a sliding 60-second window per user and application (docs/vendors/shipbob.md).
struct RateLimiter: Sendable {
    private var calls: [String: [Double]] = [:]

    enum Outcome { case allowed(remaining: Int), limited(retryAfter: Int) }

    mutating func admit(_ key: String, now: Double, limit: Int) -> Outcome {
        var window = (calls[key] ?? []).filter { $0 > now - 60 }
        defer { calls[key] = window }
        if window.count >= limit {
            return .limited(retryAfter: max(1, Int((window[0] + 60 - now).rounded(.up))))
        }
        window.append(now)
        return .allowed(remaining: limit - window.count)
    }
}
