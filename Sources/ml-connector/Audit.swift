import ArgumentParser
import ConnectorKit
import JobCLI
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Secrets

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Show what a tenant's jobs moved or refused: its audit log, filtered.",
        discussion: """
        Reads tenants/<t>/audit/<day>.jsonl, only the days in range. --since and --until take a day \
        (2026-07-01, UTC), a UTC time (2026-07-01T12:00:00Z) or a duration back from now (90m, 24h, 7d, 2w); \
        an --until day includes the whole day. Default: the last 24 hours. Prints a table, or with --json \
        the matching lines as JSON Lines.

        --system matches the systems a line is about (shipbob, syspro, hubspot, twilio: the job's two \
        systems, the source, the target), or else its source (a SYSPRO table such as PorMasterHdr). \
        --record matches the record id, the target (a sales order, a MessageSid) or any detail value.

        Personal data (names, e-mail addresses, phone numbers, SMS bodies) stays sealed unless --personal: \
        it is then opened with the master key, stderr says so, and the reading is itself recorded in the \
        audit (who, which range). A value that does not open is shown as such.

        Examples:
          ml-connector audit --tenant acme --since 7d --system twilio
          ml-connector audit --tenant acme --record SB15949208
          ml-connector audit --tenant acme --since 2026-07-01 --until 2026-07-02 --json
          ml-connector audit --tenant acme --outcome attention
          ml-connector audit --tenant acme --job syspro-to-hubspot --personal

        Exit status: 0 ok, 64 usage or unknown tenant, 65 some lines are not audit entries (each named on \
        stderr as file:line and skipped; every other match was printed), 78 --personal without a usable master key.
        """)

    @OptionGroup var common: CommonOptions
    @Option(help: "From this day, UTC time or duration ago (default 24h).") var since: String?
    @Option(help: "Up to this day (inclusive), UTC time or duration ago (default now).") var until: String?
    @Option(help: "Only lines about this system: shipbob, syspro, hubspot, twilio (or a source name).") var system: String?
    @Option(help: "Only lines this job wrote (shipbob-to-syspro, webhook-cgi, ml-connector, ...).") var job: String?
    @Option(help: "Only lines about this record (id, target or detail value).") var record: String?
    @Option(help: "Only lines with this outcome (posted, attention, failed, sent, refused, ...).") var outcome: String?
    @Flag(help: "Print JSON Lines instead of a table.") var json = false
    @Flag(help: "Open personal data with the master key and show it (recorded in the audit).") var personal = false

    func run() throws {
        guarded("ml-connector") {
            let tenant = try common.tenantPaths()
            guard Posix.exists(tenant.config) else {
                throw UsageError(message: "tenant \(tenant.name) does not exist in \(common.layout.tenantsDirectory)")
            }
            let now = Date()
            let from = try TimeBound.parse(since ?? "24h", edge: .start, now: now, option: "--since")
            // Entries carry whole seconds: one more keeps those written this very second.
            let to = try until.map { try TimeBound.parse($0, edge: .end, now: now, option: "--until") } ?? now.addingTimeInterval(1)
            guard from < to else { throw UsageError(message: "--since \(Timestamp.iso8601(from)) is not before --until \(Timestamp.iso8601(to))") }
            let filter = AuditFilter(system: system, job: job, record: record, outcome: outcome)
            let logger = Logger(job: "ml-connector")
            let key = personal ? try MasterKey.load(from: common.layout.masterKeyPath) : nil
            if let key {
                logger.info("showing personal data of tenant \(tenant.name), opened with the master key; the reading is audited",
                            ["key": key.path])
            }

            var table = TextTable(header: ["TIME (UTC)", "JOB", "ACTION", "SOURCE", "ID", "OUTCOME", "TARGET"]
                                  + (personal ? ["PERSONAL"] : []) + ["REASON"])
            var matched = 0, opened = 0, bad = 0
            try AuditReader(directory: tenant.audit).read(since: from, until: to, { line in
                let e = line.entry
                guard filter.matches(e) else { return }
                matched += 1
                let shown = key.flatMap { k in e.personal.map { PersonalData.open($0, with: k) } }
                if case .opened = shown { opened += 1 }
                if json {
                    print(String(decoding: Audit.jsonLine(e, personal: shown), as: UTF8.self))
                } else {
                    let time = Timestamp.iso8601(e.ts).replacing("T", with: " ").replacing("Z", with: "")
                    table.add([time, e.job, e.action, e.source, e.id, e.outcome, e.target ?? "-"]
                              + (personal ? [shown?.text ?? "-"] : []) + [e.reason ?? ""])
                }
            }, bad: { file, number, problem in
                bad += 1
                logger.warn("not an audit entry; skipped", ["at": "\(file):\(number)", "problem": problem])
            })
            if !json { print(matched == 0 ? "no audit lines of tenant \(tenant.name) match\n" : table.rendered, terminator: "") }
            if key != nil {
                try AuditLog(directory: tenant.audit, job: "ml-connector").record(AuditEntry(
                    action: "read-personal", source: "audit", id: "\(Timestamp.iso8601(from))..\(Timestamp.iso8601(to))",
                    outcome: "shown", detail: ["who": Environment.get("USER") ?? "unknown", "lines": String(opened),
                                               "filters": filter.summary]), durable: true)
            }
            if bad > 0 {
                throw DataError(source: tenant.audit, problem: "\(bad) line(s) are not audit entries (named above, skipped)")
            }
        }
    }

    /// The line as stored, with `personal` opened when asked (its JSON as JSON), or
    /// `personal_error` beside the sealed value when it does not open.
    static func jsonLine(_ e: AuditEntry, personal: PersonalData?) -> [UInt8] {
        var w = JSONObjectWriter()
        w.field("action", e.action)
        w.field("detail", e.detail)
        w.field("id", e.id)
        w.field("job", e.job)
        w.field("outcome", e.outcome)
        switch personal {
        case .opened(let text)?:
            if (try? JSONValue.parse(Array(text.utf8))) != nil { w.field("personal", raw: Array(text.utf8)) } else { w.field("personal", text) }
        case .unopenable(let why)?:
            w.field("personal", e.personal)
            w.field("personal_error", why)
        case nil:
            w.field("personal", e.personal)
        }
        w.field("reason", e.reason)
        w.field("source", e.source)
        w.field("target", e.target)
        w.field("ts", Timestamp.iso8601(e.ts))
        return w.bytes
    }
}

/// A sealed `personal` value once `--personal` tried to open it.
enum PersonalData {
    case opened(String)
    case unopenable(String)

    static func open(_ sealed: String, with key: MasterKey) -> PersonalData {
        do { return .opened(try key.open(sealed, context: SealContext.auditPersonal)) }
        catch { return .unopenable("cannot be opened with the master key (another key, or tampered)") }
    }

    var text: String {
        switch self {
        case .opened(let t): return t
        case .unopenable(let why): return "(\(why))"
        }
    }
}

extension AuditFilter {
    var summary: String {
        [("system", system), ("job", job), ("record", record), ("outcome", outcome)]
            .compactMap { k, v in v.map { "\(k)=\($0)" } }.joined(separator: " ")
    }
}
