#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One line per record moved or refused, appended to `audit/<yyyy-mm-dd>.jsonl`.
/// Each line is a single write(2) on an O_APPEND descriptor, so concurrent writers
/// (CGI processes, jobs) never interleave inside a line.
public struct AuditLog: Sendable {
    public let directory: String
    public let job: String

    public init(directory: String, job: String) {
        self.directory = directory
        self.job = job
    }

    public func record(_ entry: AuditEntry, durable: Bool = false) throws {
        try record([entry], durable: durable)
    }

    /// Several entries, one write(2) per day file they fall on and, when durable, one fsync.
    public func record(_ entries: [AuditEntry], durable: Bool = false) throws {
        guard !entries.isEmpty else { return }
        var byDay: [String: Data] = [:]
        for entry in entries {
            var e = entry
            if e.job.isEmpty { e.job = job }
            byDay[Timestamp.day(e.ts), default: Data()].append(e.jsonData())
            byDay[Timestamp.day(e.ts)]!.append(0x0a)
        }
        try Posix.makeDirectories(directory)
        for (day, lines) in byDay.sorted(by: { $0.key < $1.key }) {
            let path = directory / "\(day).jsonl"
            let fd = try Posix.open(path, O_WRONLY | O_APPEND | O_CREAT, 0o640)
            defer { close(fd) }
            try lines.withUnsafeBytes { try Posix.appendWhole(fd, $0, path: path) }
            if durable { try Posix.fsync(fd, path: path) }
        }
    }

    /// Every entry of one day's file, for `ml-connector audit` and the tests.
    public func entries(day: String) throws -> [AuditEntry] {
        let path = directory / "\(day).jsonl"
        guard Posix.exists(path) else { return [] }
        return try Posix.readFile(path).split(separator: 0x0a).map {
            try JSON.decoder.decode(AuditEntry.self, from: Data($0))
        }
    }
}

/// What happened to one record. `personal` holds personal data (names, addresses,
/// e-mail) sealed with the tenant's master key, never in clear text.
public struct AuditEntry: Codable, Sendable, Equatable {
    public var ts: Date
    public var job: String
    public var action: String
    public var source: String
    public var id: String
    public var outcome: String
    public var reason: String?
    public var target: String?
    public var detail: [String: String]?
    public var personal: String?

    public init(action: String, source: String, id: String, outcome: String, reason: String? = nil,
                target: String? = nil, detail: [String: String]? = nil, personal: String? = nil,
                job: String = "", ts: Date = Date()) {
        self.ts = ts; self.job = job; self.action = action; self.source = source; self.id = id
        self.outcome = outcome; self.reason = reason; self.target = target; self.detail = detail
        self.personal = personal
    }
}
