#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// Whole-file replacement that a crash can never leave half-written: the new bytes go
/// to a temporary file in the same directory, are fsynced, renamed over the target, and
/// the directory is fsynced so the rename itself survives a power cut.
/// `durable: false` keeps the rename (a reader still sees the old file or the new one)
/// without the two fsyncs, for what the next pass rewrites anyway: they were two thirds of
/// an idle pass's wall time (docs/benchmarks.md, "Start-up"), and a power cut costs at most the newest
/// copy of such a file, which its readers take as unreadable and say so.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String, mode: mode_t = 0o644, durable: Bool = true) throws {
        try data.withUnsafeBytes { try write(bytes: $0, to: path, mode: mode, durable: durable) }
    }

    /// The same from bytes in hand: a 100,000-record state file is not copied into a `Data` first.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644, durable: Bool = true) throws {
        try bytes.withUnsafeBytes { try write(bytes: $0, to: path, mode: mode, durable: durable) }
    }

    private static func write(bytes: UnsafeRawBufferPointer, to path: String, mode: mode_t, durable: Bool) throws {
        try Reservation(replacing: path, mode: mode).commit(bytes, durable: durable)
    }

    /// The next version of `path`: a temporary file beside it, renamed over it once whole.
    /// `reserve` also takes its room on disk first. A step that cannot be undone (a ShipBob
    /// token refresh spends the refresh token it sends) must not be followed by a write a
    /// full disk refuses: the room is claimed before that step, so a full disk fails it
    /// while nothing is spent yet (bench/soak, with the whole tenant on a full file system,
    /// lost five ShipBob grants to the write after the refresh).
    public struct Reservation {
        let fd: Int32
        let tmp: String
        let path: String
        /// Blocks were allocated ahead: the file is cut to what is written.
        var reserved = false

        fileprivate init(replacing path: String, mode: mode_t) throws {
            self.path = path
            tmp = PathString(path).parent / ".\(PathString(path).lastComponent).tmp.\(getpid()).\(UInt32.random(in: 0...UInt32.max))"
            fd = try Posix.open(tmp, O_WRONLY | O_CREAT | O_EXCL, mode)
        }

        /// Replaces `path` with `bytes` (fsynced, renamed, directory fsynced). Within the
        /// reserved size no block is allocated, so ENOSPC cannot refuse it.
        public func commit(_ bytes: [UInt8]) throws {
            try bytes.withUnsafeBytes { try commit($0, durable: true) }
        }

        fileprivate func commit(_ bytes: UnsafeRawBufferPointer, durable: Bool) throws {
            do {
                try Posix.writeAll(fd, bytes, path: tmp)
                if reserved, ftruncate(fd, off_t(bytes.count)) != 0 { throw StateError(path: tmp, operation: "truncate", errno: errno) }
                if durable { try Posix.fsync(fd, path: tmp) }
            } catch {
                cancel()
                throw error
            }
            close(fd)
            do { try Posix.rename(tmp, path) } catch { try? Posix.unlink(tmp); throw error }
            let dir = PathString(path).parent
            if durable { try Posix.fsyncDirectory(dir.isEmpty ? "." : dir) }
        }

        /// Gives the room back, leaving `path` as it was.
        public func cancel() {
            close(fd)
            try? Posix.unlink(tmp)
        }
    }

    public static func reserve(_ path: String, bytes: Int, mode: mode_t = 0o644) throws -> Reservation {
        var room = try Reservation(replacing: path, mode: mode)
        let failed = posix_fallocate(room.fd, 0, off_t(bytes))  // the error number itself, not -1 and errno
        guard failed == 0 else {
            room.cancel()
            throw StateError(path: room.tmp, operation: "reserve \(bytes) bytes for", errno: failed)
        }
        room.reserved = true
        return room
    }

    public static func writeJSON<T: Encodable>(_ value: T, to path: String, mode: mode_t = 0o644, durable: Bool = true) throws {
        try write(try JSON.encode(value), to: path, mode: mode, durable: durable)
    }

    /// Reads and decodes; a missing file is `nil`, a corrupt one is a typed error naming it.
    public static func readJSON<T: Decodable>(_ type: T.Type, from path: String) throws -> T? {
        guard Posix.exists(path) else { return nil }
        let data = try Posix.readFile(path)
        do { return try JSON.decoder.decode(T.self, from: data) }
        catch { throw DataError(source: path, problem: JSON.describe(error)) }
    }
}

/// Bad input from outside: a file, a webhook body, an API answer.
public struct DataError: ConnectorError {
    public let source: String
    public let problem: String
    public init(source: String, problem: String) { self.source = source; self.problem = problem }
    public var exitStatus: ExitStatus { .dataError }
    public var description: String { "\(source): \(problem)" }
}

/// One JSON encoding for everything the connector writes: sorted keys (stable diffs and
/// audit lines) and ISO-8601 dates.
public enum JSON {
    public static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        e.dateEncodingStrategy = .iso8601
        return e
    }
    public static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .iso8601
        return d
    }
    public static func encode<T: Encodable>(_ value: T) throws -> Data { try encoder.encode(value) }
    public static func encodeLine<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// A person-readable account of a decoding failure: the key path and what was expected.
    public static func describe(_ error: Error) -> String {
        guard let e = error as? DecodingError else { return "\(error)" }
        func path(_ p: [CodingKey]) -> String {
            let s = p.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            return s.isEmpty ? "(top level)" : s.replacing(".[", with: "[")
        }
        switch e {
        case .keyNotFound(let key, let ctx):
            let parent = path(ctx.codingPath)
            return "key \(parent == "(top level)" ? key.stringValue : parent + "." + key.stringValue) is missing"
        case .typeMismatch(let type, let ctx):
            return "key \(path(ctx.codingPath)): expected \(JSON.typeName(type))"
        case .valueNotFound(let type, let ctx):
            return "key \(path(ctx.codingPath)): expected \(JSON.typeName(type)), found null"
        case .dataCorrupted(let ctx):
            if ctx.codingPath.isEmpty { return "not valid JSON" }
            return "key \(path(ctx.codingPath)): \(ctx.debugDescription)"
        @unknown default:
            return "\(e)"
        }
    }

    static func typeName(_ t: Any.Type) -> String {
        switch t {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type, is UInt64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "true or false"
        default:
            let n = "\(t)"
            if n.hasPrefix("Array") { return "an array" }
            if n.hasPrefix("Dictionary") { return "an object" }
            return "an object (\(n))"
        }
    }
}
