import ConnectorKit
import WebhookCore

/// A tenant's `config.json`: one SYSPRO instance and its partners. No secrets live
/// here (they are in `secrets.json`, sealed). Every validation error names the file,
/// the key and what was expected, and maps to exit status 78.
///
/// ConnectorConfig owns the file and the sections every job shares (`webhook`, `http`,
/// `mappings`, `inventory`, `reconcile`, `monitor`); each other section is a
/// `ConfigSection` of the module that reads it, decoded and checked when a program names it
/// at load. A program that never reads a section does not refuse a mistake in it; `ml-connector
/// config check` names every section.
public struct TenantConfig: Encodable, Sendable, Equatable {
    /// Every section config.json may have; any other top-level key is refused.
    public static let sectionKeys: Set<String> = [
        "syspro", "shipbob", "webhook", "http", "mappings", "inventory", "tracking", "orders", "reconcile",
        "hubspot", "twilio", "alerts", "monitor", "movements",
    ]

    public var webhook: WebhookSettings
    public var http: HTTPSettings
    public var mappings: Mappings
    public var inventory: InventorySettings
    public var reconcile: ReconcileSettings
    public var monitor: MonitorSettings
    /// The other modules' sections, by key: those the program loaded, or those a config
    /// built in code was given.
    private var sections: [String: any ConfigSection]
    /// Whether the config came from a file, where a section not loaded is a program that
    /// forgot to name it; a config built in code has every section it was not given at its
    /// default.
    private let loaded: Bool

    /// A config built in code (`ml-connector init`'s example, the sandbox's demo tenant, tests).
    public init(webhook: WebhookSettings = .init(), http: HTTPSettings = .init(), mappings: Mappings = .init(),
                inventory: InventorySettings = .init(), reconcile: ReconcileSettings = .init(), monitor: MonitorSettings = .init(),
                sections: [any ConfigSection] = []) {
        self.init(webhook: webhook, http: http, mappings: mappings, inventory: inventory, reconcile: reconcile, monitor: monitor,
                  sections: sections, loaded: false)
    }

    private init(webhook: WebhookSettings, http: HTTPSettings, mappings: Mappings, inventory: InventorySettings,
                 reconcile: ReconcileSettings, monitor: MonitorSettings, sections: [any ConfigSection], loaded: Bool) {
        self.webhook = webhook; self.http = http; self.mappings = mappings; self.inventory = inventory
        self.reconcile = reconcile; self.monitor = monitor
        self.sections = Dictionary(sections.map { (type(of: $0).key, $0) }, uniquingKeysWith: { _, last in last })
        self.loaded = loaded
    }

    /// The section `S` (`config.hubspot` and the like are this). Trapping when a loaded config
    /// lacks it: the program reads a section it did not name at load, so nothing checked it.
    public subscript<S: ConfigSection>(_ section: S.Type) -> S {
        get {
            if let s = sections[S.key] as? S { return s }
            guard !loaded, let s = S.absent else {
                preconditionFailure("config section \(S.key) is read but the config has none: name it when loading config.json")
            }
            return s
        }
        set { sections[S.key] = newValue }
    }

    /// The base URLs of the vendors whose sections the config holds, each with its vendor's
    /// name (the section's key).
    public var vendorAPIs: [(prefix: String, name: String)] {
        sections.keys.sorted().flatMap { key in
            (sections[key] as? any VendorSection)?.apiURLs.map { (prefix: $0, name: key) } ?? []
        }
    }

    /// Loads `config.json` with the sections a program reads (besides ConnectorConfig's own),
    /// and checks them; any problem is a `ConfigError`.
    public static func load(_ path: String, sections types: [any ConfigSection.Type]) throws -> TenantConfig {
        guard Posix.exists(path) else {
            throw ConfigError(file: path, key: "(file)", problem: "does not exist; run `ml-connector init`")
        }
        let data = try Posix.readFile(path)
        let raw: JSONValue
        do { raw = try JSONValue.parse(data) } catch { throw ConfigError(file: path, key: "(file)", problem: "is not valid JSON") }
        try rejectUnknownKeys(raw, file: path, sections: types)
        let config: TenantConfig
        do {
            let decoder = JSON.decoder
            decoder.userInfo[Document.sections] = types
            config = try decoder.decode(Document.self, from: data).config
        } catch { throw ConfigError(file: path, decoding: error) }
        try config.validate(file: path)
        for type in types { try config.validate(type, file: path) }
        return config
    }

    private func validate<S: ConfigSection>(_ type: S.Type, file: String) throws { try self[S.self].validate(file: file, config: self) }

