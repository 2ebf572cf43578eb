#if canImport(Glibc)
import Glibc
#endif
import WebhookCore

/// A tenant's queues and ledgers as the jobs use them, in the places WebhookCore's
/// `TenantPaths` names.
extension TenantPaths {
    public func spool(_ source: String) -> SpoolQueue { SpoolQueue(root: spoolDirectory(source)) }
    public func outbox(_ target: String) -> SpoolQueue { SpoolQueue(root: outboxDirectory(target)) }
    public func queue(_ name: String) -> SpoolQueue { SpoolQueue(root: queueDirectory(name)) }
    public func ledger(_ kind: String) -> Ledger { Ledger(directory: ledgerDirectory(kind)) }

    /// Creates every directory a tenant needs; idempotent.
    public func prepare() throws {
        for d in [attention, audit, inventory, locks, cursors, ledgers] {
            try Posix.makeDirectories(d)
        }
        // Sealed tokens are no one else's business even sealed; a tenant created by an older
        // version (0755) is tightened here too.
        try Posix.makeDirectories(tokens, mode: 0o700)
        guard chmod(tokens, 0o700) == 0 else { throw StateError(path: tokens, operation: "chmod 700", errno: errno) }
        try spool("shipbob").prepare()
        try spool("twilio").prepare()
    }
}
