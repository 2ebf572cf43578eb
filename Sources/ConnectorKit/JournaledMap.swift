#if canImport(Glibc)
import Glibc
#endif
import WebhookCore

/// A map that records one key at a time durably and cheaply: a snapshot file replaced
/// atomically, plus `<snapshot>.journal`, one JSON line per change appended and fsynced.
/// Recording what a remote system accepted costs one short append, not a rewrite of the
/// whole map (which is O(n²) over a run that pushes n items one by one), and a crash
/// between any two appends keeps every line that was acknowledged.
///
/// `compact()` folds the journal into the snapshot. A crash between writing the snapshot
/// and emptying the journal only replays lines the snapshot already holds: replay is
/// idempotent because each line is the whole value for its key.
public final class JournaledMap<Value: JSONRecord> {
    public let path: String
    public var journalPath: String { path + ".journal" }
    public private(set) var entries: [String: Value]
    private var journalLines = 0

    /// Loads the snapshot and replays the journal. A last line cut short by a crash
    /// mid-append is dropped (it was never acknowledged); a bad line anywhere else is
    /// corruption and is reported with its line number.
    public init(path: String) throws {
        self.path = path
        entries = try RecordsFile.load(path)
        guard Posix.exists(journalPath) else { return }
        let data = try Posix.readFile(journalPath)
        let lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for (n, raw) in lines.enumerated() where !raw.isEmpty {
            let complete = n < lines.count - 1
            let source = "\(journalPath) line \(n + 1)"
            do {
                let line = try JSONValue.parse(Array(raw))
                guard let key = line["k"]?.string, let value = line["v"] else {
                    throw DataError(source: source, problem: "is not a journal entry (\"k\" and \"v\")")
                }
                entries[key] = value.isNull ? nil : try Value(json: value, source: source)
                journalLines += 1
            } catch where !complete {
                break
            } catch let error as DataError {
                throw error
            } catch {
                throw DataError(source: source, problem: "is not a journal entry: \(error)")
            }
        }
    }

    public subscript(key: String) -> Value? { entries[key] }

    /// Appends the changes as one write and one fsync, then applies them in memory. A
    /// batch as large as the map itself (learning a whole catalogue) is written as the
    /// snapshot instead: the same durability, and each value encoded once, not twice.
    public func record(_ changes: [(key: String, value: Value?)]) throws {
        guard !changes.isEmpty else { return }
        if changes.count >= 1_000, changes.count >= entries.count {
            var next = entries
            next.reserveCapacity(entries.count + changes.count)
            for c in changes { next[c.key] = c.value }
            try writeSnapshot(next)
            entries = next
            return
        }
        var bytes: [UInt8] = []
        for c in changes {
            var w = JSONObjectWriter()
            w.field("k", c.key)
            w.field("v", raw: c.value?.jsonBytes ?? Array("null".utf8))
            bytes += w.bytes
            bytes.append(UInt8(ascii: "\n"))
        }
        try Posix.makeDirectories(PathString(path).parent)
        let fd = try Posix.open(journalPath, O_WRONLY | O_CREAT | O_APPEND)
        defer { close(fd) }
        try bytes.withUnsafeBytes { try Posix.appendWhole(fd, $0, path: journalPath) }
        try Posix.fsync(fd, path: journalPath)
        for c in changes { entries[c.key] = c.value }
        journalLines += changes.count
    }

    public func record(_ key: String, _ value: Value?) throws { try record([(key, value)]) }

    /// Replaces the snapshot with the current map and empties the journal.
    public func compact() throws {
        guard journalLines > 0 || !Posix.exists(path) else { return }
        try writeSnapshot(entries)
    }

    private func writeSnapshot(_ map: [String: Value]) throws {
        try RecordsFile.write(map, to: path)
        if Posix.exists(journalPath) { try Posix.unlink(journalPath) }
        try Posix.fsyncDirectory(PathString(path).parent)
        journalLines = 0
    }
}
