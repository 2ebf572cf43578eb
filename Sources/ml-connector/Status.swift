import ArgumentParser
import ConnectorKit
import JobCLI
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore
import ConnectorConfig

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show each tenant's jobs (health, last run, what moved), queues, parked items, cursors and tokens.",
        discussion: """
        Health per job: OK; FAILING (last run ended with an error other than 75); STALE (no success \
        within monitor.stale_after_intervals, default 3, of its interval); ATTENTION (items wait in \
        its failed/ or attention/); DEFERRED (last run said try later, 75); HELD (`ml-connector hold`); \
        NEVER RUN. All tenants unless --tenant names one ($ML_CONNECTOR_TENANT is ignored: this is the overview).

        Exit status (Nagios plugin convention, so monitoring can run it as a check): \
        0 every job healthy, 1 something for a person (ATTENTION, DEFERRED, HELD), 2 a job FAILING \
        or STALE, or a tenant whose config or state cannot be read; 64 usage, 74 the --html file \
        could not be written, 78 no tenants.

        Examples:
          ml-connector status
          ml-connector status --tenant acme --json
          ml-connector status --html /var/www/ml-connector/index.html   # cron
        """)

    @OptionGroup var common: CommonOptions
    @Flag(help: "Print the report as one JSON document (docs/operations.md, \"Observe\").") var json = false
    @Option(help: ArgumentHelp("Write the report as one self-contained HTML page to FILE (atomically); print nothing.", valueName: "FILE"))
    var html: String?

    func validate() throws {
        if json && html != nil { throw ValidationError("--json and --html exclude each other") }
    }

    func run() throws {
        var severity = 0
        guarded("ml-connector") {
            let layout = common.layout
            let names = try common.tenant.map { [try JobRunner.tenantName($0)] } ?? layout.tenantNames()
            guard !names.isEmpty else {
                throw ConfigError(file: layout.tenantsDirectory, key: "(directory)", problem: "holds no tenant; run `ml-connector init --tenant NAME`")
            }
            for name in names where !Posix.exists(layout.tenant(name).root) {
                throw UsageError(message: "tenant \(name) does not exist in \(layout.tenantsDirectory)")
            }
            let now = Date()
            let reader = StatusReader(layout: layout, now: now)
            let tenants = names.map(reader.tenant)
            let report = StatusReport(generated: now, verdict: tenants.map(\.verdict).reduce(.ok, Verdict.worst), tenants: tenants)
            if let html {
                try AtomicFile.write(Data(StatusHTML.render(report).utf8), to: html)
            } else if json {
                print(String(decoding: try StatusJSON.encode(report), as: UTF8.self))
            } else {
                print(StatusText.render(report), terminator: "")
            }
            severity = report.verdict.severity
        }
        if severity > 0 { throw ExitCode(Int32(severity)) }
    }
}

enum StatusJSON {
    static func encode(_ report: StatusReport) throws -> Data {
        let encoder = JSON.encoder
        encoder.outputFormatting.insert(.prettyPrinted)
        return try encoder.encode(report)
    }
}