    /// Checks ConnectorConfig's own sections, and the one check across two of them.
    public func validate(file: String) throws {
        if let u = webhook.publicURL { try ConfigError.checkURL(u, file: file, key: "webhook.public_url") }
        guard webhook.maxBodyBytes > 0 else { throw ConfigError(file: file, key: "webhook.max_body_bytes", problem: "expected a positive byte count") }
        guard webhook.toleranceSeconds > 0 else { throw ConfigError(file: file, key: "webhook.tolerance_seconds", problem: "expected a positive number of seconds") }
        guard http.maxAttempts >= 1 else { throw ConfigError(file: file, key: "http.max_attempts", problem: "expected at least 1") }
        for (k, v) in mappings.channelCustomers where v.trimmed.isEmpty || Int64(k) == nil {
            throw ConfigError(file: file, key: "mappings.channel_customers.\(k)", problem: "expected a numeric ShipBob channel id mapped to a SYSPRO customer code")
        }
        guard !inventory.barcodeField.trimmed.isEmpty else {
            throw ConfigError(file: file, key: "inventory.barcode_field", problem: "expected an InvMaster column name")
        }
        guard inventory.varianceTolerance >= 0 else {
            throw ConfigError(file: file, key: "inventory.variance_tolerance", problem: "expected a number of units, zero or more")
        }
        guard inventory.inFlightDays > 0 else {
            throw ConfigError(file: file, key: "inventory.in_flight_days", problem: "expected a positive number of days")
        }
        let mappedWarehouses = Set(mappings.locationWarehouses.values)
        for w in inventory.shipbobMasterWarehouses where !mappedWarehouses.contains(w) {
            throw ConfigError(file: file, key: "inventory.shipbob_master_warehouses",
                              problem: "names \(w), which no ShipBob location maps to in mappings.location_warehouses")
        }
        for (k, v) in mappings.skuStockCodes where v.trimmed.isEmpty {
            throw ConfigError(file: file, key: "mappings.sku_stock_codes.\(k)", problem: "expected a SYSPRO stock code")
        }
        try monitor.validate(file: file)
        guard reconcile.overlapMinutes >= 0 else {
            throw ConfigError(file: file, key: "reconcile.overlap_minutes", problem: "expected zero or more minutes")
        }
    }

    /// A misspelt key silently ignored is a mapping that silently does not apply.
    static func rejectUnknownKeys(_ raw: JSONValue, file: String, sections types: [any ConfigSection.Type]) throws {
        var known: [String: Set<String>] = [
            "webhook": Set(WebhookSettings.CodingKeys.allCases.map(\.rawValue)),
            "http": Set(HTTPSettings.CodingKeys.allCases.map(\.rawValue)),
            "mappings": Set(Mappings.CodingKeys.allCases.map(\.rawValue)),
            "inventory": Set(InventorySettings.CodingKeys.allCases.map(\.rawValue)),
            "reconcile": Set(ReconcileSettings.CodingKeys.allCases.map(\.rawValue)),
            "monitor": Set(MonitorSettings.CodingKeys.allCases.map(\.rawValue)),
        ]
        for type in types { known[type.key] = type.knownKeys }
        guard let top = raw.object else { throw ConfigError(file: file, key: "(top level)", problem: "expected an object") }
        for (k, v) in top {
            guard sectionKeys.contains(k) else { throw ConfigError(file: file, key: k, problem: "is not a known setting") }
            if let section = v.object, let allowed = known[k] {
                for sk in section.keys where !allowed.contains(sk) {
                    throw ConfigError(file: file, key: "\(k).\(sk)", problem: "is not a known setting")
                }
            }
        }
        for type in types { if let section = top[type.key] { try type.rejectUnknownNestedKeys(section, file: file) } }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: SectionKey.self)
        try c.encode(webhook, forKey: SectionKey("webhook"))
        try c.encode(http, forKey: SectionKey("http"))
        try c.encode(mappings, forKey: SectionKey("mappings"))
        try c.encode(inventory, forKey: SectionKey("inventory"))
        try c.encode(reconcile, forKey: SectionKey("reconcile"))
        try c.encode(monitor, forKey: SectionKey("monitor"))
        for (key, section) in sections { try c.encode(section, forKey: SectionKey(key)) }
    }

    public static func == (a: TenantConfig, b: TenantConfig) -> Bool {
        a.webhook == b.webhook && a.http == b.http && a.mappings == b.mappings && a.inventory == b.inventory
            && a.reconcile == b.reconcile && a.monitor == b.monitor && a.sections.keys == b.sections.keys
            && a.sections.allSatisfy { key, section in section.isEqual(b.sections[key]) }
    }

    struct SectionKey: CodingKey {
        let stringValue: String
        init(_ key: String) { stringValue = key }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    /// config.json as `load` decodes it: ConnectorConfig's sections, then the program's, in one
    /// pass so a decoding error names the key as the file has it (`hubspot.tier`).
    private struct Document: Decodable {
        static let sections = CodingUserInfoKey(rawValue: "ml-connector.sections")!
        var config: TenantConfig

        init(from decoder: Decoder) throws {
            let c = try decoder.container(keyedBy: SectionKey.self)
            config = TenantConfig(
                webhook: try c.decodeIfPresent(WebhookSettings.self, forKey: SectionKey("webhook")) ?? .init(),
                http: try c.decodeIfPresent(HTTPSettings.self, forKey: SectionKey("http")) ?? .init(),
                mappings: try c.decodeIfPresent(Mappings.self, forKey: SectionKey("mappings")) ?? .init(),
                inventory: try c.decodeIfPresent(InventorySettings.self, forKey: SectionKey("inventory")) ?? .init(),
                reconcile: try c.decodeIfPresent(ReconcileSettings.self, forKey: SectionKey("reconcile")) ?? .init(),
                monitor: try c.decodeIfPresent(MonitorSettings.self, forKey: SectionKey("monitor")) ?? .init(),
                sections: try (decoder.userInfo[Document.sections] as? [any ConfigSection.Type] ?? []).map { try Document.decode($0, c) },
                loaded: true)
        }

        private static func decode<S: ConfigSection>(_ type: S.Type, _ c: KeyedDecodingContainer<SectionKey>) throws -> any ConfigSection {
            if let absent = S.absent { return try c.decodeIfPresent(S.self, forKey: SectionKey(S.key)) ?? absent }
            return try c.decode(S.self, forKey: SectionKey(S.key))
        }
    }
}

