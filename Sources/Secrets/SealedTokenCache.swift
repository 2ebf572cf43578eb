import ConnectorKit
import WebhookCore

/// A credential every job of a tenant shares (the SYSPRO session, ShipBob's OAuth tokens):
/// sealed in `tokens/<name>.json` and changed only under `locks/<name>.lock`. A reader checks
/// the cache without the lock; a writer takes the lock and reads again before acting, because
/// another job may have renewed it meanwhile. One owner of that pairing for every such cache.
public struct SealedTokenCache<T: Codable> {
    public let file: SealedFile<T>
    let lockPath: String
    let lockWait: Double

    /// `lockWait`: how long to wait for another job's renewal before giving up with 75.
    public init(tenant: TenantPaths, name: String, key: MasterKey, lockWait: Double) {
        file = SealedFile(path: tenant.token(name), key: key)
        lockPath = tenant.lock(name)
        self.lockWait = lockWait
    }

    public var path: String { file.path }
    public func load() throws -> T? { try file.load() }
    public func save(_ value: T) throws { try file.save(value) }
    public func remove() throws { try file.remove() }
    public func reserve() throws -> AtomicFile.Reservation { try file.reserve() }
    public func save(_ value: T, into room: AtomicFile.Reservation) throws { try file.save(value, into: room) }

    /// Runs `body` holding the cache's lock.
    public func locked<R>(_ body: () throws -> R) throws -> R {
        try FileLock.withLock(lockPath, wait: lockWait, body)
    }
}
