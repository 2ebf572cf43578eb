/// A job's watermark (`cursors/<job>.json`). Generic over what the job needs to remember
/// (a rowversion and a tie-break key, a date, a page token); advanced only with
/// `save`, which callers invoke after the records it covers are durably stored.
public struct CursorFile<Value: Codable & Sendable>: Sendable {
    public let path: String
    public init(path: String) { self.path = path }

    public func load() throws -> Value? { try AtomicFile.readJSON(Value.self, from: path) }

    public func save(_ value: Value) throws {
        try Posix.makeDirectories(PathString(path).parent)
        try AtomicFile.writeJSON(value, to: path)
    }
}
