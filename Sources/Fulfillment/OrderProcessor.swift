import ConnectorKit
import Syspro
import ShipBob
import WebhookCore

/// Applies one spooled ShipBob order or shipment event: makes sure the order is in SYSPRO,
/// then brings its status and tracking in line with its shipments (`ShipmentTracker`).
///
/// Exactly once, whatever the delivery order, the duplicates or a crash: the ledger holds
/// `pending` before the SORTOI call and the sales order after it; a `pending` entry found
/// later is resolved by asking SYSPRO (SorMaster by CustomerPoNumber) before any second
/// post, and SYSPRO's own AllowDuplicateOrderNumbers=N refuses a duplicate PO as a last guard.
public struct OrderProcessor {
    public enum Outcome: Equatable {
        case posted(key: String, salesOrder: String)
        /// The order was in SYSPRO already (an earlier event, or found after a crash) and
        /// this event changed nothing.
        case alreadyInSyspro(key: String, salesOrder: String, how: String)
        /// The event changed something in SYSPRO other than creating a sales order
        /// (tracking, status, receipts); `summary` says what.
        case applied(key: String, target: String?, summary: String)
        case ignored(String)
        case attention(reason: String, action: String)
    }

    let mapping: OrderMapping
    let syspro: SalesOrderSystem
    let shipbob: OrderSource
    let ledger: Ledger
    let tracker: ShipmentTracker

    public init(mapping: OrderMapping, syspro: SalesOrderSystem, shipbob: OrderSource, ledger: Ledger, tracker: ShipmentTracker) {
        self.mapping = mapping; self.syspro = syspro; self.shipbob = shipbob; self.ledger = ledger; self.tracker = tracker
    }

