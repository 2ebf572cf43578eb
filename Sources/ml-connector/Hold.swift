import ArgumentParser
import ConnectorKit
import JobCLI
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Hold: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hold",
        abstract: "Pause a job for a tenant until `ml-connector release`.",
        discussion: """
        Writes tenants/<t>/holds/<job> (since, reason, who: $USER). From then on every run of the job \
        ends at once with status 0 and prints nothing, so cron sends no mail (at a terminal, or with -v, \
        it says it is held); `ml-connector status` shows the job HELD. Work keeps arriving (webhooks are \
        still accepted, queues fill) and is done after the release. Holding a held job keeps its start \
        and replaces who and why. hold then waits up to --wait seconds for a run already going to finish, \
        so that once it returns 0 the job is idle.

        Jobs: \(JobCatalog.names.joined(separator: ", ")). \
        shipbob-to-syspro-reconcile is `shipbob-to-syspro --reconcile`, held on its own.

        Examples:
          ml-connector hold syspro-to-hubspot --tenant acme --reason "HubSpot import"
          ml-connector hold shipbob-to-syspro --tenant acme --dry-run
          ml-connector release syspro-to-hubspot --tenant acme

        Exit status: 0 held and idle, 64 unknown job or tenant, 74 the hold could not be written, \
        75 held, but a run that started before is still going after --wait seconds (it finishes its pass).
        """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "The job to hold.") var job: String
    @Option(help: "Why, for whoever finds it held.") var reason = "no reason given"
    @Option(help: "Seconds to wait for a run already going to finish.") var wait: Double = 60
    @Flag(help: "Say what would be held; change nothing.") var dryRun = false

    func run() throws {
        guarded("ml-connector") {
            let tenant = try HoldTarget.tenant(common, job: job)
            let existing = try JobHold.load(tenant, job: job)
            let who = Environment.nonEmpty("USER") ?? "unknown"
            let hold = JobHold(since: existing?.since ?? Date(), reason: reason, who: who)
            if dryRun {
                print("would hold \(job) for tenant \(tenant.name)" + (existing.map { " (held since \(Timestamp.iso8601($0.since)) by \($0.who))" } ?? ""))
                return
            }
            try hold.place(tenant, job: job)
            try AuditLog(directory: tenant.audit, job: "ml-connector").record(
                AuditEntry(action: "hold", source: "ml-connector", id: job, outcome: "held", reason: reason, detail: ["who": who]),
                durable: true)
            print("held \(job) for tenant \(tenant.name) since \(Timestamp.iso8601(hold.since)): \(reason)")
            // The lock is only taken to learn that no run is going; a run started after the
            // hold ends before taking it.
            let idle = FileLock(path: tenant.lock(job))
            guard try idle.lock(timeout: wait) else { throw StillRunning(job: job, lock: tenant.lock(job), waited: wait) }
            idle.unlock()
        }
    }
}

struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "release",
        abstract: "Resume a job `ml-connector hold` paused for a tenant.",
        discussion: """
        Removes tenants/<t>/holds/<job>; the next scheduled run does the work that waited.

        Examples:
          ml-connector release syspro-to-hubspot --tenant acme
          ml-connector release po-alerts-twilio --tenant acme --dry-run

        Exit status: 0 released (or was not held), 64 unknown job or tenant, 74 the hold could not be removed.
        """)

    @OptionGroup var common: CommonOptions
    @Argument(help: "The job to resume.") var job: String
    @Flag(help: "Say what would be released; change nothing.") var dryRun = false

    func run() throws {
        guarded("ml-connector") {
            let tenant = try HoldTarget.tenant(common, job: job)
            guard let hold = try JobHold.load(tenant, job: job) else {
                print("\(job) is not held for tenant \(tenant.name)")
                return
            }
            let held = "held since \(Timestamp.iso8601(hold.since)) by \(hold.who): \(hold.reason)"
            if dryRun {
                print("would release \(job) for tenant \(tenant.name) (\(held))")
                return
            }
            try JobHold.lift(tenant, job: job)
            try AuditLog(directory: tenant.audit, job: "ml-connector").record(
                AuditEntry(action: "release", source: "ml-connector", id: job, outcome: "released", reason: held,
                           detail: ["who": Environment.nonEmpty("USER") ?? "unknown"]), durable: true)
            print("released \(job) for tenant \(tenant.name) (was \(held))")
        }
    }
}

struct StillRunning: ConnectorError {
    let job: String, lock: String, waited: Double
    var exitStatus: ExitStatus { .tempFail }
    var description: String {
        "\(job) is held, but a run that started before still holds \(lock) after \(Int(waited)) s; it finishes its pass"
    }
}

/// What `hold` and `release` both check before touching anything.
enum HoldTarget {
    static func tenant(_ common: CommonOptions, job: String) throws -> TenantPaths {
        guard JobCatalog.spec(job) != nil else {
            throw UsageError(message: "unknown job \(job); one of \(JobCatalog.names.joined(separator: ", "))")
        }
        let tenant = try common.tenantPaths()
        guard Posix.exists(tenant.config) else {
            throw UsageError(message: "tenant \(tenant.name) does not exist in \(common.layout.tenantsDirectory)")
        }
        return tenant
    }
}
