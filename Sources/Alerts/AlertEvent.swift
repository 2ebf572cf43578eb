import ConnectorKit
import Syspro
import WebhookCore

/// One rule's event on one SYSPRO row: the watched column moved from `from` to `to`.
public struct AlertEvent {
    public let rule: AlertRule
    public let row: JSONValue
    /// The row's key values joined by `/` (`P00874`, `TEXMFG/TX-44188`).
    public let key: String
    public let from: String
    public let to: String
    /// The row's TimeStamp: the same transition read twice (a rerun, the cursor's overlap)
    /// gets the same outbox ids, so it is queued once.
    public let version: RowVersion

    public init(rule: AlertRule, row: JSONValue, key: String, from: String, to: String, version: RowVersion) {
        self.rule = rule; self.row = row; self.key = key; self.from = from; self.to = to; self.version = version
    }

    /// `<rule>.<key>.<rowversion>.<person>`, file-name safe.
    public func outboxID(person: String) -> String {
        [rule.name, key, version.hex, person].map { AttentionBox.id($0) }.joined(separator: ".")
    }
}

/// The last value of a watched column the job saw, per rule and row.
public struct Watched: JSONRecord, Equatable {
    public var value: String

    public var jsonBytes: [UInt8] {
        var w = JSONObjectWriter()
        w.field("value", value)
        return w.bytes
    }

    public init(_ value: String) { self.value = value }

    public init(json: JSONValue, source: String) throws {
        guard let v = json["value"]?.string else { throw DataError(source: source, problem: "a watched value lacks \"value\"") }
        value = v
    }
}

/// Compares rows with what each rule last saw and says which changes are events.
public enum AlertDetector {
    /// A column's value as rules compare and templates show it: numbers without a
    /// trailing `.0` (Journal 311, not 311.0), null as "".
    static func text(_ v: JSONValue?) -> String {
        switch v {
        case .string(let s)?: return s.trimmed
        case .number(let n)?: return n.plainText
        case .bool(let b)?: return b ? "true" : "false"
        default: return ""
        }
    }

    static func key(_ row: JSONValue, _ rule: AlertRule) -> String {
        rule.key.map { text(row[$0]) }.joined(separator: "/")
    }

    static func memoryKey(_ rule: AlertRule, _ key: String) -> String { rule.name + "|" + key }

    /// The events in `rows` for `rule`, and the memory changes that record what was seen.
    /// `learning`: the rule's first pass only records the present, so installing the
    /// connector does not text about years of history.
    public static func events(_ rule: AlertRule, rows: [JSONValue], memory: JournaledMap<Watched>, learning: Bool,
                       source: String) throws -> (events: [AlertEvent], seen: [(key: String, value: Watched?)]) {
        var events: [AlertEvent] = [], seen: [(key: String, value: Watched?)] = []
        for row in rows {
            guard let version = row["TimeStamp"].flatMap(RowVersion.init(json:)) else {
                throw DataError(source: source, problem: "a \(rule.table) row without a usable TimeStamp")
            }
            let key = key(row, rule)
            guard !key.replacing("/", with: "").isEmpty else {
                throw DataError(source: source, problem: "a \(rule.table) row without its key columns \(rule.key.joined(separator: ", "))")
            }
            let now = text(row[rule.watch]), mk = memoryKey(rule, key)
            let before = memory[mk]?.value
            guard before != now else { continue }
            seen.append((mk, Watched(now)))
            if !learning, rule.matches(from: before ?? "", to: now) {
                events.append(AlertEvent(rule: rule, row: row, key: key, from: before ?? "", to: now, version: version))
            }
        }
        return (events, seen)
    }
}
