/// A job's textfile-collector file for one tenant: its last run (from the run record) and
/// the queues it drains. Every sample carries `tenant` and `job`.
public enum MetricsFile {
    public static func render(_ run: RunRecord, spec: JobSpec?, depths: [QueueDepth]) -> String {
        let base = [("tenant", run.tenant), ("job", run.job)]
        func one(_ value: Double) -> [PrometheusText.Sample] { [(base, value)] }
        func byFlow(_ counts: [FlowCount]) -> [PrometheusText.Sample] {
            var all = Dictionary(counts.map { ($0.flow, $0.count) }, uniquingKeysWith: +)
            for f in spec?.flows ?? [] where all[f] == nil { all[f] = 0 }
            return all.keys.sorted().map { (base + [("kind", $0.kind), ("direction", $0.direction)], Double(all[$0]!)) }
        }
        func byAPI(_ counts: [String: Int]) -> [PrometheusText.Sample] {
            var all = counts
            for api in spec?.apis ?? [] where all[api] == nil { all[api] = 0 }
            return all.keys.sorted().map { (base + [("api", $0)], Double(all[$0]!)) }
        }

        var p = PrometheusText()
        p.family("ml_connector_last_run_timestamp_seconds", .gauge, help: "When the job's last run ended (Unix time).",
                 one(run.finished.timeIntervalSince1970.rounded(.down)))
        p.family("ml_connector_last_success_timestamp_seconds", .gauge,
                 help: "When a run of the job last ended with exit status 0 (Unix time; 0: never).",
                 one(run.lastSuccess?.timeIntervalSince1970.rounded(.down) ?? 0))
        p.family("ml_connector_run_duration_seconds", .gauge, help: "How long the job's last run took.",
                 one((run.durationSeconds * 1000).rounded() / 1000))
        p.family("ml_connector_exit_status", .gauge,
                 help: "Exit status of the job's last run: 0 ok, 65 bad data, 69 unavailable, 70 bug, 74 state I/O, 75 try later, 78 configuration.",
                 one(Double(run.exitStatus)))
        p.family("ml_connector_last_run_records", .gauge, help: "Records the job's last run moved, by kind and direction.",
                 byFlow(run.moved))
        p.family("ml_connector_records_total", .counter, help: "Records the job has moved, by kind and direction.",
                 byFlow(run.movedTotal))
        p.family("ml_connector_last_run_http_429", .gauge, help: "HTTP 429 answers the job's last run received, by API.",
                 byAPI(run.http429))
        p.family("ml_connector_http_429_total", .counter, help: "HTTP 429 answers the job has received, by API.",
                 byAPI(run.http429Total))
        p.family("ml_connector_queue_depth", .gauge,
                 help: "Items in the queues the job drains, when its last run ended: new (waiting), failed (parked for replay), open (attention items).",
                 depths.map { (base + [("queue", $0.queue), ("state", $0.state)], Double($0.count)) })
        return p.text
    }
}
