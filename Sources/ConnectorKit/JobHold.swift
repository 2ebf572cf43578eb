#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// `tenants/<t>/holds/<job>`: a person paused this job for this tenant (`ml-connector hold`).
/// While the file exists every run of the job ends at once, status 0 and quiet (cron mails
/// any output), and `ml-connector status` shows the job HELD.
public struct JobHold: Codable, Sendable, Equatable {
    public var since: Date
    public var reason: String
    /// `$USER` of whoever placed it.
    public var who: String

    public init(since: Date = Date(), reason: String, who: String) {
        self.since = since; self.reason = reason; self.who = who
    }

    public static func load(_ tenant: TenantPaths, job: String) throws -> JobHold? {
        try AtomicFile.readJSON(JobHold.self, from: tenant.hold(job))
    }

    public func place(_ tenant: TenantPaths, job: String) throws {
        try Posix.makeDirectories(tenant.holds)
        try AtomicFile.writeJSON(self, to: tenant.hold(job))
    }

    /// Removes the hold; false when there was none.
    @discardableResult
    public static func lift(_ tenant: TenantPaths, job: String) throws -> Bool {
        guard Posix.exists(tenant.hold(job)) else { return false }
        try Posix.unlink(tenant.hold(job))
        try Posix.fsyncDirectory(tenant.holds)
        return true
    }

    /// The one line a person running a held job by hand sees (never cron: see `JobHold`).
    public func notice(job: String, tenant: String) -> String {
        "\(job) is held for tenant \(tenant) since \(Timestamp.iso8601(since)) by \(who): \(reason); "
            + "`ml-connector release \(job) --tenant \(tenant)` resumes it"
    }
}
