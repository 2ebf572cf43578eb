import ArgumentParser
import ConnectorKit
import JobCLI
import ShipBob
import Syspro
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Secrets

struct RotateKey: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Re-encrypt every secret and sealed field under a new master key, safely against crashes.",
        discussion: """
        The key belongs to the state directory, so every tenant is rotated (--tenant is not used). In order:
        1. takes every job's lock of every tenant, then the SYSPRO session, ShipBob OAuth and secrets \
        locks (waiting up to --wait seconds for runs to finish; jobs started meanwhile exit 75 as usual);
        2. checks that every sealed value opens: secrets.json, tokens/, the audit's personal fields, \
        outbox/twilio and spool/twilio bodies; one that does not is named and nothing changes (exit 65);
        3. writes the new key beside the old one (<key>.new). From then on every program seals with the \
        new key and opens with either, so jobs and webhooks keep working even if this run dies;
        4. waits for webhook requests that began before (rotate-key.lock);
        5. re-seals file by file: secrets.json and tokens/ are replaced whole; audit days and queue items \
        are rewritten in place (same length, same inode: queue items stay hard-linked from ids/), each \
        announced first in rotate-key.journal so a write torn by a crash is redone;
        6. renames <key>.new over the key: the old key is gone, and nothing sealed under it remains.

        Interrupted at any point, run it again: it resumes with the same new key, skipping what the \
        journal says is done. Do not restore the old key file by hand while <key>.new exists.

        Examples:
          ml-connector rotate-key --state /var/lib/ml-connector --dry-run
          sudo -u ml-connector ml-connector rotate-key --state /var/lib/ml-connector

        Exit status: 0 rotated (or, with --dry-run, would rotate), 65 a sealed value opens with no key \
        in force (named on stderr), 74 a file could not be read or written (run again to resume), \
        75 a job's lock or rotate-key.lock stayed busy for --wait seconds (nothing lost; run again), \
        78 the master key is missing or unusable.
        """)

    @OptionGroup var common: CommonOptions
    @Option(help: "Seconds to wait for each lock (running jobs, webhook requests).") var wait: Double = 600
    @Flag(help: "Check every sealed value and say what would be re-sealed; change nothing.") var dryRun = false

    func run() throws {
        guarded("ml-connector") {
            let layout = common.layout
            let keyPath = layout.masterKeyPath
            let logger = Logger(job: "ml-connector", verbose: common.verbose)
            let locks = try RotationLocks(layout, wait: wait, logger: logger)
            defer { locks.release() }

            let journal = RotationJournal(root: layout.root)
            let current = try MasterKey.load(from: keyPath)
            let survey = try Survey(try SealedPlace.all(layout), key: current,
                                    redo: current.isRotating ? try journal.unfinished() : [], logger: logger)
            if !survey.unopenable.isEmpty {
                for (where_, what) in survey.unopenable { logger.error("sealed value opens with no key in force", ["at": where_, "value": what]) }
                throw DataError(source: layout.root, problem: "\(survey.unopenable.count) sealed value(s) open with no key in force (named above); "
                                + "rotating cannot make them readable: restore the key they were sealed with, or remove them, then run again")
            }
            if dryRun {
                print(survey.report(root: layout.root, keyPath: keyPath), terminator: "")
                return
            }

            if try MasterKey.beginRotation(at: keyPath) {
                try journal.remove()  // left by a rotation that committed but died before tidying up
            } else {
                logger.info("resuming the rotation begun earlier", ["new_key": Sealed.pendingKeyPath(keyPath)])
            }
            try locks.waitForWebhookRequests(layout, wait: wait)
            let key = try MasterKey.load(from: keyPath)
            var rekey = Rekeying(journal: journal, key: key, logger: logger)
            try rekey.finishPending()
            let done = Set(try journal.records().compactMap(\.done))
            // Listed again after the barrier: a request that read the old key alone may have
            // spooled something since the survey.
            for place in try SealedPlace.all(layout) where !done.contains(place.path) { try rekey.reseal(place) }
            try rekey.flush()

            try MasterKey.commitRotation(at: keyPath)
            try journal.remove()
            let who = Environment.nonEmpty("USER") ?? "unknown"
            for name in try layout.tenantNames() {
                let tenant = layout.tenant(name)
                try AuditLog(directory: tenant.audit, job: "ml-connector").record(AuditEntry(
                    action: "rotate-key", source: "ml-connector", id: PathString(keyPath).lastComponent, outcome: "rotated",
                    detail: ["who": who, "resealed": String(rekey.resealed(under: tenant.root))]), durable: true)
            }
            print("rotated the master key \(keyPath): re-sealed \(rekey.total) value(s) in \(rekey.files) file(s); the old key is gone")
        }
    }
}

