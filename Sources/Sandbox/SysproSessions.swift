import ConnectorKit
import Foundation
import WebhookCore

/// e.net sessions: ids as SYSPRO 7 prints them (32 hex characters and two spaces,
/// docs/vendors/syspro.md), an idle timeout refreshed by every call, and one session per operator
/// (field report in docs/vendors/syspro.md: a second Logon by the same operator ends the first).
struct SysproSessions: Sendable {
    struct Session: Sendable {
        let op: String
        let company: String
        var lastUsed: Double
    }

    private var byId: [String: Session] = [:]

    /// Returns the id as the Logon body carries it, trailing spaces included.
    mutating func logon(operator op: String, company: String, now: Double) -> String {
        byId = byId.filter { $0.value.op.caseInsensitiveCompare(op) != .orderedSame }
        let id = Crypto.randomBytes(16).map { String(format: "%02X", $0) }.joined()
        byId[id] = Session(op: op, company: company, lastUsed: now)
        return id + "  "
    }

    /// The live session for `userId`, refreshed; nil (and forgotten) if unknown or idle too long.
    mutating func use(_ userId: String?, now: Double, timeout: Double) -> Session? {
        guard let id = userId?.trimmed.uppercased(), var s = byId[id] else { return nil }
        if now - s.lastUsed > timeout {
            byId[id] = nil
            return nil
        }
        s.lastUsed = now
        byId[id] = s
        return s
    }

    mutating func logoff(_ userId: String) { byId[userId.trimmed.uppercased()] = nil }

    mutating func expireAll() { byId.removeAll() }
}
