/// HubSpot behaviour the client relies on, in one place (api-notes, HubSpot). The path
/// style lives here alone: api-notes says the date-versioned paths (`/crm/objects/2026-03/`)
/// replace v3, which stops being supported in September 2027.
public enum HubSpotFacts {
    public static func objects(_ type: String) -> String { "crm/v3/objects/\(type)" }
    public static func batch(_ type: String, _ op: String) -> String { "crm/v3/objects/\(type)/batch/\(op)" }
    public static func properties(_ type: String) -> String { "crm/v3/properties/\(type)" }
    public static func associateDefault(_ from: String, _ to: String) -> String { "crm/v4/associations/\(from)/\(to)/batch/associate/default" }

    /// api-notes: at most 100 inputs a batch call.
    public static let batchLimit = 100
    /// api-notes: 401 bodies carry these categories.
    public static let authCategories: Set<String> = ["INVALID_AUTHENTICATION", "EXPIRED_AUTHENTICATION"]
    /// api-notes: the 10-second window the per-app limit counts in.
    public static let window: Double = 10

    public enum ObjectType {
        public static let companies = "companies", contacts = "contacts", invoices = "invoices", lineItems = "line_items"
    }
}
