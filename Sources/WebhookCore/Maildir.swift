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

    public static func put(root: String, id: String, bytes: [UInt8]) throws -> PutResult {
        precondition(isValidID(id), "spool id must be validated by the caller")
        let tmp = "\(root)/tmp/\(id).\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
        let ids = "\(root)/ids", new = "\(root)/new"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw RawFile.fail("open", tmp) }
        do {
            try RawFile.writeAll(fd, bytes, path: tmp)
            guard fsync(fd) == 0 else { throw RawFile.fail("fsync", tmp) }
            close(fd)
        } catch { close(fd); unlink(tmp); throw error }

        if link(tmp, "\(ids)/\(id)") < 0 {
            let e = errno
            unlink(tmp)
            if e == EEXIST { return .duplicate }
            errno = e
            throw RawFile.fail("link", "\(ids)/\(id)")
        }
        do {
            // No fsync of ids/ of its own: the fsync of new/ below commits the link with it
            // on a journalling file system, and were an id ever lost to a crash, the
            // redelivery would be spooled twice and the jobs' ledgers make that harmless.
            guard rename(tmp, "\(new)/\(id)") == 0 else { throw RawFile.fail("rename into new/", tmp) }
            try RawFile.fsyncDirectory(new)
        } catch {
            // Not acknowledged, so the sender will retry: forget the id, or the retry
            // would be answered "duplicate" for an item that never reached new/.
            if RawFile.exists(tmp) { unlink("\(ids)/\(id)"); unlink(tmp) }
            throw error
        }
        return .stored
    }

    /// `put` for many items at once, with two file-system commits instead of two fsyncs per
    /// item: every file is written to `tmp/` and committed (syncfs) before any becomes
    /// visible under `ids/` and `new/`, so a crash can lose whole items (the caller has not
    /// recorded them as queued and derives them again) but never expose a partial one.
    /// A crash between a link and its rename leaves the `ids/` entry `recover()` restores.
    public static func putBatch(root: String, _ items: [(id: String, bytes: [UInt8])]) throws -> [PutResult] {
        guard !items.isEmpty else { return [] }
        var written: [(id: String, tmp: String)] = []
        defer { for w in written where RawFile.exists(w.tmp) { unlink(w.tmp) } }
        for (n, item) in items.enumerated() {
            precondition(isValidID(item.id), "spool id must be validated by the caller")
            let tmp = "\(root)/tmp/\(item.id).\(getpid()).\(n)"
            let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
            guard fd >= 0 else { throw RawFile.fail("open", tmp) }
            written.append((item.id, tmp))
            defer { close(fd) }
            try RawFile.writeAll(fd, item.bytes, path: tmp)
        }
        try RawFile.syncFileSystem(of: "\(root)/tmp")
        var results: [PutResult] = []
        for w in written {
            if link(w.tmp, "\(root)/ids/\(w.id)") < 0 {
                guard errno == EEXIST else { throw RawFile.fail("link", "\(root)/ids/\(w.id)") }
                results.append(.duplicate)
                continue
            }
            guard rename(w.tmp, "\(root)/new/\(w.id)") == 0 else { throw RawFile.fail("rename into new/", w.tmp) }
            results.append(.stored)
        }
        try RawFile.syncFileSystem(of: "\(root)/new")
        return results
    }
}
