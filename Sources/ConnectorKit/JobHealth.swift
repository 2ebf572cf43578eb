#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The word `ml-connector status` gives a job of a tenant, worst first within each severity.
public enum Verdict: String, Codable, Sendable, CaseIterable {
    case failing = "FAILING", stale = "STALE"
    case attention = "ATTENTION", held = "HELD", deferred = "DEFERRED"
    case ok = "OK", neverRun = "NEVER RUN"

    /// 0 healthy, 1 a person should look, 2 broken: also `status`'s exit code (Nagios plugin
    /// convention, so the command drops into Nagios, Icinga or any check runner).
    public var severity: Int {
        switch self {
        case .failing, .stale: return 2
        case .attention, .held, .deferred: return 1
        case .ok, .neverRun: return 0
        }
    }

    /// The worse of two verdicts: higher severity, then earlier in the list.
    public static func worst(_ a: Verdict, _ b: Verdict) -> Verdict {
        if a.severity != b.severity { return a.severity > b.severity ? a : b }
        return allCases.firstIndex(of: a)! <= allCases.firstIndex(of: b)! ? a : b
    }
}

public enum JobHealth {
    /// - `HELD`: `ml-connector hold` stopped it; nothing else matters until it is released.
    /// - `FAILING`: its last run ended with an error other than 75.
    /// - `STALE`: no success within `staleAfter` intervals (counted from its first run if it
    ///   never succeeded): cron stopped running it, or every run says "try later".
    /// - `ATTENTION`: it runs fine, but items wait in its `failed/` or `attention/` for a person.
    /// - `DEFERRED`: its last run ended with 75 (a rate limit, a busy lock) and a success is recent.
    /// - `NEVER RUN`: no run recorded (a job this tenant does not use is not an alarm).
    public static func verdict(run: RunRecord?, held: Bool, parked: Int, intervalMinutes: Int, staleAfter: Int, now: Date) -> Verdict {
        if held { return .held }
        guard let run else { return parked > 0 ? .attention : .neverRun }
        if run.exitStatus != ExitStatus.ok.rawValue && run.exitStatus != ExitStatus.tempFail.rawValue { return .failing }
        if now.timeIntervalSince(run.lastSuccess ?? run.firstRun) > Double(intervalMinutes * staleAfter * 60) { return .stale }
        if parked > 0 { return .attention }
        if run.exitStatus == ExitStatus.tempFail.rawValue { return .deferred }
        return .ok
    }
}
