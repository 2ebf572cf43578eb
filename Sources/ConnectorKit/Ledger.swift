#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// Idempotency records for effects in other systems: one small JSON file per key
/// (`ledger/<kind>/<key>.json`), replaced atomically. A `pending` entry is written
/// *before* the remote call and `done` after it, so a crash in between is visible and
/// is resolved by asking the target system, never by posting twice. One file per key
/// keeps each update O(1) however many records the tenant has moved.
public struct Ledger: Sendable {
    public enum Status: String, Codable, Sendable { case pending, done }

    public struct Entry: Codable, Sendable, Equatable {
        public var key: String
        public var status: Status
        public var target: String?
        public var attempts: Int
        public var updated: Date
        public var detail: [String: String]?

        public init(key: String, status: Status, target: String? = nil, attempts: Int = 1,
                    updated: Date = Date(), detail: [String: String]? = nil) {
            self.key = key; self.status = status; self.target = target
            self.attempts = attempts; self.updated = updated; self.detail = detail
        }
    }

    public let directory: String
    public init(directory: String) { self.directory = directory }

    private func path(_ key: String) -> String {
        precondition(SpoolQueue.isValidID(key), "ledger key must be file-name safe")
        return directory / "\(key).json"
    }

    public func get(_ key: String) throws -> Entry? {
        try AtomicFile.readJSON(Entry.self, from: path(key))
    }

    public func put(_ entry: Entry) throws {
        try Posix.makeDirectories(directory)
        try AtomicFile.writeJSON(entry, to: path(entry.key))
    }

    /// Forgets a key: the effect is known not to have happened (the target refused it).
    public func remove(_ key: String) throws {
        if Posix.exists(path(key)) { try Posix.unlink(path(key)); try Posix.fsyncDirectory(directory) }
    }

    public func all() throws -> [Entry] {
        try Posix.list(directory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().compactMap {
            try AtomicFile.readJSON(Entry.self, from: directory / $0)
        }
    }
}
