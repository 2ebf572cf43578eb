/// `secrets.json` (docs/state-directory.md): one JSON object, each credential's name ->
/// its value sealed (`Sealed`) with that name as context, so a value cannot be moved to
/// another name. The one reader of its shape, for webhook-cgi, the jobs (ConnectorKit's
/// `SecretStore`, which also writes it) and `ml-connector rotate-key`.
public struct SecretsFile: Sendable {
    public let path: String
    /// Name -> sealed value.
    public let sealed: [String: String]

    /// A file that is not a JSON object of sealed (string) values.
    public struct Malformed: Error, CustomStringConvertible {
        public let path: String
        public let problem: String
        public var description: String { "\(path): \(problem)" }
    }

    /// The file at `path`; a missing or unreadable file is a `StateError`.
    public static func read(_ path: String) throws -> SecretsFile {
        try SecretsFile(path: path, bytes: try Posix.readBytes(path, limit: .max))
    }

    /// `bytes` read from `path` (named in errors).
    public init(path: String, bytes: [UInt8]) throws {
        let json: JSONValue
        do { json = try JSONValue.parse(bytes) }
        catch { throw Malformed(path: path, problem: "is not JSON: \(error)") }
        guard let object = json.object else { throw Malformed(path: path, problem: "is not a JSON object of sealed values") }
        var sealed: [String: String] = [:]
        for (name, value) in object {
            guard let s = value.string else { throw Malformed(path: path, problem: "secret \(name) is not a sealed value (a string)") }
            sealed[name] = s
        }
        self.path = path
        self.sealed = sealed
    }

    public var names: [String] { sealed.keys.sorted() }

    /// What the value stored under `name` is sealed with as associated data.
    public static func context(_ name: String) -> String { name }

    /// The value of `name` opened with the first of `keys` that fits (`Sealed.loadKeys`'
    /// order); nil when it is not set.
    public func open(_ name: String, keys: [[UInt8]]) throws -> [UInt8]? {
        guard let value = sealed[name] else { return nil }
        return try Sealed.open(value, keys: keys, context: SecretsFile.context(name))
    }
}
