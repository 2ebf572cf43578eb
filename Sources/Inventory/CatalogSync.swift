import ConnectorKit
import ConnectorNet
import ShipBob

/// What the catalogue push needs from ShipBob; `ShipBobClient` is the live one.
public protocol ProductCatalog {
    func products() throws -> [ShipBobVariant]
    func variant(sku: String) throws -> ShipBobVariant?
    func createProduct(_ spec: ProductSpec) throws -> ShipBobClient.CreateOutcome
    func updateProduct(_ current: ShipBobVariant, to spec: ProductSpec) throws -> ShipBobVariant
    /// The dated API version the catalogue speaks (how it stores `customs.value`).
    var apiVersion: String? { get }
}

extension ShipBobClient: ProductCatalog {}

/// Keeps SYSPRO stock codes present in ShipBob as products (docs/architecture.md, "Principles" 4: levels,
/// not events). `told` holds, per SKU, what ShipBob last answered for it; only products
/// whose desired state differs from that are sent, and each answer is recorded (appended
/// and fsynced) before the next request, so a crash or a 429 storm mid-run costs nothing:
/// the next run sends only what is still different.
public struct CatalogSync {
    public enum Action: String, Codable, Sendable {
        /// A new product.
        case created
        /// A changed name, barcode or value.
        case updated
        /// ShipBob had the SKU already (made by hand, or by a run that died before
        /// recording it): taken over, and updated if it differed.
        case adopted
    }

    public struct Pushed: Codable, Sendable, Equatable {
        public var kind = "product"
        public var stockCode: String
        public var sku: String
        public var action: Action
        public var productId: Int64
        public var inventoryId: Int64?

        enum CodingKeys: String, CodingKey {
            case kind, stockCode = "stock_code", sku, action, productId = "product_id", inventoryId = "inventory_id"
        }
    }

    let catalog: ProductCatalog
    let told: JournaledMap<ShipBobVariant>
    let audit: AuditLog

    public init(catalog: ProductCatalog, told: JournaledMap<ShipBobVariant>, audit: AuditLog) {
        self.catalog = catalog; self.told = told; self.audit = audit
    }

    /// Whether the whole catalogue must be read before diffing: asked for (`--relearn`),
    /// nothing told yet, or a record written by the previous release, whose barcode belief
    /// (a bare `barcode` field) says nothing of what ShipBob shows. Comparing such records
    /// would either PATCH every product or never send a barcode that did not arrive.
    public func mustLearn(asked: Bool) -> Bool {
        asked || told.entries.isEmpty || told.entries.values.contains { $0.barcodes == nil }
    }

    /// Records every variant ShipBob holds, so products that already exist are compared, not
    /// created again. A record of the previous release that the list does not show (a product
    /// deleted, or one the list leaves out) is kept with no barcodes known: its barcode is
    /// sent once more (harmless if ShipBob has it; a deleted product is made again on 404).
    public func learnCatalogue() throws -> Int {
        let variants = try catalog.products()
        let listed = Set(variants.map { Self.key($0.sku) })
        let unseen = told.entries.filter { !listed.contains($0.key) && $0.value.barcodes == nil }.sorted { $0.key < $1.key }
            .map { entry in (key: entry.key, value: Optional(entry.value.knowing(barcodes: []))) }
        try told.record(variants.map { (key: Self.key($0.sku), value: $0) } + unseen)
        return variants.count
    }

    /// Which desired products differ from what ShipBob was told, each as the API version holds it.
    public func differences(_ desired: [DesiredProduct]) -> [DesiredProduct] {
        desired.map { DesiredProduct(stockCode: $0.stockCode, spec: $0.spec.accepted(by: catalog.apiVersion)) }
            .filter { d in told[Self.key(d.spec.sku)].map { !d.spec.matches($0) } ?? true }
    }

    /// Sends each difference, recording ShipBob's answer before moving on. Stops at the
    /// first error (what was sent before it is recorded).
    public func push(_ differences: [DesiredProduct], each: (Pushed) throws -> Void) throws {
        for d in differences {
            let (variant, action) = try apply(d.spec)
            try told.record(Self.key(d.spec.sku), variant)
            try audit.record(AuditEntry(
                action: "push-product", source: "syspro", id: d.stockCode, outcome: action.rawValue,
                target: "shipbob product \(variant.productId)",
                detail: ["sku": d.spec.sku, "name": d.spec.name, "barcode": d.spec.barcode ?? "",
                         "value": d.spec.value.map { String($0) } ?? ""]))
            try each(Pushed(stockCode: d.stockCode, sku: d.spec.sku, action: action, productId: variant.productId,
                            inventoryId: variant.inventoryId))
        }
    }

    private func apply(_ spec: ProductSpec) throws -> (ShipBobVariant, Action) {
        if let known = told[Self.key(spec.sku)] {
            do { return (try catalog.updateProduct(known, to: spec), .updated) }
            catch let e as HTTPStatusError where e.status == 404 {
                // Deleted in ShipBob since: make it again.
                try told.record(Self.key(spec.sku), nil)
            }
        }
        switch try catalog.createProduct(spec) {
        case .created(let v):
            return (v, .created)
        case .skuTaken:
            guard let existing = try catalog.variant(sku: spec.sku) else {
                throw DataError(source: "ShipBob", problem: "refused to create SKU \(spec.sku) as taken, but GET /product?sku= does not find it")
            }
            return (spec.matches(existing) ? existing : try catalog.updateProduct(existing, to: spec), .adopted)
        }
    }

    /// SKUs compare without case, as ShipBob matches them.
    static func key(_ sku: String) -> String { sku.lowercased() }
}

private extension ShipBobVariant {
    func knowing(barcodes: [String]) -> ShipBobVariant {
        var v = self
        v.barcodes = barcodes
        return v
    }
}
