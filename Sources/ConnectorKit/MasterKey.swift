#if canImport(Glibc)
import Glibc
#endif
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The 32-byte master key every secret is sealed with. It lives in its own file, mode
/// 0600, created once by `ml-connector init`; a key readable by others is refused.
///
/// `ml-connector rotate-key` puts a new key beside it (`Sealed.pendingKeyPath`) and renames
/// it over the old one at the end. Every seal checks that the key files are still the ones
/// loaded (and reads them again if not), and a value that does not open is tried with the
/// files read again, so a process that started before a rotation (or outlives one) never
/// seals with a retired key: sealing happens under locks the rotation holds, and by then
/// the files say which key is in force.
public struct MasterKey: Sendable {
    public let path: String
    /// The keys in force when loaded, the one to seal with first.
    let keys: [[UInt8]]
    /// Inodes of the key file and `<key>.new` (0: absent) when loaded: a rotation that
    /// begins or ends changes them.
    let files: [UInt64]

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
        return MasterKey(path: path, keys: [key], files: files(path))
    }

    public static func load(from path: String) throws -> MasterKey {
        let before = files(path)
        return MasterKey(path: path, keys: try current(path), files: before)
    }

    private static func files(_ path: String) -> [UInt64] {
        [path, Sealed.pendingKeyPath(path)].map { p in
            var st = stat()
            return stat(p, &st) == 0 ? UInt64(st.st_ino) : 0
        }
    }

    private static func current(_ path: String) throws -> [[UInt8]] {
        do { return try Sealed.loadKeys(path) }
        catch let e as Sealed.Failure { throw SecretError(path: e.path, problem: e.problem) }
    }

    /// `v1:` + base64(nonce || ciphertext || tag); `context` (the secret's name) is bound
    /// as associated data so a sealed value cannot be moved to another name.
    public func seal(_ plaintext: String, context: String) throws -> String {
        try seal(Data(plaintext.utf8), context: context)
    }

    public func seal(_ plaintext: Data, context: String) throws -> String {
        let inForce = MasterKey.files(path) == files ? keys : try MasterKey.current(path)
        return try Sealed.seal(Array(plaintext), key: inForce[0], context: context)
    }

    public func open(_ sealed: String, context: String) throws -> String {
        String(decoding: try open(data: sealed, context: context), as: UTF8.self)
    }

    /// The bytes sealed, with whichever key in force opens them (both during a rotation).
    public func open(data sealed: String, context: String) throws -> Data {
        if let plain = try? Sealed.open(sealed, keys: keys, context: context) { return Data(plain) }
        do { return Data(try Sealed.open(sealed, keys: try MasterKey.current(path), context: context)) }
        catch let e as Sealed.Failure { throw SecretError(path: e.path, problem: e.problem) }
    }

    /// Whether a rotation is under way (a new key waits beside the key file).
    public var isRotating: Bool { keys.count > 1 }

    /// For `rotate-key`: nil when `sealed` is already under the key sealed with now, else
    /// the same plaintext sealed with it (same length: the plaintext is unchanged). Throws
    /// when no key in force opens it.
    public func resealed(_ sealed: String, context: String) throws -> String? {
        if isUnderSealingKey(sealed, context: context) { return nil }
        return try seal(try open(sealed, context: context), context: context)
    }

    /// Whether `sealed` opens with the key values are sealed with (the new one during a rotation).
    public func isUnderSealingKey(_ sealed: String, context: String) -> Bool {
        guard let first = keys.first else { return false }
        return (try? Sealed.open(sealed, key: first, context: context)) != nil
    }

    /// Starts a rotation: a new random key at `Sealed.pendingKeyPath(path)`, written to a
    /// temporary file and renamed into place so it exists whole or not at all. Returns
    /// false when one is there already (a rotation to resume).
    public static func beginRotation(at path: String) throws -> Bool {
        let pending = Sealed.pendingKeyPath(path)
        if Posix.exists(pending) { return false }
        try AtomicFile.write(Data(Crypto.randomBytes(32)), to: pending, mode: 0o600)
        return true
    }

    /// Ends a rotation: the new key replaces the old one, which is gone from then on.
    public static func commitRotation(at path: String) throws {
        try Posix.rename(Sealed.pendingKeyPath(path), path)
        try Posix.fsyncDirectory(PathString(path).parent)
    }
}

public struct SecretError: ConnectorError {
    public let path: String
    public let problem: String
    public init(path: String, problem: String) { self.path = path; self.problem = problem }
    public var exitStatus: ExitStatus { .config }
    public var description: String { "\(path): \(problem)" }
}

/// A `secrets.json` that is not one JSON object of sealed values: bad input, as any file.
extension SecretsFile.Malformed: ConnectorError {
    public var exitStatus: ExitStatus { .dataError }
}
