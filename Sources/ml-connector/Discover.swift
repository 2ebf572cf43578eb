import ArgumentParser
import ConnectorKit
import ConnectorNet
import GoLive
import JobCLI
import ShipBob
import Syspro

struct Discover: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover",
        abstract: "Read ShipBob's channels, fulfillment centers and SKUs and SYSPRO's customers, warehouses and stock codes; propose the mappings section.",
        discussion: """
        SKU -> stock code: the same code needs no entry; then the same after folding case and \
        separators; then a ShipBob barcode equal to InvMaster's inventory.barcode_field. Fulfillment \
        center -> warehouse: the InvWhControl description sharing most words with the center's name. \
        Channel -> customer is left to a person, with candidates. Entries already in config.json are \
        kept. Prints the proposal and a config patch; --apply writes it once the result passes \
        `config check`. Writes nothing to ShipBob or SYSPRO.

        Exit status: 0 proposal printed (or applied), 69 a system unavailable, 78 configuration error.
        """)

    @OptionGroup var common: CommonOptions
    @Flag(help: "Print the proposal as one JSON document.") var json = false
    @Flag(help: "Add the proposed mappings to config.json (entries already there are kept).") var apply = false

    func run() throws {
        guarded("ml-connector") {
            let context = try VendorContext(common)
            let (tenant, config, logger) = (context.tenant, context.config, context.logger)
            let shipbob = try context.shipbob()
            let odata = try context.odata()

            let input = DiscoveryInput(
                channels: try shipbob.channels().map { .init(id: $0.id, name: $0.name) },
                centers: try shipbob.fulfillmentCenters().map { .init(id: $0.id, name: $0.name) },
                products: try shipbob.products().map { .init(sku: $0.sku, barcodes: ($0.barcodes ?? []) + [$0.upc].compactMap { $0 }) },
                customers: try odata.fetch(entitySet: SysproFacts.EntitySet.arCustomer, select: ["Customer", "Name"]) {
                    DiscoveryInput.Customer(code: $0["Customer"]?.string?.trimmed ?? "", name: $0["Name"]?.string?.trimmed ?? "")
                },
                warehouses: try warehouses(odata, logger),
                stockItems: try odata.fetch(entitySet: SysproFacts.EntitySet.invMaster, select: ["StockCode", config.inventory.barcodeField]) {
                    DiscoveryInput.StockItem(code: $0["StockCode"]?.string?.trimmed ?? "", barcode: $0[config.inventory.barcodeField]?.string?.trimmed)
                })
            let proposal = MappingDiscovery.propose(input, current: config.mappings)
            let mappings = proposal.applied(to: config.mappings)
            print(json ? try DiscoveryReport.json(proposal, patch: mappings) : DiscoveryReport.text(proposal, patch: mappings, tenant: tenant.name), terminator: "")
            if apply {
                var updated = config
                updated.mappings = mappings
                try DiscoveryReport.write(updated, to: tenant.config)
                if !json { print("applied to \(tenant.config)") }
            }
        }
    }

    /// InvWhControl's codes and descriptions; a service that does not expose it leaves the
    /// warehouse codes InvWarehouse holds, matched by code alone.
    private func warehouses(_ odata: ODataClient, _ logger: Logger) throws -> [DiscoveryInput.Warehouse] {
        do {
            return try odata.fetch(entitySet: SysproFacts.EntitySet.invWhControl, select: ["Warehouse", "Description"]) {
                DiscoveryInput.Warehouse(code: $0["Warehouse"]?.string?.trimmed ?? "", description: $0["Description"]?.string?.trimmed ?? "")
            }
        } catch let error as HTTPStatusError where [400, 403, 404].contains(error.status) {
            logger.warn("InvWhControl cannot be read; warehouses are matched by code only", ["error": "\(error)"])
            let codes = try odata.fetch(entitySet: SysproFacts.EntitySet.invWarehouse, select: ["Warehouse"]) { $0["Warehouse"]?.string?.trimmed ?? "" }
            return Set(codes).sorted().map { DiscoveryInput.Warehouse(code: $0, description: "") }
        }
    }
}
