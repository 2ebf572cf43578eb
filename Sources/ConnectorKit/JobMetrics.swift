/// What one run of a job moved and how often a vendor said 429, as the job and its HTTP
/// client report it (`job.metrics.moved("orders", "shipbob->syspro")`). Counted as things
/// happen, so a run that fails halfway still reports what it moved before it failed.
public final class JobMetrics {
    public private(set) var flows: [Flow: Int] = [:]
    public private(set) var http429: [String: Int] = [:]

    public init() {}

    public func moved(_ kind: String, _ direction: String, _ count: Int = 1) {
        guard count > 0 else { return }
        flows[Flow(kind, direction), default: 0] += count
    }

    public func rateLimited(_ api: String, _ count: Int = 1) {
        guard count > 0 else { return }
        http429[api, default: 0] += count
    }
}