extension ConfigSection {
    fileprivate func isEqual(_ other: (any ConfigSection)?) -> Bool { (other as? Self) == self }
}

public struct WebhookSettings: Codable, Sendable, Equatable {
    public var maxBodyBytes: Int = WebhookLimits.defaultMaxBodyBytes
    public var toleranceSeconds: Int64 = WebhookLimits.defaultToleranceSeconds
    /// The https URL ShipBob posts this tenant's deliveries to (`.../webhooks/<tenant>/shipbob`),
    /// for `ml-connector probe` to find the subscription; nothing else needs it.
    public var publicURL: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case maxBodyBytes = "max_body_bytes", toleranceSeconds = "tolerance_seconds", publicURL = "public_url"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
        toleranceSeconds = try c.decodeIfPresent(Int64.self, forKey: .toleranceSeconds) ?? toleranceSeconds
        publicURL = try c.decodeIfPresent(String.self, forKey: .publicURL)
    }
}

public struct HTTPSettings: Codable, Sendable, Equatable {
    public var connectTimeoutSeconds: Double = 10
    public var timeoutSeconds: Double = 60
    public var maxAttempts: Int = 5
    /// Ceiling of one backoff sleep, seconds.
    public var maxBackoffSeconds: Double = 30

    enum CodingKeys: String, CodingKey, CaseIterable {
        case connectTimeoutSeconds = "connect_timeout_seconds", timeoutSeconds = "timeout_seconds"
        case maxAttempts = "max_attempts", maxBackoffSeconds = "max_backoff_seconds"
    }

    public init() {}
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        connectTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .connectTimeoutSeconds) ?? connectTimeoutSeconds
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? timeoutSeconds
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? maxAttempts
        maxBackoffSeconds = try c.decodeIfPresent(Double.self, forKey: .maxBackoffSeconds) ?? maxBackoffSeconds
    }
}

public struct Mappings: Codable, Sendable, Equatable {
    /// ShipBob channel id -> SYSPRO customer code.
    public var channelCustomers: [String: String] = [:]
    /// ShipBob SKU -> SYSPRO stock code, where they differ (otherwise looked up in InvMaster).
    public var skuStockCodes: [String: String] = [:]
    /// ShipBob fulfillment-center id -> SYSPRO warehouse.
    public var locationWarehouses: [String: String] = [:]

    enum CodingKeys: String, CodingKey, CaseIterable {
        case channelCustomers = "channel_customers", skuStockCodes = "sku_stock_codes", locationWarehouses = "location_warehouses"
    }

    public init() {}
    public init(channelCustomers: [String: String], skuStockCodes: [String: String] = [:], locationWarehouses: [String: String] = [:]) {
        self.channelCustomers = channelCustomers; self.skuStockCodes = skuStockCodes; self.locationWarehouses = locationWarehouses
    }
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        channelCustomers = try c.decodeIfPresent([String: String].self, forKey: .channelCustomers) ?? channelCustomers
        skuStockCodes = try c.decodeIfPresent([String: String].self, forKey: .skuStockCodes) ?? skuStockCodes
        locationWarehouses = try c.decodeIfPresent([String: String].self, forKey: .locationWarehouses) ?? locationWarehouses
    }
}

