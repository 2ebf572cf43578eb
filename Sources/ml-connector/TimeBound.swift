import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `--since` / `--until`: a day (`2026-07-01`, UTC), a moment (`2026-07-01T12:00:00Z`) or a
/// duration back from now (`90m`, `24h`, `7d`, `2w`).
struct TimeBound {
    /// An `--until` day includes the whole day.
    enum Edge { case start, end }

    static func parse(_ text: String, edge: Edge, now: Date, option: String) throws -> Date {
        if let d = Timestamp.parse(text) { return d }
        if text.count == 10, let d = Timestamp.parse(text + "T00:00:00Z") {
            return edge == .start ? d : d.addingTimeInterval(86_400)
        }
        if let unit = text.last, let n = Double(text.dropLast()), n >= 0,
           let seconds = ["s": 1.0, "m": 60, "h": 3_600, "d": 86_400, "w": 604_800][String(unit)] {
            return now.addingTimeInterval(-n * seconds)
        }
        throw UsageError(message: "\(option) \(text): expected a day (2026-07-01), a UTC time (2026-07-01T12:00:00Z) or a duration (90m, 24h, 7d)")
    }
}
