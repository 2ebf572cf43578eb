import TimeZones

/// A tenant's `config.json`: one SYSPRO instance and its partners. No secrets live
/// here (they are in `secrets.json`, sealed). Every validation error names the file,
/// the key and what was expected, and maps to exit status 78.
public struct TenantConfig: Codable, Sendable, Equatable {
    public var syspro: SysproSettings
    public var shipbob: ShipBobSettings
    public var webhook: WebhookSettings
    public var http: HTTPSettings
    public var mappings: Mappings
    public var inventory: InventorySettings
    public var tracking: TrackingSettings
    public var orders: OrdersSettings
    public var reconcile: ReconcileSettings
    public var hubspot: HubSpotSettings
    public var twilio: TwilioSettings
    public var alerts: AlertSettings
    public var monitor: MonitorSettings
    public var movements: MovementSettings = .init()

    enum CodingKeys: String, CodingKey, CaseIterable { case syspro, shipbob, webhook, http, mappings, inventory, tracking, orders, reconcile, hubspot, twilio, alerts, monitor, movements }

    public init(syspro: SysproSettings, shipbob: ShipBobSettings, webhook: WebhookSettings = .init(),
                http: HTTPSettings = .init(), mappings: Mappings = .init(), inventory: InventorySettings = .init(),
                tracking: TrackingSettings = .init(), orders: OrdersSettings = .init(), reconcile: ReconcileSettings = .init(), hubspot: HubSpotSettings = .init(),
                twilio: TwilioSettings = .init(), alerts: AlertSettings = .init(), monitor: MonitorSettings = .init()) {
        self.syspro = syspro; self.shipbob = shipbob; self.webhook = webhook; self.http = http; self.mappings = mappings
        self.inventory = inventory; self.tracking = tracking; self.orders = orders; self.reconcile = reconcile; self.hubspot = hubspot
        self.twilio = twilio; self.alerts = alerts; self.monitor = monitor
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        syspro = try c.decode(SysproSettings.self, forKey: .syspro)
        shipbob = try c.decode(ShipBobSettings.self, forKey: .shipbob)
        webhook = try c.decodeIfPresent(WebhookSettings.self, forKey: .webhook) ?? .init()
        http = try c.decodeIfPresent(HTTPSettings.self, forKey: .http) ?? .init()
        mappings = try c.decodeIfPresent(Mappings.self, forKey: .mappings) ?? .init()
        inventory = try c.decodeIfPresent(InventorySettings.self, forKey: .inventory) ?? .init()
        tracking = try c.decodeIfPresent(TrackingSettings.self, forKey: .tracking) ?? .init()
        orders = try c.decodeIfPresent(OrdersSettings.self, forKey: .orders) ?? .init()
        reconcile = try c.decodeIfPresent(ReconcileSettings.self, forKey: .reconcile) ?? .init()
        hubspot = try c.decodeIfPresent(HubSpotSettings.self, forKey: .hubspot) ?? .init()
        twilio = try c.decodeIfPresent(TwilioSettings.self, forKey: .twilio) ?? .init()
        alerts = try c.decodeIfPresent(AlertSettings.self, forKey: .alerts) ?? .init()
        monitor = try c.decodeIfPresent(MonitorSettings.self, forKey: .monitor) ?? .init()
        movements = try c.decodeIfPresent(MovementSettings.self, forKey: .movements) ?? movements
    }

    /// Loads and validates `config.json`; any problem is a `ConfigError`.
    public static func load(_ path: String) throws -> TenantConfig {
        guard Posix.exists(path) else {
            throw ConfigError(file: path, key: "(file)", problem: "does not exist; run `ml-connector init`")
        }
        let data = try Posix.readFile(path)
        let raw: JSONValue
        do { raw = try JSONValue.parse(data) } catch { throw ConfigError(file: path, key: "(file)", problem: "is not valid JSON") }
        try rejectUnknownKeys(raw, file: path)
        let config: TenantConfig
        do { config = try JSON.decoder.decode(TenantConfig.self, from: data) }
        catch { throw ConfigError(file: path, decoding: error) }
        try config.validate(file: path)
        return config
    }

