/// The `webhook` section of a tenant's `config.json`, as webhook-cgi reads it (ConnectorKit's
/// `WebhookSettings` is the same section for `config check`; both use these defaults).
public struct WebhookLimits: Sendable, Equatable {
    public static let defaultMaxBodyBytes = 1_048_576
    /// Standard Webhooks: refuse timestamps more than 5 minutes from now either way.
    public static let defaultToleranceSeconds: Int64 = 300

    public var maxBodyBytes: Int
    public var toleranceSeconds: Int64

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Reads only `webhook.max_body_bytes` and `webhook.tolerance_seconds`.
    public static func load(config: ConfigDocument) throws -> WebhookLimits {
        func positive(_ key: String, _ fallback: Int64) throws -> Int64 {
            guard let v = config.root["webhook"]?[key] else { return fallback }
            guard case .number(let n) = v, n > 0, n == n.rounded(), n < 1e15 else {
                throw Failure(description: "\(config.path): webhook.\(key) expected a positive integer")
            }
            return Int64(n)
        }
        return WebhookLimits(maxBodyBytes: Int(try positive("max_body_bytes", Int64(defaultMaxBodyBytes))),
                             toleranceSeconds: try positive("tolerance_seconds", defaultToleranceSeconds))
    }
}
