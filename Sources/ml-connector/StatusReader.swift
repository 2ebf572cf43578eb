import ConnectorKit
import Syspro
import ShipBob
import GoLive
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig
import Secrets

/// Reads a tenant's state for `ml-connector status`: run records, queues, attention, cursors
/// and cached tokens. Reading never changes anything, and a part that cannot be read
/// becomes a problem on the report instead of ending it.
struct StatusReader {
    let layout: StateLayout
    let now: Date

    func tenant(_ name: String) -> TenantStatus {
        let tenant = layout.tenant(name)
        var problems: [String] = []
        func attempt<T>(_ fallback: T, _ body: () throws -> T) -> T {
            do { return try body() } catch { problems.append("\(error)"); return fallback }
        }
        let config: TenantConfig? = attempt(nil) { try TenantConfig.load(tenant.config) }
        let monitor = config?.monitor ?? MonitorSettings()
        let queues = attempt([]) { try readQueues(tenant) }
        let attention = attempt([]) { try readAttention(tenant) }
        let failed = attempt([]) { try readFailed(tenant, queues) }
        var jobs: [JobStatus] = []
        for spec in JobCatalog.all {
            let run: RunRecord? = attempt(nil) { try RunRecord.load(tenant.lastRun(spec.name)) }
            jobs.append(job(spec, tenant, monitor: monitor, queues: queues, attention: attention, run: run))
        }
        let cursors = attempt([]) { try readCursors(tenant) }
        let tokens = config.map { readTokens(tenant, $0) } ?? []
        let probe: ProbeSummary? = attempt(nil) {
            try ProbeRun.load(tenant).map { run in
                ProbeSummary(finished: run.finished, ok: run.count(.ok), differs: run.count(.differs), cannotCheck: run.count(.cannotCheck),
                             differing: run.results.filter { $0.outcome == .differs }.map { "\($0.system) \($0.check): \($0.detail)" })
            }
        }
        let stateVersion: Int? = attempt(nil) {
            let v = try StateVersion.read(tenant.root)
            if v > StateVersion.current { throw StateTooNew(directory: tenant.root, found: v) }
            return v
        }
        let odataMode = attempt(nil) { try ODataModeStore.load(tenant) }
        var verdict = jobs.map(\.verdict).reduce(Verdict.ok, Verdict.worst)
        if !problems.isEmpty { verdict = Verdict.worst(verdict, .failing) }
        return TenantStatus(tenant: name, verdict: verdict, problems: problems, jobs: jobs, queues: queues, attention: attention,
                            failed: failed, cursors: cursors, tokens: tokens, odataChangeDetection: odataMode,
                            stateVersion: stateVersion, probe: probe)
    }

    private func job(_ spec: JobSpec, _ tenant: TenantPaths, monitor: MonitorSettings, queues: [QueueStatus],
                     attention: [AttentionStatus], run: RunRecord?) -> JobStatus {
        let held = Posix.exists(tenant.hold(spec.name))
        let failed = queues.filter { spec.queues.contains($0.queue) }.reduce(0) { $0 + $1.failed }
        let raised = attention.filter { spec.attentionSources.contains($0.source) }.count
        let interval = monitor.interval(spec)
        let verdict = JobHealth.verdict(run: run, held: held, parked: failed + raised, intervalMinutes: interval,
                                        staleAfter: monitor.staleAfterIntervals, now: now)
        return JobStatus(job: spec.name, verdict: verdict,
                         why: why(verdict, spec: spec, tenant: tenant, run: run, failed: failed, raised: raised,
                                  interval: interval, staleAfter: monitor.staleAfterIntervals),
                         intervalMinutes: interval, held: held, lastRun: run?.finished, lastSuccess: run?.lastSuccess,
                         exitStatus: run?.exitStatus, durationSeconds: run?.durationSeconds, error: run?.error,
                         moved: run?.moved ?? [], http429: run?.http429 ?? [:], failed: failed, attention: raised)
    }

    private func why(_ verdict: Verdict, spec: JobSpec, tenant: TenantPaths, run: RunRecord?, failed: Int, raised: Int,
                     interval: Int, staleAfter: Int) -> String {
        let parked = [failed > 0 ? "\(failed) in failed/" : nil, raised > 0 ? "\(raised) in attention/" : nil].compactMap { $0 }.joined(separator: ", ")
        switch verdict {
        case .held:
            return holdNote(tenant, spec)
        case .failing:
            return "last run exited \(run?.exitStatus ?? 0): \(run?.error ?? "no error recorded")"
        case .stale:
            let since = run?.lastSuccess.map { "no success since \(StatusFormat.time($0))" } ?? "never succeeded"
            return "\(since); it runs every \(interval) min, so it is stale after \(interval * staleAfter) min without a success"
        case .attention:
            return "\(parked) waiting for a person"
        case .deferred:
            return "last run said try later (75): \(run?.error ?? "")"
        case .ok:
            return "runs every \(interval) min; succeeded \(StatusFormat.ago(now.timeIntervalSince(run?.lastSuccess ?? now)))"
        case .neverRun:
            return "no run recorded"
        }
    }

