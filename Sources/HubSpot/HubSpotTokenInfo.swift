import ConnectorKit
import ConnectorNet

extension HubSpotClient {
    /// The scopes HubSpot granted this private app token, for `ml-connector probe`.
    public func tokenScopes() throws -> [String] {
        let (_, json) = try call(.post, HubSpotFacts.tokenInfo, body: .object(["tokenKey": .string(token)]), operation: "token info")
        return json["scopes"]?.array?.compactMap(\.string) ?? []
    }
}
