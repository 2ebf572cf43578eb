import ConnectorKit

/// What ShipBob refused or answered unreadably, naming the call and where it went.
public struct ShipBobError: ConnectorError {
    public enum Kind: Sendable, Equatable {
        /// Credentials refused (PAT revoked, refresh token expired or rotated away).
        case authRejected
        /// An answer that is not what the endpoint returns.
        case badAnswer
    }

    public let kind: Kind
    public let operation: String
    public let url: String
    public let message: String

    public init(_ kind: Kind, operation: String, url: String, message: String) {
        self.kind = kind; self.operation = operation; self.url = url; self.message = message
    }

    public var exitStatus: ExitStatus { kind == .authRejected ? .config : .dataError }
    public var description: String { "ShipBob \(operation) at \(url): \(message)" }
}
