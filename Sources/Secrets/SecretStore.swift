#if canImport(Glibc)
import Glibc
#endif
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorKit

/// `secrets.json` (WebhookCore's `SecretsFile` reads it): name -> sealed value. Nothing in
/// it is readable without the key.
public struct SecretStore {
    public let path: String
    public let key: MasterKey

    public init(path: String, key: MasterKey) { self.path = path; self.key = key }

    /// Name -> sealed value; empty when there is no file yet.
    private func sealed() throws -> [String: String] {
        guard Posix.exists(path) else { return [:] }
        return try SecretsFile.read(path).sealed
    }

    public func names() throws -> [String] { try sealed().keys.sorted() }

    public func get(_ name: String) throws -> String? {
        guard let value = try sealed()[name] else { return nil }
        return try key.open(value, context: SecretsFile.context(name))
    }

    /// A secret the job cannot run without: its absence is a configuration error.
    public func require(_ name: String, tenant: String) throws -> String {
        guard let v = try get(name) else {
            throw SecretError(path: path, problem: "secret \(name) is not set; run `ml-connector secret set \(name) --tenant \(tenant)`")
        }
        return v
    }

    /// Read, change, replace under `lockPath`, so two writers (an operator and
    /// `rotate-key`) never lose each other's change.
    public func set(_ name: String, value: String) throws {
        try FileLock.withLock(SecretStore.lockPath(path), wait: 30) {
            var all = try sealed()
            all[name] = try key.seal(value, context: SecretsFile.context(name))
            try AtomicFile.writeJSON(all, to: path, mode: 0o600)
        }
    }

    public static func lockPath(_ secrets: String) -> String { secrets + ".lock" }
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
        try Posix.makeDirectories(PathString(path).parent, mode: 0o700)
        try AtomicFile.write(Data(try sealed(value).utf8), to: path, mode: 0o600)
    }

    /// Room for the next save, taken before a step that cannot be undone (`AtomicFile.Reservation`).
    /// 64 KiB: a sealed value here is a few kilobytes.
    public func reserve() throws -> AtomicFile.Reservation {
        try Posix.makeDirectories(PathString(path).parent, mode: 0o700)
        return try AtomicFile.reserve(path, bytes: 65_536, mode: 0o600)
    }

    /// Saves into room reserved with `reserve()`.
    public func save(_ value: T, into room: AtomicFile.Reservation) throws {
        let bytes: [UInt8]
        do { bytes = Array(try sealed(value).utf8) } catch { room.cancel(); throw error }
        try room.commit(bytes)
    }

    private func sealed(_ value: T) throws -> String {
        try key.seal(String(decoding: try JSON.encode(value), as: UTF8.self), context: PathString(path).lastComponent)
    }

    public func remove() throws { try Posix.unlink(path) }
}
