import ConnectorKit

/// Turns a variance report into attention items, each raised once and removed when its
/// cause clears, and audit lines for each difference. `store` remembers which findings are
/// open, so a SKU known on one side only reaches a person once, not every run.
public struct VarianceFindings {
    let attention: AttentionBox
    let audit: AuditLog
    let previous: Set<String>

    public init(attention: AttentionBox, audit: AuditLog, previous: Set<String>) {
        self.attention = attention; self.audit = audit; self.previous = previous
    }

    public static func load(_ path: String) throws -> Set<String> {
        Set(try AtomicFile.readJSON([String].self, from: path) ?? [])
    }

    public func file(_ report: VarianceReport, store: String) throws {
        var open = Set<String>()
        for line in report.differences {
            let id = AttentionBox.id("variance", line.warehouse, line.stockCode)
            open.insert(id)
            try audit.record(AuditEntry(
                action: "compare-level", source: "shipbob", id: "\(line.warehouse)/\(line.stockCode)", outcome: line.action,
                detail: ["sku": line.sku, "location_id": String(line.locationId), "syspro_on_hand": line.sysproOnHand.plainText,
                         "in_flight_receipts": line.inFlightReceipts.plainText, "in_flight_shipments": line.inFlightShipments.plainText,
                         "syspro_expected": line.sysproExpected.plainText, "shipbob_on_hand": line.shipbobOnHand.plainText,
                         "difference": line.difference.plainText]))
            let what = "ShipBob location \(line.locationId) holds \(line.shipbobOnHand.plainText) of \(line.sku), SYSPRO warehouse \(line.warehouse) expects \(line.sysproExpected.plainText) (difference \(line.difference.plainText))"
            if line.action == "reported" {
                try attention.addOnce(AttentionItem(
                    source: "inventory", id: id, reason: what,
                    action: "count the stock, correct the side that is wrong, or list \(line.warehouse) in inventory.shipbob_master_warehouses to adjust SYSPRO automatically"))
            } else if line.action.hasPrefix("refused") {
                try attention.addOnce(AttentionItem(
                    source: "inventory", id: id, reason: what + "; SYSPRO \(line.action)",
                    action: "fix what SYSPRO names (warehouse, stock code, negative stock), then the next run adjusts again"))
            }
        }
        for item in report.oneSided {
            let id = AttentionBox.id(item.side.rawValue, item.warehouse, item.stockCode)
            open.insert(id)
            let text = item.side == .shipbobOnly
                ? "ShipBob counts \(item.quantity.plainText) of SKU \(item.sku) for warehouse \(item.warehouse), but SYSPRO has no such stock code there"
                : "SYSPRO holds \(item.quantity.plainText) of \(item.stockCode) in warehouse \(item.warehouse), but ShipBob has no product with that SKU"
            if try attention.addOnce(AttentionItem(
                source: "inventory", id: id, reason: text,
                action: item.side == .shipbobOnly ? "add the stock code to SYSPRO or map the SKU in mappings.sku_stock_codes"
                                                  : "select the stock code for push-shipbob-inventory, or map the SKU in mappings.sku_stock_codes")) {
                try audit.record(AuditEntry(action: "compare-level", source: "shipbob", id: "\(item.warehouse)/\(item.stockCode)",
                                            outcome: item.side.rawValue, reason: text))
            }
        }
        for id in previous.subtracting(open) { try attention.resolve(source: "inventory", id: id) }
        try AtomicFile.writeJSON(open.sorted(), to: store)
    }

    /// Whole quantities without a fraction; one beyond Int64 (a SYSPRO QtyOnHand of 1e19, or
    /// inf, trapped here) as Swift prints a Double.
}

/// The differences as a table for a person (and cron's mail).
public enum VarianceTable {
    public static func render(_ report: VarianceReport) -> String {
        let header = ["WAREHOUSE", "STOCK CODE", "SKU", "SYSPRO", "+RECEIPTS", "-SHIPMENTS", "EXPECTED", "SHIPBOB", "DIFF", "ACTION"]
        let rows = report.differences.map { l in
            [l.warehouse, l.stockCode, l.sku, l.sysproOnHand.plainText, l.inFlightReceipts.plainText,
             l.inFlightShipments.plainText, l.sysproExpected.plainText,
             l.shipbobOnHand.plainText, (l.difference > 0 ? "+" : "") + l.difference.plainText, l.action]
        }
        let widths = header.indices.map { i in ([header[i]] + rows.map { $0[i] }).map(\.count).max()! }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in i == cells.count - 1 ? c : c + String(repeating: " ", count: widths[i] - c.count) }
                .joined(separator: "  ") + "\n"
        }
        return line(header) + rows.map(line).joined()
            + "\(report.differences.count) of \(report.compared) compared levels differ\n"
    }
}
