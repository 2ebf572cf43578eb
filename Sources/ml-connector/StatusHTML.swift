import ConnectorKit
import ENetXML
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The report as one self-contained HTML page (inline CSS, no script, nothing fetched), for
/// cron to write into nginx's root. Every verdict is a word on a coloured badge and its row
/// is tinted, so the page reads at a glance and without colour too.
enum StatusHTML {
    static func render(_ report: StatusReport) -> String {
        var body = "<header><h1>ml-connector status</h1><p>Generated \(XML.escape(Timestamp.iso8601(report.generated))) (UTC). "
        body += "Overall: \(badge(report.verdict))</p></header>\n"
        for t in report.tenants { body += tenant(t, now: report.generated) }
        if report.tenants.isEmpty { body += "<p>No tenants in this state directory.</p>\n" }
        body += legend
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta http-equiv="refresh" content="60">
        <title>ml-connector: \(XML.escape(report.verdict.rawValue))</title>
        <style>\(style)</style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    static func tenant(_ t: TenantStatus, now: Date) -> String {
        var out = "<section class=\"tenant\" id=\"tenant-\(XML.escape(t.tenant))\">\n<h2>Tenant \(XML.escape(t.tenant)) \(badge(t.verdict))</h2>\n"
        if !t.problems.isEmpty {
            out += "<ul class=\"problems\">" + t.problems.map { "<li>\(XML.escape($0))</li>" }.joined() + "</ul>\n"
        }
        out += table("Jobs", ["Health", "Job", "Last run", "Exit", "Took", "Last success", "Moved (last run)", "Why"], t.jobs.map { j in
            Row(cls: tone(j.verdict), cells: [badge(j.verdict), "<code class=\"nowrap\">\(XML.escape(j.job))</code>", nowrap(StatusFormat.when(j.lastRun, now: now)),
                                              XML.escape(j.exitStatus.map { String($0) } ?? "-"), nowrap(StatusFormat.duration(j.durationSeconds)),
                                              nowrap(StatusFormat.time(j.lastSuccess)), XML.escape(StatusFormat.moved(j)), "<span class=\"why\">\(XML.escape(j.why))</span>"])
        })
        out += table("Queues", ["Queue", "Waiting (new)", "Parked (failed)", "Drained by"], t.queues.map { q in
            Row(cls: q.failed > 0 ? "warn" : "", cells: ["<code>\(XML.escape(q.queue))</code>", String(q.new), String(q.failed), XML.escape(q.job ?? "-")])
        })
        out += table("Waiting for a person: attention/", ["Item", "Since", "Reason", "What to do"], t.attention.prefix(StatusText.listLimit).map { a in
            Row(cls: "warn", cells: ["<code>\(XML.escape(a.file))</code>", XML.escape(StatusFormat.time(a.since)), XML.escape(a.reason), XML.escape(a.action)])
        }, more: t.attention.count - StatusText.listLimit)
        out += table("Parked: failed/", ["Queue", "Item", "Since", "Reason"], t.failed.prefix(StatusText.listLimit).map { f in
            Row(cls: "warn", cells: ["<code>\(XML.escape(f.queue))</code>", "<code>\(XML.escape(f.id))</code>", XML.escape(StatusFormat.time(f.since)), XML.escape(f.reason)])
        }, more: t.failed.count - StatusText.listLimit)
        out += table("Cursors", ["Cursor", "Updated", "Position"], t.cursors.map { c in
            Row(cls: "", cells: ["<code>\(XML.escape(c.name))</code>", XML.escape(StatusFormat.when(c.updated, now: now)), "<code>\(XML.escape(StatusFormat.position(c.position)))</code>"])
        })
        out += "<p>SYSPRO OData change detection: \(XML.escape(StatusFormat.changeDetection(t.odataChangeDetection)))</p>\n"
        out += table("Tokens", ["Token", "State", "Expires", "Detail"], t.tokens.map { k in
            Row(cls: "", cells: [XML.escape(k.name), XML.escape(k.state), XML.escape(StatusFormat.when(k.expires, now: now)), XML.escape(k.detail)])
        })
        return out + "</section>\n"
    }

    struct Row { var cls: String; var cells: [String] }

    /// Cells arrive escaped (they may hold a badge or code); an empty table is left out.
    static func table(_ title: String, _ header: [String], _ rows: [Row], more: Int = 0) -> String {
        guard !rows.isEmpty else { return "" }
        var out = "<h3>\(XML.escape(title))</h3>\n<table>\n<thead><tr>" + header.map { "<th>\(XML.escape($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
        for r in rows {
            out += (r.cls.isEmpty ? "<tr>" : "<tr class=\"\(r.cls)\">") + r.cells.map { "<td>\($0)</td>" }.joined() + "</tr>\n"
        }
        out += "</tbody>\n</table>\n"
        if more > 0 { out += "<p class=\"more\">… and \(more) more (<code>ml-connector status --json</code> lists all).</p>\n" }
        return out
    }

    /// Times and durations stay on one line; the free text beside them wraps instead.
    static func nowrap(_ s: String) -> String { "<span class=\"nowrap\">\(XML.escape(s))</span>" }

    static func badge(_ v: Verdict) -> String { "<span class=\"badge \(tone(v))\">\(XML.escape(v.rawValue))</span>" }

    static func tone(_ v: Verdict) -> String {
        switch v {
        case .failing, .stale: return "crit"
        case .attention, .deferred: return "warn"
        case .held: return "held"
        case .ok: return "ok"
        case .neverRun: return "none"
        }
    }

    static let legend = """
    <h3>What the words mean</h3>
    <dl class="legend">
    <dt>OK</dt><dd>its last run succeeded, recently enough for its schedule</dd>
    <dt>FAILING</dt><dd>its last run ended with an error (see Why)</dd>
    <dt>STALE</dt><dd>no success for several of its intervals: cron stopped running it, or every run says try later</dd>
    <dt>ATTENTION</dt><dd>it runs, but items wait in attention/ or failed/ for a person (then <code>ml-connector replay</code>)</dd>
    <dt>DEFERRED</dt><dd>its last run said try later (a rate limit, a busy lock); a recent run succeeded</dd>
    <dt>HELD</dt><dd>stopped on purpose with <code>ml-connector hold</code></dd>
    <dt>NEVER RUN</dt><dd>no run recorded for this tenant</dd>
    </dl>

    """

    /// Badge colours keep white text at a contrast of 4.5:1 or more; row tints are pale
    /// versions of them.
    static let style = """
    body { font: 14px/1.45 "DejaVu Sans", "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #1f2328; background: #ffffff; }
    h1 { font-size: 22px; margin: 0 0 4px; }
    h2 { font-size: 18px; margin: 28px 0 8px; border-top: 2px solid #d0d7de; padding-top: 16px; }
    h3 { font-size: 15px; margin: 18px 0 6px; }
    table { border-collapse: collapse; width: 100%; margin-bottom: 6px; }
    th, td { text-align: left; padding: 7px 10px; border-bottom: 1px solid #d0d7de; vertical-align: top; }
    th { background: #f6f8fa; font-weight: 600; }
    code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
    .badge { display: inline-block; min-width: 104px; padding: 4px 14px; border-radius: 4px; font-weight: 700; color: #ffffff; text-align: center; }
    .badge.ok { background: #1a7f37; } tr.ok td { background: #eefbf1; }
    .badge.crit { background: #cf222e; } tr.crit td { background: #ffebe9; }
    .badge.warn { background: #9a6700; } tr.warn td { background: #fff8c5; }
    .badge.held { background: #0969da; } tr.held td { background: #ddf4ff; }
    .badge.none { background: #6e7781; } tr.none td { background: #f6f8fa; }
    .why { color: #57606a; }
    .nowrap { white-space: nowrap; }
    .problems li { color: #cf222e; font-weight: 600; }
    .legend dt { font-weight: 700; float: left; clear: left; width: 110px; }
    .legend dd { margin: 0 0 4px 120px; }
    .more { color: #57606a; }
    """
}