    /// Who held the job, since when and why (`ml-connector hold`).
    private func holdNote(_ tenant: TenantPaths, _ spec: JobSpec) -> String {
        guard let h = try? JobHold.load(tenant, job: spec.name) else {
            return "held: \(tenant.hold(spec.name)) exists but is not a hold record; `ml-connector release \(spec.name)` removes it"
        }
        return "held by \(h.who) since \(StatusFormat.time(h.since)): \(h.reason)"
    }

    /// Every `spool/*` and `outbox/*` of the tenant, so a queue no job owns is still seen.
    private func readQueues(_ tenant: TenantPaths) throws -> [QueueStatus] {
        var out: [QueueStatus] = []
        for kind in TenantPaths.queueKinds {
            for name in try Posix.list(tenant.queueDirectory(kind)).sorted() where !name.hasPrefix(".") {
                let id = "\(kind)/\(name)"
                let queue = tenant.queue(id)
                out.append(QueueStatus(queue: id, new: try queue.list(.new).count, failed: try queue.list(.failed).count,
                                       job: JobCatalog.owner(queue: id)?.name))
            }
        }
        return out
    }

    private func readAttention(_ tenant: TenantPaths) throws -> [AttentionStatus] {
        try Posix.list(tenant.attention).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map { file in
            let path = tenant.attention / file
            do {
                guard let item = try AtomicFile.readJSON(AttentionItem.self, from: path) else {
                    throw DataError(source: path, problem: "vanished while read")
                }
                return AttentionStatus(file: file, source: item.source, id: item.id, reason: item.reason, action: item.action, since: item.since)
            } catch {
                return AttentionStatus(file: file, source: String(file.prefix { $0 != "-" }), id: file, reason: "unreadable: \(error)",
                                       action: "look at \(path)", since: Posix.modificationTime(path))
            }
        }
    }

    private func readFailed(_ tenant: TenantPaths, _ queues: [QueueStatus]) throws -> [FailedStatus] {
        var out: [FailedStatus] = []
        for q in queues where q.failed > 0 {
            let queue = tenant.queue(q.queue)
            for id in try queue.list(.failed) {
                out.append(FailedStatus(queue: q.queue, id: id, reason: queue.reason(id) ?? "no reason recorded",
                                        since: Posix.modificationTime(queue.path(.failed, id))))
            }
        }
        return out
    }

    private func readCursors(_ tenant: TenantPaths) throws -> [CursorStatus] {
        let dir = tenant.cursors
        return try Posix.list(dir).filter { $0.hasSuffix(".json") && !$0.hasPrefix(".") }.sorted().map { file in
            CursorStatus(name: String(file.dropLast(5)), updated: Posix.modificationTime(dir / file),
                         position: try? JSONValue.parse(try Posix.readFile(dir / file)))
        }
    }

    /// Expiries of the cached credentials. They are sealed, so this opens them with the
    /// master key; values are never shown.
    private func readTokens(_ tenant: TenantPaths, _ config: TenantConfig) -> [TokenStatus] {
        let key: MasterKey
        do { key = try MasterKey.load(from: layout.masterKeyPath) } catch {
            return [TokenStatus(name: "tokens", state: "unreadable", expires: nil, detail: "\(error)")]
        }
        var out: [TokenStatus] = []
        let sessionPath = tenant.token(SysproFacts.sessionTokenName)
        do {
            if let s = try SealedFile<CachedSession>(path: sessionPath, key: key).load() {
                let expires = s.lastUsed.addingTimeInterval(Double(config.syspro.sessionTimeoutMinutes * 60))
                out.append(TokenStatus(name: "SYSPRO session", state: expires > now ? "valid" : "expired", expires: expires,
                                       detail: "logged on \(StatusFormat.time(s.obtained)), idle since \(StatusFormat.time(s.lastUsed)); the next job logs on again when it expires"))
            } else {
                out.append(TokenStatus(name: "SYSPRO session", state: "none", expires: nil, detail: "no cached session; the next job logs on"))
            }
        } catch {
            out.append(TokenStatus(name: "SYSPRO session", state: "unreadable", expires: nil, detail: "\(error)"))
        }
        guard config.shipbob.auth == .oauth else {
            out.append(TokenStatus(name: "ShipBob", state: "no expiry", expires: nil, detail: "personal access token (secret \(SecretName.shipbobPAT))"))
            return out
        }
        do {
            if let t = try SealedFile<OAuthTokens>(path: tenant.token(ShipBobFacts.oauthTokenName), key: key).load() {
                out.append(TokenStatus(name: "ShipBob OAuth access token", state: t.expiresAt > now ? "valid" : "expired", expires: t.expiresAt,
                                       detail: "refreshed with the stored refresh token when it expires"))
            } else {
                out.append(TokenStatus(name: "ShipBob OAuth access token", state: "none", expires: nil,
                                       detail: "none cached; the next job refreshes with the refresh token (`ml-connector oauth` if that fails)"))
            }
        } catch {
            out.append(TokenStatus(name: "ShipBob OAuth access token", state: "unreadable", expires: nil, detail: "\(error)"))
        }
        return out
    }
}
