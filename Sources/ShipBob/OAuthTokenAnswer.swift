import ConnectorKit
import ConnectorNet
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension OAuthTokens {
    /// ShipBob's token endpoint answer, read apart from the call so any bytes can be checked
    /// against it (Tests/Fuzz/shipbob): the tokens of a 2xx, a typed refusal naming the fix
    /// for a dead grant, the HTTP status error otherwise. `keeping`: the refresh token to keep
    /// when the answer brings none.
    init(tokenAnswer response: HTTPResponse, to request: HTTPRequest, operation: String, keeping: String?,
         tenant: String, now: Date) throws {
        let json = try? JSONValue.parse(response.body)
        guard response.isSuccess else {
            if let code = json?["error"]?.string, ShipBobFacts.deadGrantErrors.contains(code) {
                let detail = json?["error_description"]?.string.map { ": \($0)" } ?? ""
                throw VendorError(.shipbob, .authRejected, operation: operation, url: request.redactedURL,
                                   message: "\(code)\(detail); run `ml-connector oauth shipbob --tenant \(tenant)` again")
            }
            throw HTTPStatusError(request: request, response: response)
        }
        guard let access = json?["access_token"]?.string, !access.isEmpty else {
            throw VendorError(.shipbob, .badAnswer, operation: operation, url: request.redactedURL, message: "answer has no access_token")
        }
        guard let refresh = json?["refresh_token"]?.string ?? keeping else {
            throw VendorError(.shipbob, .badAnswer, operation: operation, url: request.redactedURL,
                               message: "answer has no refresh_token; is offline_access among the app's scopes?")
        }
        let lifetime = json?["expires_in"]?.double.flatMap { (0...ShipBobFacts.longestAccessTokenLifetime).contains($0) ? $0 : nil }
            ?? ShipBobFacts.accessTokenLifetime
        let scopes = json?["scope"]?.string.map { $0.split(separator: " ").map(String.init) }
        self.init(accessToken: access, expiresAt: now.addingTimeInterval(lifetime), refreshToken: refresh, scopes: scopes)
    }
}
