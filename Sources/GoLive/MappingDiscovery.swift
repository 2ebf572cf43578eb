import ConnectorKit
import ConnectorConfig

/// What `ml-connector discover` read from both systems, reduced to the fields matching needs.
public struct DiscoveryInput: Sendable {
    public struct Channel: Sendable { public let id: Int64; public let name: String
        public init(id: Int64, name: String) { self.id = id; self.name = name } }
    public struct Center: Sendable { public let id: Int64; public let name: String
        public init(id: Int64, name: String) { self.id = id; self.name = name } }
    public struct Product: Sendable { public let sku: String; public let barcodes: [String]
        public init(sku: String, barcodes: [String]) { self.sku = sku; self.barcodes = barcodes } }
    public struct Customer: Sendable { public let code: String; public let name: String
        public init(code: String, name: String) { self.code = code; self.name = name } }
    public struct Warehouse: Sendable { public let code: String; public let description: String
        public init(code: String, description: String) { self.code = code; self.description = description } }
    public struct StockItem: Sendable { public let code: String; public let barcode: String?
        public init(code: String, barcode: String?) { self.code = code; self.barcode = barcode } }

    public var channels: [Channel], centers: [Center], products: [Product]
    public var customers: [Customer], warehouses: [Warehouse], stockItems: [StockItem]

    public init(channels: [Channel], centers: [Center], products: [Product], customers: [Customer],
                warehouses: [Warehouse], stockItems: [StockItem]) {
        self.channels = channels; self.centers = centers; self.products = products
        self.customers = customers; self.warehouses = warehouses; self.stockItems = stockItems
    }
}

/// The `mappings` section `discover` proposes, and what it could not map. Nothing already in
/// the config is changed: a person's mapping always wins over a guess.
public struct MappingProposal: Sendable, Equatable {
    public enum How: String, Sendable { case exact, normalised, barcode, name }
    public struct Proposed: Sendable, Equatable {
        public let key: String, value: String, how: How
        public init(key: String, value: String, how: How) { self.key = key; self.value = value; self.how = how }
    }
    public struct Unmapped: Sendable, Equatable {
        public let key: String, label: String, candidates: [String], why: String
    }

    /// SKUs that are their stock code already need no entry (the connector maps a SKU to itself).
    public var exactSkus: [String] = []
    public var skuStockCodes: [Proposed] = []
    public var locationWarehouses: [Proposed] = []
    public var unmappedSkus: [Unmapped] = []
    public var unmappedLocations: [Unmapped] = []
    /// Channel -> customer is a commercial decision: never proposed, only candidates listed.
    public var unmappedChannels: [Unmapped] = []

    /// The config's mappings with the proposals added where the config says nothing.
    public func applied(to current: Mappings) -> Mappings {
        var m = current
        for p in skuStockCodes where m.skuStockCodes[p.key] == nil { m.skuStockCodes[p.key] = p.value }
        for p in locationWarehouses where m.locationWarehouses[p.key] == nil { m.locationWarehouses[p.key] = p.value }
        return m
    }
}

/// Matching rules, strictest first, each used only when it finds exactly one partner: SKU =
/// StockCode; then the same after folding case and dropping separators; then a ShipBob barcode
/// equal to the stock item's barcode column. Fulfillment centers match warehouses by the words
/// their names share. Ambiguity is left to a person with the candidates named.
public enum MappingDiscovery {
    public static func propose(_ input: DiscoveryInput, current: Mappings) -> MappingProposal {
        var out = MappingProposal()
        let codes = Set(input.stockItems.map(\.code))
        let byFolded = Dictionary(grouping: input.stockItems.map(\.code), by: fold)
        let byBarcode = Dictionary(grouping: input.stockItems.compactMap { item in item.barcode.flatMap { $0.isEmpty ? nil : ($0, item.code) } },
                                   by: \.0).mapValues { $0.map(\.1) }
        for product in input.products.sorted(by: { $0.sku < $1.sku }) {
            let sku = product.sku
            if current.skuStockCodes[sku] != nil { continue }
            if codes.contains(sku) { out.exactSkus.append(sku); continue }
            if let hit = byFolded[fold(sku)], hit.count == 1 {
                out.skuStockCodes.append(.init(key: sku, value: hit[0], how: .normalised)); continue
            }
            let viaBarcode = Set(product.barcodes.flatMap { byBarcode[$0] ?? [] })
            if viaBarcode.count == 1 {
                out.skuStockCodes.append(.init(key: sku, value: viaBarcode.first!, how: .barcode)); continue
            }
            let candidates = Array(Set((byFolded[fold(sku)] ?? []) + viaBarcode)).sorted()
            out.unmappedSkus.append(.init(key: sku, label: sku, candidates: candidates,
                                          why: candidates.isEmpty ? "no stock code, folded stock code or barcode matches" : "more than one stock code matches"))
        }

        for center in input.centers.sorted(by: { $0.id < $1.id }) {
            let key = String(center.id)
            if current.locationWarehouses[key] != nil { continue }
            let scored = input.warehouses.map { ($0.code, shared(center.name, $0.description + " " + $0.code)) }
                .filter { $0.1 > 0 }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            if let best = scored.first, scored.dropFirst().first?.1 != best.1 {
                out.locationWarehouses.append(.init(key: key, value: best.0, how: .name))
            } else {
                out.unmappedLocations.append(.init(key: key, label: center.name, candidates: scored.prefix(3).map(\.0),
                                                   why: scored.isEmpty ? "no warehouse description shares a word with it" : "warehouses tie"))
            }
        }

        for channel in input.channels.sorted(by: { $0.id < $1.id }) where current.channelCustomers[String(channel.id)] == nil {
            let scored = input.customers.map { ($0.code, shared(channel.name, $0.name)) }
                .filter { $0.1 > 0 }.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            out.unmappedChannels.append(.init(key: String(channel.id), label: channel.name, candidates: scored.prefix(3).map(\.0),
                                              why: "a channel's orders go to the customer a person chooses"))
        }
        return out
    }

    /// Upper case without separators: `ts_blu-m` and `TS BLU M` are one code.
    static func fold(_ s: String) -> String { String(s.uppercased().filter { $0.isLetter || $0.isNumber }) }

    /// How many words of three or more letters or digits two names share.
    static func shared(_ a: String, _ b: String) -> Int {
        words(a).intersection(words(b)).count
    }

    static func words(_ s: String) -> Set<String> {
        Set(s.lowercased().split { !($0.isLetter || $0.isNumber) }.map(String.init).filter { $0.count >= 3 })
    }
}
