import ConnectorKit
import Foundation
import TimeZones
import XCTest

/// ZoneInfo is checked against glibc (`date` with TZ set), which reads the same tz files
/// with its own code: any instant where the two disagree is a bug in ours.
final class ZoneInfoTests: XCTestCase {
    /// Zones chosen for what they exercise: US and EU rules, the southern hemisphere,
    /// Dublin's negative DST, quarter-hour offsets, rule times past 24 h (Jerusalem) and
    /// below 0 (Nuuk), a zone that moved across the date line (Apia), and Casablanca's
    /// Ramadan table.
    static let zones = ["America/Chicago", "America/New_York", "Europe/London", "Europe/Dublin", "Australia/Sydney",
                        "Asia/Kolkata", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham", "Asia/Jerusalem",
                        "America/Nuuk", "Pacific/Apia", "Africa/Casablanca", "America/Sao_Paulo", "Pacific/Auckland"]

    func testLocalDatesAgreeWithGlibcAcrossTwoCenturiesAndEveryDSTSwitch() throws {
        var instants: [Int64] = []
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        for _ in 0..<600 {   // spread over 1901...2099, past every zone's transition table
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            instants.append(-2_145_916_800 + Int64(seed >> 33) % 6_311_433_600)
        }
        // Around local midnight on the days clocks change (where an off-by-one-hour offset
        // changes the date), in years inside the tables and decades after them.
        for year in [2007, 2026, 2038, 2061, 2094] {
            for month in 1...12 {
                let first = Int64(Self.days(year: year, month: month)) * 86_400
                for day in stride(from: Int64(0), to: 31, by: 1) {
                    for hour: Int64 in [-14, -11, -5, -1, 0, 1, 2, 3, 5, 11, 13] { instants.append(first + day * 86_400 + hour * 3600) }
                }
            }
        }
        for zone in Self.zones {
            let info = try ZoneInfo(identifier: zone)
            let expected = try Self.glibcDates(zone: zone, instants)
            var wrong: [String] = []
            for (t, want) in zip(instants, expected) where info.localDate(atUTC: t) != want {
                wrong.append("@\(t): \(info.localDate(atUTC: t)), glibc \(want)")
            }
            XCTAssertTrue(wrong.isEmpty, "\(zone): \(wrong.count) of \(instants.count) differ, e.g. \(wrong.prefix(3))")
        }
    }

    func testUTCNeedsNoTzdata() throws {
        let utc = try ZoneInfo(identifier: "UTC", directory: "/nonexistent")
        XCTAssertEqual(utc.localDate(atUTC: 0), "1970-01-01")
        XCTAssertEqual(utc.localDate(atUTC: -1), "1969-12-31")
        XCTAssertEqual(utc.localDate(atUTC: 951_782_400), "2000-02-29")
    }

    func testAnUnknownZoneIsNamedWithWhereItWasLookedFor() {
        XCTAssertThrowsError(try ZoneInfo(identifier: "Mars/Olympus_Mons")) { error in
            XCTAssertEqual("\(error)", "time zone \"Mars/Olympus_Mons\" is not in /usr/share/zoneinfo (is the tzdata package installed?)")
        }
    }

    func testAZoneNameCannotLeaveTheZoneDirectory() {
        for name in ["../../etc/passwd", "/etc/localtime", "America/../../../etc/shadow", "", "America//Chicago"] {
            XCTAssertThrowsError(try ZoneInfo(identifier: name), name) { error in
                XCTAssertTrue("\(error)".contains("is not an IANA zone name"), "\(name): \(error)")
            }
        }
    }

    func testATruncatedZoneFileIsRefusedNotMisread() throws {
        let dir = TempDir()
        let whole = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/zoneinfo/America/Chicago"))
        for cut in [3, 44, 200, whole.count - 30] {
            try whole.prefix(cut).write(to: URL(fileURLWithPath: dir.file("Cut")))
            XCTAssertThrowsError(try ZoneInfo(identifier: "Cut", directory: dir.path), "cut at \(cut)") { error in
                XCTAssertTrue("\(error)".contains("is not a usable TZif file"), "\(error)")
            }
        }
        try Data("not a zone".utf8).write(to: URL(fileURLWithPath: dir.file("Text")))
        XCTAssertThrowsError(try ZoneInfo(identifier: "Text", directory: dir.path))
    }

    func testConfigNamesAnUnknownSysproTimeZone() {
        assertConfigError(ConfigFixture.valid.replacingOccurrences(of: "America/Chicago", with: "America/Chicgo"),
                          key: "syspro.time_zone", contains: "time zone \"America/Chicgo\" is not in /usr/share/zoneinfo")
    }

    func testFixedPrintsLikePrintfForTheFiguresTheConnectorShows() {
        for (value, decimals) in [(1234.5, 2), (0.004, 2), (-12.345678, 3), (9.99, 1), (42.0, 0), (0.5e-7, 6), (1e12 + 0.26, 1)] {
            XCTAssertEqual(value.fixed(decimals), String(format: "%.\(decimals)f", value), "\(value) with \(decimals)")
        }
        // Where it departs from printf, on purpose: no "-0.00" for a refund that rounds away.
        XCTAssertEqual((-0.004).fixed(2), "0.00")
    }

    static func days(year: Int, month: Int) -> Int {
        var c = DateComponents(); c.year = year; c.month = month; c.day = 1
        var cal = Calendar(identifier: .gregorian); cal.timeZone = TimeZone(identifier: "UTC")!
        return Int(cal.date(from: c)!.timeIntervalSince1970) / 86_400
    }

    static func glibcDates(zone: String, _ instants: [Int64]) throws -> [String] {
        // Through a file, not a pipe: date's answer would fill its pipe while we still write.
        let dir = TempDir()
        try instants.map { "@\($0)\n" }.joined().write(toFile: dir.file("instants"), atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/date")
        p.arguments = ["-f", dir.file("instants"), "+%F"]
        p.environment = ["TZ": zone]
        let output = Pipe()
        p.standardOutput = output
        try p.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return text.split(separator: "\n").map(String.init)
    }
}

/// Amendment-journal stamps: the server's local date and HHMMSScc, and back.
final class LocalStampTests: XCTestCase {
    func testALocalStampRoundTripsAcrossDaylightSavingTime() throws {
        let chicago = try ZoneInfo(identifier: "America/Chicago")
        // 2026-07-01 15:04:05.25 UTC is 10:04:05.25 CDT; 2026-12-06 03:00 UTC is 21:00 CST the day before.
        let summer = 1_782_918_245.25, winter = 1_796_526_000.0
        XCTAssertEqual(chicago.localStamp(atUTC: summer).date, "2026-07-01")
        XCTAssertEqual(chicago.localStamp(atUTC: summer).time, 10_040_525)
        XCTAssertEqual(chicago.localStamp(atUTC: winter).date, "2026-12-05")
        XCTAssertEqual(chicago.localStamp(atUTC: winter).time, 21_000_000)
        for t in [summer, winter] {
            let s = chicago.localStamp(atUTC: t)
            XCTAssertEqual(try XCTUnwrap(chicago.instant(localDate: s.date + "T00:00:00Z", time: s.time)), t, accuracy: 0.01)
        }
    }

    func testNonsenseStampsAreNotInstants() throws {
        XCTAssertNil(ZoneInfo.utc.instant(localDate: "2026-13-01", time: 0))
        XCTAssertNil(ZoneInfo.utc.instant(localDate: "yesterday", time: 0))
        XCTAssertNil(ZoneInfo.utc.instant(localDate: "2026-12-06", time: 10_610_000), "61 minutes")
    }
}
