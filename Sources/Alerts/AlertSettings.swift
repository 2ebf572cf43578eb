import ConnectorKit
import Twilio
import WebhookCore
import ConnectorConfig

/// What `po-alerts-twilio` watches and whom it tells (config `alerts`). A rule names a
/// SYSPRO table, the column whose change is the event, the values that qualify, a template
/// and recipients; watching another table (requisitions, journals) is one more rule.
///
/// Recipients are names, never numbers: a person's number is a secret (`phone.<name>`,
/// `ml-connector secret set phone.kmo`), because config.json is plain text and phone
/// numbers are personal data. A group (`groups`) names people.
public struct AlertSettings: ConfigSection {
    public static let key = "alerts"
    public static let knownKeys = Set(CodingKeys.allCases.map(\.rawValue))
    public static let absent: AlertSettings? = AlertSettings()

    public var rules: [AlertRule] = []
    /// Group name -> the people in it.
    public var groups: [String: [String]] = [:]
    /// Longest SMS body; longer renderings are cut with "…". Twilio refuses more than 1,600
    /// characters (21617, docs/vendors/twilio.md); 320 is two GSM-7 segments.
    public var maxLength: Int = 320

    enum CodingKeys: String, CodingKey, CaseIterable { case rules, groups, maxLength = "max_length" }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        rules = try c.decodeIfPresent([AlertRule].self, forKey: .rules) ?? rules
        groups = try c.decodeIfPresent([String: [String]].self, forKey: .groups) ?? groups
        maxLength = try c.decodeIfPresent(Int.self, forKey: .maxLength) ?? maxLength
    }

    /// The secret holding a person's number.
    public static func phoneSecret(_ person: String) -> String { "phone.\(person)" }

    /// Letters, digits, `-` and `_`: names end up in outbox ids and secret names.
    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.count <= 64 && s.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x41...0x5a).contains($0) || (0x61...0x7a).contains($0) || $0 == 0x2d || $0 == 0x5f }
    }

    /// The people a recipient list reaches, each once, in the order named.
    public func people(_ recipients: [String]) -> [String] {
        var out: [String] = []
        for r in recipients {
            for p in groups[r] ?? [r] where !out.contains(p) { out.append(p) }
        }
        return out
    }

    /// `alerts.rules[i]` are objects of their own.
    public static func rejectUnknownNestedKeys(_ section: JSONValue, file: String) throws {
        let known = Set(AlertRule.CodingKeys.allCases.map(\.rawValue))
        for (i, rule) in (section["rules"]?.array ?? []).enumerated() {
            for k in rule.object?.keys.sorted() ?? [] where !known.contains(k) {
                throw ConfigError(file: file, key: "alerts.rules[\(i)].\(k)", problem: "is not a known setting")
            }
        }
    }

    /// Rules need a Twilio account and sender (`twilio`, loaded with this section); a tenant
    /// without rules needs no Twilio account.
    public func validate(file: String, config: TenantConfig) throws {
        if !rules.isEmpty {
            let twilio = config.twilio
            guard twilio.accountSid != nil else { throw ConfigError(file: file, key: "twilio.account_sid", problem: "is required when alerts.rules is not empty") }
            guard twilio.from != nil || twilio.messagingServiceSid != nil else {
                throw ConfigError(file: file, key: "twilio.from", problem: "twilio.from or twilio.messaging_service_sid is required when alerts.rules is not empty")
            }
        }
        guard (1...1600).contains(maxLength) else {
            throw ConfigError(file: file, key: "alerts.max_length", problem: "expected 1 to 1600 characters (Twilio's limit)")
        }
        for (g, members) in groups {
            guard AlertSettings.isName(g) else { throw ConfigError(file: file, key: "alerts.groups.\(g)", problem: "expected a name of letters, digits, - and _") }
            guard !members.isEmpty else { throw ConfigError(file: file, key: "alerts.groups.\(g)", problem: "expected at least one person") }
            for m in members where !AlertSettings.isName(m) || groups[m] != nil {
                throw ConfigError(file: file, key: "alerts.groups.\(g)", problem: "\"\(m)\" is not a person's name (letters, digits, - and _; not another group)")
            }
        }
        var names: Set<String> = []
        for (i, r) in rules.enumerated() {
            let at = "alerts.rules[\(i)]"
            guard AlertSettings.isName(r.name) else { throw ConfigError(file: file, key: "\(at).name", problem: "expected a name of letters, digits, - and _") }
            guard names.insert(r.name).inserted else { throw ConfigError(file: file, key: "\(at).name", problem: "\"\(r.name)\" names two rules") }
            try r.validate(file: file, at: at)
            for p in people(r.recipients) where !AlertSettings.isName(p) {
                throw ConfigError(file: file, key: "\(at).recipients", problem: "\"\(p)\" is neither a group nor a person's name")
            }
        }
    }
}

