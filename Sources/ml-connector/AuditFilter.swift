import ConnectorKit

/// What `ml-connector audit` keeps of each line: every filter given must match.
struct AuditFilter {
    var system: String?
    var job: String?
    var record: String?
    var outcome: String?

    static let knownSystems: Set<String> = ["shipbob", "syspro", "hubspot", "twilio"]

    func matches(_ e: AuditEntry) -> Bool {
        if let job, e.job != job { return false }
        if let outcome, e.outcome.lowercased() != outcome.lowercased() { return false }
        if let system {
            let s = system.lowercased()
            guard AuditFilter.systems(of: e).contains(s) || e.source.lowercased() == s else { return false }
        }
        if let record {
            let target = e.target ?? ""
            guard e.id == record || target == record || target.hasSuffix(" " + record)
                    || (e.detail?.values.contains(record) ?? false) else { return false }
        }
        return true
    }

    /// The systems a line is about. Lines do not name them as such: the job says which two
    /// it moves between (po-alerts-twilio's `source` is the SYSPRO table, `PorMasterHdr`),
    /// and `source` or the first word of `target` name one where they can (webhook-cgi,
    /// `hubspot company 123`).
    static func systems(of e: AuditEntry) -> Set<String> {
        var out = Set(JobCatalog.spec(e.job)?.systems ?? [])
        for word in [e.source, String((e.target ?? "").prefix { $0 != " " })].map({ $0.lowercased() }) where knownSystems.contains(word) {
            out.insert(word)
        }
        return out
    }
}
