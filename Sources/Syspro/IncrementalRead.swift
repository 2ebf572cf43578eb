import ConnectorKit

/// Reads the rows of one entity set that changed since a rowversion cursor, without
/// losing any (api-notes.md, "Change detection": TimeStamp is a database-wide rowversion,
/// compared as unsigned 64-bit; a transaction may commit a lower one after a higher one
/// was read):
/// - the window starts `overlap` below the cursor (`ge`), so late commits are re-read;
///   the caller dedupes by comparing quantities with what it stored;
/// - the window ends at a ceiling taken before reading (`le`), so rows changing during
///   the run carry a higher rowversion and are read again next time;
/// - pages are ordered by TimeStamp and then the row's key, a stable order for `$skip`.
public struct IncrementalRead {
    let odata: ODataClient
    let entitySet: String
    let keyFields: [String]
    let select: [String]
    /// Extra conditions (warehouse list, price code), already OData.
    let condition: String?

    public init(odata: ODataClient, entitySet: String, keyFields: [String], select: [String], condition: String?) {
        self.odata = odata; self.entitySet = entitySet; self.keyFields = keyFields; self.select = select; self.condition = condition
    }

    /// The highest rowversion now in the set (under `condition`), nil if the set is empty.
    public func ceiling() throws -> RowVersion? {
        let rows = try odata.fetch(entitySet: entitySet, filter: condition, select: ["TimeStamp"],
                                   orderBy: "TimeStamp desc", top: 1)
        guard let first = rows.first else { return nil }
        guard let rv = first["TimeStamp"].flatMap(RowVersion.init(json:)) else {
            throw DataError(source: "SYSPRO OData \(entitySet)", problem: "TimeStamp is neither base64 nor 0x-hex")
        }
        return rv
    }

    /// Rows with `from <= TimeStamp <= to` (all rows up to `to` when `from` is nil), each
    /// made into a `T` as its page arrives.
    public func rows<T>(from: RowVersion?, to: RowVersion, each row: (JSONValue) throws -> T) throws -> [T] {
        var parts = ["TimeStamp le \(to.odataLiteral)"]
        if let from { parts.insert("TimeStamp ge \(from.odataLiteral)", at: 0) }
        if let condition { parts.append("(\(condition))") }
        return try odata.fetch(entitySet: entitySet, filter: parts.joined(separator: " and "), select: select,
                               orderBy: (["TimeStamp"] + keyFields).joined(separator: ","), each: row)
    }

    /// The rows changed since `cursor` (less `overlap`), up to a ceiling taken first, and
    /// that ceiling: the cursor to save once the rows are safely elsewhere (unchanged when
    /// the set is empty).
    public func changed(since cursor: RowVersion?, overlap: UInt64) throws -> (rows: [JSONValue], ceiling: RowVersion?) {
        try changed(since: cursor, overlap: overlap) { $0 }
    }

    /// The same, each row made into a `T` as it is read.
    public func changed<T>(since cursor: RowVersion?, overlap: UInt64, each row: (JSONValue) throws -> T) throws -> (rows: [T], ceiling: RowVersion?) {
        guard let ceiling = try ceiling() else { return ([], cursor) }
        return (try rows(from: IncrementalRead.windowStart(cursor: cursor, overlap: overlap), to: ceiling, each: row), ceiling)
    }

    /// `cursor - overlap`, not below zero.
    public static func windowStart(cursor: RowVersion?, overlap: UInt64) -> RowVersion? {
        cursor.map { RowVersion($0.value > overlap ? $0.value - overlap : 0) }
    }
}
