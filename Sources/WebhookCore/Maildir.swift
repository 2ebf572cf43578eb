#if canImport(Glibc)
import Glibc
#endif

/// The accepting half of the spool (`SpoolQueue` in ConnectorKit is the whole queue):
/// write to `tmp/`, fsync, hard-link to `ids/<id>` — link(2) fails with EEXIST when the
/// id was ever accepted, so deduplication is one atomic call — rename into `new/`, fsync
/// `new/`. Shared so webhook-cgi and the jobs cannot disagree on the protocol.
public enum Maildir {
    public enum PutResult: Equatable, Sendable { case stored, duplicate }

    /// Ids become file names: only a conservative character set, never a path.
    public static func isValidID(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 200, id.first != "." else { return false }
        return id.utf8.allSatisfy { c in
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
                return true
            default:
                return false
            }
        }
    }

    /// Stores `bytes` under `id` durably and answers `.stored`, or answers `.duplicate` once
    /// an earlier put of the same id is durable: never before. The writer holds an exclusive
    /// flock(2) on the item's inode from before the inode is linked into `ids/` until `new/`
    /// is synced; a duplicate waits for that lock (`settleDuplicate`, at most
    /// `writerWaitSeconds`, then it fails and the caller answers 503), so it cannot tell its
    /// sender "done" for an item the first writer then fails to commit and withdraws. When
    /// the first writer withdrew (a full disk), the duplicate tries to store its own copy.
    public static func put(root: String, id: String, bytes: [UInt8]) throws -> PutResult {
        precondition(isValidID(id), "spool id must be validated by the caller")
        for _ in 0..<putAttempts {
            // A failure of our own (a full disk) has withdrawn our item and is thrown as is.
            if try putOnce(root: root, id: id, bytes: bytes) == .stored { return .stored }
            if try settleDuplicate(root: root, id: id) { return .duplicate }
            // The earlier writer withdrew its item: store this copy instead.
        }
        throw StateError(path: "\(root)/ids/\(id)", operation: "store (earlier deliveries of this id kept failing to commit)", errno: EAGAIN)
    }

    /// How often a put that found its id taken by a writer who then withdrew tries again
    /// to store its own copy before it gives up (and the caller answers 503).
    static let putAttempts = 3

    /// One try: `.stored`, or `.duplicate` when `ids/<id>` already exists (not yet settled).
    private static func putOnce(root: String, id: String, bytes: [UInt8]) throws -> PutResult {
        let tmp = "\(root)/tmp/\(id).\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let ids = "\(root)/ids", new = "\(root)/new"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw Posix.fail("open", tmp) }
        // Closing releases the lock, so the descriptor stays open until the item is
        // committed or withdrawn.
        defer { close(fd) }
        do {
            // A fresh inode nobody else can name yet: the lock is granted at once.
            while flock(fd, LOCK_EX) != 0 { guard errno == EINTR else { throw Posix.fail("flock", tmp) } }
            try Posix.writeAll(fd, bytes, path: tmp)
            guard fsync(fd) == 0 else { throw Posix.fail("fsync", tmp) }
        } catch { unlink(tmp); throw error }

        if link(tmp, "\(ids)/\(id)") < 0 {
            let e = errno
            unlink(tmp)
            if e == EEXIST { return .duplicate }
            errno = e
            throw Posix.fail("link", "\(ids)/\(id)")
        }
        do {
            // No fsync of ids/ of its own: the fsync of new/ below commits the link with it
            // on a journalling file system, and were an id ever lost to a crash, the
            // redelivery would be spooled twice and the jobs' ledgers make that harmless.
            guard rename(tmp, "\(new)/\(id)") == 0 else { throw Posix.fail("rename into new/", tmp) }
            try Posix.fsyncDirectory(new)
        } catch {
            // Not acknowledged, so the sender will retry: forget the id, or the retry
            // would be answered "duplicate" for an item that never reached new/. Done while
            // the lock is held, so a waiting duplicate sees the withdrawal (a link count of 0).
            // When the rename succeeded and only the fsync failed, the item stays: it is in
            // new/, and a duplicate that finds it there syncs new/ itself before answering.
            if Posix.exists(tmp) { unlink("\(ids)/\(id)"); unlink(tmp) }
            throw error
        }
        return .stored
    }

    /// Longest a duplicate waits for the writer of its id, below the 15 s ShipBob allows for
    /// an answer (docs/vendors/shipbob.md, "Webhook retries and endpoint disabling"): a
    /// writer stuck longer (a dying disk) gets its duplicates a 503, and their retries later.
    static let writerWaitSeconds = 10

    /// A shared lock on the item, once its writer (if any) has released the exclusive one.
    /// Polled rather than blocking, so the wait is bounded.
    private static func waitForWriter(_ fd: Int32, _ entry: String) throws {
        var start = timespec(), now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &start)
        while flock(fd, LOCK_SH | LOCK_NB) != 0 {
            guard errno == EWOULDBLOCK || errno == EINTR else { throw Posix.fail("flock", entry) }
            clock_gettime(CLOCK_MONOTONIC, &now)
            guard now.tv_sec - start.tv_sec < writerWaitSeconds else {
                throw StateError(path: entry, operation: "wait for the earlier delivery being written under", errno: ETIMEDOUT)
            }
            usleep(2_000)
        }
    }

    /// The states an accepted item can be found in after `new/` (the consumer's renames).
    static let committedStates = ["new", "cur", "done", "failed"]

    /// After `ids/<id>` existed: waits until no writer holds the item's lock, then answers
    /// whether the item is durable (`true`: the duplicate may be acknowledged) or was
    /// withdrawn (`false`: this put may store its own copy). Durable means found in a state
    /// directory, which is synced here in case its writer died before syncing it; or, for
    /// an item that never left `ids/` (its writer died between link and rename), linked into
    /// `new/` as `SpoolQueue.recover()` would and `new/` synced.
    private static func settleDuplicate(root: String, id: String) throws -> Bool {
        let entry = "\(root)/ids/\(id)"
        let fd = open(entry, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return false }
            throw Posix.fail("open", entry)
        }
        defer { close(fd) }
        try waitForWriter(fd, entry)
        var item = stat()
        guard fstat(fd, &item) == 0 else { throw Posix.fail("fstat", entry) }
        if item.st_nlink == 0 { return false }
        func same(_ path: String) -> Bool {
            var st = stat()
            return stat(path, &st) == 0 && st.st_ino == item.st_ino && st.st_dev == item.st_dev
        }
        // Twice: a consumer may move the item between two states while they are looked at.
        for _ in 0..<2 {
            if let state = committedStates.first(where: { same("\(root)/\($0)/\(id)") }) {
                try Posix.fsyncDirectory("\(root)/\(state)")
                return true
            }
        }
        if item.st_nlink == 1 {
            // Only ids/ names it: SpoolQueue.recover() restores such an entry to new/;
            // syncing ids/ makes sure the entry itself survives a crash until then.
            try Posix.fsyncDirectory("\(root)/ids")
            return true
        }
        // Named by its writer's tmp/ file too, and that writer is gone (the lock was free):
        // finish its rename by linking the entry into new/.
        guard ((try? Posix.list("\(root)/tmp")) ?? []).contains(where: { $0.hasPrefix(id + ".") && same("\(root)/tmp/\($0)") }) else {
            throw StateError(path: entry, operation: "find the earlier delivery (in no state and no tmp/ file) of", errno: ENOENT)
        }
        if link(entry, "\(root)/new/\(id)") < 0 && errno != EEXIST { throw Posix.fail("link into new/", entry) }
        try Posix.fsyncDirectory("\(root)/new")
        return true
    }

    /// `put` for many items at once, with two file-system commits instead of two fsyncs per
    /// item: every file is written to `tmp/` and committed (syncfs) before any becomes
    /// visible under `ids/` and `new/`, so a crash can lose whole items (the caller has not
    /// recorded them as queued and derives them again) but never expose a partial one.
    /// A crash between a link and its rename leaves the `ids/` entry `recover()` restores.
    public static func putBatch(root: String, _ items: [(id: String, bytes: [UInt8])]) throws -> [PutResult] {
        guard !items.isEmpty else { return [] }
        var written: [(id: String, tmp: String)] = []
        defer { for w in written where Posix.exists(w.tmp) { unlink(w.tmp) } }
        for (n, item) in items.enumerated() {
            precondition(isValidID(item.id), "spool id must be validated by the caller")
            let tmp = "\(root)/tmp/\(item.id).\(getpid()).\(n)"
            let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
            guard fd >= 0 else { throw Posix.fail("open", tmp) }
            written.append((item.id, tmp))
            defer { close(fd) }
            try Posix.writeAll(fd, item.bytes, path: tmp)
        }
        try Posix.syncFileSystem(of: "\(root)/tmp")
        var results: [PutResult] = []
        for w in written {
            if link(w.tmp, "\(root)/ids/\(w.id)") < 0 {
                guard errno == EEXIST else { throw Posix.fail("link", "\(root)/ids/\(w.id)") }
                results.append(.duplicate)
                continue
            }
            guard rename(w.tmp, "\(root)/new/\(w.id)") == 0 else { throw Posix.fail("rename into new/", w.tmp) }
            results.append(.stored)
        }
        try Posix.syncFileSystem(of: "\(root)/new")
        return results
    }
}