/// Every lock a writer of sealed values holds while it writes, taken jobs first (a job
/// takes its own lock, then the session or OAuth lock), so waiting here never deadlocks.
final class RotationLocks {
    private var held: [FileLock] = []

    init(_ layout: StateLayout, wait: Double, logger: Logger) throws {
        for name in try layout.tenantNames() {
            let tenant = layout.tenant(name)
            let named = JobCatalog.names + [SysproFacts.sessionTokenName, ShipBobFacts.oauthTokenName]
            let others = try Posix.list(tenant.locks)
                .filter { $0.hasSuffix(".lock") && !named.contains(String($0.dropLast(5))) }.sorted()
            for path in named.map(tenant.lock) + others.map({ tenant.locks / $0 }) + [SecretStore.lockPath(tenant.secrets)] {
                try take(path, wait: wait, logger: logger)
            }
        }
    }

    private func take(_ path: String, wait: Double, logger: Logger) throws {
        let lock = FileLock(path: path)
        if try !lock.tryLock() {
            logger.info("waiting for a run to finish", ["lock": path])
            guard try lock.lock(timeout: wait) else { throw Busy(path: path, waited: wait) }
        }
        held.append(lock)
    }

    /// The barrier: every request holding the key lock began before the new key existed.
    func waitForWebhookRequests(_ layout: StateLayout, wait: Double) throws {
        let lock = FileLock(path: layout.keyLockPath)
        guard try lock.lock(timeout: wait) else { throw Busy(path: lock.path, waited: wait) }
        lock.unlock()
    }

    func release() { for l in held.reversed() { l.unlock() } }

    struct Busy: ConnectorError {
        let path: String, waited: Double
        var exitStatus: ExitStatus { .tempFail }
        var description: String { "\(path) stayed busy for \(Int(waited)) s; run rotate-key again (a begun rotation resumes)" }
    }
}

/// What the first pass found: each place's values, those to re-seal, those no key opens.
struct Survey {
    var counts: [(path: String, total: Int, toReseal: Int)] = []
    var unopenable: [(String, String)] = []
    let rotating: Bool

    /// `redo`: writes an interrupted run journaled, to be redone, so a value they tore is no fault.
    init(_ places: [SealedPlace], key: MasterKey, redo: [(path: String, edits: [RotationJournal.Edit])], logger: Logger) throws {
        rotating = key.isRotating
        let redone = Dictionary(redo.map { ($0.path, Set($0.edits.map(\.at))) }, uniquingKeysWith: { $0.union($1) })
        for place in places {
            let (values, unreadable) = try place.values()
            for line in unreadable { logger.warn("not JSON; left as it is", ["at": line]) }
            var toReseal = 0
            for v in values {
                if redone[place.path]?.contains(v.offset) == true { toReseal += 1; continue }
                guard (try? key.open(v.sealed, context: v.context)) != nil else {
                    unopenable.append(("\(place.path) (\(v.at))", String(v.sealed.prefix(16)) + "…"))
                    continue
                }
                if !rotating || !key.isUnderSealingKey(v.sealed, context: v.context) { toReseal += 1 }
            }
            if !values.isEmpty { counts.append((place.path, values.count, toReseal)) }
        }
    }

