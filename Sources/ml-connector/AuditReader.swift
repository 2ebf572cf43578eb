import ConnectorKit
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Reads a tenant's `audit/<yyyy-mm-dd>.jsonl` files between two moments, opening only the
/// day files in range. A line that is not an audit entry is handed to `bad` with its file
/// and line number, and skipped.
struct AuditReader {
    let directory: String

    struct Line {
        let entry: AuditEntry
        let file: String
        let number: Int
    }

    /// Day files that can hold entries in `since ..< until`, oldest first.
    func dayFiles(since: Date, until: Date) throws -> [String] {
        let first = Timestamp.day(since), last = Timestamp.day(until.addingTimeInterval(-1))
        return try Posix.list(directory).filter { name in
            guard let day = AuditLine.day(ofFile: name) else { return false }
            return day >= first && day <= last
        }.sorted().map { directory / $0 }
    }

    func read(since: Date, until: Date, _ each: (Line) throws -> Void, bad: (String, Int, String) -> Void) throws {
        for file in try dayFiles(since: since, until: until) {
            let bytes = [UInt8](try Posix.readFile(file))
            var number = 0
            for line in bytes.split(separator: 0x0a, omittingEmptySubsequences: false) {
                number += 1
                if line.isEmpty { continue }
                let entry: AuditEntry
                do { entry = try AuditEntry(lineBytes: line) }
                catch { bad(file, number, "\(error)"); continue }
                if entry.ts >= since && entry.ts < until { try each(Line(entry: entry, file: file, number: number)) }
            }
        }
    }
}