/// One alert: when `watch` in a row of `table` changes from one of `from` to one of `to`
/// (and to none of `not_to`), send `template` to `recipients`. A row the job has never
/// seen counts as changing from "" (its first run only learns what is there).
public struct AlertRule: Codable, Sendable, Equatable {
    public var name: String
    /// The OData entity set, e.g. PorMasterHdr.
    public var table: String
    /// Its key columns, e.g. ["Supplier", "Invoice"].
    public var key: [String]
    public var watch: String
    public var from: [String]?
    public var to: [String]?
    public var notTo: [String]?
    /// Lines joined on the key, for `{LineCount}` and `{Total}` (quantity × price).
    public var lines: Lines?
    /// Rows of other tables joined on one column, for their fields in the template.
    public var lookups: [Lookup] = []
    /// `{Column}`, `{Column:2}` (two decimals), `{Column:date}` (YYYY-MM-DD), `{LineCount}`,
    /// `{Total}`, `{From}`, `{To}`, `{Rule}`.
    public var template: String
    public var recipients: [String]

    public struct Lines: Codable, Sendable, Equatable {
        public var table: String
        public var quantity: String
        public var price: String
        public init(table: String, quantity: String, price: String) { self.table = table; self.quantity = quantity; self.price = price }
    }

    public struct Lookup: Codable, Sendable, Equatable {
        public var table: String
        /// The column both tables share, e.g. Supplier.
        public var key: String
        public var fields: [String]
        public init(table: String, key: String, fields: [String]) { self.table = table; self.key = key; self.fields = fields }
    }

    public init(name: String, table: String, key: [String], watch: String, from: [String]? = nil, to: [String]? = nil,
                notTo: [String]? = nil, lines: Lines? = nil, lookups: [Lookup] = [], template: String, recipients: [String]) {
        self.name = name; self.table = table; self.key = key; self.watch = watch; self.from = from; self.to = to
        self.notTo = notTo; self.lines = lines; self.lookups = lookups; self.template = template; self.recipients = recipients
    }

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, table, key, watch, from, to, notTo = "not_to", lines, lookups, template, recipients
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        table = try c.decode(String.self, forKey: .table)
        key = try c.decode([String].self, forKey: .key)
        watch = try c.decode(String.self, forKey: .watch)
        from = try c.decodeIfPresent([String].self, forKey: .from)
        to = try c.decodeIfPresent([String].self, forKey: .to)
        notTo = try c.decodeIfPresent([String].self, forKey: .notTo)
        lines = try c.decodeIfPresent(Lines.self, forKey: .lines)
        lookups = try c.decodeIfPresent([Lookup].self, forKey: .lookups) ?? lookups
        template = try c.decode(String.self, forKey: .template)
        recipients = try c.decode([String].self, forKey: .recipients)
    }

    /// Whether a change of the watched value from `old` ("" when never seen) to `new` is this rule's event.
    public func matches(from old: String, to new: String) -> Bool {
        old != new && (from?.contains(old) ?? true) && (to?.contains(new) ?? true) && !(notTo?.contains(new) ?? false)
    }

    func validate(file: String, at: String) throws {
        func column(_ k: String, _ v: String) throws {
            guard AlertSettings.isName(v) else { throw ConfigError(file: file, key: "\(at).\(k)", problem: "expected a SYSPRO table or column name, found \"\(v)\"") }
        }
        try column("table", table)
        try column("watch", watch)
        guard !key.isEmpty else { throw ConfigError(file: file, key: "\(at).key", problem: "expected the table's key columns") }
        for k in key { try column("key", k) }
        if let lines { for v in [lines.table, lines.quantity, lines.price] { try column("lines", v) } }
        for l in lookups { for v in [l.table, l.key] + l.fields { try column("lookups", v) } }
        guard !recipients.isEmpty else { throw ConfigError(file: file, key: "\(at).recipients", problem: "expected at least one group or person") }
        guard !template.trimmed.isEmpty else { throw ConfigError(file: file, key: "\(at).template", problem: "expected the message text") }
        if to == nil, notTo == nil, from == nil {
            throw ConfigError(file: file, key: "\(at)", problem: "expected from, to or not_to: a rule without any alerts on every change of \(watch)")
        }
    }
}

extension TenantConfig {
    public var alerts: AlertSettings {
        get { self[AlertSettings.self] }
        set { self[AlertSettings.self] = newValue }
    }
}