    func report(root: String, keyPath: String) -> String {
        let files = counts.filter { $0.toReseal > 0 }
        let values = files.reduce(0) { $0 + $1.toReseal }
        var out = rotating
            ? "a rotation begun earlier is unfinished (\(Sealed.pendingKeyPath(keyPath)) exists): \(values) value(s) in \(files.count) file(s) are still under the old key; `ml-connector rotate-key` finishes it\n"
            : "would re-seal \(values) value(s) in \(files.count) file(s) under a new key, then replace \(keyPath)\n"
        let prefix = root.hasSuffix("/") ? root : root + "/"
        for f in files { out += "  \(f.path.hasPrefix(prefix) ? String(f.path.dropFirst(prefix.count)) : f.path): \(f.toReseal) of \(f.total)\n" }
        return out
    }
}

/// The second pass: re-seals what is not under the new key yet, file by file. In-place
/// files go in batches: their edits journaled in one fsync, written, made durable with
/// one syncfs, then marked done in one fsync.
struct Rekeying {
    let journal: RotationJournal
    let key: MasterKey
    let logger: Logger
    private(set) var total = 0
    private(set) var files = 0
    private var perFile: [String: Int] = [:]
    private var batch: [(path: String, edits: [RotationJournal.Edit])] = []
    static let batchSize = 256

    init(journal: RotationJournal, key: MasterKey, logger: Logger) {
        self.journal = journal; self.key = key; self.logger = logger
    }

    /// Redoes the writes of files a crash caught between their pending and done records.
    mutating func finishPending() throws {
        for (path, edits) in try journal.unfinished() {
            guard Posix.exists(path) else {
                logger.warn("a file the interrupted rotation was re-sealing is gone; nothing to redo", ["file": path])
                continue
            }
            batch.append((path, edits))
        }
        if !batch.isEmpty { logger.info("redoing writes an interrupted rotation began", ["files": String(batch.count)]) }
        try writeBatch()
    }

    mutating func reseal(_ place: SealedPlace) throws {
        let (values, _) = try place.values()
        var changed: [(value: SealedPlace.Value, sealed: String)] = []
        for v in values {
            do { if let n = try key.resealed(v.sealed, context: v.context) { changed.append((v, n)) } }
            catch let e as SecretError { throw DataError(source: "\(place.path) (\(v.at))", problem: e.problem) }
        }
        guard !changed.isEmpty else { return }
        logger.debug("re-sealing", ["file": place.path, "values": String(changed.count)])
        perFile[place.path] = changed.count
        switch place.layout {
        case .secrets:
            var all = Dictionary(values.map { ($0.context, $0.sealed) }, uniquingKeysWith: { a, _ in a })
            for c in changed { all[c.value.context] = c.sealed }
            try AtomicFile.writeJSON(all, to: place.path, mode: 0o600)
        case .token:
            try AtomicFile.write(Data(changed[0].sealed.utf8), to: place.path, mode: 0o600)
        case .auditLines, .queueItem:
            for c in changed where c.sealed.utf8.count != c.value.sealed.utf8.count {
                throw DataError(source: "\(place.path) (\(c.value.at))", problem: "re-sealed value changed length; left as it was")
            }
            batch.append((place.path, changed.map { RotationJournal.Edit(at: $0.value.offset, sealed: $0.sealed) }))
            if batch.count >= Rekeying.batchSize { try writeBatch() }
            return
        }
        try journal.append([RotationJournal.Record(done: place.path)])
        files += 1
        total += changed.count
    }

    mutating func flush() throws { try writeBatch() }

    private mutating func writeBatch() throws {
        guard !batch.isEmpty else { return }
        try journal.append(batch.map { RotationJournal.Record(pending: $0.path, edits: $0.edits) })
        for b in batch {
            try RotationJournal.apply(b.edits, to: b.path)
        }
        for dir in Set(batch.map { PathString($0.path).parent }) {
            try Posix.syncFileSystem(of: dir)
        }
        try journal.append(batch.map { RotationJournal.Record(done: $0.path) })
        files += batch.count
        total += batch.reduce(0) { $0 + $1.edits.count }
        batch = []
    }

    /// Values re-sealed in files under `root` (one tenant's), for its audit line.
    func resealed(under root: String) -> Int {
        perFile.filter { $0.key.hasPrefix(root + "/") }.values.reduce(0, +)
    }
}
