import ConnectorKit
import ConnectorConfig

/// How the connector reaches ShipBob (config `shipbob`, required). Its credentials are
/// secrets, never here.
public struct ShipBobSettings: VendorSection {
    public static let key = "shipbob"
    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))
    public static let absent: ShipBobSettings? = nil

    public enum Auth: String, Codable, Sendable { case pat, oauth }
    /// Versioned API root, e.g. `https://api.shipbob.com/2026-07`.
    public var apiURL: String
    public var auth: Auth
    public var tokenURL: String?
    public var clientID: String?
    /// Sent as the `shipbob_channel_id` header on writes.
    public var channelID: Int64?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case apiURL = "api_url", auth, tokenURL = "token_url", clientID = "client_id", channelID = "channel_id"
    }

    public init(apiURL: String, auth: Auth, tokenURL: String? = nil, clientID: String? = nil, channelID: Int64? = nil) {
        self.apiURL = apiURL; self.auth = auth; self.tokenURL = tokenURL; self.clientID = clientID; self.channelID = channelID
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiURL = try c.decode(String.self, forKey: .apiURL)
        let kind = try c.decode(String.self, forKey: .auth)
        guard let auth = Auth(rawValue: kind) else {
            throw DecodingError.dataCorruptedError(forKey: .auth, in: c, debugDescription: "expected \"pat\" or \"oauth\", found \"\(kind)\"")
        }
        self.auth = auth
        tokenURL = try c.decodeIfPresent(String.self, forKey: .tokenURL)
        clientID = try c.decodeIfPresent(String.self, forKey: .clientID)
        channelID = try c.decodeIfPresent(Int64.self, forKey: .channelID)
    }

    public var apiURLs: [String] { [apiURL] + (tokenURL.map { [$0] } ?? []) }

    public func validate(file: String, config: TenantConfig) throws {
        try ConfigError.checkURL(apiURL, file: file, key: "shipbob.api_url")
        if let tokenURL { try ConfigError.checkURL(tokenURL, file: file, key: "shipbob.token_url") }
        if auth == .oauth {
            guard tokenURL != nil else { throw ConfigError(file: file, key: "shipbob.token_url", problem: "is required when shipbob.auth is \"oauth\"") }
            guard let id = clientID, !id.isEmpty else { throw ConfigError(file: file, key: "shipbob.client_id", problem: "is required when shipbob.auth is \"oauth\"") }
        }
    }
}

extension TenantConfig {
    public var shipbob: ShipBobSettings {
        get { self[ShipBobSettings.self] }
        set { self[ShipBobSettings.self] = newValue }
    }
}
