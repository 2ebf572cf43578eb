import ConnectorKit
import TimeZones
import WebhookCore
import ConnectorConfig

/// How `syspro-to-hubspot` reaches HubSpot and how hard it may push (config `hubspot`).
/// The token is a secret (`hubspot_token`), never here.
public struct HubSpotSettings: VendorSection {
    public static let key = "hubspot"
    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))
    public static let absent: HubSpotSettings? = HubSpotSettings()

    /// docs/vendors/hubspot.md, "Rate limits": per app per 10 s 100 (Free/Starter), 190
    /// (Professional/Enterprise), 250 (with the limit increase); per account per day
    /// 250k / 625k / 1M.
    public static let tiers: [String: (perTenSeconds: Int, daily: Int)] = [
        "free": (100, 250_000), "starter": (100, 250_000), "professional": (190, 625_000),
        "enterprise": (190, 625_000), "increase": (250, 1_000_000),
    ]

    /// `https://api.hubapi.com` (the sandbox serves it under `/hubspot`).
    public var apiURL: String = "https://api.hubapi.com"
    /// The account's tier: sets the 10-second and daily budgets.
    public var tier: String = "starter"
    /// Use less than the whole budget, leaving room for other apps on the same account.
    public var budgetShare: Double = 1
    /// ArCustomer.Currency and ArInvoice.Currency -> ISO code HubSpot takes in hs_currency
    /// (SYSPRO sites use their own currency codes, e.g. `$`). Unmapped codes pass through.
    public var currencyCodes: [String: String] = [:]
    /// ArCustomer.TermsCode -> days until due: SYSPRO's ArInvoice has no DueDate (docs/vendors/syspro.md).
    public var termsDays: [String: Int] = [:]
    /// The account's time zone (IANA name, e.g. `America/New_York`): HubSpot's daily limit
    /// resets at midnight there. Unset: read once from the account (`GET
    /// /account-info/v3/details`), or UTC if the token may not read it.
    public var timeZone: String?
    /// `hubspot-to-syspro`: what a person's edit in HubSpot may change in SYSPRO.
    public var writeBack = WriteBackSettings()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case apiURL = "api_url", tier, budgetShare = "budget_share", currencyCodes = "currency_codes", termsDays = "terms_days"
        case timeZone = "time_zone", writeBack = "write_back"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        apiURL = try c.decodeIfPresent(String.self, forKey: .apiURL) ?? apiURL
        tier = try c.decodeIfPresent(String.self, forKey: .tier) ?? tier
        budgetShare = try c.decodeIfPresent(Double.self, forKey: .budgetShare) ?? budgetShare
        currencyCodes = try c.decodeIfPresent([String: String].self, forKey: .currencyCodes) ?? currencyCodes
        termsDays = try c.decodeIfPresent([String: Int].self, forKey: .termsDays) ?? termsDays
        timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        writeBack = try c.decodeIfPresent(WriteBackSettings.self, forKey: .writeBack) ?? writeBack
    }

    /// Calls per 10-second window and per day this tenant may spend.
    public var perTenSeconds: Int { max(1, Int(Double(HubSpotSettings.tiers[tier]?.perTenSeconds ?? 100) * budgetShare)) }
    public var daily: Int { max(1, Int(Double(HubSpotSettings.tiers[tier]?.daily ?? 250_000) * budgetShare)) }

    public var apiURLs: [String] { [apiURL] }

    /// `hubspot.write_back` is an object of its own.
    public static func rejectUnknownNestedKeys(_ section: JSONValue, file: String) throws {
        let known = Set(WriteBackSettings.CodingKeys.allCases.map(\.rawValue))
        for k in section["write_back"]?.object?.keys.sorted() ?? [] where !known.contains(k) {
            throw ConfigError(file: file, key: "hubspot.write_back.\(k)", problem: "is not a known setting")
        }
    }

    public func validate(file: String, config: TenantConfig) throws {
        try ConfigError.checkURL(apiURL, file: file, key: "hubspot.api_url")
        guard HubSpotSettings.tiers[tier] != nil else {
            throw ConfigError(file: file, key: "hubspot.tier", problem: "expected one of \(HubSpotSettings.tiers.keys.sorted().joined(separator: ", ")), found \"\(tier)\"")
        }
        guard budgetShare > 0, budgetShare <= 1 else {
            throw ConfigError(file: file, key: "hubspot.budget_share", problem: "expected a fraction above 0 and at most 1")
        }
        if let timeZone {
            do { _ = try ZoneInfo(identifier: timeZone) } catch {
                throw ConfigError(file: file, key: "hubspot.time_zone", problem: "expected an IANA time zone name such as America/New_York: \(error)")
            }
        }
        try writeBack.validate(file: file)
        for (code, days) in termsDays where days < 0 {
            throw ConfigError(file: file, key: "hubspot.terms_days.\(code)", problem: "expected zero or more days")
        }
    }
}

extension TenantConfig {
    public var hubspot: HubSpotSettings {
        get { self[HubSpotSettings.self] }
        set { self[HubSpotSettings.self] = newValue }
    }
}
