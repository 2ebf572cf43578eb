import ConnectorKit
import Syspro
import ShipBob
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore
import ConnectorConfig
import ConnectorNet

/// What one tenant's ShipBob -> SYSPRO flows share (SYSPRO, ShipBob, the shipment tracker,
/// the audit log), and the two passes of `shipbob-to-syspro` over them: draining the
/// spool, and `--reconcile`.
public struct FulfillmentPass {
    public static let job = "shipbob-to-syspro"
    public static let reconcileJob = "shipbob-to-syspro-reconcile"
    /// The config sections both runs read, besides ConnectorConfig's.
    public static var configSections: [any ConfigSection.Type] {
        [SysproSettings.self, ShipBobSettings.self, TrackingSettings.self, OrdersSettings.self, MovementSettings.self]
    }

    let tenant: TenantPaths
    let config: TenantConfig
    let syspro: LiveSyspro
    let shipbob: LiveShipBob
    let tracker: ShipmentTracker
    let audit: AuditLog

    public init(tenant: TenantPaths, config: TenantConfig, syspro client: SysproClient, odata: ODataClient, shipbob: ShipBobClient) {
        self.tenant = tenant
        self.config = config
        syspro = LiveSyspro(client: client, odata: odata, orders: config.orders)
        self.shipbob = LiveShipBob(client: shipbob)
        audit = AuditLog(directory: tenant.audit, job: Self.job)
        tracker = ShipmentTracker(text: TrackingText(settings: config.tracking), syspro: syspro,
                                  shipments: tenant.ledger("shipments"), audit: audit, mapping: OrderMapping(config: config),
                                  orders: config.orders, posts: tenant.ledger(SalesOrderLifecycle.ledgerName),
                                  inFlightWindow: PostInFlight.window(config.http), now: { Date() })
    }

    /// Claims each of the spooled events `pending` names (at most `limit`), applies it and
    /// files it (`EventFiler`).
    public func drain(_ queue: SpoolQueue, pending: [String], limit: Int?, output: EventFiler.Output, metrics: JobMetrics,
                      key: MasterKey) throws {
        let mapping = OrderMapping(config: config)
        let orders = OrderProcessor(mapping: mapping, syspro: syspro, shipbob: shipbob,
                                    ledger: tenant.ledger("orders"), tracker: tracker)
        let receipts = ReceiptProcessor(mapping: mapping, syspro: syspro, shipbob: shipbob,
                                        ledger: tenant.ledger("receipts"), audit: audit,
                                        inFlightWindow: PostInFlight.window(config.http), now: { Date() })
        let filer = EventFiler(queue: queue, attention: AttentionBox(directory: tenant.attention), audit: audit,
                               output: output, metrics: metrics, key: key)
        for id in pending.prefix(limit ?? .max) {
            guard try queue.claim(id) else { continue }
            try filer.handle(id) { envelope in
                EventKind(topic: envelope.topic) == .receiving ? try receipts.apply(envelope) : try orders.apply(envelope)
            }
        }
    }

    /// Spools what the webhooks missed (`Reconciler`), under its own cursor.
    public func reconcile(_ queue: SpoolQueue, key: MasterKey, now: Date) throws -> Reconciler.Summary {
        try Reconciler(
            source: shipbob, queue: queue, cursor: CursorFile(path: tenant.cursor(Self.reconcileJob)),
            overlap: TimeInterval(config.reconcile.overlapMinutes * 60), orders: tenant.ledger("orders"),
            tracker: tracker, receipts: tenant.ledger("receipts"), key: key, now: now).run()
    }
}
