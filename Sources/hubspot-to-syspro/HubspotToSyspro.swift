import ArgumentParser
import ConnectorKit
import ConnectorNet
import CustomerWriteBack
import HubSpot
import JobCLI
import Syspro
import TimeZones
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// A person's edit of a HubSpot company's customer class or terms, written back to the SYSPRO
/// customer through ARSSCS (opt-in per property: config `hubspot.write_back.properties`).
@main
struct HubspotToSyspro: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: WriteBackPass.job,
        abstract: "Write a person's HubSpot edits of customer class or terms back to the SYSPRO customer (opt-in).",
        discussion: """
        Only properties named in config hubspot.write_back.properties are considered, and only an edit \
        a person made (property history source CRM_UI or another of hubspot.write_back.person_sources) \
        that is HubSpot's latest word. When SYSPRO changed the same field since the connector last \
        synced it, the later change wins; where SYSPRO keeps no amendment journal its change time is \
        unknown and SYSPRO keeps its value. Every edit handled gets one audit line (applied, \
        kept-syspro or refused). \
        State: cursors/hubspot-to-syspro.json, state/hubspot-to-syspro/changes.json (each edit, so \
        it is written once), outbox/syspro/failed/ (edits SYSPRO refused, with its words; \
        `ml-connector replay --source syspro` retries them after the cause is fixed). \
        Exit status: 0 ok (also when nothing is opted in), 64 usage, 65 bad data, 69 SYSPRO or \
        HubSpot unavailable, 75 another run holds the lock or the rate budget is spent, 78 \
        configuration error or a token refused.
        """,
        version: ConnectorVersion.current)

    @OptionGroup var common: JobOptions

    func run() throws {
        guarded(WriteBackPass.job) { try pass() }
    }

    func pass() throws {
        try common.withJobLock(WriteBackPass.job, sections: WriteBackPass.configSections) { job in
            let tenant = job.tenant, config = job.config, logger = job.logger
            let settings = config.hubspot.writeBack
            guard !settings.enabled.isEmpty else {
                logger.info("nothing to write back: hubspot.write_back.properties names no property")
                return
            }
            let odata = try job.vendors.odata(), syspro = try job.vendors.syspro()
            let zone = try ZoneInfo(identifier: config.syspro.timeZone)
            let crm = try job.vendors.hubspot().client
            let stateDir = tenant.state(WriteBackPass.job)
            try Posix.makeDirectories(stateDir)
            let ledger = try JournaledMap<WriteBackRecord>(path: stateDir / "changes.json")
            defer { try? ledger.compact() }
            let outbox = tenant.outbox("syspro")
            try outbox.prepare()
            _ = try outbox.recover()
            let pass = WriteBackPass(crm: crm, syspro: syspro, odata: odata,
                                     amendments: CustomerAmendments(odata: odata, zone: zone, logger: logger), settings: settings,
                                     ledger: ledger, audit: AuditLog(directory: tenant.audit, job: WriteBackPass.job), outbox: outbox, logger: logger)
            let cursorFile = CursorFile<WriteBackPass.Cursor>(path: tenant.cursor(WriteBackPass.job))
            let (summary, cursor) = try pass.run(cursor: try cursorFile.load(), nowMillis: Int64(Date().timeIntervalSince1970 * 1000))
            try cursorFile.save(cursor)
            job.metrics.moved("customer_fields", "hubspot->syspro", summary.applied)
            logger.info("pass done", ["companies": String(summary.companies), "applied": String(summary.applied), "kept_syspro": String(summary.kept),
                                      "refused": String(summary.refused), "unproven": String(summary.pending), "hubspot_calls": String(crm.totalCalls)])
        }
    }
}
