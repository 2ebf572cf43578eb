#if canImport(Glibc)
import Glibc
#endif
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// One line per record moved or refused, appended to `audit/<yyyy-mm-dd>.jsonl` in
/// WebhookCore's `AuditLine` form, the one webhook-cgi writes too.
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

    /// Several entries, one write(2) per day file they fall on and, when durable, one fsync
    /// (`AuditLine.append`).
    public func record(_ entries: [AuditEntry], durable: Bool = false) throws {
        try AuditLine.append(entries.map { $0.line(job: job) }, to: directory, durable: durable)
    }

    /// Every entry of one day's file, for `ml-connector audit` and the tests.
    public func entries(day: String) throws -> [AuditEntry] {
        let path = AuditLine.dayFile(directory, day: day)
        guard Posix.exists(path) else { return [] }
        return try Posix.readBytes(path, limit: .max).split(separator: 0x0a).map { try AuditEntry(lineBytes: $0) }
    }
}

/// What happened to one record. `personal` holds personal data (names, addresses,
/// e-mail) sealed with the tenant's master key, never in clear text. Read and written on
/// disk through WebhookCore's `AuditLine`; Encodable only for the jobs' JSON Lines on stdout.
public struct AuditEntry: Encodable, Sendable, Equatable {
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
