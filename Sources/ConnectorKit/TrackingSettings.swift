/// How ShipBob shipment events show on the SYSPRO sales order (config `tracking`).
/// api-notes: SYSPRO has no tracking-number field, so the text goes into sales-order header
/// fields through a SORTOI change; which ones, and which order status each shipment state
/// means, is the tenant's choice.
public struct TrackingSettings: Codable, Sendable, Equatable {
    /// The shipment states an order can be in, as the connector names them.
    public static let states = ["shipped", "delivered", "cancelled", "on_hold", "exception"]

    /// Defaults: shipped and delivered complete the order (9: ShipBob has shipped the goods,
    /// and SYSPRO relieves stock at 9, which the inventory jobs rely on); a cancelled order is
    /// cancelled (`\`); on hold suspends it (S: ShipBob will not ship it until a person acts);
    /// an exception (mostly out of stock at ShipBob) leaves the status alone, since SYSPRO's
    /// back-order statuses describe SYSPRO's own stock, not ShipBob's.
    public static let defaultStatusMap: [String: String?] = [
        "shipped": "9", "delivered": "9", "cancelled": "\\", "on_hold": "S", "exception": nil,
    ]

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
        trackingField = try c.decodeIfPresent(String.self, forKey: .trackingField) ?? "SpecialInstrs"
        if c.contains(.datesField) { datesField = try c.decodeIfPresent(String.self, forKey: .datesField) }
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength) ?? 30
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(statusMap, forKey: .statusMap)
        try c.encode(trackingField, forKey: .trackingField)
        try c.encode(datesField, forKey: .datesField)
        try c.encode(maxLength, forKey: .maxLength)
    }

    /// The order status for a state, `nil` to leave it.
    public func status(for state: String) -> String? { statusMap[state] ?? nil }

    func validate(file: String) throws {
        // The header fields a SORTOI change can set here (api-notes, SORTOI), and SYSPRO's
        // status codes (api-notes, SORTOS); kept literal so ConnectorKit needs no Syspro.
        let fields: Set<String> = ["ShippingInstrs", "SpecialInstrs"]
        let statuses: Set<String> = ["0", "1", "2", "3", "4", "8", "9", "*", "\\", "S", "F"]
        for (state, status) in statusMap {
            guard TrackingSettings.states.contains(state) else {
                throw ConfigError(file: file, key: "tracking.status_map.\(state)", problem: "is not a shipment state (\(TrackingSettings.states.joined(separator: ", ")))")
            }
            if let status, !statuses.contains(status) {
                throw ConfigError(file: file, key: "tracking.status_map.\(state)", problem: "expected a SYSPRO order status (0-4, 8, 9, *, \\, S, F) or null, found \"\(status)\"")
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

/// `shipbob-to-syspro --reconcile` (config `reconcile`).
public struct ReconcileSettings: Codable, Sendable, Equatable {
    /// How far below its cursor each run re-reads ShipBob orders: an order updated just
    /// before the previous run's ceiling may only become visible after it.
    public var overlapMinutes: Int = 120

    enum CodingKeys: String, CodingKey, CaseIterable { case overlapMinutes = "overlap_minutes" }

    public init() {}
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        overlapMinutes = try c.decodeIfPresent(Int.self, forKey: .overlapMinutes) ?? 120
    }
}
