import ConnectorKit

/// The current record per key, one JSON object file replaced atomically. `merge` stores
/// what was read and returns what changed (or everything read, for a full reconcile).
public struct LevelStore<T: StockRecord> {
    public let path: String

    public init(path: String) { self.path = path }

    public func load() throws -> [String: T] {
        guard Posix.exists(path) else { return [:] }
        let doc: JSONValue
        do { doc = try JSONValue.parse(try Posix.readFile(path)) } catch {
            throw DataError(source: path, problem: "\(error)")
        }
        guard let object = doc.object else { throw DataError(source: path, problem: "is not a JSON object") }
        var records: [String: T] = [:]
        records.reserveCapacity(object.count)
        for (key, value) in object { records[key] = try T(json: value, source: path) }
        return records
    }

    public func merge(_ read: [T], printAll: Bool, same: (T, T) -> Bool) throws -> [T] {
        var current = try load()
        var changed: [T] = []
        for item in read {
            if let old = current[item.key], same(old, item) {
                if printAll { changed.append(item) }
                continue
            }
            current[item.key] = item
            changed.append(item)
        }
        if !changed.isEmpty { try save(current) }
        return changed
    }

    /// One record per line, in no particular order (sorting 100,000 keys cost a tenth of
    /// a poll; nothing reads the file in order).
    func save(_ records: [String: T]) throws {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(records.count * 160)
        for (i, key) in records.keys.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\n"))
            JSONObjectWriter.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
            out += records[key]!.jsonBytes
        }
        out += Array("\n}\n".utf8)
        try AtomicFile.write(Data(out), to: path)
    }
}
