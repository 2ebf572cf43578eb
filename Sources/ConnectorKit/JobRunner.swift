#if canImport(Glibc)
import Glibc
#endif
import WebhookCore

/// How every executable ends: a `ConnectorError` becomes one logfmt line naming what
/// was wrong and where, and the sysexits status it maps to; anything else is a bug (70).
public enum JobRunner {
    public static func fail(_ error: Error, job: String) -> Never {
        let logger = Logger(job: job)
        if let e = error as? ConnectorError {
            logger.error(e.description, ["exit": String(e.exitStatus.rawValue)])
            exit(e.exitStatus.rawValue)
        }
        logger.error("\(error)", ["exit": "70"])
        exit(ExitStatus.software.rawValue)
    }

    /// `--tenant`, else `$ML_CONNECTOR_TENANT`; a usage error if neither names a valid tenant.
    public static func tenantName(_ flag: String?) throws -> String {
        let name = flag ?? Environment.get("ML_CONNECTOR_TENANT") ?? ""
        guard !name.isEmpty else { throw UsageError(message: "no tenant: pass --tenant NAME or set ML_CONNECTOR_TENANT") }
        guard TenantPaths.isValidName(name) else {
            throw UsageError(message: "tenant name \"\(name)\" must be lower-case letters, digits, - and _")
        }
        return name
    }
}

public struct UsageError: ConnectorError {
    public let message: String
    public init(message: String) { self.message = message }
    public var exitStatus: ExitStatus { .usage }
    public var description: String { message }
}
