import ConnectorKit
import ConnectorNet
import HubSpot
import Syspro
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig

/// One pass of `hubspot-to-syspro`: HubSpot companies modified since the cursor (less the
/// overlap), the history of each opted-in property, and for each person's edit that is
/// HubSpot's latest word, the rule of `WriteBackDecision` against the SYSPRO customer; what
/// it writes goes through ARSSCS `Setup/Update`, one post per customer. Each edit is
/// recorded in the ledger before the post (`posting`) and after (`applied`, `kept`,
/// `refused`), with one audit line when it ends, so a crash anywhere neither loses an edit
/// nor writes it twice: a `posting` edit is read back from SYSPRO on the next run (the post
/// sets values, so sending it again is harmless). Refused edits wait in
/// `outbox/syspro/failed/` for `ml-connector replay --source syspro`.
public struct WriteBackPass {
    public struct Cursor: Codable, Sendable, Equatable {
        /// hs_lastmodifieddate (ms) the next search starts from, before the overlap.
        public var modifiedMillis: Int64
        public init(modifiedMillis: Int64) { self.modifiedMillis = modifiedMillis }
    }

    public struct Summary: Sendable, Equatable {
        public var companies = 0, applied = 0, kept = 0, refused = 0, pending = 0
        public init() {}
    }

    public static let job = "hubspot-to-syspro"
    /// The config sections the job reads, besides ConnectorConfig's.
    public static var configSections: [any ConfigSection.Type] { [SysproSettings.self, HubSpotSettings.self] }
    static let companies = HubSpotFacts.ObjectType.companies

    let crm: HubSpotClient
    let syspro: SysproClient
    let odata: ODataClient
    let amendments: CustomerAmendments
    let settings: WriteBackSettings
    let ledger: JournaledMap<WriteBackRecord>
    let audit: AuditLog
    let outbox: SpoolQueue
    let logger: Logger

    public init(crm: HubSpotClient, syspro: SysproClient, odata: ODataClient, amendments: CustomerAmendments, settings: WriteBackSettings,
                ledger: JournaledMap<WriteBackRecord>, audit: AuditLog, outbox: SpoolQueue, logger: Logger) {
        self.crm = crm; self.syspro = syspro; self.odata = odata; self.amendments = amendments; self.settings = settings
        self.ledger = ledger; self.audit = audit; self.outbox = outbox; self.logger = logger
    }

    /// One person's edit of one property, with what is known of it.
    struct Candidate {
        let key: String
        let company: String
        let customer: String
        let column: String
        let history: [PropertyChange]
        /// The outbox item `ml-connector replay` put back for it, if any.
        var replayed: String?
    }

