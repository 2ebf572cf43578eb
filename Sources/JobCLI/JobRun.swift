import ConnectorKit
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import WebhookCore

/// One run of a job as monitoring sees it. However it ends — success, an error before the
/// lock (a broken config) or under it — its run record and metrics file are written while
/// the job's lock is held, so two runs never write them at once. A run that finds the lock
/// taken writes nothing: the run holding it owns the figures and records them when it ends.
final class JobRun {
    let job: String
    let layout: StateLayout
    let tenant: TenantPaths
    let logger: Logger
    let metrics = JobMetrics()
    private let started = Date()
    private var lock: FileLock?
    /// Set when this run found the lock taken: it then records nothing, not even if the
    /// other run has ended by the time this one could take the lock to write.
    private var lockWasBusy = false

    init(job: String, layout: StateLayout, tenant: TenantPaths, logger: Logger) {
        self.job = job; self.layout = layout; self.tenant = tenant; self.logger = logger
    }

    /// Runs `body` holding `locks/<job>.lock`, which stays held until the run is recorded.
    func locked(_ body: () throws -> Void) throws {
        let l = FileLock(path: tenant.lock(job))
        guard try l.tryLock() else {
            lockWasBusy = true
            throw LockBusy(path: l.path)
        }
        lock = l
        try body()
    }

    /// Runs the whole job, `locked` included, and records how it ended.
    func observe(_ body: () throws -> Void) throws {
        defer { lock?.unlock(); lock = nil }
        do {
            try body()
        } catch {
            if !lockWasBusy {
                record(exitStatus: (error as? ConnectorError)?.exitStatus.rawValue ?? ExitStatus.software.rawValue, error: "\(error)")
            }
            throw error
        }
        record(exitStatus: ExitStatus.ok.rawValue, error: nil)
    }

    /// Monitoring must never change a job's outcome: a record that cannot be written is
    /// one error line, and the job still exits with its own status.
    private func record(exitStatus: Int32, error: String?) {
        // A mistyped --tenant must not grow a tenant directory.
        guard Posix.exists(tenant.root) else { return }
        if lock == nil {
            let l = FileLock(path: tenant.lock(job))
            guard (try? l.tryLock()) == true else {
                logger.debug("another run holds the lock; it records its own run", ["lock": l.path])
                return
            }
            lock = l
        }
        do {
            let path = tenant.lastRun(job)
            let previous: RunRecord?
            do { previous = try RunRecord.load(path) } catch {
                logger.warn("run record unreadable; its totals start again", ["path": path, "error": "\(error)"])
                previous = nil
            }
            let run = RunRecord(tenant: tenant.name, job: job, started: started, finished: Date(), exitStatus: exitStatus,
                                error: error, metrics: metrics, previous: previous)
            try Posix.makeDirectories(tenant.state(job))
            // Monitoring's files, rewritten every pass: atomic, not durable (AtomicFile).
            try AtomicFile.writeJSON(run, to: path, durable: false)
            let spec = JobCatalog.spec(job)
            let prom = layout.metricsFile(tenant: tenant.name, job: job)
            try Posix.makeDirectories(PathString(prom).parent)
            let text = MetricsFile.render(run, spec: spec, depths: try spec.map(tenant.depths) ?? [])
            try AtomicFile.write(Data(text.utf8), to: prom, durable: false)
        } catch {
            logger.error("could not record this run for monitoring", ["tenant": tenant.name, "error": "\(error)"])
        }
    }
}
