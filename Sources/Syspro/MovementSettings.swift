import ConnectorKit
import ConnectorConfig

/// Where SYSPRO inventory movements (INVTMR receipts, INVTMA adjustments) put stock (config
/// `movements`). SYSPRO refuses a movement without a bin in a warehouse that uses multiple
/// bins, and without a lot for a lot-traceable stock code (docs/vendors/syspro.md, "INVTMR
/// and INVTMA documents: bins and lots"); which warehouses and stock codes those are is
/// SYSPRO setup the connector cannot read, so the tenant names them here.
public struct MovementSettings: ConfigSection {
    public static let key = "movements"
    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))
    public static let absent: MovementSettings? = MovementSettings()

    /// A multi-bin warehouse: the bin receipts and adjustments use, unless the stock code has its own.
    public struct Bins: Codable, Sendable, Equatable {
        public var `default`: String
        /// Stock code -> its bin in this warehouse.
        public var stockCodes: [String: String] = [:]

        enum CodingKeys: String, CodingKey, CaseIterable { case `default`, stockCodes = "stock_codes" }

        public init(default bin: String, stockCodes: [String: String] = [:]) { self.default = bin; self.stockCodes = stockCodes }
        public init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.default = try c.decode(String.self, forKey: .default)
            stockCodes = try c.decodeIfPresent([String: String].self, forKey: .stockCodes) ?? stockCodes
        }
    }

    /// SYSPRO warehouse -> its bins; a warehouse named here is a multi-bin warehouse.
    public var bins: [String: Bins] = [:]
    /// Lot-traceable stock code -> the lot its movements carry; "" takes the lot from the
    /// ShipBob receiving order (its boxes' lot numbers), which must then name exactly one.
    public var lots: [String: String] = [:]

    enum CodingKeys: String, CodingKey, CaseIterable { case bins, lots }

    public init(bins: [String: Bins] = [:], lots: [String: String] = [:]) { self.bins = bins; self.lots = lots }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        bins = try c.decodeIfPresent([String: Bins].self, forKey: .bins) ?? bins
        lots = try c.decodeIfPresent([String: String].self, forKey: .lots) ?? lots
    }

    /// The bin a movement of `stockCode` in `warehouse` goes to; `nil` in a single-bin warehouse.
    public func bin(warehouse: String, stockCode: String) -> String? {
        bins[warehouse].map { $0.stockCodes[stockCode] ?? $0.default }
    }

    /// Whether `stockCode` is lot-traceable (named in `lots`).
    public func isLotTraceable(_ stockCode: String) -> Bool { lots[stockCode] != nil }

    /// The configured lot of a lot-traceable stock code; `nil` when none is configured
    /// (not traceable, or "": the lot comes from the receiving order).
    public func configuredLot(_ stockCode: String) -> String? {
        lots[stockCode].flatMap { $0.trimmed.isEmpty ? nil : $0 }
    }

    public func validate(file: String, config: TenantConfig) throws {
        for (warehouse, b) in bins {
            guard !warehouse.trimmed.isEmpty, !b.default.trimmed.isEmpty else {
                throw ConfigError(file: file, key: "movements.bins.\(warehouse).default", problem: "expected the warehouse's receiving bin")
            }
            for (code, bin) in b.stockCodes where bin.trimmed.isEmpty {
                throw ConfigError(file: file, key: "movements.bins.\(warehouse).stock_codes.\(code)", problem: "expected a bin")
            }
        }
    }
}

extension TenantConfig {
    public var movements: MovementSettings {
        get { self[MovementSettings.self] }
        set { self[MovementSettings.self] = newValue }
    }
}
