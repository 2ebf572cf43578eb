import WebhookCore

/// A job's watermark (`cursors/<job>.json`). Generic over what the job needs to remember
/// (a rowversion and a tie-break key, a date, a page token); advanced only with
/// `save`, which callers invoke after the records it covers are durably stored.
public struct CursorFile<Value: Codable & Sendable>: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    public func load() throws -> Value? { try AtomicFile.readJSON(Value.self, from: path) }

    /// A save that changes nothing writes nothing: a pass that found nothing new then costs
    /// no fsync.
    public func save(_ value: Value) throws {
        let data = try JSON.encode(value)
        if Posix.exists(path), (try? Posix.readFile(path)) == data { return }
        try Posix.makeDirectories(PathString(path).parent)
        try AtomicFile.write(data, to: path)
    }
}
