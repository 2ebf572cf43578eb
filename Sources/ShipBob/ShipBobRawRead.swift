import ConnectorKit
import ConnectorNet
import WebhookCore

extension ShipBobClient {
    /// One authenticated `GET` under the API version, its JSON as ShipBob sent it: for
    /// `ml-connector probe`, which checks shapes the typed readers would hide.
    public func read(_ path: String, query: [(String, String)] = []) throws -> JSONValue {
        let (request, response) = try get(URLEncoding.url(URLEncoding.join(settings.apiURL, path), query: query))
        return try json(request, response, operation: "GET \(path)")
    }
}