/// What the inventory jobs read from SYSPRO, push to ShipBob and compare.
public struct InventorySettings: Codable, Sendable, Equatable {
    /// SYSPRO warehouses whose levels are polled; empty means all.
    public var warehouses: [String] = []
    /// Also poll InvPrice (the value ShipBob products carry) at `price_code`.
    public var includePrices: Bool = false
    public var priceCode: String = "A"
    /// How far below the cursor each poll re-reads, in rowversion units: a transaction
    /// can commit a lower rowversion after a higher one was read (docs/vendors/syspro.md).
    public var rowversionOverlap: UInt64 = 10_000
    /// The InvMaster column holding the barcode: SYSPRO has none of its own, sites
    /// commonly keep the UPC in AlternateKey1.
    public var barcodeField: String = "AlternateKey1"
    /// Stock codes `push-shipbob-inventory` keeps as ShipBob products: every code listed in
    /// `push_stock_codes`, plus every code matching all of the non-empty filters
    /// `push_warehouses` (stocked there) and `push_product_classes`. Nothing when all are empty.
    public var pushWarehouses: [String] = []
    public var pushProductClasses: [String] = []
    public var pushStockCodes: [String] = []
    /// Warehouses for which ShipBob's count is the truth: `inventory-variance` posts each
    /// difference to SYSPRO as an INVTMA adjustment. Empty: report only (the default).
    public var shipbobMasterWarehouses: [String] = []
    /// A difference up to this many units is not reported.
    public var varianceTolerance: Double = 0
    /// How far back shipments are looked up to find stock ShipBob has shipped but SYSPRO
    /// has not yet relieved.
    public var inFlightDays: Int = 14

    enum CodingKeys: String, CodingKey, CaseIterable {
        case warehouses, includePrices = "include_prices", priceCode = "price_code", rowversionOverlap = "rowversion_overlap"
        case barcodeField = "barcode_field", pushWarehouses = "push_warehouses", pushProductClasses = "push_product_classes"
        case pushStockCodes = "push_stock_codes", shipbobMasterWarehouses = "shipbob_master_warehouses"
        case varianceTolerance = "variance_tolerance", inFlightDays = "in_flight_days"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        warehouses = try c.decodeIfPresent([String].self, forKey: .warehouses) ?? warehouses
        includePrices = try c.decodeIfPresent(Bool.self, forKey: .includePrices) ?? includePrices
        priceCode = try c.decodeIfPresent(String.self, forKey: .priceCode) ?? priceCode
        rowversionOverlap = try c.decodeIfPresent(UInt64.self, forKey: .rowversionOverlap) ?? rowversionOverlap
        barcodeField = try c.decodeIfPresent(String.self, forKey: .barcodeField) ?? barcodeField
        pushWarehouses = try c.decodeIfPresent([String].self, forKey: .pushWarehouses) ?? pushWarehouses
        pushProductClasses = try c.decodeIfPresent([String].self, forKey: .pushProductClasses) ?? pushProductClasses
        pushStockCodes = try c.decodeIfPresent([String].self, forKey: .pushStockCodes) ?? pushStockCodes
        shipbobMasterWarehouses = try c.decodeIfPresent([String].self, forKey: .shipbobMasterWarehouses) ?? shipbobMasterWarehouses
        varianceTolerance = try c.decodeIfPresent(Double.self, forKey: .varianceTolerance) ?? varianceTolerance
        inFlightDays = try c.decodeIfPresent(Int.self, forKey: .inFlightDays) ?? inFlightDays
    }

    /// Whether `push-shipbob-inventory` has anything to keep in ShipBob.
    public var pushSelectsAnything: Bool {
        !pushStockCodes.isEmpty || !pushWarehouses.isEmpty || !pushProductClasses.isEmpty
    }
}

public struct ConfigError: ConnectorError {
    public let file: String
    public let key: String
    public let problem: String

    public init(file: String, key: String, problem: String) { self.file = file; self.key = key; self.problem = problem }

    init(file: String, decoding error: Error) {
        let text = JSON.describe(error)
        if text.hasPrefix("key "), let colon = text.firstIndex(of: ":") {
            self.init(file: file, key: String(text[text.index(text.startIndex, offsetBy: 4)..<colon]),
                      problem: String(text[text.index(after: colon)...]).trimmed)
        } else if text.hasPrefix("key "), text.hasSuffix(" is missing") {
            self.init(file: file, key: String(text.dropFirst(4).dropLast(11)), problem: "is required but missing")
        } else {
            self.init(file: file, key: "(file)", problem: text)
        }
    }

    public var exitStatus: ExitStatus { .config }
    public var description: String { "\(file): \(key) \(problem)" }
}
