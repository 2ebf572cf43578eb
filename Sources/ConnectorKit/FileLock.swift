#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// An exclusive `flock(2)` on a file under `locks/`: two runs of the same job never
/// overlap, and the kernel releases the lock when a process dies, even by SIGKILL.
public final class FileLock {
    public let path: String
    private var fd: Int32 = -1

    public init(path: String) { self.path = path }
    deinit { unlock() }

    /// Takes the lock without waiting; `false` when another process holds it.
    public func tryLock() throws -> Bool {
        if fd < 0 {
            try Posix.makeDirectories(PathString(path).parent)
            fd = try Posix.open(path, O_RDWR | O_CREAT, 0o644)
        }
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
        if errno == EWOULDBLOCK { return false }
        throw StateError(path: path, operation: "flock", errno: errno)
    }

    /// Waits up to `timeout` seconds for the lock.
    public func lock(timeout: Double) throws -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            if try tryLock() { return true }
            if Date() >= deadline { return false }
            usleep(20_000)
        }
    }

    public func unlock() {
        if fd >= 0 { flock(fd, LOCK_UN); close(fd); fd = -1 }
    }

    /// Runs `body` holding the lock, or throws `LockBusy` (exit 75) if it is taken.
    public static func withLock<T>(_ path: String, wait: Double = 0, _ body: () throws -> T) throws -> T {
        let l = FileLock(path: path)
        guard try (wait > 0 ? l.lock(timeout: wait) : l.tryLock()) else { throw LockBusy(path: path) }
        defer { l.unlock() }
        return try body()
    }
}

public struct LockBusy: ConnectorError {
    public let path: String
    public init(path: String) { self.path = path }
    public var exitStatus: ExitStatus { .tempFail }
    public var description: String { "another run holds \(path); try again later" }
}
