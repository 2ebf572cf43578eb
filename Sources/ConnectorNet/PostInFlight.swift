#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig
import ConnectorKit

/// A post recorded `pending` whose answer never came may still be running at the vendor:
/// a killed client's request goes on at the server, which commits it after the client is
/// gone. bench/soak caught a SYSPRO receipt posted twice that way: the next run looked its
/// Reference up in InvMovements while the first post still sat in a slow SYSPRO, found
/// nothing, and posted again. So a lookup that finds nothing proves the post failed only
/// once the longest time a request may take (`http.connect_timeout_seconds` +
/// `http.timeout_seconds`) has passed since the entry was written; until then the item
/// waits for a later run (exit 75).
public struct PostInFlight: ConnectorError {
    public let what: String
    public let age: TimeInterval
    public let window: TimeInterval

    public init(what: String, age: TimeInterval, window: TimeInterval) { self.what = what; self.age = age; self.window = window }

    /// How long a request may run: the client's own limits (config `http`).
    public static func window(_ settings: HTTPSettings) -> TimeInterval {
        settings.connectTimeoutSeconds + settings.timeoutSeconds
    }

    /// Whether a request sent `age` seconds ago may still commit at the vendor.
    public static func mayStillCommit(age: TimeInterval, window: TimeInterval) -> Bool { age < window }

    /// Throws when a post recorded pending at `since`, and not found at the vendor, may
    /// still commit there.
    public static func check(_ what: String, since: Date, window: TimeInterval, now: Date) throws {
        let age = now.timeIntervalSince(since)
        if mayStillCommit(age: age, window: window) { throw PostInFlight(what: what, age: max(0, age), window: window) }
    }

    public var exitStatus: ExitStatus { .tempFail }
    public var description: String {
        "\(what): the interrupted post of \(Int(age)) s ago is not found yet but may still be in flight; it is looked up again, and posted only if still absent, after \(Int(window)) s"
    }
}