    public func validate(file: String) throws {
        func url(_ key: String, _ value: String) throws {
            guard let u = URL(string: value), let scheme = u.scheme, ["http", "https"].contains(scheme), u.host != nil else {
                throw ConfigError(file: file, key: key, problem: "expected an http(s) URL, found \"\(value)\"")
            }
        }
        try url("syspro.rest_url", syspro.restURL)
        try url("syspro.odata_url", syspro.odataURL)
        try url("shipbob.api_url", shipbob.apiURL)
        if let u = webhook.publicURL { try url("webhook.public_url", u) }
        if let t = shipbob.tokenURL { try url("shipbob.token_url", t) }
        for (k, v) in [("syspro.operator", syspro.operator), ("syspro.company_id", syspro.companyID),
                       ("syspro.odata_user", syspro.odataUser), ("syspro.order_warehouse", syspro.orderWarehouse)] where v.trimmed.isEmpty {
            throw ConfigError(file: file, key: k, problem: "expected a non-empty string")
        }
        guard syspro.sessionTimeoutMinutes > 0 else {
            throw ConfigError(file: file, key: "syspro.session_timeout_minutes", problem: "expected a positive number of minutes")
        }
        do { _ = try ZoneInfo(identifier: syspro.timeZone) }
        catch { throw ConfigError(file: file, key: "syspro.time_zone", problem: error.description) }
        guard (1...5000).contains(syspro.odataPageSize) else {
            throw ConfigError(file: file, key: "syspro.odata_page_size", problem: "expected 1 to 5000 (SYSPRO's page limit)")
        }
        if shipbob.auth == .oauth {
            guard shipbob.tokenURL != nil else { throw ConfigError(file: file, key: "shipbob.token_url", problem: "is required when shipbob.auth is \"oauth\"") }
            guard let id = shipbob.clientID, !id.isEmpty else { throw ConfigError(file: file, key: "shipbob.client_id", problem: "is required when shipbob.auth is \"oauth\"") }
        }
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
        try tracking.validate(file: file)
        try orders.validate(file: file)
        try url("hubspot.api_url", hubspot.apiURL)
        try hubspot.validate(file: file)
        try url("twilio.api_url", twilio.apiURL)
        if let u = twilio.statusCallbackURL { try url("twilio.status_callback_url", u) }
        try twilio.validate(file: file, needed: !alerts.rules.isEmpty)
        try alerts.validate(file: file)
        try monitor.validate(file: file)
        try movements.validate(file: file)
        guard reconcile.overlapMinutes >= 0 else {
            throw ConfigError(file: file, key: "reconcile.overlap_minutes", problem: "expected zero or more minutes")
        }
    }

    /// A misspelt key silently ignored is a mapping that silently does not apply.
    static func rejectUnknownKeys(_ raw: JSONValue, file: String) throws {
        let known: [String: Set<String>] = [
            "": Set(CodingKeys.allCases.map(\.rawValue)),
            "syspro": Set(SysproSettings.CodingKeys.allCases.map(\.rawValue)),
            "shipbob": Set(ShipBobSettings.CodingKeys.allCases.map(\.rawValue)),
            "webhook": Set(WebhookSettings.CodingKeys.allCases.map(\.rawValue)),
            "http": Set(HTTPSettings.CodingKeys.allCases.map(\.rawValue)),
            "mappings": Set(Mappings.CodingKeys.allCases.map(\.rawValue)),
            "inventory": Set(InventorySettings.CodingKeys.allCases.map(\.rawValue)),
            "tracking": Set(TrackingSettings.CodingKeys.allCases.map(\.rawValue)),
            "orders": Set(OrdersSettings.CodingKeys.allCases.map(\.rawValue)),
            "reconcile": Set(ReconcileSettings.CodingKeys.allCases.map(\.rawValue)),
            "hubspot": Set(HubSpotSettings.CodingKeys.allCases.map(\.rawValue)),
            "twilio": Set(TwilioSettings.CodingKeys.allCases.map(\.rawValue)),
            "alerts": Set(AlertSettings.CodingKeys.allCases.map(\.rawValue)),
            "monitor": Set(MonitorSettings.CodingKeys.allCases.map(\.rawValue)),
            "movements": Set(MovementSettings.CodingKeys.allCases.map(\.rawValue)),
        ]
        guard let top = raw.object else { throw ConfigError(file: file, key: "(top level)", problem: "expected an object") }
        for (k, v) in top {
            guard known[""]!.contains(k) else { throw ConfigError(file: file, key: k, problem: "is not a known setting") }
            if let section = v.object, let allowed = known[k] {
                for sk in section.keys where !allowed.contains(sk) {
                    throw ConfigError(file: file, key: "\(k).\(sk)", problem: "is not a known setting")
                }
            }
        }
        let writeBackKeys = Set(WriteBackSettings.CodingKeys.allCases.map(\.rawValue))
        for k in top["hubspot"]?["write_back"]?.object?.keys.sorted() ?? [] where !writeBackKeys.contains(k) {
            throw ConfigError(file: file, key: "hubspot.write_back.\(k)", problem: "is not a known setting")
        }
        let ruleKeys = Set(AlertRule.CodingKeys.allCases.map(\.rawValue))
        for (i, rule) in (top["alerts"]?["rules"]?.array ?? []).enumerated() {
            for k in rule.object?.keys.sorted() ?? [] where !ruleKeys.contains(k) {
                throw ConfigError(file: file, key: "alerts.rules[\(i)].\(k)", problem: "is not a known setting")
            }
        }
    }
}

