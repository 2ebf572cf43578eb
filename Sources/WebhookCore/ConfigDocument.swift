/// A tenant's `config.json` as webhook-cgi reads it: parsed once per request, then each
/// reader (`WebhookLimits`, `TwilioCallbackSettings`) takes only the keys it needs, so a
/// delivery is still accepted while another part of the config is being fixed.
public struct ConfigDocument: Sendable {
    public let path: String
    public let root: JSONValue

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(path: String, root: JSONValue) {
        self.path = path
        self.root = root
    }

    public static func read(_ path: String) throws -> ConfigDocument {
        do { return ConfigDocument(path: path, root: try JSONValue.parse(try Posix.readBytes(path))) }
        catch { throw Failure(description: "\(path): \(error)") }
    }
}
