/// HubSpot behaviour the client relies on, in one place (docs/vendors/hubspot.md). The path
/// style lives here alone: the date-versioned paths (`/crm/objects/2026-03/`) replace v3,
/// which stops being supported in September 2027.
public enum HubSpotFacts {
    public static func objects(_ type: String) -> String { "crm/v3/objects/\(type)" }
    public static func batch(_ type: String, _ op: String) -> String { "crm/v3/objects/\(type)/batch/\(op)" }
    public static func properties(_ type: String) -> String { "crm/v3/properties/\(type)" }
    public static func associateDefault(_ from: String, _ to: String) -> String { "crm/v4/associations/\(from)/\(to)/batch/associate/default" }

    /// docs/vendors/hubspot.md: at most 100 inputs a batch call.
    public static let batchLimit = 100
    /// docs/vendors/hubspot.md: 401 bodies carry these categories.
    public static let authCategories: Set<String> = ["INVALID_AUTHENTICATION", "EXPIRED_AUTHENTICATION"]
    /// docs/vendors/hubspot.md: the 10-second window the per-app limit counts in.
    public static let window: Double = 10

    public static func batchRead(_ type: String) -> String { batch(type, "read") }
    /// docs/vendors/hubspot.md, "Search": 200 a page, 10,000 a query.
    public static func search(_ type: String) -> String { "crm/v3/objects/\(type)/search" }
    public static let searchLimit = 200
    public static let searchMaxResults = 10_000
    /// The "last modified" property: contacts name it differently from other objects.
    public static func modifiedProperty(_ type: String) -> String { type == ObjectType.contacts ? "lastmodifieddate" : "hs_lastmodifieddate" }
    /// The account's details, `timeZone` among them (docs/vendors/hubspot.md, "Daily limit resets at the account's midnight").
    public static let accountDetails = "account-info/v3/details"
    /// A private app token's scopes (docs/vendors/hubspot.md, "Private app token scopes").
    public static let tokenInfo = "oauth/v2/private-apps/get/access-token-info"
    /// What the sync needs: its objects read and written, custom properties created.
    public static let requiredScopes = ["crm.objects.companies.read", "crm.objects.companies.write", "crm.objects.contacts.read",
                                        "crm.objects.contacts.write", "crm.schemas.companies.write", "crm.schemas.contacts.write"]

    /// A 5xx the shared retry policy does not repeat (it repeats 502, 503, 504): 500 and
    /// the rest, except 501 (the call does not exist) and 505.
    public static func isRetriedServerError(_ status: Int) -> Bool { status >= 500 && status < 600 && ![501, 505].contains(status) }

    /// docs/vendors/hubspot.md, "Batch errors are StandardError": an entry's `status` is the
    /// word "error", so what it means comes from its category; these go again.
    public static let transientCategories: Set<String> = ["RATE_LIMITS", "INTERNAL_ERROR", "SERVICE_UNAVAILABLE", "TIMEOUT"]
    /// The record an id or key names does not exist (deleted, or merged away).
    public static let notFoundCategory = "OBJECT_NOT_FOUND"

    public enum ObjectType {
        public static let companies = "companies", contacts = "contacts", invoices = "invoices", lineItems = "line_items"
    }
}
