#if canImport(Glibc)
import Glibc
#endif

/// How many refusal lines webhook-cgi writes to one `audit/` directory (a tenant's, or the
/// state root's) per minute: the first `linesPerWindow` of a minute each get their line,
/// the rest are only counted, and the count goes into one summary line written with the
/// first refusal of a later minute. Anyone can send requests that are refused, so without
/// this a flood of forgeries would grow the audit as fast as nginx accepts them.
///
/// The count lives in `audit/.refusals`, one fixed-width record rewritten in place under an
/// exclusive flock(2): webhook-cgi starts once per request, so the state must be a file,
/// and a few system calls is all it may cost. No fsync: a crash can lose the current
/// minute's count or leave a torn record, which reads as invalid and starts a fresh
/// minute (at worst `linesPerWindow` more lines). Readers of the audit skip dot files.
public enum RefusalBudget {
    public static let linesPerWindow = 20
    public static let windowSeconds = 60
    static let fileName = ".refusals"
    /// `v1 <window start> <lines written> <refusals counted>`, padded to this width.
    static let recordBytes = 64

    /// Refusals that were counted instead of written, in the minute starting at `windowStart`.
    public struct Summary: Equatable, Sendable {
        public let windowStart: Int
        public let suppressed: Int
    }

    public enum Decision: Equatable, Sendable {
        /// Write the refusal's line, after the summary of an earlier minute when there is one.
        case record(summary: Summary?)
        /// Over this minute's budget: counted, not written.
        case count
    }

    /// Takes one refusal from `directory`'s budget. When the state file cannot be used (a
    /// full or read-only disk) the refusal is written as before: the line's own append
    /// fails there too, and what a broken budget must never do is hide refusals.
    public static func take(directory: String, now: Int) -> Decision {
        let path = "\(directory)/\(fileName)"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return .record(summary: nil) }
        defer { close(fd) }
        while flock(fd, LOCK_EX) != 0 { guard errno == EINTR else { return .record(summary: nil) } }
        var buffer = [UInt8](repeating: 0, count: recordBytes)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress!, recordBytes, 0) }
        let window = now - now % windowSeconds
        var state = parse(n > 0 ? Array(buffer[0..<n]) : []) ?? (windowStart: window, lines: 0, suppressed: 0)
        var summary: Summary?
        if state.windowStart != window {
            if state.suppressed > 0 { summary = Summary(windowStart: state.windowStart, suppressed: state.suppressed) }
            state = (window, 0, 0)
        }
        let decision: Decision
        if state.lines < linesPerWindow {
            state.lines += 1
            decision = .record(summary: summary)
        } else {
            state.suppressed += 1
            decision = .count
        }
        var record = Array("v1 \(state.windowStart) \(state.lines) \(state.suppressed)".utf8)
        record += [UInt8](repeating: UInt8(ascii: " "), count: max(0, recordBytes - 1 - record.count)) + [0x0a]
        _ = record.withUnsafeBytes { pwrite(fd, $0.baseAddress!, $0.count, 0) }
        return decision
    }

    /// The record, or nil when it is missing, torn or not ours.
    static func parse(_ bytes: [UInt8]) -> (windowStart: Int, lines: Int, suppressed: Int)? {
        let fields = bytes.split(whereSeparator: { $0 == UInt8(ascii: " ") || $0 == 0x0a })
        guard fields.count == 4, fields[0].elementsEqual("v1".utf8) else { return nil }
        let numbers = fields.dropFirst().map { f -> Int? in
            guard !f.isEmpty, f.count <= 18, f.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
            return f.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        guard let start = numbers[0], let lines = numbers[1], let suppressed = numbers[2] else { return nil }
        return (start, lines, suppressed)
    }
}
