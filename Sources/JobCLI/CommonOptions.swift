import ArgumentParser
import ConnectorKit

/// The options every program shares (DESIGN.md, "Conventions"): one declaration, so the
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
