import WebhookCore

/// A state file of records by key: one JSON object, one member a line
/// (`{\n"key":value,\n"key":value\n}\n`, in no particular order: sorting 100,000 keys cost a
/// tenth of a poll, and nothing reads the file in order), replaced atomically and durably
/// (`AtomicFile`). The one owner of that format: `JournaledMap`'s snapshot, the inventory
/// stores (`LevelStore`) and the rowversion indexes are all written and read here.
public enum RecordsFile {
    /// The records in `path`, none when it does not exist; read member by member (no
    /// dictionary of JSON trees for 100,000 records first). Errors name the file.
    public static func load<Value: JSONRecord>(_ path: String) throws -> [String: Value] {
        guard Posix.exists(path) else { return [:] }
        let data = try Posix.readFile(path)
        var records: [String: Value] = [:]
        records.reserveCapacity(data.count / 128)  // a record's line is 130-200 bytes
        let isObject: Bool
        do {
            isObject = try JSONValue.forEachMember(in: data) { key, value in records[key] = try Value(json: value, source: path) }
        } catch let error as DataError {
            throw error
        } catch {
            throw DataError(source: path, problem: "\(error)")
        }
        guard isObject else { throw DataError(source: path, problem: "is not a JSON object") }
        return records
    }

    /// Replaces `path` with `records`. Those in `encoded` are already encoded, at that range
    /// of `lines` (a poll's changes, encoded once for stdout and for the file): they are
    /// copied, first, and only the rest are encoded here.
    public static func write<Value: JSONRecord>(_ records: [String: Value], to path: String,
                                                encoded: [String: Range<Int>] = [:], in lines: [UInt8] = []) throws {
        var out: [UInt8] = [UInt8(ascii: "{")]
        out.reserveCapacity(records.count * 200)
        func separate(_ key: String) {
            if out.count > 1 { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\n"))
            JSONObjectWriter.appendString(key, to: &out)
            out.append(UInt8(ascii: ":"))
        }
        for (key, range) in encoded { separate(key); out += lines[range] }
        if encoded.count < records.count {
            for (key, record) in records where encoded[key] == nil { separate(key); record.appendJSON(to: &out) }
        }
        out += Array("\n}\n".utf8)
        try AtomicFile.write(out, to: path)
    }
}
