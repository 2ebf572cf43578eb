import ConnectorKit
import TimeZones
import ConnectorConfig

/// How the connector reaches SYSPRO e.net and its OData service (config `syspro`, required).
/// Its passwords are secrets, never here.
public struct SysproSettings: VendorSection {
    public static let key = "syspro"
    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))
    public static let absent: SysproSettings? = nil

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

    public var apiURLs: [String] { [restURL, odataURL] }

    public func validate(file: String, config: TenantConfig) throws {
        try ConfigError.checkURL(restURL, file: file, key: "syspro.rest_url")
        try ConfigError.checkURL(odataURL, file: file, key: "syspro.odata_url")
        for (k, v) in [("syspro.operator", `operator`), ("syspro.company_id", companyID),
                       ("syspro.odata_user", odataUser), ("syspro.order_warehouse", orderWarehouse)] where v.trimmed.isEmpty {
            throw ConfigError(file: file, key: k, problem: "expected a non-empty string")
        }
        guard sessionTimeoutMinutes > 0 else {
            throw ConfigError(file: file, key: "syspro.session_timeout_minutes", problem: "expected a positive number of minutes")
        }
        do { _ = try ZoneInfo(identifier: timeZone) }
        catch { throw ConfigError(file: file, key: "syspro.time_zone", problem: error.description) }
        guard (1...5000).contains(odataPageSize) else {
            throw ConfigError(file: file, key: "syspro.odata_page_size", problem: "expected 1 to 5000 (SYSPRO's page limit)")
        }
    }
}

extension TenantConfig {
    public var syspro: SysproSettings {
        get { self[SysproSettings.self] }
        set { self[SysproSettings.self] = newValue }
    }
}
