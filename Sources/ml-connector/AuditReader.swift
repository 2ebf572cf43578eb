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
            guard name.utf8.count == 16, name.hasSuffix(".jsonl") else { return false }
            let day = String(name.prefix(10))
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
                do { entry = try AuditReader.entry(Array(line)) }
                catch { bad(file, number, "\(error)"); continue }
                if entry.ts >= since && entry.ts < until { try each(Line(entry: entry, file: file, number: number)) }
            }
        }
    }

    struct NotAnEntry: Error, CustomStringConvertible { let description: String }

    /// WebhookCore's reader rather than JSONDecoder: a busy day holds 100,000 lines.
    static func entry(_ line: [UInt8]) throws -> AuditEntry {
        let json: JSONValue
        do { json = try JSONValue.parse(line) } catch { throw NotAnEntry(description: "\(error)") }
        func text(_ key: String) throws -> String {
            guard let s = json[key]?.string else { throw NotAnEntry(description: "not an audit entry: no \(key)") }
            return s
        }
        guard let ts = Timestamp.parse(try text("ts")) else { throw NotAnEntry(description: "ts is not an ISO-8601 time") }
        let detail = json["detail"]?.object.map { $0.compactMapValues(\.string) }
        return AuditEntry(action: try text("action"), source: try text("source"), id: try text("id"), outcome: try text("outcome"),
                          reason: json["reason"]?.string, target: json["target"]?.string, detail: detail,
                          personal: json["personal"]?.string, job: try text("job"), ts: ts)
    }
}
