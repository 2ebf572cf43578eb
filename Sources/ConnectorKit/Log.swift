#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One logfmt line per event on stderr (WebhookCore's `Logfmt`): stdout stays free for
/// data (JSON Lines) so jobs can be piped together.
public struct Logger: Sendable {
    public enum Level: Int, Sendable, Comparable {
        case debug, info, warn, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
        var name: String { ["debug", "info", "warn", "error"][rawValue] }
    }
    public let job: String
    public var minimum: Level

    public init(job: String, verbose: Bool = false) {
        self.job = job
        self.minimum = verbose ? .debug : .info
    }

    public func debug(_ msg: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.debug, msg, fields) }
    public func info(_ msg: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.info, msg, fields) }
    public func warn(_ msg: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.warn, msg, fields) }
    public func error(_ msg: String, _ fields: KeyValuePairs<String, String> = [:]) { log(.error, msg, fields) }

    public func log(_ level: Level, _ msg: String, _ fields: KeyValuePairs<String, String>) {
        guard level >= minimum else { return }
        Logfmt.write(Logfmt.line(ts: Timestamp.iso8601(Date()), level: level.name, job: job, msg: msg, fields))
    }
}

/// UTC timestamps in one format everywhere in state and logs.
public enum Timestamp {
    /// `yyyy-MM-ddTHH:mm:ssZ` (WebhookCore's `UTC`, shared with webhook-cgi).
    public static func iso8601(_ date: Date) -> String {
        UTC.iso8601(seconds: Int(date.timeIntervalSince1970.rounded(.down)))
    }
    public static func parse(_ s: String) -> Date? {
        if let d = try? Date.ISO8601FormatStyle().parse(s) { return d }
        return try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(s)
    }
    /// `yyyy-mm-dd` of a UTC date, used to name daily audit files.
    public static func day(_ date: Date) -> String {
        String(iso8601(date).prefix(10))
    }
}
