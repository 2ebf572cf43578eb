import ConnectorKit
#if canImport(Glibc)
import Glibc
#endif
import TimeZones
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A rolling-window limiter shared by every process of a tenant that calls one API
/// (`rate/<api>.json`, docs/architecture.md), so two jobs, or a job and `ml-connector replay`, together
/// stay inside the vendor's budget instead of each spending all of it. It keeps the times of
/// the calls made in the last window: HubSpot counts a rolling 10 seconds (docs/vendors/hubspot.md,
/// `TEN_SECONDLY_ROLLING`), and a token bucket refilling while the burst that emptied it is
/// still inside the vendor's window overshoots it. The file is a hint, not a record: it is
/// rewritten under `flock` without fsync, and losing it in a crash only forgets recent calls.
public final class SharedRateLimiter {
    public struct BudgetSpent: ConnectorError {
        public let api: String
        public let daily: Int
        /// Where the vendor's day ends (HubSpot: the account's time zone).
        public let zone: String
        public init(api: String, daily: Int, zone: String = "UTC") { self.api = api; self.daily = daily; self.zone = zone }
        public var exitStatus: ExitStatus { .tempFail }
        public var description: String { "\(api): the daily budget of \(daily) calls is spent; the next run after midnight \(zone) continues" }
    }

    let path: String
    let api: String
    let capacity: Double
    let window: Double
    let daily: Int
    /// The calendar the daily count follows: the vendor's day, UTC unless told (HubSpot's
    /// resets at midnight in the account's time zone:
    /// docs/vendors/hubspot.md, "Daily limit resets at the account's midnight").
    public var zone: ZoneInfo
    let sleep: (Double) -> Void
    let now: () -> Double
    public private(set) var waited: Double = 0

    public init(path: String, api: String, perWindow: Int, window: Double, daily: Int, zone: ZoneInfo = .utc,
                sleep: @escaping (Double) -> Void = { RetryPolicy.realSleep($0) },
                now: @escaping () -> Double = { Date().timeIntervalSince1970 }) {
        self.path = path; self.api = api; self.capacity = Double(perWindow); self.window = window; self.daily = daily; self.zone = zone
        self.sleep = sleep; self.now = now
    }

    /// Records one call, sleeping first until the window has room for it.
    public func acquire() throws {
        while true {
            let wait = try FileLock.withLock(path + ".lock", wait: 30) { () throws -> Double in
                var s = load()
                let t = now()
                s.calls = s.calls.filter { $0 > t - window }
                let day = zone.localDate(atUTC: Int64(t.rounded(.down)))
                if s.day != day { s.day = day; s.dayCount = 0 }
                guard s.dayCount < daily else { throw BudgetSpent(api: api, daily: daily, zone: zone.identifier) }
                if s.calls.count < Int(capacity) {
                    s.calls.append(t)
                    s.dayCount += 1
                    save(s)
                    return 0
                }
                save(s)
                return s.calls[s.calls.count - Int(capacity)] + window - t
            }
            if wait <= 0 { return }
            waited += wait
            sleep(wait)
        }
    }

    /// The vendor said 429, or that no calls are left: the window is full, whoever spent it
    /// (another app on the account, another tenant). Calls it does not know of are added as
    /// made now, topping the window up to its capacity; when this tenant's own calls fill it
    /// already, nothing changes and the next call waits for the oldest to leave it.
    public func drain() {
        try? FileLock.withLock(path + ".lock", wait: 30) {
            var s = load()
            let t = now()
            s.calls = s.calls.filter { $0 > t - window }
            s.calls += Array(repeating: t, count: max(0, Int(capacity) - s.calls.count))
            save(s)
        }
    }

    private struct State { var calls: [Double]; var day: String; var dayCount: Int }

    private func load() -> State {
        guard let data = try? Posix.readFile(path), let j = try? JSONValue.parse(data), let calls = j["calls"]?.array else {
            return State(calls: [], day: "", dayCount: 0)
        }
        return State(calls: calls.compactMap(\.double).sorted(), day: j["day"]?.string ?? "", dayCount: Int(j["day_count"]?.int64 ?? 0))
    }

    private func save(_ s: State) {
        var out = Array("{\"calls\":[".utf8)
        for (i, c) in s.calls.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out += Array(String(c).utf8)
        }
        out += Array("],\"day\":".utf8)
        JSONObjectWriter.appendString(s.day, to: &out)
        out += Array(",\"day_count\":\(s.dayCount)}".utf8)
        try? Posix.makeDirectories(PathString(path).parent)
        guard let fd = try? Posix.open(path, O_WRONLY | O_CREAT | O_TRUNC) else { return }
        defer { close(fd) }
        try? out.withUnsafeBytes { try Posix.writeAll(fd, $0, path: path) }
    }
}
