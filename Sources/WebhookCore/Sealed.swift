#if canImport(Glibc)
import Glibc
#endif

/// Sealed secrets as `secrets.json` stores them: `v1:` + base64(nonce | AES-256-GCM
/// ciphertext | tag), the secret's name bound as associated data, under the 32-byte
/// master key file (mode 0600). ConnectorKit's `MasterKey` writes them; webhook-cgi
/// opens one with this, without Foundation.
public enum Sealed {
    public struct Failure: Error, CustomStringConvertible {
        public let path: String
        public let problem: String
        public var description: String { "\(path): \(problem)" }
    }

    /// The key file's 32 bytes; refuses a key readable by group or others.
    public static func loadKey(_ path: String) throws -> [UInt8] {
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw Failure(path: path, problem: "master key is missing; run `ml-connector init` first")
        }
        if st.st_mode & 0o077 != 0 {
            throw Failure(path: path, problem: "master key is readable by group or others (mode \(String(st.st_mode & 0o777, radix: 8))); chmod 600 it")
        }
        let key = try Posix.readBytes(path, limit: 16384)
        guard key.count == 32 else { throw Failure(path: path, problem: "master key must be exactly 32 bytes, found \(key.count)") }
        return key
    }

    /// While `ml-connector rotate-key` runs, its new key waits beside the key in force as
    /// `<key>.new` and is renamed over it at the end.
    public static func pendingKeyPath(_ path: String) -> String { path + ".new" }

    /// The keys in force, the one to seal with first: `[new, current]` while a rotation is
    /// under way, else `[current]`. Values sealed under either open during the rotation.
    public static func loadKeys(_ path: String) throws -> [[UInt8]] {
        let pending = pendingKeyPath(path)
        if Posix.exists(pending) {
            do { return [try loadKey(pending), try loadKey(path)] }
            catch {
                // Gone since the check: the rotation committed, `<key>.new` is the key now.
                if Posix.exists(pending) { throw error }
            }
        }
        return [try loadKey(path)]
    }

    public static func seal(_ plaintext: [UInt8], key: [UInt8], context: String) throws -> String {
        "v1:" + Base64.encode(try Crypto.seal(plaintext, key: key, aad: Array(context.utf8)))
    }

    public static func open(_ sealed: String, key: [UInt8], context: String) throws -> [UInt8] {
        guard sealed.hasPrefix("v1:"), let raw = Base64.decode(String(sealed.dropFirst(3))) else {
            throw Failure(path: context, problem: "not a v1: sealed value")
        }
        do { return try Crypto.open(raw, key: key, aad: Array(context.utf8)) }
        catch { throw Failure(path: context, problem: "cannot be decrypted with this master key (wrong key or tampered)") }
    }

    /// Opens with the first of `keys` that fits (`loadKeys`' order).
    public static func open(_ sealed: String, keys: [[UInt8]], context: String) throws -> [UInt8] {
        for key in keys.dropLast() {
            if let plain = try? open(sealed, key: key, context: context) { return plain }
        }
        return try open(sealed, key: keys.last ?? [], context: context)
    }
}
