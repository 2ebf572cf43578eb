import ConnectorKit
import TimeZones
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension SysproSettings {
    /// `yyyy-MM-dd` of `date` on the SYSPRO server's calendar (`syspro.time_zone`): SYSPRO's
    /// dates are local to it (docs/architecture.md, "Conventions"), so a post at 01:00 UTC can belong to
    /// yesterday in Chicago. Config validation has loaded the zone once already, so this
    /// throws only if tzdata went away since.
    public func localDate(_ date: Date) throws(ZoneInfoError) -> String {
        try ZoneInfo(identifier: timeZone).localDate(atUTC: Int64(date.timeIntervalSince1970.rounded(.down)))
    }
}
