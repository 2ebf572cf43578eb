#if canImport(Glibc)
import Glibc
#endif

/// webhook-cgi's side of `StateLayout.keyLockPath`: a shared flock(2) held until the process
/// exits (the kernel drops it then, even on a crash), so `ml-connector rotate-key` can
/// wait for every request that read the keys before its new key existed.
public enum KeyLock {
    /// Best effort: a state directory the lock cannot be made in cannot be rotated
    /// either, and the request must not fail over it.
    public static func holdShared(_ layout: StateLayout) {
        let fd = open(layout.keyLockPath, O_RDONLY | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return }
        while flock(fd, LOCK_SH) != 0 && errno == EINTR {}
    }
}
