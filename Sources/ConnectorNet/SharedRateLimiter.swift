import ConnectorKit
#if canImport(Glibc)
import Glibc
#endif

/// A token bucket shared by every process of a tenant that calls one API
/// (`rate/<api>.json`, DESIGN.md), so two jobs, or a job and `ml-connector replay`, together
/// stay inside the vendor's budget instead of each spending all of it. The file is a hint,
/// not a record: it is rewritten under `flock` without fsync, and losing it in a crash only
/// forgets how full the bucket was.
public final class SharedRateLimiter {
    public struct BudgetSpent: ConnectorError {
        public let api: String
        public let daily: Int
        public init(api: String, daily: Int) { self.api = api; self.daily = daily }
        public var exitStatus: ExitStatus { .tempFail }
        public var description: String { "\(api): the daily budget of \(daily) calls is spent; the next run after midnight UTC continues" }
    }

    let path: String
    let api: String
    let capacity: Double
    let window: Double
    let daily: Int
    let sleep: (Double) -> Void
    let now: () -> Double
    public private(set) var waited: Double = 0

    public init(path: String, api: String, perWindow: Int, window: Double, daily: Int,
                sleep: @escaping (Double) -> Void = { RetryPolicy.realSleep($0) },
                now: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.path = path; self.api = api; self.capacity = Double(perWindow); self.window = window; self.daily = daily
        self.sleep = sleep; self.now = now
    }

    /// Takes one call from the bucket, sleeping until one is free.
    public func acquire() throws {
        while true {
            let wait = try FileLock.withLock(path + ".lock", wait: 30) { () throws -> Double in
                var s = load()
                let t = now()
                s.tokens = min(capacity, s.tokens + (t - s.updated) * capacity / window)
                s.updated = t
                let day = UTC.iso8601(seconds: Int(t)).prefix(10)
                if s.day != String(day) { s.day = String(day); s.dayCount = 0 }
                guard s.dayCount < daily else { throw BudgetSpent(api: api, daily: daily) }
                if s.tokens >= 1 {
                    s.tokens -= 1
                    s.dayCount += 1
                    save(s)
                    return 0
                }
                save(s)
                return (1 - s.tokens) * window / capacity
            }
            if wait == 0 { return }
            waited += wait
            sleep(wait)
        }
    }

    /// The vendor said 429: empty the bucket so every process waits for the window.
    public func drain() {
        try? FileLock.withLock(path + ".lock", wait: 30) {
            var s = load()
            s.tokens = 0
            s.updated = now()
            save(s)
        }
    }

    private struct State { var tokens: Double; var updated: Double; var day: String; var dayCount: Int }

    private func load() -> State {
        guard let data = try? Posix.readFile(path), let j = try? JSONValue.parse(data),
              let tokens = j["tokens"]?.double, let updated = j["updated"]?.double else {
            return State(tokens: capacity, updated: now(), day: "", dayCount: 0)
        }
        return State(tokens: tokens, updated: updated, day: j["day"]?.string ?? "", dayCount: Int(j["day_count"]?.int64 ?? 0))
    }

    private func save(_ s: State) {
        var w = JSONObjectWriter()
        w.field("day", s.day)
        w.field("day_count", number: Double(s.dayCount))
        w.field("tokens", number: s.tokens)
        w.field("updated", number: s.updated)
        try? Posix.makeDirectories(PathString(path).parent)
        guard let fd = try? Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC) else { return }
        defer { close(fd) }
        try? w.bytes.withUnsafeBytes { try Posix.writeAll(fd, $0, path: path) }
    }
}
