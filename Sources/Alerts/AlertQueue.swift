import ConnectorKit
import Syspro
import WebhookCore

/// Turns SYSPRO rows into outbox items: reads each rule's table since its cursor, finds the
/// rules' events, joins what the templates need (lines, lookups), renders, and puts one
/// item per event and person into `outbox/twilio/` before it records anything as seen.
/// A crash anywhere re-reads the same rows and derives the same ids, which the outbox
/// stores once.
struct AlertQueue {
    let odata: ODataClient
    let settings: AlertSettings
    let outbox: SpoolQueue
    let memory: JournaledMap<Watched>
    /// The server's change-detection mode (docs/vendors/syspro.md, "OData binary comparisons").
    let modes: ODataModeStore
    /// Per rule, the rowversion of each row it has handled (`<rule>.json`), for keyed reads.
    let versionsDirectory: String
    let sealBody: (String) throws -> String
    let overlap: UInt64
    let now: () -> Double

    /// Per rule: the rowversion read up to. A rule without one has never run and learns.
    typealias Cursors = [String: RuleCursor]

    struct RuleCursor: Codable, Sendable, Equatable {
        var version: RowVersion?
    }

    struct Summary: Equatable {
        var rows = 0
        var events = 0
        var queued = 0
        var learned: [String] = []
    }

    func run(_ cursors: inout Cursors, save: (Cursors) throws -> Void) throws -> Summary {
        var summary = Summary()
        // Rules on one table at one cursor share a read.
        var groups: [String: [AlertRule]] = [:]
        for r in settings.rules { groups[r.table + "@" + (cursors[r.name]?.version?.hex ?? "-"), default: []].append(r) }
        for key in groups.keys.sorted() {
            let rules = groups[key]!
            let first = rules[0]
            let indexes = rules.map { RowVersionIndex(path: versionsDirectory / (AttentionBox.id($0.name) + ".json")) }
            let read = try IncrementalRead(odata: odata, entitySet: first.table, keyFields: first.key, select: [], condition: nil)
                .changed(since: cursors[first.name]?.version, overlap: overlap, modes: modes,
                         known: { cursors[first.name] == nil ? nil : try Self.agreed(indexes) }) { $0 }
            summary.rows += read.rows.count
            var seen: [(key: String, value: Watched?)] = []
            for rule in rules {
                let learning = cursors[rule.name] == nil
                let found = try AlertDetector.events(rule, rows: read.rows, memory: memory, learning: learning,
                                                     source: "SYSPRO OData \(rule.table)")
                seen += found.seen
                summary.events += found.events.count
                summary.queued += try queue(found.events, rule)
                if learning { summary.learned.append(rule.name) }
            }
            try memory.record(seen)
            if let versions = read.versions { for index in indexes { try index.save(versions) } }
            for rule in rules { cursors[rule.name] = RuleCursor(version: read.ceiling) }
            try save(cursors)
        }
        return summary
    }

    /// The rowversions every rule of a shared read has handled: a row counts as unchanged
    /// only where all of them stored the same one (a missing file: none handled).
    static func agreed(_ indexes: [RowVersionIndex]) throws -> [String: RowVersion] {
        var agreed = try indexes[0].load()
        for index in indexes.dropFirst() {
            let other = try index.load()
            agreed = agreed.filter { other[$0.key] == $0.value }
        }
        return agreed
    }

    /// Renders and queues each event for each person, durably, in one batch; returns how
    /// many items were new.
    private func queue(_ events: [AlertEvent], _ rule: AlertRule) throws -> Int {
        guard !events.isEmpty else { return 0 }
        let lines = try rule.lines.map { try lineTotals($0, rule, events) } ?? [:]
        var joined: [[String: JSONValue]] = []
        for l in rule.lookups { joined.append(try lookup(l, events)) }
        let template = MessageTemplate(text: rule.template, maxLength: settings.maxLength)
        let people = settings.people(rule.recipients)
        var items: [(id: String, bytes: [UInt8])] = []
        for e in events {
            var values = e.row.object ?? [:]
            for (l, rows) in zip(rule.lookups, joined) {
                for f in l.fields { if let v = rows[AlertDetector.text(e.row[l.key])]?[f] { values[f] = v } }
            }
            if rule.lines != nil {
                let t = lines[e.key] ?? (0, 0)
                values["LineCount"] = .number(Double(t.count))
                values["Total"] = .string(MessageTemplate.fixed(t.total, decimals: 2))
            }
            values["From"] = .string(e.from)
            values["To"] = .string(e.to)
            values["Rule"] = .string(rule.name)
            let sealed = try sealBody(template.render(values))
            for person in people {
                let item = AlertItem(rule: rule.name, table: rule.table, record: e.key, person: person, from: e.from, to: e.to,
                                     queued: now(), sealedBody: sealed)
                items.append((e.outboxID(person: person), item.bytes))
            }
        }
        return try outbox.putBatch(items).filter { $0 == .stored }.count
    }

    /// Line count and Σ quantity × price per event key, reading the lines table 40 keys a query.
    private func lineTotals(_ spec: AlertRule.Lines, _ rule: AlertRule, _ events: [AlertEvent]) throws -> [String: (count: Int, total: Double)] {
        var totals: [String: (count: Int, total: Double)] = [:]
        let wanted = Set(events.map(\.key))
        for row in try odata.fetch(entitySet: spec.table, whereAnyOf: rule.key[0], in: events.map { AlertDetector.text($0.row[rule.key[0]]) }) {
            let k = AlertDetector.key(row, rule)
            guard wanted.contains(k) else { continue }
            let t = totals[k] ?? (0, 0)
            totals[k] = (t.count + 1, t.total + (row[spec.quantity]?.double ?? 0) * (row[spec.price]?.double ?? 0))
        }
        return totals
    }

    private func lookup(_ l: AlertRule.Lookup, _ events: [AlertEvent]) throws -> [String: JSONValue] {
        var out: [String: JSONValue] = [:]
        for row in try odata.fetch(entitySet: l.table, whereAnyOf: l.key, in: events.map { AlertDetector.text($0.row[l.key]) }, select: [l.key] + l.fields) {
            out[AlertDetector.text(row[l.key])] = row
        }
        return out
    }

}
