import ConnectorKit
import WebhookCore

/// The current record per key, one records file (`RecordsFile`). `merge` stores what was
/// read and returns what changed (or everything read, for a full reconcile).
public struct LevelStore<T: StockRecord> {
    public let path: String

    public init(path: String) { self.path = path }

    /// What a merge changed: the records in the order read, and the same as JSON Lines
    /// (each encoded once, for the file and for stdout).
    public struct Changes {
        public var records: [T] = []
        public var lines: [UInt8] = []
    }

    public func load() throws -> [String: T] { try RecordsFile.load(path) }

    public func merge(_ read: [T], printAll: Bool, same: (T, T) -> Bool) throws -> Changes {
        var changes = Changes()
        try merge(read.indices, of: read, printAll: printAll, same: same, into: &changes)
        return changes
    }

    /// The rows of `read` at `indices`, their changes appended to `changes` (one buffer
    /// for several stores, nothing copied twice).
    func merge(_ indices: some Collection<Int>, of read: [T], printAll: Bool, same: (T, T) -> Bool, into changes: inout Changes) throws {
        var current = try load()
        current.reserveCapacity(current.count + indices.count)
        changes.records.reserveCapacity(changes.records.count + indices.count)
        changes.lines.reserveCapacity(changes.lines.count + indices.count * 180)
        // Where each changed record's JSON sits in `changes.lines`: encoded once, for
        // stdout and for the file.
        var encoded: [String: Range<Int>] = [:]
        encoded.reserveCapacity(indices.count)
        for i in indices {
            let item = read[i]
            let key = item.key
            if let old = current[key], same(old, item) {
                if printAll { changes.records.append(item); item.appendJSON(to: &changes.lines); changes.lines.append(0x0a) }
                continue
            }
            let start = changes.lines.count
            item.appendJSON(to: &changes.lines)
            encoded[key] = start..<changes.lines.count
            changes.lines.append(0x0a)
            current[key] = item
            changes.records.append(item)
        }
        if !encoded.isEmpty { try RecordsFile.write(current, to: path, encoded: encoded, in: changes.lines) }
    }

    /// Forgets the records at `keys` (rows deleted in SYSPRO, found by a keyed read) and
    /// returns them.
    public func remove(_ keys: some Sequence<String>) throws -> [T] {
        var current = try load()
        let removed = keys.compactMap { current.removeValue(forKey: $0) }
        if !removed.isEmpty { try RecordsFile.write(current, to: path) }
        return removed
    }
}

/// SYSPRO levels kept one file per warehouse (`inventory/levels/<warehouse>.json`), so a
/// job interested in some warehouses reads only theirs, and a poll rewrites only the
/// warehouses where something changed.
public struct WarehouseLevels {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public func store(_ warehouse: String) -> LevelStore<StockLevel> {
        LevelStore(path: directory / "\(Self.fileName(warehouse)).json")
    }

    /// Every stored warehouse's levels, or just those named.
    public func load(_ warehouses: [String]? = nil) throws -> [String: StockLevel] {
        let names = try warehouses ?? Posix.list(directory).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }
            .map { Self.warehouse(fileName: String($0.dropLast(5))) }
        var all: [String: StockLevel] = [:]
        for w in names { all.merge(try store(w).load()) { a, _ in a } }
        return all
    }

    public func merge(_ read: [StockLevel], printAll: Bool) throws -> LevelStore<StockLevel>.Changes {
        try Posix.makeDirectories(directory)
        var byWarehouse: [String: [Int]] = [:]
        for (i, level) in read.enumerated() { byWarehouse[level.warehouse, default: []].append(i) }
        var all = LevelStore<StockLevel>.Changes()
        for (warehouse, indices) in byWarehouse.sorted(by: { $0.key < $1.key }) {
            try store(warehouse).merge(indices, of: read, printAll: printAll, same: { $0.sameQuantities($1) }, into: &all)
        }
        return all
    }

    /// Forgets the levels at `keys` (`StockCode|Warehouse`), each warehouse's file once.
    public func remove(_ keys: [String]) throws -> [StockLevel] {
        var byWarehouse: [String: [String]] = [:]
        for k in keys {
            guard let bar = k.lastIndex(of: "|") else { continue }
            byWarehouse[String(k[k.index(after: bar)...]), default: []].append(k)
        }
        var removed: [StockLevel] = []
        for (warehouse, keys) in byWarehouse.sorted(by: { $0.key < $1.key }) { removed += try store(warehouse).remove(keys) }
        return removed
    }

    /// Warehouse codes are short and alphanumeric in practice; anything else is
    /// %-escaped so no code can name a path.
    static func fileName(_ warehouse: String) -> String {
        var out = ""
        for b in warehouse.utf8 {
            if (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b == 0x2d || b == 0x5f {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    static func warehouse(fileName: String) -> String {
        var bytes: [UInt8] = []
        var i = fileName.utf8.startIndex
        let u = fileName.utf8
        while i < u.endIndex {
            if u[i] == UInt8(ascii: "%"), let j = u.index(i, offsetBy: 3, limitedBy: u.endIndex),
               let b = UInt8(String(decoding: u[u.index(after: i)..<j], as: UTF8.self), radix: 16) {
                bytes.append(b); i = j
            } else {
                bytes.append(u[i]); i = u.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
