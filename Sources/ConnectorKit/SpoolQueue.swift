#if canImport(Glibc)
import Glibc
#endif
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A maildir-style queue (`tmp/new/cur/done/failed`) plus `ids/`, the record of every id
/// ever accepted. `put` writes the item to `tmp/`, fsyncs it, then *hard-links* it to
/// `ids/<id>`: link(2) fails with EEXIST when the id is known, so deduplication is one
/// atomic system call, not a check followed by a write. The same inode is then renamed
/// into `new/`. An `ids/` entry whose inode has a link count of 1 was accepted but never
/// reached `new/` (a crash between the two steps); `recover()` puts it back.
public final class SpoolQueue: Sendable {
    public enum State: String, CaseIterable, Sendable { case tmp, new, cur, done, failed, ids }
    public typealias PutResult = Maildir.PutResult

    public let root: String

    public init(root: String) { self.root = root }

    public func path(_ state: State, _ id: String = "") -> String {
        id.isEmpty ? root / state.rawValue : root / state.rawValue / id
    }

    public func prepare() throws {
        for s in State.allCases { try Posix.makeDirectories(path(s)) }
    }

    public static func isValidID(_ id: String) -> Bool { Maildir.isValidID(id) }

    /// Stores `data` under `id` durably, or does nothing if `id` was ever stored
    /// (WebhookCore's `Maildir.put`, the one implementation of the protocol).
    public func put(id: String, data: Data) throws -> PutResult {
        try Maildir.put(root: root, id: id, bytes: Array(data))
    }

    /// Many items at once, with two file-system commits in all (`Maildir.putBatch`).
    public func putBatch(_ items: [(id: String, bytes: [UInt8])]) throws -> [PutResult] {
        try Maildir.putBatch(root: root, items)
    }

    /// Ids waiting in `new/`, oldest first.
    public func pending() throws -> [String] {
        let ids = try Posix.list(path(.new)).filter(SpoolQueue.isValidID)
        var stamped: [(id: String, at: Date)] = []
        for id in ids { stamped.append((id, Posix.modificationTime(path(.new, id)) ?? .distantPast)) }
        stamped.sort { a, b in a.at != b.at ? a.at < b.at : a.id < b.id }
        return stamped.map { $0.id }
    }

    public func list(_ state: State) throws -> [String] {
        try Posix.list(path(state)).filter(SpoolQueue.isValidID).sorted()
    }

    /// Moves `new/<id>` to `cur/<id>`; `false` if another consumer took it first.
    public func claim(_ id: String) throws -> Bool {
        if Glibc.rename(path(.new, id), path(.cur, id)) == 0 { return true }
        if errno == ENOENT { return false }
        throw StateError(path: path(.new, id), operation: "rename to cur", errno: errno)
    }

    public func read(_ id: String, in state: State = .cur) throws -> Data {
        try Posix.readFile(path(state, id))
    }

    public func complete(_ id: String) throws { try move(id, from: .cur, to: .done) }

    /// `complete` for a batch: the renames, then one fsync of `done/`.
    public func complete(_ ids: [String]) throws {
        guard !ids.isEmpty else { return }
        for id in ids { try Posix.rename(path(.cur, id), path(.done, id)) }
        try Posix.fsyncDirectory(path(.done))
    }

    /// Gives a claimed item back untouched (a transient failure: try again next run).
    public func release(_ id: String) throws { try move(id, from: .cur, to: .new) }

    /// Parks an item in `failed/` with its reason beside it in `failed/.<id>.why`: the
    /// leading dot keeps reasons out of the id namespace (ids never start with a dot).
    /// `from: .done` takes back work a vendor later reported as failed (an SMS undelivered).
    public func fail(_ id: String, reason: String, from state: State = .cur) throws {
        try AtomicFile.write(Data(reason.utf8), to: reasonPath(id))
        try move(id, from: state, to: .failed)
    }

    /// Files work that failed before it was ever queued (an outbox record a vendor refused)
    /// straight into `failed/` with its reason, replacing an earlier failure of the same id;
    /// `requeue` then brings it to `new/` like any failed item.
    public func park(id: String, data: Data, reason: String) throws {
        try prepare()
        try AtomicFile.write(data, to: path(.failed, id))
        try AtomicFile.write(Data(reason.utf8), to: reasonPath(id))
    }

    public func reason(_ id: String) -> String? {
        (try? Posix.readFile(reasonPath(id))).map { String(decoding: $0, as: UTF8.self) }
    }

    private func reasonPath(_ id: String) -> String { path(.failed) / ".\(id).why" }

    /// Back to `new/` from `failed/` (or `done/`), for `ml-connector replay`.
    public func requeue(_ id: String, from state: State = .failed) throws {
        try move(id, from: state, to: .new)
        try Posix.unlink(reasonPath(id))
    }

    /// Run by the single consumer, under its lock, before it claims anything: items a
    /// killed consumer left in `cur/` go back to `new/`, accepted ids that never reached
    /// `new/` are linked there, and `tmp/` files older than a day are removed.
    @discardableResult
    public func recover(now: Date = Date()) throws -> Int {
        var restored = 0
        for id in try list(.cur) { try move(id, from: .cur, to: .new); restored += 1 }
        for id in try list(.ids) {
            var st = stat()
            if stat(path(.ids, id), &st) == 0, st.st_nlink == 1 {
                if link(path(.ids, id), path(.new, id)) == 0 { restored += 1 }
            }
        }
        if restored > 0 { try Posix.fsyncDirectory(path(.new)) }
        for name in try Posix.list(path(.tmp)) {
            if let m = Posix.modificationTime(path(.tmp, name)), now.timeIntervalSince(m) > 86_400 {
                try Posix.unlink(path(.tmp, name))
            }
        }
        return restored
    }

    private func move(_ id: String, from: State, to: State) throws {
        try Posix.rename(path(from, id), path(to, id))
        try Posix.fsyncDirectory(path(to))
    }
}
