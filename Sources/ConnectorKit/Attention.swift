#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// Items a person must act on (`attention/<source>-<id>.json`): an unknown SKU, an
/// unmapped channel. Each says what is wrong and what to do; `ml-connector replay`
/// requeues the item once the cause is fixed.
public struct AttentionItem: Codable, Sendable, Equatable {
    public var source: String
    public var id: String
    public var reason: String
    public var action: String
    public var since: Date

    public init(source: String, id: String, reason: String, action: String, since: Date = Date()) {
        self.source = source; self.id = id; self.reason = reason; self.action = action; self.since = since
    }
}

public struct AttentionBox: Sendable {
    public let directory: String
    public init(directory: String) { self.directory = directory }

    public func add(_ item: AttentionItem) throws {
        try Posix.makeDirectories(directory)
        try AtomicFile.writeJSON(item, to: directory / "\(item.source)-\(item.id).json")
    }

    /// Adds the item unless one with its source and id is waiting already, so a problem
    /// seen on every run reaches a person once. Returns whether it was new.
    @discardableResult
    public func addOnce(_ item: AttentionItem) throws -> Bool {
        guard !Posix.exists(directory / "\(item.source)-\(item.id).json") else { return false }
        try add(item)
        return true
    }

    /// A file-name-safe attention id from free text (SKUs, warehouse codes).
    public static func id(_ parts: String...) -> String {
        String(parts.joined(separator: "-").map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "_" })
    }

    public func all() throws -> [AttentionItem] {
        try Posix.list(directory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().compactMap {
            try AtomicFile.readJSON(AttentionItem.self, from: directory / $0)
        }
    }

    public func remove(source: String, id: String) throws {
        try Posix.unlink(directory / "\(source)-\(id).json")
    }

    /// Removes the item if it is there (the problem went away on its own).
    public func resolve(source: String, id: String) throws {
        if Posix.exists(directory / "\(source)-\(id).json") { try remove(source: source, id: id) }
    }
}
