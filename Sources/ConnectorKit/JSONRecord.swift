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
