import ConnectorKit
import ConnectorNet
import ENetXML
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Secrets

/// The cached e.net session, sealed in `tokens/syspro-session.json`.
public struct CachedSession: Codable, Sendable, Equatable {
    public var id: String
    public var obtained: Date
    public var lastUsed: Date

    public init(id: String, obtained: Date, lastUsed: Date) {
        self.id = id; self.obtained = obtained; self.lastUsed = lastUsed
    }
}

/// One e.net session per tenant, shared by every job and reused across runs.
///
/// A second Logon by the same operator may end the first session (SysproFacts), so jobs must
/// not each log on: the id is cached sealed on disk, and Logon (and every change of the
/// cache) happens under `locks/syspro-session.lock`, re-reading the cache once the lock is
/// held because another job may have logged on meanwhile.
public final class SysproSession {
    public let settings: SysproSettings
    public let tenant: TenantPaths
    private let secrets: SecretStore
    private let http: HTTPClient
    private let policy: RetryPolicy
    private let file: SealedTokenCache<CachedSession>
    private let now: @Sendable () -> Date

    /// `lockWait`: how long to wait for another job's Logon before giving up with 75.
    public init(settings: SysproSettings, tenant: TenantPaths, secrets: SecretStore, http: HTTPClient,
                policy: RetryPolicy, lockWait: Double = 120, now: @escaping @Sendable () -> Date = { Date() }) {
        self.settings = settings
        self.tenant = tenant
        self.secrets = secrets
        self.http = http
        self.policy = policy
        self.file = SealedTokenCache(tenant: tenant, name: SysproFacts.sessionTokenName, key: secrets.key, lockWait: lockWait)
        self.now = now
    }

    /// A session id that should still be alive: the cached one unless it has idled for
    /// nearly `session_timeout_minutes`, else a fresh Logon.
    public func current() throws -> String {
        if let cached = cache(), isFresh(cached) { return cached.id }
        return try file.locked {
            if let cached = cache(), isFresh(cached) { return cached.id }
            return try logon()
        }
    }

    /// After SYSPRO called `stale` invalid: a new session, unless another job already
    /// replaced it (then that one).
    public func renew(replacing stale: String) throws -> String {
        try file.locked {
            if let cached = cache(), cached.id != stale, isFresh(cached) { return cached.id }
            return try logon()
        }
    }

    /// Records that `id` just answered, which restarts SYSPRO's idle timer.
    public func markUsed(_ id: String) throws {
        try file.locked {
            guard var cached = cache(), cached.id == id else { return }
            cached.lastUsed = now()
            try file.save(cached)
        }
    }

    /// Ends the cached session (`Logoff?UserId=` answers `0`). For the operator's tool only:
    /// a job logging off at exit would end the session other jobs are using.
    public func logoff() throws {
        try file.locked {
            guard let cached = cache() else { return }
            try file.remove()
            let request = HTTPRequest(.get, URLEncoding.url(URLEncoding.join(settings.restURL, "Logoff"),
                                                            query: [("UserId", cached.id)]))
            let response = try http.perform(request, policy: policy)
            guard response.isSuccess else { throw HTTPStatusError(request: request, response: response) }
            let answer = SysproFacts.answerText(response.body)
            if answer != "0" {
                http.logger.warn("syspro logoff answered unexpectedly", ["answer": String(answer.prefix(120))])
            }
        }
    }

    /// Reads Logon's answer: trimmed, JSON quotes removed, `ERROR:` turned into a typed refusal.
    public static func parseLogonAnswer(_ text: String, operator op: String, company: String, url: String) throws -> String {
        let answer = SysproFacts.unwrapJSONString(text)
        if SysproFacts.isErrorAnswer(answer) {
            throw VendorError(.syspro, .authRejected, operation: "Logon", url: url,
                              message: "operator \"\(op)\" company \"\(company)\" refused: \"\(answer)\"")
        }
        guard SysproFacts.isPlausibleSessionID(answer) else {
            throw VendorError(.syspro, .badAnswer, operation: "Logon", url: url,
                              message: "answer is not a session id: \"\(String(answer.prefix(80)))\"")
        }
        return answer
    }

    private func logon() throws -> String {
        var query = [("Operator", settings.operator),
                     ("OperatorPassword", try secrets.require(SecretName.sysproOperatorPassword, tenant: tenant.name)),
                     ("CompanyId", settings.companyID)]
        // docs/vendors/syspro.md: "CompanyPassword may be left out".
        if let companyPassword = try secrets.get(SecretName.sysproCompanyPassword) {
            query.append(("CompanyPassword", companyPassword))
        }
        let request = HTTPRequest(.get, URLEncoding.url(URLEncoding.join(settings.restURL, "Logon"), query: query))
        let response = try http.perform(request, policy: policy)
        guard response.isSuccess else { throw HTTPStatusError(request: request, response: response) }
        let id = try SysproSession.parseLogonAnswer(XML.decodeText(response.body), operator: settings.operator,
                                                    company: settings.companyID, url: request.redactedURL)
        let t = now()
        try file.save(CachedSession(id: id, obtained: t, lastUsed: t))
        http.logger.debug("syspro logon", ["operator": settings.operator, "company": settings.companyID])
        return id
    }

    private func isFresh(_ s: CachedSession) -> Bool {
        now().timeIntervalSince(s.lastUsed) < Double(settings.sessionTimeoutMinutes) * 60 - SysproFacts.sessionExpiryMargin
    }

    /// A cache that cannot be opened (wrong master key, damaged file) is only a lost session:
    /// log it and log on again, which overwrites it.
    private func cache() -> CachedSession? {
        do { return try file.load() } catch {
            http.logger.warn("syspro session cache unreadable; logging on again", ["path": file.path, "error": "\(error)"])
            return nil
        }
    }
}
