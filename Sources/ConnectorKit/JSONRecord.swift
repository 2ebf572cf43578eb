import WebhookCore

/// A value kept in state as JSON written and read by hand (JSONObjectWriter, JSONValue):
/// for files with tens of thousands of records, where Codable's generic machinery costs
/// more than everything else a job does.
public protocol JSONRecord: Sendable {
    /// One JSON value, object keys sorted.
    var jsonBytes: [UInt8] { get }
    /// The same, appended to a buffer holding other records.
    func appendJSON(to out: inout [UInt8])
    /// Reads `jsonBytes` back; `source` names the file in errors.
    init(json: JSONValue, source: String) throws
}

extension JSONRecord {
    public func appendJSON(to out: inout [UInt8]) { out += jsonBytes }
}

extension Dictionary where Key == String, Value: JSONRecord {
    /// A state file holding one JSON object of records, read member by member (no
    /// dictionary of JSON trees for 100,000 records first). Errors name the file.
    public init(recordsIn path: String) throws {
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
        self = records
    }
}
