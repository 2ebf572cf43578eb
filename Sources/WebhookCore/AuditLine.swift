/// One line of `audit/<yyyy-mm-dd>.jsonl` (docs/state-directory.md), as every writer puts
/// it: webhook-cgi's answers and the jobs' `AuditLog`. Keys sorted, absent fields left out;
/// ConnectorKit's `AuditEntry` reads it back through it. Written without JSONEncoder: its
/// generic machinery costs more, once per process, than the rest of a short run.
public struct AuditLine: Sendable {
    /// `yyyy-MM-ddTHH:mm:ssZ` (`UTC.iso8601`); its date names the day file.
    public var ts: String
    public var job: String
    public var action: String
    public var source: String
    public var id: String
    public var outcome: String
    public var reason: String?
    public var target: String?
    public var detail: [String: String]?
    /// Personal data, sealed with the master key (`audit.personal`), never in clear text.
    public var personal: String?

    public init(ts: String, job: String, action: String, source: String, id: String, outcome: String,
                reason: String? = nil, target: String? = nil, detail: [String: String]? = nil, personal: String? = nil) {
        self.ts = ts; self.job = job; self.action = action; self.source = source; self.id = id
        self.outcome = outcome; self.reason = reason; self.target = target; self.detail = detail
        self.personal = personal
    }

    /// The line without its newline.
    public var bytes: [UInt8] {
        var w = JSONObjectWriter()
        w.field("action", action)
        w.field("detail", detail)
        w.field("id", id)
        w.field("job", job)
        w.field("outcome", outcome)
        w.field("personal", personal)
        w.field("reason", reason)
        w.field("source", source)
        w.field("target", target)
        w.field("ts", ts)
        return w.bytes
    }

    /// A line that is not an audit line, and why.
    public struct NotALine: Error, CustomStringConvertible {
        public let description: String
    }

    /// The line in a parsed file (for readers of many lines: JSONDecoder costs more per
    /// line than a busy day's 100,000 lines can bear).
    public init(_ json: JSONValue) throws {
        func text(_ key: String) throws -> String {
            guard let s = json[key]?.string else { throw NotALine(description: "not an audit entry: no \(key)") }
            return s
        }
        self.init(ts: try text("ts"), job: try text("job"), action: try text("action"), source: try text("source"),
                  id: try text("id"), outcome: try text("outcome"), reason: json["reason"]?.string,
                  target: json["target"]?.string, detail: json["detail"]?.object.map { $0.compactMapValues(\.string) },
                  personal: json["personal"]?.string)
    }

    /// `yyyy-mm-dd`: the day file the line goes to.
    public var day: String { String(ts.prefix(10)) }

    /// The day file of `day` in an `audit/` directory.
    public static func dayFile(_ directory: String, day: String) -> String { directory / "\(day).jsonl" }

    /// The day a file in an `audit/` directory holds, when its name is a day file's.
    public static func day(ofFile name: String) -> String? {
        guard name.utf8.count == 16, name.hasSuffix(".jsonl") else { return nil }
        return String(name.prefix(10))
    }

    /// Appends the line to its day file under `directory` (created when missing) in one
    /// write(2) on an O_APPEND descriptor (`Posix.append`), so concurrent writers
    /// (webhook-cgi processes, jobs) never interleave inside a line; `durable` adds an fsync.
    public func append(to directory: String, durable: Bool = false) throws {
        var text = bytes
        text.append(0x0a)
        try AuditLine.write(text, day: day, to: directory, durable: durable)
    }

    /// `append(to:)` for many lines: one write(2), and when durable one fsync, per day file.
    public static func append(_ lines: [AuditLine], to directory: String, durable: Bool = false) throws {
        // A batch spans a day or two: lists, not a dictionary.
        var days: [String] = [], texts: [[UInt8]] = []
        for line in lines {
            var text = line.bytes
            text.append(0x0a)
            if let i = days.firstIndex(of: line.day) { texts[i] += text } else { days.append(line.day); texts.append(text) }
        }
        for i in days.indices.sorted(by: { days[$0] < days[$1] }) {
            try write(texts[i], day: days[i], to: directory, durable: durable)
        }
    }

    private static func write(_ text: [UInt8], day: String, to directory: String, durable: Bool) throws {
        try Posix.makeDirectories(directory)
        try Posix.append(text, to: dayFile(directory, day: day), durable: durable)
    }
}
