import ConnectorKit
import Syspro
import ShipBob

/// Applies one spooled ShipBob event. Exactly once, whatever the delivery order, the
/// duplicates or a crash: the ledger holds `pending` before the SORTOI call and the sales
/// order after it; a `pending` entry found later is resolved by asking SYSPRO (SorMaster
/// by CustomerPoNumber) before any second post, and SYSPRO's own
/// CheckForCustomerPoNumbers=Y refuses a duplicate PO as a last guard.
struct OrderProcessor {
    enum Outcome: Equatable {
        case posted(key: String, salesOrder: String)
        /// The order was in SYSPRO already (an earlier event, or found after a crash).
        case alreadyInSyspro(key: String, salesOrder: String, how: String)
        case ignored(String)
        case attention(reason: String, action: String)
    }

    let mapping: OrderMapping
    let syspro: SalesOrderSystem
    let shipbob: OrderSource
    let ledger: Ledger

    func apply(_ envelope: WebhookEnvelope) throws -> Outcome {
        let kind = EventKind(topic: envelope.topic)
        if kind == .other { return .ignored("topic \(envelope.topic) is not handled by shipbob-to-syspro") }
        let payload: JSONValue
        do { payload = try JSONValue.parse(envelope.body) }
        catch { throw DataError(source: "webhook \(envelope.id)", problem: "body is not JSON") }

        let reference = ShipBobEvent.orderReference(from: payload)
        guard let orderID = reference.orderID ?? reference.embeddedOrder?.id else {
            throw DataError(source: "webhook \(envelope.id) (\(envelope.topic))", problem: "names no order id")
        }
        let key = OrderMapping.customerPoNumber(orderID: orderID)
        if let entry = try ledger.get(key), entry.status == .done, let so = entry.target {
            return .alreadyInSyspro(key: key, salesOrder: so, how: "ledger")
        }
        if case .shipment(cancelled: true) = kind, try ledger.get(key) == nil {
            return .ignored("shipment of ShipBob order \(orderID) was cancelled before the order reached SYSPRO")
        }
        let order: ShipBobOrder
        if let embedded = reference.embeddedOrder, kind == .order {
            order = embedded
        } else if let fetched = try shipbob.order(id: orderID) {
            order = fetched
        } else {
            throw DataError(source: "ShipBob", problem: "order \(orderID) named by webhook \(envelope.id) does not exist")
        }
        return try importOnce(order, key: key)
    }

    private func importOnce(_ order: ShipBobOrder, key: String) throws -> Outcome {
        let previous = try ledger.get(key)
        if previous?.status == .pending, let found = try findInSyspro(key) {
            try ledger.put(.init(key: key, status: .done, target: found, attempts: previous?.attempts ?? 1))
            return .alreadyInSyspro(key: key, salesOrder: found, how: "SorMaster after an interrupted post")
        }

        let salesOrder: SysproSalesOrder
        do {
            let codes = order.products.map { mapping.stockCode(for: $0.sku) }
            salesOrder = try mapping.salesOrder(order, existing: try syspro.existingStockCodes(codes))
        } catch let problem as MappingProblem {
            return .attention(reason: problem.reason, action: problem.action)
        }
        try salesOrder.validate()

        try ledger.put(.init(key: key, status: .pending, attempts: (previous?.attempts ?? 0) + 1,
                             detail: ["shipbob_order": String(order.id), "customer": salesOrder.customer]))
        let result = try syspro.importOrder(salesOrder)
        if let so = result.salesOrder {
            try ledger.put(.init(key: key, status: .done, target: so, attempts: (previous?.attempts ?? 0) + 1))
            return .posted(key: key, salesOrder: so)
        }
        if result.isDuplicatePo || !result.isRejected, let found = try findInSyspro(key) {
            // Either SYSPRO refused a second order with this PO, or a clean import left out
            // the <Order> block: SorMaster names the order either way.
            try ledger.put(.init(key: key, status: .done, target: found, attempts: (previous?.attempts ?? 0) + 1))
            return result.isDuplicatePo ? .alreadyInSyspro(key: key, salesOrder: found, how: "SYSPRO refused a duplicate customer PO")
                                        : .posted(key: key, salesOrder: found)
        }
        let errors = result.errors.isEmpty ? "no sales order number and no error text" : result.errors.joined(separator: "; ")
        return .attention(reason: "SYSPRO rejected sales order \(key): \(errors)",
                          action: "correct the order data or SYSPRO setup named above, then run `ml-connector replay`")
    }

    private func findInSyspro(_ key: String) throws -> String? {
        try syspro.salesOrders(customerPoNumber: key).first?.salesOrder
    }
}
