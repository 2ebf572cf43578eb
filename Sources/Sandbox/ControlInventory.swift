import ConnectorKit
import Foundation
import WebhookCore

/// `/_control/...` endpoints for the inventory flows: edit SYSPRO rows (each edit bumps
/// the rowversion like a real UPDATE), set what ShipBob counts, and grow a large catalogue
/// for `bench/inventory`.
extension Control {
    func inventoryRoute(_ req: SandboxRequest, _ p: [String], _ w: inout World, _ now: Double) throws -> Reply? {
        switch (req.method, p) {
        case ("POST", let path) where path.count == 3 && path[0] == "syspro" && path[1] == "tables":
            guard let name = w.syspro.tableName(path[2]) else { return .json(["error": "unknown table"], status: 404) }
            let j = try body(req)
            let rows = try (j.array ?? [j]).map { try cells($0, table: w.syspro.tables[name]!) }
            // `?rowversion=current` stamps the rows with the newest rowversion already
            // given out instead of new ones: rows sharing one TimeStamp, as a site whose
            // change column is a datetime would have, to test the cursor's tie-break.
            let shared = req.param("rowversion") == "current" ? w.syspro.rowversion : nil
            for row in rows { w.syspro.upsert(name, row, version: shared) }
            return .json(["upserted": .int(rows.count)])
        case ("DELETE", let path) where path.count == 3 && path[0] == "syspro" && path[1] == "tables":
            // A DELETE leaves no rowversion behind: only a keyed read notices it.
            guard let name = w.syspro.tableName(path[2]) else { return .json(["error": "unknown table"], status: 404) }
            let j = try body(req)
            let keys = try (j.array ?? [j]).map { try cells($0, table: w.syspro.tables[name]!) }
            return .json(["deleted": .int(keys.filter { w.syspro.delete(name, key: $0) }.count)])
        case ("POST", let path) where path.count == 4 && path[0] == "syspro" && path[1] == "tables" && path[3] == "bump":
            guard let name = w.syspro.tableName(path[2]) else { return .json(["error": "unknown table"], status: 404) }
            let j = try body(req)
            guard let column = j["column"]?.string, w.syspro.tables[name]?.column(column)?.type == .decimal else {
                throw ControlError("bump needs \"column\", a decimal column of \(name)")
            }
            let every = max(1, Int(j["every"]?.int64 ?? 100)), add = j["add"]?.double ?? 1
            let changed = w.syspro.bumpEvery(name, every: every, column: column, add: add)
            return .json(["changed": .int(changed)])
        case ("PUT", ["shipbob", "levels"]):
            let j = try body(req)
            for item in j.array ?? [j] {
                guard let sku = item["sku"]?.string, let fc = item["location_id"]?.int64.map(Int.init),
                      let onHand = item["on_hand"]?.int64.map(Int.init) else {
                    throw ControlError("each level needs sku, location_id and on_hand")
                }
                guard let id = w.shipbob.inventoryId(sku: sku) else { throw ControlError("no ShipBob product has SKU \(sku)") }
                var level = w.shipbob.levels[id]?[fc] ?? .init(onHand: 0, committed: 0, awaiting: 0)
                level.onHand = onHand
                if let c = item["committed"]?.int64 { level.committed = Int(c) }
                w.shipbob.levels[id, default: [:]][fc] = level
            }
            return .json(["levels": .int(j.array?.count ?? 1)])
        case ("POST", ["generate-inventory"]):
            let j = try body(req)
            let count = Int(j["stock_codes"]?.int64 ?? 0)
            guard count > 0 else { throw ControlError("generate-inventory needs \"stock_codes\" > 0") }
            let warehouses = j["warehouses"]?.array?.compactMap(\.string) ?? SeedData.warehouses
            let fcs = j["shipbob_locations"]?.array?.compactMap { $0.int64.map(Int.init) } ?? []
            SeedData.generate(count: count, warehouses: warehouses, shipBobLocations: fcs, world: &w, now: now)
            return .json(["stock_codes": .int(count), "rows": .int(count * warehouses.count)], status: 201)
        default:
            return nil
        }
    }

    /// A JSON object as a SYSPRO row, typed by the table's columns.
    private func cells(_ j: JSONValue, table: Table) throws -> Row {
        guard let object = j.object else { throw ControlError("each row must be a JSON object") }
        var row: Row = [:]
        for (k, v) in object {
            guard let column = table.column(k), column.name != "TimeStamp" else { throw ControlError("\(table.name) has no writable column \(k)") }
            switch (column.type, v) {
            case (_, .null): row[column.name] = .null
            case (.decimal, _), (.int, _):
                guard let n = v.double else { throw ControlError("\(table.name).\(column.name) must be a number") }
                row[column.name] = .number(n)
            case (.date, _): row[column.name] = .date(v.string ?? "")
            default: row[column.name] = .string(v.string ?? "")
            }
        }
        for k in table.key where row[k] == nil { throw ControlError("\(table.name) row lacks key column \(k)") }
        return row
    }
}

