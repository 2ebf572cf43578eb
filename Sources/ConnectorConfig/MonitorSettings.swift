import ConnectorKit

/// What `ml-connector status` expects of the tenant's schedule (`monitor` in config.json):
/// only needed where cron runs a job at another pace than the repository's `crontab`.
public struct MonitorSettings: Codable, Sendable, Equatable {
    /// Minutes between two runs of a job, by job name; other jobs keep `crontab`'s.
    public var intervalMinutes: [String: Int] = [:]
    /// A job that has not succeeded for this many intervals is STALE.
    public var staleAfterIntervals: Int = 3

    enum CodingKeys: String, CodingKey, CaseIterable {
        case intervalMinutes = "interval_minutes", staleAfterIntervals = "stale_after_intervals"
    }

    public init() {}

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        intervalMinutes = try c.decodeIfPresent([String: Int].self, forKey: .intervalMinutes) ?? intervalMinutes
        staleAfterIntervals = try c.decodeIfPresent(Int.self, forKey: .staleAfterIntervals) ?? staleAfterIntervals
    }

    public func interval(_ spec: JobSpec) -> Int { intervalMinutes[spec.name] ?? spec.intervalMinutes }

    func validate(file: String) throws {
        for (job, minutes) in intervalMinutes.sorted(by: { $0.key < $1.key }) {
            guard JobCatalog.spec(job) != nil else {
                throw ConfigError(file: file, key: "monitor.interval_minutes.\(job)",
                                  problem: "is not a job; expected one of \(JobCatalog.all.map(\.name).joined(separator: ", "))")
            }
            guard minutes > 0 else { throw ConfigError(file: file, key: "monitor.interval_minutes.\(job)", problem: "expected a positive number of minutes") }
        }
        guard staleAfterIntervals >= 1 else {
            throw ConfigError(file: file, key: "monitor.stale_after_intervals", problem: "expected 1 or more")
        }
    }
}
