import ConnectorKit

public protocol Keyed {
    var key: String { get }
    var auditDetail: [String: String] { get }
}

extension StockLevel: Keyed {
    public var auditDetail: [String: String] {
        ["qty_on_hand": String(qtyOnHand), "qty_allocated": String(qtyAllocated), "rowversion": rowversion.hex]
    }
}

extension StockPrice: Keyed {
    public var auditDetail: [String: String] { ["selling_price": String(sellingPrice), "rowversion": rowversion.hex] }
}

/// The current value per key, one JSON file replaced atomically. `merge` stores what was
/// read and returns what changed (or everything read, for a full reconcile).
public struct LevelStore<T: Codable & Keyed> {
    public let path: String

    public init(path: String) { self.path = path }

    public func load() throws -> [String: T] { try AtomicFile.readJSON([String: T].self, from: path) ?? [:] }

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
        if !changed.isEmpty { try AtomicFile.writeJSON(current, to: path) }
        return changed
    }
}