extension SysproDatabase {
    /// Updates the row with the same key (only the given columns) or inserts it, stamped
    /// with a new rowversion or the given one.
    mutating func upsert(_ table: String, _ row: Row, version: UInt64? = nil) {
        let key = tables[table]!.key
        let v = version ?? bump()
        if let i = tables[table]!.firstIndex(where: { r in key.allSatisfy { r[$0] == row[$0] } }) {
            tables[table]!.update(at: i, version: v) { r in for (k, value) in row { r[k] = value } }
        } else {
            tables[table]!.insert(row, version: v)
        }
    }

    /// Removes the row whose key columns match `key`'s; whether there was one.
    mutating func delete(_ table: String, key row: Row) -> Bool {
        let key = tables[table]!.key
        guard let i = tables[table]!.firstIndex(where: { r in key.allSatisfy { r[$0] == row[$0] } }) else { return false }
        tables[table]!.remove(at: i)
        return true
    }

    /// Adds `add` to `column` of every `every`-th row: a bulk edit for benchmarks.
    mutating func bumpEvery(_ table: String, every: Int, column: String, add: Double) -> Int {
        let count = tables[table]!.rows.count
        var changed = 0
        for i in stride(from: 0, to: count, by: every) {
            let v = bump()
            tables[table]!.update(at: i, version: v) { $0[column] = .number(($0[column]?.number ?? 0) + add) }
            changed += 1
        }
        return changed
    }
}

extension ShipBobStore {
    func inventoryId(sku: String) -> Int? {
        product(sku: sku)?["variants"]?.array?.first?["inventory"]?["inventory_id"]?.int64.map(Int.init)
    }
}

extension SeedData {
    /// `count` generated stock codes (`GEN-000001`...) stocked in every warehouse, priced at
    /// codes A and W; with `shipBobLocations`, ShipBob already holds each as a product whose
    /// name, barcode and value match SYSPRO, and the k-th location counts what the k-th
    /// warehouse holds.
    static func generate(count: Int, warehouses: [String], shipBobLocations: [Int], world w: inout World, now: Double) {
        for i in 1...count {
            let code = "GEN-" + String(repeating: "0", count: max(0, 6 - String(i).count)) + String(i)
            let name = "Generated item \(i)", upc = String(700_000_000_000 + i), price = Double(5 + i % 95) + 0.99
            w.syspro.insert("InvMaster", [
                "StockCode": .string(code), "Description": .string(name), "LongDesc": .string(name), "StockUom": "EA",
                "ProductClass": i % 2 == 0 ? "GEN-A" : "GEN-B", "WarehouseToUse": .string(warehouses.first ?? "FG"),
                "AlternateKey1": .string(upc), "Mass": .number(0.3), "Supplier": "TEXMFG",
            ])
            for (n, wh) in warehouses.enumerated() {
                w.syspro.insert("InvWarehouse", [
                    "StockCode": .string(code), "Warehouse": .string(wh), "QtyOnHand": .number(Double((i * (n + 3)) % 500)),
                    "QtyAllocated": .number(0), "QtyOnOrder": .number(0), "QtyInTransit": .number(0),
                ])
            }
            w.syspro.insert("InvPrice", ["StockCode": .string(code), "PriceCode": "A", "SellingPrice": .number(price), "PriceBasis": "P"])
            w.syspro.insert("InvPrice", ["StockCode": .string(code), "PriceCode": "W", "SellingPrice": .number(price / 2), "PriceBasis": "P"])
            guard !shipBobLocations.isEmpty else { continue }
            let productId = w.shipbob.nextProductId
            w.shipbob.nextProductId += 1
            w.shipbob.products.append(ShipBobShapes.product(
                id: productId, variantId: productId + 4_000_000, inventoryId: productId + 540_000, sku: code, name: name,
                barcode: upc, value: price, created: SandboxClock.iso(now)))
            w.shipbob.levels[productId + 540_000] = Dictionary(uniqueKeysWithValues: shipBobLocations.enumerated().map { k, fc in
                (fc, ShipBobStore.Level(onHand: (i * (k + 3)) % 500, committed: 0, awaiting: 0))
            })
        }
    }
}
