import ConnectorKit
import Syspro
import ConnectorConfig

/// How ShipBob shipment events show on the SYSPRO sales order (config `tracking`).
/// docs/vendors/syspro.md: SYSPRO has no tracking-number field, so the text goes into sales-order header
/// fields through a SORTOI change; which ones, and which order status each shipment state
/// means, is the tenant's choice.
public struct TrackingSettings: ConfigSection {
    public static let key = "tracking"
    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))
    public static let absent: TrackingSettings? = TrackingSettings()

    /// The shipment states an order can be in, as the connector names them.
    public static let states = ["shipped", "delivered", "cancelled", "on_hold", "exception"]

    /// Defaults: on hold suspends the order (S: ShipBob will not ship it until a person
    /// acts); an exception (mostly out of stock at ShipBob) leaves the status alone, since
    /// SYSPRO's back-order statuses describe SYSPRO's own stock, not ShipBob's. Shipped,
    /// delivered and cancelled are not statuses: a shipment becomes a dispatch note and a
    /// cancelled order goes through SORTOX (config `orders`; docs/vendors/syspro.md,
    /// "SORTOS sets only 1, 2, 3, 4, 8, 9 and S").
    public static let defaultStatusMap: [String: String?] = ["on_hold": "S", "exception": nil]

    /// What the previous release mapped shipped, delivered and cancelled to (9, 9, `\`).
    /// A config.json naming them with these values (or null) still loads, and they mean
    /// nothing now; any other value is refused, since it asks for something not done.
    static let lifecycleStates: [String: Set<String>] = ["shipped": ["9"], "delivered": ["9"], "cancelled": ["\\", "*"]]

    /// State -> SYSPRO order status, `nil` = leave the status. Keys given in config.json
    /// replace the default for that state; the others keep their default.
    public var statusMap: [String: String?] = TrackingSettings.defaultStatusMap
    /// Header field for carrier and tracking numbers. SpecialInstrs by default: ShippingInstrs
    /// already holds "ShipBob <reference>" from the import.
    public var trackingField: String = "SpecialInstrs"
    /// Header field for shipped/delivered dates; `null` in config.json writes no dates.
    public var datesField: String? = "ShippingInstrs"
    /// Longest text written to either field. 30: both SorMaster columns are 30 characters in
    /// the schema dumps (unconfirmed), and SYSPRO would cut a longer value silently.
    public var maxLength: Int = 30

    enum CodingKeys: String, CodingKey, CaseIterable {
        case statusMap = "status_map", trackingField = "tracking_field", datesField = "dates_field", maxLength = "max_length"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let given = try c.decodeIfPresent([String: String?].self, forKey: .statusMap) ?? [:]
        statusMap = TrackingSettings.defaultStatusMap.merging(given) { _, new in new }
        trackingField = try c.decodeIfPresent(String.self, forKey: .trackingField) ?? trackingField
        if c.contains(.datesField) { datesField = try c.decodeIfPresent(String.self, forKey: .datesField) }
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength) ?? maxLength
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(statusMap, forKey: .statusMap)
        try c.encode(trackingField, forKey: .trackingField)
        try c.encode(datesField, forKey: .datesField)
        try c.encode(maxLength, forKey: .maxLength)
    }

    /// The order status for a state, `nil` to leave it; always `nil` for the states the
    /// order lifecycle handles (shipped, delivered, cancelled).
    public func status(for state: String) -> String? {
        TrackingSettings.lifecycleStates[state] == nil ? statusMap[state] ?? nil : nil
    }

    public func validate(file: String, config: TenantConfig) throws {
        // The header fields a SORTOI change can set here (docs/vendors/syspro.md, SORTOI), and the statuses
        // SORTOS can set (docs/vendors/syspro.md, "SORTOS sets only 1, 2, 3, 4, 8, 9 and S").
        let fields = SalesOrderTracking.textFields
        let statuses = SysproFacts.settableSalesOrderStatuses
        for (state, status) in statusMap {
            guard TrackingSettings.states.contains(state) else {
                throw ConfigError(file: file, key: "tracking.status_map.\(state)", problem: "is not a shipment state (\(TrackingSettings.states.joined(separator: ", ")))")
            }
            if let legacy = TrackingSettings.lifecycleStates[state] {
                if let status, !legacy.contains(status) {
                    throw ConfigError(file: file, key: "tracking.status_map.\(state)",
                                      problem: "is no longer a status: shipped orders get dispatch notes (orders.on_shipped) and cancelled ones are cancelled through SORTOX; remove the key")
                }
                continue
            }
            if let status, !statuses.contains(status) {
                throw ConfigError(file: file, key: "tracking.status_map.\(state)", problem: "expected a status SORTOS can set (1, 2, 3, 4, 8, 9, S) or null, found \"\(status)\"")
            }
        }
        guard fields.contains(trackingField) else {
            throw ConfigError(file: file, key: "tracking.tracking_field", problem: "expected ShippingInstrs or SpecialInstrs")
        }
        if let datesField {
            guard fields.contains(datesField), datesField != trackingField else {
                throw ConfigError(file: file, key: "tracking.dates_field", problem: "expected the other of ShippingInstrs and SpecialInstrs, or null")
            }
        }
        guard (10...254).contains(maxLength) else {
            throw ConfigError(file: file, key: "tracking.max_length", problem: "expected 10 to 254 characters")
        }
    }
}

extension TenantConfig {
    public var tracking: TrackingSettings {
        get { self[TrackingSettings.self] }
        set { self[TrackingSettings.self] = newValue }
    }
}
