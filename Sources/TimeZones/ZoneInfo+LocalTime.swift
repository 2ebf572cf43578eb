/// SYSPRO's amendment journals stamp a change with the server's local date and an
/// `HHMMSScc` time (docs/vendors/syspro.md, "Customer changes: the amendment journal"): the
/// sandbox writes such stamps and the connector turns them back into instants, both here.
extension ZoneInfo {
    /// The local `yyyy-MM-dd` and `HHMMSScc` (hundredths) at `utc` seconds.
    public func localStamp(atUTC utc: Double) -> (date: String, time: Int) {
        let whole = Int64(utc.rounded(.down))
        let local = whole + Int64(offset(atUTC: whole))
        let seconds = ((local % 86_400) + 86_400) % 86_400
        let hundredths = Int(((utc - Double(whole)) * 100).rounded(.down))
        let time = Int(seconds / 3600) * 1_000_000 + Int(seconds / 60 % 60) * 10_000 + Int(seconds % 60) * 100 + min(99, hundredths)
        return (localDate(atUTC: whole), time)
    }

    /// The instant (UTC seconds) of a local `yyyy-MM-dd` (anything after the day is ignored,
    /// as OData may answer `2026-12-06T00:00:00`) and `HHMMSScc` time; `nil` if either is
    /// not a date or time. In the hour a clock goes back the earlier instant is taken.
    public func instant(localDate: String, time: Int) -> Double? {
        let parts = localDate.prefix(10).split(separator: "-").compactMap { Int64($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), (1...31).contains(parts[2]), (0..<24_000_000).contains(time),
              time / 10_000 % 100 < 60, time / 100 % 100 < 60 else { return nil }
        let localSeconds = CivilDate.days(year: parts[0], month: parts[1], day: parts[2]) * 86_400
            + Int64(time / 1_000_000) * 3600 + Int64(time / 10_000 % 100) * 60 + Int64(time / 100 % 100)
        // The offset depends on the instant being sought: guess with the offset at the local
        // reading taken as UTC, then correct once with the offset at the guess.
        let guess = localSeconds - Int64(offset(atUTC: localSeconds))
        let utc = localSeconds - Int64(offset(atUTC: guess))
        return Double(utc) + Double(time % 100) / 100
    }
}
