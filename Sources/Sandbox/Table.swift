import ConnectorKit
import Foundation

/// One value of a SYSPRO row. Dates are kept as `yyyy-MM-ddTHH:mm:ssZ` text so they
/// order correctly as strings; rowversions as the unsigned 64-bit number SQL Server's
/// binary(8) holds (docs/vendors/syspro.md, "TimeStamp is a rowversion").
enum Cell: Equatable, Sendable {
    case null
    case string(String)
    case number(Double)
    case date(String)
    case rowversion(UInt64)

    var string: String? { if case .string(let s) = self { return s }; return nil }
    var number: Double? { if case .number(let n) = self { return n }; return nil }
}

enum ColumnType: String, Sendable {
    case string = "Edm.String"
    case decimal = "Edm.Decimal"
    case int = "Edm.Int32"
    case date = "Edm.DateTimeOffset"
    case binary = "Edm.Binary"
}

struct Column: Sendable {
    let name: String
    let type: ColumnType
}

typealias Row = [String: Cell]

/// A SYSPRO table in memory. Every insert and update stamps `TimeStamp` from the
/// database-wide counter, like a rowversion column (docs/vendors/syspro.md: monotonic across the whole
/// database, bumped on every update, blind to deletes).
struct Table: Sendable {
    let name: String
    let key: [String]
    let columns: [Column]
    private(set) var rows: [Row] = []

    init(_ name: String, key: [String], columns: [(String, ColumnType)]) {
        self.name = name
        self.key = key
        self.columns = columns.map { Column(name: $0.0, type: $0.1) } + [Column(name: "TimeStamp", type: .binary)]
    }

    func column(_ name: String) -> Column? {
        columns.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }
    }

    func firstIndex(where match: (Row) -> Bool) -> Int? { rows.firstIndex(where: match) }

    mutating func insert(_ row: Row, version: UInt64) {
        var r = row
        for c in columns where r[c.name] == nil { r[c.name] = .null }
        r["TimeStamp"] = .rowversion(version)
        rows.append(r)
    }

    mutating func remove(at index: Int) { rows.remove(at: index) }

    mutating func update(at index: Int, version: UInt64, _ change: (inout Row) -> Void) {
        change(&rows[index])
        rows[index]["TimeStamp"] = .rowversion(version)
    }
}

/// All SYSPRO tables of the demo company plus the counters SYSPRO keeps (next sales
/// order number, next journal).
struct SysproDatabase: Sendable {
    var tables: [String: Table]
    private(set) var rowversion: UInt64
    var nextSalesOrder: Int
    var nextJournal: Int
    var nextInvoice = 100300
    var nextDispatchNote = 1
    /// Clean SORTOI imports so far: picks which ones leave out their `<Order>` block.
    var cleanImports = 0
    /// `/_control/syspro/settings` override of `--syspro-omit-order-percent`.
    var omitOrderPercent: Int?
    /// `/_control/syspro/settings` override of `--syspro-amendment-journal`.
    var amendmentJournal: Bool?

    init(tables: [Table], firstRowversion: UInt64, nextSalesOrder: Int, nextJournal: Int) {
        self.tables = Dictionary(uniqueKeysWithValues: tables.map { ($0.name, $0) })
        self.rowversion = firstRowversion
        self.nextSalesOrder = nextSalesOrder
        self.nextJournal = nextJournal
    }

    /// Case-insensitive, as SQL Server and SYSPRO's OData resolve names.
    func tableName(_ name: String) -> String? {
        tables.keys.first { $0.caseInsensitiveCompare(name) == .orderedSame }
    }

    mutating func bump() -> UInt64 {
        rowversion += 1
        return rowversion
    }

    mutating func insert(_ table: String, _ row: Row) {
        let v = bump()
        tables[table]!.insert(row, version: v)
    }

    /// Updates the first row matching `match`; returns whether one was found.
    @discardableResult
    mutating func update(_ table: String, where match: (Row) -> Bool, _ change: (inout Row) -> Void) -> Bool {
        guard let i = tables[table]!.firstIndex(where: match) else { return false }
        let v = bump()
        tables[table]!.update(at: i, version: v, change)
        return true
    }

    func rows(_ table: String) -> [Row] { tables[table]?.rows ?? [] }

    func first(_ table: String, where match: (Row) -> Bool) -> Row? {
        tables[table]?.rows.first(where: match)
    }
}

extension Cell: ExpressibleByStringLiteral {
    init(stringLiteral value: String) { self = .string(value) }
}
