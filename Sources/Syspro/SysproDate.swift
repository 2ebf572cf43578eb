import Foundation
import ConnectorKit

extension SysproSettings {
    /// `yyyy-MM-dd` of `date` on the SYSPRO server's calendar (`syspro.time_zone`): SYSPRO's
    /// dates are local to it (DESIGN.md, "Time"), so a post at 01:00 UTC can belong to
    /// yesterday in Chicago.
    public func localDate(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
    }
}
