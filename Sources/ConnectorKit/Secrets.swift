#if canImport(Glibc)
import Glibc
#endif

/// The 32-byte master key every secret is sealed with. It lives in its own file, mode
/// 0600, created once by `ml-connector init`; a key readable by others is refused.
public struct MasterKey: Sendable {
    let bytes: [UInt8]

    public static func create(at path: String) throws -> MasterKey {
        try Posix.makeDirectories(PathString(path).parent)
        let fd = Glibc.open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if fd < 0 {
            if errno == EEXIST { return try load(from: path) }
            throw StateError(path: path, operation: "create", errno: errno)
        }
        let key = Crypto.randomBytes(32)
        do {
            try key.withUnsafeBytes { try Posix.writeAll(fd, $0, path: path) }
            try Posix.fsync(fd, path: path)
        } catch { close(fd); throw error }
        close(fd)
        try Posix.fsyncDirectory(PathString(path).parent)
        return MasterKey(bytes: key)
    }

    public static func load(from path: String) throws -> MasterKey {
        do { return MasterKey(bytes: try Sealed.loadKey(path)) }
        catch let e as Sealed.Failure { throw SecretError(path: e.path, problem: e.problem) }
    }

    /// `v1:` + base64(nonce || ciphertext || tag); `context` (the secret's name) is bound
    /// as associated data so a sealed value cannot be moved to another name.
    public func seal(_ plaintext: String, context: String) throws -> String {
        try Sealed.seal(Array(plaintext.utf8), key: bytes, context: context)
    }

    public func open(_ sealed: String, context: String) throws -> String {
        do { return String(decoding: try Sealed.open(sealed, key: bytes, context: context), as: UTF8.self) }
        catch let e as Sealed.Failure { throw SecretError(path: e.path, problem: e.problem) }
    }
}

public struct SecretError: ConnectorError {
    public let path: String
    public let problem: String
    public init(path: String, problem: String) { self.path = path; self.problem = problem }
    public var exitStatus: ExitStatus { .config }
    public var description: String { "\(path): \(problem)" }
}

/// `secrets.json`: name -> sealed value. Nothing in it is readable without the key.
public struct SecretStore {
    public let path: String
    public let key: MasterKey

    public init(path: String, key: MasterKey) { self.path = path; self.key = key }

    public func names() throws -> [String] {
        (try AtomicFile.readJSON([String: String].self, from: path) ?? [:]).keys.sorted()
    }

    public func get(_ name: String) throws -> String? {
        guard let sealed = try AtomicFile.readJSON([String: String].self, from: path)?[name] else { return nil }
        return try key.open(sealed, context: name)
    }

    /// A secret the job cannot run without: its absence is a configuration error.
    public func require(_ name: String, tenant: String) throws -> String {
        guard let v = try get(name) else {
            throw SecretError(path: path, problem: "secret \(name) is not set; run `ml-connector secret set \(name) --tenant \(tenant)`")
        }
        return v
    }

    public func set(_ name: String, value: String) throws {
        var all = try AtomicFile.readJSON([String: String].self, from: path) ?? [:]
        all[name] = try key.seal(value, context: name)
        try AtomicFile.writeJSON(all, to: path, mode: 0o600)
    }
}

/// A small encrypted JSON document (a SYSPRO session, ShipBob OAuth tokens) under
/// `tokens/`, replaced atomically so a crash mid-write never loses a rotated token.
public struct SealedFile<T: Codable> {
    public let path: String
    public let key: MasterKey

    public init(path: String, key: MasterKey) { self.path = path; self.key = key }

    public func load() throws -> T? {
        guard let data = try? Posix.readFile(path) else { return nil }
        let plain = try key.open(String(decoding: data, as: UTF8.self), context: PathString(path).lastComponent)
        return try? JSON.decoder.decode(T.self, from: Data(plain.utf8))
    }

    public func save(_ value: T) throws {
        let plain = String(decoding: try JSON.encode(value), as: UTF8.self)
        try Posix.makeDirectories(PathString(path).parent, mode: 0o700)
        try AtomicFile.write(Data(try key.seal(plain, context: PathString(path).lastComponent).utf8), to: path, mode: 0o600)
    }

    public func remove() throws { try Posix.unlink(path) }
}
