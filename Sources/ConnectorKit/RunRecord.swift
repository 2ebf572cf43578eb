import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

public struct FlowCount: Codable, Sendable, Equatable {
    public var kind: String
    public var direction: String
    public var count: Int

    public init(_ flow: Flow, _ count: Int) { kind = flow.kind; direction = flow.direction; self.count = count }
    public var flow: Flow { Flow(kind, direction) }
}

/// A job's last run for one tenant (`state/<job>/last-run.json`): what `ml-connector status`
/// reads, and what the metrics file is rendered from. It is the memory between runs: a
/// failed run keeps the previous `last_success`, and the `_total` counters add up here.
public struct RunRecord: Codable, Sendable, Equatable {
    public var tenant: String
    public var job: String
    public var started: Date
    public var finished: Date
    public var durationSeconds: Double
    public var exitStatus: Int32
    /// The error line the run ended with.
    public var error: String?
    /// When a run last ended with 0; nil if none has.
    public var lastSuccess: Date?
    /// When the first recorded run started: how long a job that never succeeded has tried.
    public var firstRun: Date
    /// This run's records by flow, and 429 answers by API.
    public var moved: [FlowCount]
    public var http429: [String: Int]
    /// Every run's, since the record was first written.
    public var movedTotal: [FlowCount]
    public var http429Total: [String: Int]

    enum CodingKeys: String, CodingKey {
        case tenant, job, started, finished, error, moved
        case durationSeconds = "duration_seconds", exitStatus = "exit_status", lastSuccess = "last_success", firstRun = "first_run"
        case http429 = "http_429", movedTotal = "moved_total", http429Total = "http_429_total"
    }

    /// This run, added to what `previous` remembers.
    public init(tenant: String, job: String, started: Date, finished: Date, exitStatus: Int32, error: String?,
                metrics: JobMetrics, previous: RunRecord?) {
        self.tenant = tenant
        self.job = job
        self.started = started
        self.finished = finished
        durationSeconds = max(0, finished.timeIntervalSince(started))
        self.exitStatus = exitStatus
        self.error = error
        lastSuccess = exitStatus == 0 ? finished : previous?.lastSuccess
        firstRun = previous?.firstRun ?? started
        moved = metrics.flows.keys.sorted().map { FlowCount($0, metrics.flows[$0]!) }
        http429 = metrics.http429
        var totals = Dictionary((previous?.movedTotal ?? []).map { ($0.flow, $0.count) }, uniquingKeysWith: +)
        for (flow, n) in metrics.flows { totals[flow, default: 0] += n }
        movedTotal = totals.keys.sorted().map { FlowCount($0, totals[$0]!) }
        http429Total = (previous?.http429Total ?? [:]).merging(metrics.http429, uniquingKeysWith: +)
    }

    public static func load(_ path: String) throws -> RunRecord? { try AtomicFile.readJSON(RunRecord.self, from: path) }
}

extension StateLayout {
    /// Where the jobs write their Prometheus textfile-collector files: `$ML_CONNECTOR_METRICS_DIR`
    /// (e.g. node_exporter's own textfile directory), else `<state>/metrics`.
    public var metricsDirectory: String { Environment.nonEmpty("ML_CONNECTOR_METRICS_DIR") ?? root / "metrics" }

    /// `<tenant>.<job>.prom`: a dot cannot occur in a tenant name, so no two tenants' files collide.
    public func metricsFile(tenant: String, job: String) -> String { metricsDirectory / "\(tenant).\(job).prom" }
}
