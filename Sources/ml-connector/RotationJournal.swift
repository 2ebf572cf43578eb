#if canImport(Glibc)
import Glibc
#endif
import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// `rotate-key.journal` in the state directory: JSON Lines, each fsynced before what it
/// announces. `{"pending": path, "edits": [...]}` precedes the in-place writes to a file
/// (so a write torn by a crash is redone from it), `{"done": path}` follows the file.
/// A resumed rotation skips what is done and finishes what is pending; the journal is
/// removed once the new key is in force.
struct RotationJournal {
    let path: String

    struct Edit: Codable, Equatable {
        let at: Int
        let sealed: String
    }

    struct Record: Codable {
        var pending: String?
        var edits: [Edit]?
        var done: String?
    }

    init(root: String) { path = root / "rotate-key.journal" }

    /// What was recorded; a last line cut short by a crash is ignored (its writes never began).
    func records() throws -> [Record] {
        guard Posix.exists(path) else { return [] }
        return [UInt8](try Posix.readFile(path)).split(separator: 0x0a).compactMap {
            try? JSON.decoder.decode(Record.self, from: Data($0))
        }
    }

    /// Files whose writes were announced but not marked done: a crash may have torn them.
    func unfinished() throws -> [(path: String, edits: [Edit])] {
        let records = try records()
        let done = Set(records.compactMap(\.done))
        return records.compactMap { r in
            guard let path = r.pending, let edits = r.edits, !done.contains(path) else { return nil }
            return (path, edits)
        }
    }

    /// One write and one fsync for any number of records.
    func append(_ records: [Record]) throws {
        guard !records.isEmpty else { return }
        var lines = Data()
        for r in records {
            lines.append(try JSON.encode(r))
            lines.append(0x0a)
        }
        let fd = try Posix.open(path, O_WRONLY | O_APPEND | O_CREAT, 0o600)
        defer { close(fd) }
        try lines.withUnsafeBytes { try Posix.appendWhole(fd, $0, path: path) }
        try Posix.fsync(fd, path: path)
    }

    func remove() throws {
        try Posix.unlink(path)
        try Posix.fsyncDirectory(PathString(path).parent)
    }

    /// Writes each edit's sealed text at its offset; the caller makes it durable (one
    /// syncfs for a batch of files).
    static func apply(_ edits: [Edit], to file: String) throws {
        let fd = try Posix.open(file, O_WRONLY)
        defer { close(fd) }
        for e in edits {
            let bytes = Array(e.sealed.utf8)
            let n = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, off_t(e.at)) }
            guard n == bytes.count else { throw StateError(path: file, operation: "pwrite", errno: n < 0 ? errno : EIO) }
        }
    }
}
