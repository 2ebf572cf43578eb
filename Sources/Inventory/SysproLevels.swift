import ConnectorKit
import Syspro

/// SYSPRO's on-hand now, read from OData for the compared warehouses. Not the poll's
/// stored levels: those may be minutes old, and a stale count against a fresh ShipBob
/// count is a difference that isn't there.
public enum SysproLevels {
    public static func read(_ odata: ODataClient, warehouses: [String]) throws -> [LevelKey: Double] {
        let rows = try odata.fetch(entitySet: SysproFacts.EntitySet.invWarehouse, filter: ODataFilter.anyOf("Warehouse", warehouses),
                                   select: ["StockCode", "Warehouse", "QtyOnHand"], orderBy: "StockCode,Warehouse")
        var levels: [LevelKey: Double] = [:]
        for row in rows {
            guard let code = row["StockCode"]?.string?.trimmed, let wh = row["Warehouse"]?.string?.trimmed else {
                throw DataError(source: "SYSPRO OData InvWarehouse", problem: "row without StockCode or Warehouse")
            }
            guard let q = row["QtyOnHand"]?.double else {
                throw DataError(source: "SYSPRO OData InvWarehouse", problem: "row \(code)/\(wh): QtyOnHand is not a number")
            }
            levels[LevelKey(warehouse: wh, stockCode: code)] = q
        }
        return levels
    }
}
