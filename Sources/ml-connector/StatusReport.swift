import ConnectorKit
import Syspro
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What `ml-connector status` knows, as `--json` prints it (docs/operations.md, "Observe").
struct StatusReport: Encodable {
    var generated: Date
    var verdict: Verdict
    var tenants: [TenantStatus]
}

struct TenantStatus: Encodable {
    var tenant: String
    var verdict: Verdict
    /// What kept status from reading the tenant fully (config.json broken, state unreadable).
    var problems: [String]
    var jobs: [JobStatus]
    var queues: [QueueStatus]
    var attention: [AttentionStatus]
    var failed: [FailedStatus]
    var cursors: [CursorStatus]
    var tokens: [TokenStatus]
    /// How the tenant's SYSPRO OData server lets jobs find changed rows, as last probed
    /// (nil: not probed yet; the next job reading OData probes).
    var odataChangeDetection: ODataModeRecord?
    /// The tenant's state format version (StateVersion; 1 before versions were kept).
    var stateVersion: Int?
    /// The last `ml-connector probe`: when, and how many checks were ok, differed or could not run.
    var probe: ProbeSummary?
}

struct ProbeSummary: Encodable {
    var finished: Date
    var ok: Int, differs: Int, cannotCheck: Int
    /// The checks that differ, as `system check: detail`.
    var differing: [String]
}

struct JobStatus: Encodable {
    var job: String
    var verdict: Verdict
    /// One line saying why the verdict is what it is.
    var why: String
    var intervalMinutes: Int
    var held: Bool
    var lastRun: Date?
    var lastSuccess: Date?
    var exitStatus: Int32?
    var durationSeconds: Double?
    var error: String?
    /// The last run's records and 429 answers.
    var moved: [FlowCount]
    var http429: [String: Int]
    /// Items of its queues parked in failed/, and attention items it raised.
    var failed: Int
    var attention: Int

    enum CodingKeys: String, CodingKey {
        case job, verdict, why, held, error, moved, failed, attention
        case intervalMinutes = "interval_minutes", lastRun = "last_run", lastSuccess = "last_success"
        case exitStatus = "exit_status", durationSeconds = "duration_seconds", http429 = "http_429"
    }
}

struct QueueStatus: Encodable {
    /// `spool/shipbob`, `outbox/twilio`.
    var queue: String
    var new: Int
    var failed: Int
    /// The job that drains it.
    var job: String?
}

struct AttentionStatus: Encodable {
    var file: String
    var source: String
    var id: String
    var reason: String
    var action: String
    var since: Date?
}

struct FailedStatus: Encodable {
    var queue: String
    var id: String
    /// From `failed/.<id>.why`.
    var reason: String
    var since: Date?
}

struct CursorStatus: Encodable {
    /// The file's name without `.json`: the job (or job and mode) it belongs to.
    var name: String
    var updated: Date?
    var position: JSONValue?
}

struct TokenStatus: Encodable {
    var name: String
    /// `valid`, `expired`, `none`, `no expiry` or `unreadable`.
    var state: String
    var expires: Date?
    var detail: String
}