    /// `now` in ms: where a first run starts (edits made before write-back was switched on
    /// are not written back).
    public func run(cursor: Cursor?, nowMillis: Int64) throws -> (Summary, Cursor) {
        var summary = Summary()
        let start = cursor?.modifiedMillis ?? nowMillis
        let since = max(0, start - Int64(settings.overlapMinutes) * 60_000)
        let (found, truncated) = try crm.modified(Self.companies, sinceMillis: since, having: CompanyProperty.customerCode)
        let replayed = try claimReplayed()
        var ids = found.map(\.id)
        for company in replayed.values where !ids.contains(company) { ids.append(company) }
        summary.companies = ids.count
        let seen = found.map(\.modifiedMillis).max() ?? start
        guard !ids.isEmpty else { return (summary, Cursor(modifiedMillis: max(start, seen))) }

        let enabled = settings.enabled
        let records = try crm.readHistory(Self.companies, ids: ids, properties: [CompanyProperty.customerCode],
                                          withHistory: enabled.map(\.property))
        let people = Set(settings.personSources)
        // Edits a killed run left unproven, read once: only they may already have an audit line.
        let unproven = ledger.entries.filter { $0.value.status == .posting }
        let audited = unproven.isEmpty ? [] : try appliedAuditLines()
        var candidates: [Candidate] = []
        for r in records {
            guard let customer = r.properties[CompanyProperty.customerCode]?.trimmed, !customer.isEmpty else { continue }
            for (property, column) in enabled {
                let history = r.history[property] ?? []
                guard let edit = history.first, people.contains(edit.sourceType) else { continue }
                let key = "\(r.id)-\(property)-\(edit.at)"
                try settleSuperseded(unproven, company: r.id, property: property, latest: key, customer: customer)
                let replay = replayed.first { $0.value == r.id && $0.key.hasPrefix("\(r.id)-\(property)-") }?.key
                if let done = ledger[key], done.isFinal, replay == nil { continue }
                candidates.append(Candidate(key: key, company: r.id, customer: customer, column: column, history: history, replayed: replay))
            }
        }
        // Replayed items whose edit is gone or superseded: the decision below covers the new
        // edit; the old item has nothing left to do.
        for (item, _) in replayed where !candidates.contains(where: { $0.replayed == item }) { try outbox.complete(item) }
        guard !candidates.isEmpty else { return (summary, Cursor(modifiedMillis: truncated ? seen : max(start, seen))) }

        let customers = Array(Set(candidates.map(\.customer))).sorted()
        let rows = try odata.fetch(entitySet: SysproFacts.EntitySet.arCustomer, whereAnyOf: "Customer", in: customers,
                                   select: ["Customer"] + CustomerMaintenance.Field.allCases.map(\.rawValue))
        var current: [String: JSONValue] = [:]
        for row in rows { if let c = row["Customer"]?.string?.trimmed { current[c] = row } }
        let changedAt = amendments.latest(customers: customers, columns: enabled.map(\.column))

        var writes: [String: [(Candidate, String, PropertyChange)]] = [:]
        for c in candidates {
            guard let row = current[c.customer] else {
                try refuse(c, value: c.history.first?.value ?? "", edit: c.history.first!, errors: ["customer \(c.customer) is not in SYSPRO's ArCustomer"], &summary)
                continue
            }
            let sysproValue = row[c.column]?.string?.trimmed ?? ""
            let decision = WriteBackDecision.decide(history: c.history, sysproValue: sysproValue,
                                                    sysproChangedAt: changedAt?[CustomerAmendments.Key(customer: c.customer, column: c.column)],
                                                    personSources: people, writtenBack: writtenBack(c, people))
            switch decision {
            case .none:
                // Already agreeing: an edit left `posting` by a crashed run did reach SYSPRO.
                if let pending = ledger[c.key], pending.status == .posting { try finish(c, pending.value, c.history.first!, audited: audited, &summary) }
                if let item = c.replayed { try outbox.complete(item) }
            case .keepSyspro(let reason, let edit):
                try ledger.record([(c.key, WriteBackRecord(status: .kept, customer: c.customer, column: c.column, value: edit.value, at: date(edit)))])
                try audit.record(entry(c, edit, outcome: "kept-syspro", reason: reason), durable: true)
                summary.kept += 1
                if let item = c.replayed { try outbox.complete(item) }
            case .write(let value, let edit):
                writes[c.customer, default: []].append((c, value, edit))
            }
        }

        var pendingCompanies: Set<String> = []
        for customer in writes.keys.sorted() {
            let changes = writes[customer]!
            try ledger.record(changes.map { c, value, edit in
                (c.key, WriteBackRecord(status: .posting, customer: customer, column: c.column, value: value, at: date(edit)))
            })
            let fields = changes.compactMap { c, value, _ in CustomerMaintenance.Field(rawValue: c.column).map { ($0, value) } }
            let xmlIn: String
            do { xmlIn = try CustomerMaintenance.xmlIn(customer: customer, fields) } catch let e as DataError {
                for (c, value, edit) in changes { try refuse(c, value: value, edit: edit, errors: [e.problem], &summary) }
                continue
            }
            let answer = try syspro.setupUpdate(businessObject: CustomerMaintenance.businessObject,
                                                parameters: CustomerMaintenance.parameters(validateOnly: false), xmlIn: xmlIn)
            switch CustomerMaintenance.outcome(answer) {
            case .applied:
                for (c, value, edit) in changes { try finish(c, value, edit, audited: audited, &summary) }
            case .refused(let errors):
                for (c, value, edit) in changes { try refuse(c, value: value, edit: edit, errors: errors, &summary) }
            case .unclear:
                // Nothing proves the change either way: read the customer back.
                let back = try odata.fetch(entitySet: SysproFacts.EntitySet.arCustomer, whereAnyOf: "Customer", in: [customer],
                                           select: ["Customer"] + CustomerMaintenance.Field.allCases.map(\.rawValue)).first
                for (c, value, edit) in changes {
                    if back?[c.column]?.string?.trimmed == value { try finish(c, value, edit, audited: audited, &summary) }
                    else { summary.pending += 1; pendingCompanies.insert(c.company) }
                }
            }
        }
        // The cursor passes no company whose edit is still unproven, so the next search finds it.
        let waiting = found.filter { pendingCompanies.contains($0.id) }.map(\.modifiedMillis).min()
        return (summary, Cursor(modifiedMillis: waiting.map { $0 - 1 } ?? (truncated ? seen : max(start, seen))))
    }

    private func date(_ edit: PropertyChange) -> Date { Date(timeIntervalSince1970: Double(edit.at) / 1000) }

    private func entry(_ c: Candidate, _ edit: PropertyChange, outcome: String, reason: String? = nil, value: String? = nil) -> AuditEntry {
        var detail = ["customer": c.customer, "field": c.column, "hubspot_company": c.company, "value": value ?? edit.value,
                      "edited_at": Timestamp.iso8601(date(edit)), "edited_by": edit.sourceId ?? edit.sourceType]
        if let user = edit.userId { detail["user_id"] = user }
        return AuditEntry(action: "update-customer", source: "hubspot", id: c.key, outcome: outcome, reason: reason, target: "syspro", detail: detail)
    }

