import ArgumentParser
import ConnectorKit
import JobCLI
import WebhookCore

struct Attention: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "attention",
        abstract: "List what waits for a person: attention items and items parked in failed/.",
        discussion: """
        Attention items (tenants/<t>/attention/) say what is wrong and what to do: an unmapped channel, \
        an unknown SKU, a refused phone number, a stock difference. Parked items are the work in failed/ \
        of each queue (spool/shipbob, spool/twilio, outbox/hubspot, outbox/twilio) with the reason it \
        was parked. Fix the cause, then `ml-connector replay` requeues them.

        Examples:
          ml-connector attention --tenant acme
          ml-connector attention --tenant acme --json | grep '"kind":"parked"'

        Exit status: 0 ok (whether or not anything waits), 64 unknown tenant, 65 an attention file that \
        does not read as one (named on stderr; the rest is listed).
        """)

    @OptionGroup var common: CommonOptions
    @Flag(help: "One JSON line per item (kind attention or parked) instead of tables.") var json = false

    func run() throws {
        guarded("ml-connector") {
            let tenant = try common.tenantPaths()
            guard Posix.exists(tenant.config) else {
                throw UsageError(message: "tenant \(tenant.name) does not exist in \(common.layout.tenantsDirectory)")
            }
            let waiting = Waiting(tenant: tenant)
            let (items, unreadable) = try waiting.attention()
            let parked = try waiting.parked()
            if json {
                for item in items { print(String(decoding: Attention.jsonLine(item), as: UTF8.self)) }
                for p in parked { print(String(decoding: Attention.jsonLine(p), as: UTF8.self)) }
            } else {
                print(Attention.tables(items: items, parked: parked, tenant: tenant.name), terminator: "")
            }
            let logger = Logger(job: "ml-connector")
            for (path, problem) in unreadable { logger.warn("not an attention item; skipped", ["file": path, "problem": problem]) }
            if !unreadable.isEmpty {
                throw DataError(source: tenant.attention, problem: "\(unreadable.count) file(s) are not attention items (named above)")
            }
        }
    }

    static func tables(items: [AttentionItem], parked: [Waiting.Parked], tenant: String) -> String {
        if items.isEmpty && parked.isEmpty { return "nothing waits for a person in tenant \(tenant)\n" }
        var out = ""
        if !items.isEmpty {
            var t = TextTable(header: ["SOURCE", "ID", "SINCE (UTC)", "REASON", "ACTION"])
            for i in items { t.add([i.source, i.id, Timestamp.iso8601(i.since), i.reason, i.action]) }
            out += "attention (\(items.count)):\n" + t.rendered
        }
        if !parked.isEmpty {
            var t = TextTable(header: ["QUEUE", "ID", "SINCE (UTC)", "JOB", "REASON"])
            for p in parked { t.add([p.queue.directory, p.id, p.since.map(Timestamp.iso8601) ?? "-", p.queue.job, p.reason]) }
            out += (out.isEmpty ? "" : "\n") + "parked in failed/ (\(parked.count)):\n" + t.rendered
        }
        return out
    }

    static func jsonLine(_ i: AttentionItem) -> [UInt8] {
        var w = JSONObjectWriter()
        w.field("action", i.action)
        w.field("id", i.id)
        w.field("kind", "attention")
        w.field("queue", Waiting.queue(forAttentionSource: i.source)?.directory)
        w.field("reason", i.reason)
        w.field("since", Timestamp.iso8601(i.since))
        w.field("source", i.source)
        return w.bytes
    }

    static func jsonLine(_ p: Waiting.Parked) -> [UInt8] {
        var w = JSONObjectWriter()
        w.field("id", p.id)
        w.field("job", p.queue.job)
        w.field("kind", "parked")
        w.field("queue", p.queue.directory)
        w.field("reason", p.reason)
        w.field("since", p.since.map(Timestamp.iso8601))
        w.field("source", p.queue.source)
        return w.bytes
    }
}
