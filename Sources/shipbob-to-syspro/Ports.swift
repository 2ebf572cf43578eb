import ConnectorKit
import Syspro
import ShipBob

/// What the order flow needs from SYSPRO. The live implementation is e.net + OData;
/// the seam keeps `OrderProcessor` about decisions, not transport.
protocol SalesOrderSystem {
    func existingStockCodes(_ codes: [String]) throws -> Set<String>
    func salesOrders(customerPoNumber: String) throws -> [SorMasterRow]
    func importOrder(_ order: SysproSalesOrder) throws -> SortoiResult
}

/// What the order flow needs from ShipBob: the order behind a shipment-only event.
protocol OrderSource {
    func order(id: Int64) throws -> ShipBobOrder?
}

struct LiveSyspro: SalesOrderSystem {
    let client: SysproClient
    let odata: ODataClient

    func existingStockCodes(_ codes: [String]) throws -> Set<String> { try odata.stockCodes(codes) }
    func salesOrders(customerPoNumber: String) throws -> [SorMasterRow] { try odata.salesOrders(customerPoNumber: customerPoNumber) }
    func importOrder(_ order: SysproSalesOrder) throws -> SortoiResult { try client.importSalesOrder(order) }
}

struct LiveShipBob: OrderSource {
    let client: ShipBobClient
    func order(id: Int64) throws -> ShipBobOrder? { try client.order(id: id).map { try ShipBobOrder(json: $0) } }
}