    public func apply(_ envelope: WebhookEnvelope) throws -> Outcome {
        let kind = EventKind(topic: envelope.topic)
        let topicPhase: ShipmentState.Phase?
        switch kind {
        case .order(let p), .shipment(let p): topicPhase = p
        case .receiving, .other: return .ignored("topic \(envelope.topic) is not an order or shipment event")
        }
        let payload: JSONValue
        do { payload = try JSONValue.parse(envelope.body) }
        catch { throw DataError(source: "webhook \(envelope.id)", problem: "body is not JSON") }

        let reference = ShipBobEvent.orderReference(from: payload)
        guard let orderID = reference.orderID ?? reference.embeddedOrder?.id else {
            throw DataError(source: "webhook \(envelope.id) (\(envelope.topic))", problem: "names no order id")
        }
        let key = OrderMapping.customerPoNumber(orderID: orderID)
        let isOrderEvent: Bool
        if case .order = kind { isOrderEvent = true } else { isOrderEvent = false }

        // The shipments this event speaks of, as of its `last_update_at`. A body that names
        // only the order (no shipments, no shipment id) is read from the order as ShipBob
        // holds it now; a shipment topic's phase then applies only to an order's sole shipment.
        var incoming: [ShipmentState]
        var fetched: ShipBobOrder?
        if isOrderEvent, let shipments = ShipmentPayload.orderShipments(payload) {
            incoming = shipments.compactMap { ShipmentState(json: $0, orderID: orderID) }
        } else if !isOrderEvent, let shipment = ShipmentPayload.shipment(payload).flatMap({ ShipmentState(json: $0, orderID: orderID) }) {
            incoming = [shipment]
        } else {
            fetched = try shipbob.order(id: orderID)
            incoming = fetched?.shipmentStates ?? []
        }
        if let p = topicPhase, isOrderEvent || incoming.count == 1 {
            incoming = incoming.map { var s = $0; if s.phase != .cancelled || !isOrderEvent { s.phase = p }; return s }
        }

        var created: Outcome?
        // The order as ShipBob lists it now, fetched at most once per event.
        var fetchedOrder: ShipBobOrder?? = fetched.map { .some($0) }
        var known = try ledger.get(key)
        if known?.status != .done || known?.target == nil {
            if topicPhase == .cancelled, known == nil {
                return .ignored("shipment of ShipBob order \(orderID) was cancelled before the order reached SYSPRO")
            }
            let order: ShipBobOrder
            if let embedded = reference.embeddedOrder, isOrderEvent {
                order = embedded
            } else if let found = try fetched ?? shipbob.order(id: orderID) {
                order = found
                fetchedOrder = .some(found)
            } else {
                throw DataError(source: "ShipBob", problem: "order \(orderID) named by webhook \(envelope.id) does not exist")
            }
            let outcome = try importOnce(order, key: key)
            switch outcome {
            case .posted, .alreadyInSyspro: created = outcome
            default: return outcome
            }
            known = try ledger.get(key)
            try remember(shipments: order.shipments.map(\.id), of: key)
        }
        guard let salesOrder = known?.target else { return created ?? .ignored("ShipBob order \(orderID) has no sales order yet") }

        // Every shipment of the order: the ledger's list (from the order when it was
        // imported) plus any this event names, so a split order is judged as a whole.
        var ids = Set(try ledger.get(key)?.detail?["shipments"]?.split(separator: ",").compactMap { Int64($0) } ?? [])
        if ids.isEmpty, let fetched = try shipbob.order(id: orderID) { ids.formUnion(fetched.shipments.map(\.id)) }
        ids.formUnion(incoming.map(\.id))
        try remember(shipments: Array(ids), of: key)

        // A shipment's contents: from the order this event carries, else from ShipBob (once).
        let contents = { (id: Int64) throws -> ShipBobOrder.Shipment? in
            if isOrderEvent, let s = reference.embeddedOrder?.shipments.first(where: { $0.id == id }), !s.quantities.isEmpty { return s }
            if fetchedOrder == nil { fetchedOrder = .some(try shipbob.order(id: orderID)) }
            return fetchedOrder??.shipments.first { $0.id == id }
        }
        let changes: [String]
        do {
            changes = try tracker.track(customerPo: key, salesOrder: salesOrder, incoming: incoming, shipmentIDs: ids,
                                        eventID: envelope.id, contents: contents)
        } catch let refused as ShipmentTracker.Refused {
            return .attention(reason: refused.reason,
                              action: "check the sales order in SYSPRO and the tracking and orders config in config.json, then run `ml-connector replay --attention --source shipbob`")
        }
        if let created { return created }
        if changes.isEmpty { return .alreadyInSyspro(key: key, salesOrder: salesOrder, how: "ledger") }
        return .applied(key: key, target: salesOrder, summary: changes.joined(separator: "; "))
    }

    /// Keeps the order's shipment ids on its ledger entry (`detail.shipments`, comma-separated).
    private func remember(shipments: [Int64], of key: String) throws {
        guard var entry = try ledger.get(key), entry.status == .done else { return }
        var ids = Set(entry.detail?["shipments"]?.split(separator: ",").compactMap { Int64($0) } ?? [])
        let before = ids
        ids.formUnion(shipments)
        guard ids != before else { return }
        var detail = entry.detail ?? [:]
        detail["shipments"] = ids.sorted().map(String.init).joined(separator: ",")
        entry.detail = detail
        try ledger.put(entry)
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
        if !result.warnings.isEmpty {
            // IgnoreWarnings=W: accepted with warnings a person may want to read.
            try tracker.audit.record(AuditEntry(action: "order", source: "shipbob", id: key, outcome: "warning",
                                                reason: result.warnings.joined(separator: "; "), target: result.salesOrder,
                                                detail: ["customer_po": key]), durable: true)
        }
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
                          action: "correct the order data or SYSPRO setup named above, then run `ml-connector replay --attention --source shipbob`")
    }

    private func findInSyspro(_ key: String) throws -> String? {
        try syspro.salesOrders(customerPoNumber: key).first?.salesOrder
    }
}
