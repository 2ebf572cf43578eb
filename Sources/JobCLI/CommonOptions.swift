import ArgumentParser
import ConnectorKit
import ConnectorNet
#if canImport(Glibc)
import Glibc
#endif
import WebhookCore
import ConnectorConfig
import Secrets

/// The options every program shares (docs/architecture.md, "Conventions"): one declaration, so the
/// jobs and `ml-connector` cannot drift apart in names, defaults or help.
public struct CommonOptions: ParsableArguments {
    @Option(help: "State directory (default $ML_CONNECTOR_STATE or /var/lib/ml-connector).")
    public var state: String?

    @Option(help: "Tenant name (default $ML_CONNECTOR_TENANT).")
    public var tenant: String?

    @Flag(name: .shortAndLong, help: "Log debug lines too.")
    public var verbose = false

    public init() {}

    public var layout: StateLayout { StateLayout.resolve(state) }

    public func tenantPaths() throws -> TenantPaths { layout.tenant(try JobRunner.tenantName(tenant)) }
}

/// Runs a command body and turns its errors into one line and a sysexits status.
public func guarded(_ job: String, _ body: () throws -> Void) {
    do { try body() } catch { JobRunner.fail(error, job: job) }
}

/// What every job has once it runs: its tenant, validated config and logger.
public struct JobContext {
    public let layout: StateLayout
    public let tenant: TenantPaths
    public let config: TenantConfig
    public let logger: Logger
    /// What the run moved and how often a vendor said 429: its metrics file and run record.
    public let metrics: JobMetrics
    /// The run's vendor clients, built as every job builds them (and only when asked for).
    public let vendors: VendorContext

    init(layout: StateLayout, tenant: TenantPaths, config: TenantConfig, logger: Logger, metrics: JobMetrics) {
        self.layout = layout; self.tenant = tenant; self.config = config; self.logger = logger; self.metrics = metrics
        vendors = VendorContext(tenant: tenant, config: config, logger: logger, metrics: metrics, masterKeyPath: layout.masterKeyPath)
    }

    /// The tenant's sealed credentials (opening the master key only when a job needs them).
    public func secrets() throws -> SecretStore { try vendors.secrets() }
}

extension CommonOptions {
    /// The start of every job: resolve the tenant, end at once (status 0) if the job is
    /// held (`holds/<job>`), load and validate its config (ConnectorKit's sections and
    /// `sections`, those the job reads), then run `body` holding
    /// `locks/<job>.lock` (exit 75 at once if a previous run still holds it). How the run
    /// ended is recorded for `ml-connector status` and Prometheus (JobRun).
    public func withJobLock(_ job: String, sections: [any ConfigSection.Type], _ body: (JobContext) throws -> Void) throws {
        let tenant = try tenantPaths()
        if let hold = try JobHold.load(tenant, job: job) {
            // Said only to a person at a terminal (or with -v): cron would mail it every run.
            if isatty(2) != 0 || verbose { Logger(job: job).info(hold.notice(job: job, tenant: tenant.name)) }
            return
        }
        Posix.keepFreedMemory()
        let run = JobRun(job: job, layout: layout, tenant: tenant, logger: Logger(job: job, verbose: verbose))
        try run.observe {
            let logger = Logger(job: job, verbose: verbose)
            try StateVersion.ensure(layout.root, migrations: StateVersion.rootMigrations, logger: logger)
            try StateVersion.ensure(tenant.root, migrations: StateVersion.tenantMigrations, logger: logger)
            let context = JobContext(layout: layout, tenant: tenant, config: try TenantConfig.load(tenant.config, sections: sections),
                                     logger: Logger(job: job, verbose: verbose), metrics: run.metrics)
            try run.locked { try body(context) }
        }
    }
}
