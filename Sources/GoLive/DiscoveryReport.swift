import ConnectorKit
import WebhookCore
#if canImport(Glibc)
import Glibc
#endif
import ConnectorConfig

/// How `discover` shows its proposal: a table for a person, JSON for a script, and the config
/// patch either way; and how `--apply` writes it.
public enum DiscoveryReport {
    public static func text(_ p: MappingProposal, patch: Mappings, tenant: String) -> String {
        var out = "discover: tenant \(tenant)\n"
        func section(_ title: String, _ rows: [MappingProposal.Proposed]) {
            guard !rows.isEmpty else { return }
            out += "proposed \(title)\n"
            for r in rows { out += "  \(r.key) -> \(r.value)  (\(r.how.rawValue))\n" }
        }
        section("mappings.sku_stock_codes", p.skuStockCodes)
        section("mappings.location_warehouses", p.locationWarehouses)
        if !p.exactSkus.isEmpty { out += "\(p.exactSkus.count) SKU(s) are SYSPRO stock codes already and need no entry\n" }
        let unmapped = p.unmappedChannels.map { ("channel", $0) } + p.unmappedLocations.map { ("fulfillment center", $0) }
            + p.unmappedSkus.map { ("SKU", $0) }
        if !unmapped.isEmpty {
            out += "left unmapped (\(unmapped.count))\n"
            for (kind, u) in unmapped {
                let label = u.label == u.key ? "" : " \(u.label)"
                out += "  \(kind) \(u.key)\(label): \(u.why)"
                out += u.candidates.isEmpty ? "\n" : "; candidates: \(u.candidates.joined(separator: ", "))\n"
            }
        }
        out += "config patch (config.json):\n" + patchJSON(patch) + "\n"
        return out
    }

    public static func json(_ p: MappingProposal, patch: Mappings) throws -> String {
        func proposed(_ rows: [MappingProposal.Proposed]) -> JSONValue {
            .array(rows.map { .object(["key": .string($0.key), "value": .string($0.value), "how": .string($0.how.rawValue)]) })
        }
        func unmapped(_ rows: [MappingProposal.Unmapped]) -> JSONValue {
            .array(rows.map { .object(["key": .string($0.key), "label": .string($0.label), "why": .string($0.why),
                                       "candidates": .array($0.candidates.map(JSONValue.string))]) })
        }
        let doc = JSONValue.object([
            "proposed": .object(["sku_stock_codes": proposed(p.skuStockCodes), "location_warehouses": proposed(p.locationWarehouses)]),
            "exact_skus": .array(p.exactSkus.map(JSONValue.string)),
            "unmapped": .object(["channels": unmapped(p.unmappedChannels), "locations": unmapped(p.unmappedLocations),
                                 "skus": unmapped(p.unmappedSkus)]),
            "patch": .object(["mappings": try JSONValue.parse(JSON.encode(patch))]),
        ])
        return String(decoding: try JSON.encode(doc), as: UTF8.self) + "\n"
    }

    static func patchJSON(_ m: Mappings) -> String {
        let encoder = JSON.encoder
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let body = (try? encoder.encode(["mappings": m])).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        return body
    }

    /// Writes the config only if it loads and validates as `config check` would: a temporary
    /// file is checked first, then renamed over config.json.
    public static func write(_ config: TenantConfig, to path: String) throws {
        let candidate = path + ".discover"
        try AtomicFile.writeJSON(config, to: candidate)
        do { _ = try TenantConfig.load(candidate) } catch {
            unlink(candidate)
            throw error
        }
        try Posix.rename(candidate, path)
    }
}