public struct SysproSettings: Codable, Sendable, Equatable {
    /// e.net REST base, e.g. `https://erp.example.com:31002/SYSPROWCFService/Rest`.
    public var restURL: String
    /// OData service root (path unconfirmed across versions: configurable).
    public var odataURL: String
    public var `operator`: String
    public var companyID: String
    public var odataUser: String
    /// Warehouse each imported sales-order line is taken from.
    public var orderWarehouse: String
    public var sessionTimeoutMinutes: Int = 30
    /// IANA zone of the SYSPRO server: its dates are local to it.
    public var timeZone: String = "UTC"
    public var odataPageSize: Int = 5000

    enum CodingKeys: String, CodingKey, CaseIterable {
        case restURL = "rest_url", odataURL = "odata_url", `operator`, companyID = "company_id"
        case odataUser = "odata_user", orderWarehouse = "order_warehouse"
        case sessionTimeoutMinutes = "session_timeout_minutes", timeZone = "time_zone", odataPageSize = "odata_page_size"
    }

    public init(restURL: String, odataURL: String, operator: String, companyID: String, odataUser: String, orderWarehouse: String) {
        self.restURL = restURL; self.odataURL = odataURL; self.operator = `operator`; self.companyID = companyID
        self.odataUser = odataUser; self.orderWarehouse = orderWarehouse
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        restURL = try c.decode(String.self, forKey: .restURL)
        odataURL = try c.decode(String.self, forKey: .odataURL)
        `operator` = try c.decode(String.self, forKey: .operator)
        companyID = try c.decode(String.self, forKey: .companyID)
        odataUser = try c.decode(String.self, forKey: .odataUser)
        orderWarehouse = try c.decode(String.self, forKey: .orderWarehouse)
        sessionTimeoutMinutes = try c.decodeIfPresent(Int.self, forKey: .sessionTimeoutMinutes) ?? sessionTimeoutMinutes
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone) ?? timeZone
        odataPageSize = try c.decodeIfPresent(Int.self, forKey: .odataPageSize) ?? odataPageSize
    }
}

public struct ShipBobSettings: Codable, Sendable, Equatable {
    public enum Auth: String, Codable, Sendable { case pat, oauth }
    /// Versioned API root, e.g. `https://api.shipbob.com/2026-07`.
    public var apiURL: String
    public var auth: Auth
    public var tokenURL: String?
    public var clientID: String?
    /// Sent as the `shipbob_channel_id` header on writes.
    public var channelID: Int64?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case apiURL = "api_url", auth, tokenURL = "token_url", clientID = "client_id", channelID = "channel_id"
    }

    public init(apiURL: String, auth: Auth, tokenURL: String? = nil, clientID: String? = nil, channelID: Int64? = nil) {
        self.apiURL = apiURL; self.auth = auth; self.tokenURL = tokenURL; self.clientID = clientID; self.channelID = channelID
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiURL = try c.decode(String.self, forKey: .apiURL)
        let kind = try c.decode(String.self, forKey: .auth)
        guard let auth = Auth(rawValue: kind) else {
            throw DecodingError.dataCorruptedError(forKey: .auth, in: c, debugDescription: "expected \"pat\" or \"oauth\", found \"\(kind)\"")
        }
        self.auth = auth
        tokenURL = try c.decodeIfPresent(String.self, forKey: .tokenURL)
        clientID = try c.decodeIfPresent(String.self, forKey: .clientID)
        channelID = try c.decodeIfPresent(Int64.self, forKey: .channelID)
    }
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