    /// SYSPRO holds the value: audited once, then recorded (a crash between the two leaves
    /// the edit `posting`; the next run finds the value in SYSPRO and ends here again, and
    /// `audited`, the edits already audited as applied, keeps it from a second line).
    private func finish(_ c: Candidate, _ value: String, _ edit: PropertyChange, audited: Set<String>, _ summary: inout Summary) throws {
        if !audited.contains(c.key) { try audit.record(entry(c, edit, outcome: "applied", value: value), durable: true) }
        try ledger.record([(c.key, WriteBackRecord(status: .applied, customer: c.customer, column: c.column, value: value, at: date(edit)))])
        if let item = c.replayed { try outbox.complete(item) }
        summary.applied += 1
        logger.info("customer updated from HubSpot", ["customer": c.customer, "field": c.column, "value": value])
    }

    private func refuse(_ c: Candidate, value: String, edit: PropertyChange, errors: [String], _ summary: inout Summary) throws {
        let reason = "SYSPRO refused \(c.column) \"\(value)\" for customer \(c.customer): " + errors.joined(separator: "; ")
        if let item = c.replayed {
            try outbox.fail(item, reason: reason)
        } else {
            var w = JSONObjectWriter()
            w.field("company", c.company)
            w.field("customer", c.customer)
            w.field("field", c.column)
            w.field("key", c.key)
            w.field("value", value)
            try outbox.park(id: c.key, data: Data(w.bytes), reason: reason)
        }
        try audit.record(entry(c, edit, outcome: "refused", reason: reason, value: value), durable: true)
        try ledger.record([(c.key, WriteBackRecord(status: .refused, customer: c.customer, column: c.column, value: value, at: date(edit)))])
        summary.refused += 1
        logger.warn("SYSPRO refused a change from HubSpot", ["customer": c.customer, "field": c.column, "value": value, "why": errors.joined(separator: "; ")])
    }

    /// Values of this property's earlier edits that the connector sent to SYSPRO (proven or
    /// not): SYSPRO holding one of them has not changed on its own.
    private func writtenBack(_ c: Candidate, _ people: Set<String>) -> Set<String> {
        let prefix = String(c.key[..<c.key.lastIndex(of: "-")!]) + "-"
        return Set(c.history.dropFirst().filter { people.contains($0.sourceType) }.compactMap { e in
            ledger[prefix + String(e.at)].flatMap { [.applied, .posting, .superseded].contains($0.status) ? $0.value.trimmed : nil }
        })
    }

    /// An older edit of the same property still `posting` (its run was killed before the
    /// answer was read) has been replaced by a newer one: it is closed with an audit line
    /// saying its effect is unknown, so no edit ends without one.
    private func settleSuperseded(_ unproven: [String: WriteBackRecord], company: String, property: String, latest: String, customer: String) throws {
        let prefix = "\(company)-\(property)-"
        for (key, record) in unproven where key != latest && key.hasPrefix(prefix) && ledger[key]?.status == .posting {
            let reason = "a newer HubSpot edit replaced it before SYSPRO's answer was read; SYSPRO may have held \"\(record.value)\" in between"
            try audit.record(AuditEntry(action: "update-customer", source: "hubspot", id: key, outcome: "superseded", reason: reason, target: "syspro",
                                        detail: ["customer": customer, "field": record.column, "hubspot_company": company, "value": record.value,
                                                 "edited_at": Timestamp.iso8601(record.at)]), durable: true)
            try ledger.record([(key, WriteBackRecord(status: .superseded, customer: record.customer, column: record.column, value: record.value, at: record.at))])
        }
    }

    /// The edits today's and yesterday's audit already hold as applied (read only when a
    /// killed run left edits unproven).
    private func appliedAuditLines() throws -> Set<String> {
        let now = Date()
        var out: Set<String> = []
        for day in [now, now.addingTimeInterval(-86_400)].map(Timestamp.day) {
            for e in try audit.entries(day: day) where e.job == Self.job && e.outcome == "applied" { out.insert(e.id) }
        }
        return out
    }

    /// Items `ml-connector replay` put back in `outbox/syspro/new/`: item id -> company id.
    private func claimReplayed() throws -> [String: String] {
        var out: [String: String] = [:]
        for id in try outbox.pending() where try outbox.claim(id) {
            guard let company = (try? JSONValue.parse(try outbox.read(id)))?["company"]?.string else {
                try outbox.fail(id, reason: "not a write-back item (company, customer, field, key, value)")
                continue
            }
            out[id] = company
        }
        return out
    }
}
