import WebhookCore

/// What a tenant needs before its config and secrets: the state root, the master key, the
/// tenant's directories and both roots' format versions. Shared by `ml-connector init` and
/// `ml-sandbox init-tenant`, so a demo tenant is laid out exactly as a real one.
public struct TenantInit {
    /// The state root's master key, created if the root had none.
    public let key: MasterKey
    /// Whether the tenant already had a config.json, which init keeps unless told otherwise.
    public let configExisted: Bool

    /// New state is written in this build's formats; older state is migrated as a job would.
    public init(layout: StateLayout, tenant: TenantPaths, logger: Logger) throws {
        try Posix.makeDirectories(layout.root, mode: 0o750)
        let newRoot = !Posix.exists(layout.masterKeyPath)
        key = try MasterKey.create(at: layout.masterKeyPath)
        configExisted = Posix.exists(tenant.config)
        try tenant.prepare()
        if newRoot { try StateVersion.stamp(layout.root) }
        else { try StateVersion.ensure(layout.root, migrations: StateVersion.rootMigrations, logger: logger) }
        if !configExisted { try StateVersion.stamp(tenant.root) }
        else { try StateVersion.ensure(tenant.root, migrations: StateVersion.tenantMigrations, logger: logger) }
    }
}
