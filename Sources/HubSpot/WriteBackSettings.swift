import ConnectorKit
import ConnectorConfig

/// Which HubSpot company properties a person may change and have written back to the SYSPRO
/// customer (config `hubspot.write_back`). Off unless a property is named: SYSPRO is the
/// system of record, and a tenant opts in per property.
public struct WriteBackSettings: Codable, Sendable, Equatable {
    /// The properties that may be written back, by their SYSPRO column.
    public static let writable: [String: (property: String, column: String)] = [
        "customer_class": (CompanyProperty.customerClass, "CustomerClass"),
        "terms_code": (CompanyProperty.termsCode, "TermsCode"),
    ]

    /// Names from `writable` (`customer_class`, `terms_code`).
    public var properties: [String] = []
    /// Property-history source types that mean "a person changed it" (docs/vendors/hubspot.md,
    /// "Property history: who changed a value, and when"); anything else (the connector's own
    /// writes, workflows, other integrations) is never written back.
    public var personSources: [String] = ["CRM_UI", "MOBILE_IOS", "MOBILE_ANDROID"]
    /// Minutes the search cursor steps back each run: HubSpot's search index may lag behind
    /// a change for a while, and a change seen twice is recognised by the ledger.
    public var overlapMinutes: Int = 15

    enum CodingKeys: String, CodingKey, CaseIterable {
        case properties, personSources = "person_sources", overlapMinutes = "overlap_minutes"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        properties = try c.decodeIfPresent([String].self, forKey: .properties) ?? properties
        personSources = try c.decodeIfPresent([String].self, forKey: .personSources) ?? personSources
        overlapMinutes = try c.decodeIfPresent(Int.self, forKey: .overlapMinutes) ?? overlapMinutes
    }

    /// The enabled properties as (HubSpot property, SYSPRO column), in a stable order.
    public var enabled: [(property: String, column: String)] { properties.sorted().compactMap { WriteBackSettings.writable[$0] } }

    func validate(file: String) throws {
        for p in properties where WriteBackSettings.writable[p] == nil {
            throw ConfigError(file: file, key: "hubspot.write_back.properties",
                              problem: "\"\(p)\" cannot be written back; expected any of \(WriteBackSettings.writable.keys.sorted().joined(separator: ", "))")
        }
        guard !personSources.isEmpty, personSources.allSatisfy({ !$0.trimmed.isEmpty }) else {
            throw ConfigError(file: file, key: "hubspot.write_back.person_sources", problem: "expected one or more source types such as CRM_UI")
        }
        guard (0...1440).contains(overlapMinutes) else {
            throw ConfigError(file: file, key: "hubspot.write_back.overlap_minutes", problem: "expected 0 to 1440 minutes")
        }
    }
}
