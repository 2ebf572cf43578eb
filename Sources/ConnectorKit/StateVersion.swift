#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The version of the on-disk formats in a state directory: one `state-version` file at the state
/// root (master key, rotation journal, the root's audit) and one in each tenant (config, ledgers,
/// spools, cursors, caches). A build migrates older state forward on its first run, under the
/// directory's `state-version.lock`, and refuses state newer than it knows, since it would
/// misread it: a downgrade must not post anything twice. A directory without the file was
/// written before versions were kept: version 1.
public enum StateVersion {
    /// What this build writes. 2: versions are kept (formats otherwise as version 1).
    public static let current = 2
    public static let fileName = "state-version"

    /// One step forward: from `from` to `from + 1`, applied to the directory it is given.
    public struct Migration: Sendable {
        public let from: Int
        public let what: String
        public let apply: @Sendable (String) throws -> Void
        public init(from: Int, what: String, apply: @escaping @Sendable (String) throws -> Void) {
            self.from = from; self.what = what; self.apply = apply
        }
    }

    /// The steps, oldest first; a step that changes a format is added here with its test.
    public static let tenantMigrations: [Migration] = [
        Migration(from: 1, what: "stamp the tenant's state version (formats unchanged)") { _ in },
    ]
    public static let rootMigrations: [Migration] = [
        Migration(from: 1, what: "stamp the state root's version (formats unchanged)") { _ in },
    ]

    struct Stamp: Codable { var version: Int }

    /// The version of the state in `directory` (1 when it has no stamp).
    public static func read(_ directory: String) throws -> Int {
        let path = directory + "/" + fileName
        guard let stamp = try AtomicFile.readJSON(Stamp.self, from: path) else { return 1 }
        guard stamp.version >= 1 else { throw DataError(source: path, problem: "state version \(stamp.version) is not a version (expected 1 or more)") }
        return stamp.version
    }

    /// Marks new state as written in this build's formats (`ml-connector init`).
    public static func stamp(_ directory: String) throws {
        try AtomicFile.writeJSON(Stamp(version: current), to: directory + "/" + fileName)
    }

    /// Brings `directory` to `current`, or refuses it if a newer build wrote it. Cheap when
    /// already current: one small file read per run.
    public static func ensure(_ directory: String, migrations: [Migration], logger: Logger) throws {
        let found = try read(directory)
        if found == current { return }
        if found > current { throw StateTooNew(directory: directory, found: found) }
        try FileLock.withLock(directory + "/" + fileName + ".lock", wait: 60) {
            var version = try read(directory)
            if version > current { throw StateTooNew(directory: directory, found: version) }
            while version < current {
                guard let step = migrations.first(where: { $0.from == version }) else {
                    throw DataError(source: directory, problem: "no migration from state version \(version) in this build")
                }
                try step.apply(directory)
                version += 1
                try AtomicFile.writeJSON(Stamp(version: version), to: directory + "/" + fileName)
                logger.info("state migrated", ["directory": directory, "to_version": "\(version)", "step": step.what])
            }
        }
    }
}

/// State a newer ml-connector wrote: this build would misread it.
public struct StateTooNew: ConnectorError {
    public let directory: String
    public let found: Int
    public init(directory: String, found: Int) { self.directory = directory; self.found = found }
    public var exitStatus: ExitStatus { .config }
    public var description: String {
        "\(directory): state version \(found) was written by a newer ml-connector; this build reads up to version \(StateVersion.current): run the newer build again (or restore the state from before it ran)"
    }
}
