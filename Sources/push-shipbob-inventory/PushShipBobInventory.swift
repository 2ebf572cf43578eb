import ArgumentParser
import ConnectorKit
import JobCLI
import ConnectorNet
import ShipBob
import Inventory
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One pass: the stock codes selected in config, as SYSPRO describes them in the tenant's
/// inventory state (written by `poll-syspro-inventory`), diffed against what ShipBob was
/// last told; only the differences are sent. ShipBob counts the stock it holds and its API
/// cannot set an on-hand quantity (docs/vendors/shipbob.md), so what is pushed is the catalogue;
/// levels are compared by `inventory-variance`.
@main
struct PushShipBobInventory: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "push-shipbob-inventory",
        abstract: "Keep the selected SYSPRO stock codes present in ShipBob as products, sending only differences.",
        discussion: """
        Reads inventory/syspro-items.json (and syspro-prices.json, levels/<warehouse>.json); records what ShipBob \
        accepted in inventory/shipbob-products.json (+ .journal). With --stdin, only the stock codes named by \
        the JSON lines on stdin are considered, e.g. `poll-syspro-inventory | push-shipbob-inventory --stdin`. \
        Exit status: 0 ok, 64 usage, 65 a bad stdin line or ShipBob answer, 69 ShipBob unavailable, \
        75 another run holds the lock or the rate limit outlasted the retries, 78 configuration error.
        """,
        version: ConnectorVersion.current)

    static let job = "push-shipbob-inventory"

    @OptionGroup var common: JobOptions
    @Flag(help: "Consider only the stock codes named by JSON lines on stdin (\"stock_code\" key).") var stdin = false
    @Flag(help: "Read ShipBob's whole catalogue again before diffing (after products were edited in ShipBob).") var relearn = false
    @Flag(help: "Print one JSON line per product sent.") var json = false

    func run() throws {
        guarded(Self.job) { try pass() }
    }

    func pass() throws {
        let named = stdin ? try StockCodeLines.read() : nil
        try common.withJobLock(Self.job, sections: [ShipBobSettings.self]) { job in
            try push(job, only: named)
            // A bad stdin line does not stop the good ones; it is reported once they are
            // pushed, and it is this run's outcome (its exit status in the metrics too).
            if let bad = named?.firstBadLine { throw bad }
        }
    }

    private func push(_ job: JobContext, only named: StockCodeLines?) throws {
        let config = job.config, logger = job.logger
        guard config.inventory.pushSelectsAnything else {
            logger.info("nothing selected: set inventory.push_stock_codes, push_warehouses or push_product_classes")
            return
        }
        // A pipeline whose poll found nothing passes no line: nothing to read, learn or send.
        if let named, named.codes.isEmpty, !relearn {
            logger.info("pass done: stdin named no stock code", ["selected": "0", "sent": "0"])
            return
        }
        let files = InventoryFiles(tenant: job.tenant)
        let desired = ProductSelection(config: config).desired(
            items: try files.items.load(), levels: config.inventory.pushWarehouses.isEmpty ? [:] : try files.levels.load(config.inventory.pushWarehouses),
            prices: config.inventory.includePrices ? try files.prices.load() : [:], only: named.map { Set($0.codes) })
        let told = try JournaledMap<ShipBobVariant>(path: files.shipBobProducts)
        defer { try? told.compact() }

        let sync = CatalogSync(catalog: try job.vendors.shipbob(), told: told, audit: AuditLog(directory: job.tenant.audit, job: Self.job))
        if sync.mustLearn(asked: relearn) {
            let learned = try sync.learnCatalogue()
            logger.info("learned ShipBob's catalogue", ["variants": String(learned)])
        }
        let differences = sync.differences(desired)
        // A dry run stops at the decision: each product that differs is what a real run would send.
        if common.dryRun {
            for d in differences {
                if common.report { print("would push \(d.stockCode)\t\(d.spec.sku)\t\(d.spec.name)"); continue }
                var line: [String: JSONValue] = ["dry_run": .string("would push"), "stock_code": .string(d.stockCode),
                                                 "sku": .string(d.spec.sku), "name": .string(d.spec.name)]
                if let b = d.spec.barcode { line["barcode"] = .string(b) }
                if let v = d.spec.value { line["value"] = .number(v) }
                print(String(decoding: try JSON.encode(JSONValue.object(line)), as: UTF8.self))
            }
            return
        }
        var sent = 0
        try sync.push(differences) { pushed in
            sent += 1
            job.metrics.moved("products", "syspro->shipbob")
            if json { print(try JSON.encodeLine(pushed)); Output.flush() }
        }
        logger.info("pass done", ["selected": String(desired.count), "different": String(differences.count), "sent": String(sent)])
    }
}

/// Stock codes named on stdin, one JSON object per line (the poll's output, or any
/// line with a `stock_code`). A bad line does not stop the good ones from being pushed;
/// it is reported after the pass.
struct StockCodeLines {
    var codes: [String] = []
    var firstBadLine: DataError?

    static func read() throws -> StockCodeLines {
        var result = StockCodeLines()
        var n = 0
        while let line = readLine(strippingNewline: true) {
            n += 1
            if line.trimmed.isEmpty { continue }
            let code = (try? JSONValue.parse(Data(line.utf8)))?["stock_code"]?.string?.trimmed
            if let code, !code.isEmpty { result.codes.append(code) }
            else if result.firstBadLine == nil {
                result.firstBadLine = DataError(source: "stdin line \(n)", problem: "is not a JSON object with a \"stock_code\"")
            }
        }
        return result
    }
}
