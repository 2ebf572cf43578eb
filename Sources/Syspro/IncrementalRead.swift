import ConnectorKit
import ConnectorNet
import WebhookCore

/// Reads the rows of one entity set that changed since a rowversion cursor, without
/// losing any (docs/vendors/syspro.md, "TimeStamp is a rowversion": a database-wide
/// counter, compared as unsigned 64-bit; a transaction may commit a lower one after a
/// higher one was read). On a server that allows binary comparisons
/// (docs/vendors/syspro.md, "OData binary comparisons"):
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

    /// What a read found, in either mode.
    public struct Changes<T> {
        /// New and changed rows, each made into a `T`.
        public var rows: [T]
        /// The cursor to save once the rows are safely elsewhere: the window's ceiling, or
        /// in keyed mode the highest rowversion read (never below the old cursor).
        public var ceiling: RowVersion?
        /// Keyed mode: every key read with its rowversion, to store per row once the rows
        /// are safely elsewhere; nil in binary-compare mode.
        public var versions: [String: RowVersion]?
        /// Keyed mode: keys of `known` that were not read (deleted in SYSPRO).
        public var vanished: [String]
        public var mode: ODataChangeMode
    }

    /// The rows changed since the last run, by whichever means the tenant's server allows:
    /// a rowversion window from `cursor - overlap` where binary comparisons are allowed,
    /// else a keyed read compared with `known` (each row's key, as `rowKey` makes it, and
    /// rowversion when last stored; nil: every row counts as new). A 400 to the window's
    /// filter probes the server again, and a server found to refuse binary comparisons is
    /// then read keyed in the same run.
    /// `known` is asked for only when the read is keyed.
    public func changed<T>(since cursor: RowVersion?, overlap: UInt64, modes: ODataModeStore, known: () throws -> [String: RowVersion]?,
                           each row: (JSONValue) throws -> T) throws -> Changes<T> {
        if try modes.mode(probing: entitySet) == .binaryCompare {
            do {
                let (rows, ceiling) = try changed(since: cursor, overlap: overlap, each: row)
                return Changes(rows: rows, ceiling: ceiling, versions: nil, vanished: [], mode: .binaryCompare)
            } catch let refused as HTTPStatusError where refused.status == 400 {
                guard try modes.probe(entitySet).mode == .keyed else { throw refused }
            }
        }
        return try keyed(since: cursor, known: try known(), each: row)
    }

    /// Every row under `condition` in key order: its key columns, TimeStamp and `select`,
    /// paged by key (`$orderby` on the key columns, each page starting after the last key
    /// read, until a page comes back empty), so rows inserted or deleted meanwhile shift no
    /// page and no row is skipped or wrongly taken for deleted. Only rows whose rowversion differs from `known` are made
    /// into a `T`.
    public func keyed<T>(since cursor: RowVersion?, known: [String: RowVersion]?, each row: (JSONValue) throws -> T) throws -> Changes<T> {
        var columns = select
        if !columns.isEmpty { for c in keyFields + ["TimeStamp"] where !columns.contains(c) { columns.append(c) } }
        let pageSize = odata.settings.odataPageSize
        var versions: [String: RowVersion] = [:]
        versions.reserveCapacity(known?.count ?? 1024)
        var rows: [T] = []
        var highest = cursor
        var after: JSONValue?
        while true {
            var parts: [String] = []
            if let condition { parts.append("(\(condition))") }
            if let after { parts.append("(\(try seek(after: after)))") }
            let page = try odata.fetch(entitySet: entitySet, filter: parts.isEmpty ? nil : parts.joined(separator: " and "),
                                       select: columns, orderBy: keyFields.joined(separator: ","), top: pageSize)
            for r in page {
                let key = rowKey(r)
                guard let version = r["TimeStamp"].flatMap(RowVersion.init(json:)) else {
                    throw DataError(source: "SYSPRO OData \(entitySet)", problem: "row \(key) has no readable TimeStamp rowversion")
                }
                versions[key] = version
                if highest.map({ version > $0 }) ?? true { highest = version }
                if known?[key] != version { rows.append(try row(r)) }
            }
            // Only an empty answer ends the read: a server capping pages below `$top`
            // without a nextLink (the cap is unconfirmed: docs/vendors/syspro.md, "OData
            // page size") must not make the rows after its cap look deleted.
            guard let last = page.last else { break }
            after = last
        }
        let vanished = known.map { k in k.keys.filter { versions[$0] == nil }.sorted() } ?? []
        return Changes(rows: rows, ceiling: highest, versions: versions, vanished: vanished, mode: .keyed)
    }

    /// A row's key as `keyed` reports it: the key columns' values, trimmed, joined by `|`.
    public func rowKey(_ row: JSONValue) -> String {
        keyFields.count == 1 ? (row[keyFields[0]]?.string?.trimmed ?? "")
            : keyFields.map { row[$0]?.string?.trimmed ?? "" }.joined(separator: "|")
    }

    /// The rows after `last` in key order: `K1 gt v1 or (K1 eq v1 and K2 gt v2) or ...`,
    /// with `last`'s values exactly as read (the server compares them as it sorted them).
    func seek(after last: JSONValue) throws -> String {
        func literal(_ field: String) throws -> String {
            switch last[field] {
            case .string(let s)?: return ODataFilter.string(s)
            case .number(let n)?: return n.plainText
            default: throw DataError(source: "SYSPRO OData \(entitySet)", problem: "a row without its key column \(field)")
            }
        }
        var alternatives: [String] = []
        for i in keyFields.indices {
            var terms = try keyFields[..<i].map { "\($0) eq \(try literal($0))" }
            terms.append("\(keyFields[i]) gt \(try literal(keyFields[i]))")
            alternatives.append(terms.count == 1 ? terms[0] : "(" + terms.joined(separator: " and ") + ")")
        }
        return alternatives.joined(separator: " or ")
    }

    /// `cursor - overlap`, not below zero.
    public static func windowStart(cursor: RowVersion?, overlap: UInt64) -> RowVersion? {
        cursor.map { RowVersion($0.value > overlap ? $0.value - overlap : 0) }
    }
}
