import ConnectorKit

/// What SYSPRO refused or answered unreadably, naming the call and where it went.
public struct SysproError: ConnectorError {
    public enum Kind: Sendable, Equatable {
        /// Logon refused (wrong operator, password, company): a person must fix config or secrets.
        case logonRejected
        /// OData refused the Basic-auth user.
        case odataAuthRejected
        /// The session was refused again right after a fresh Logon.
        case sessionRejected
        /// A business object answered `ERROR: ...` about the data sent.
        case businessObject
        /// The answer could not be read (not a session id, not XML, not OData JSON).
        case badAnswer
    }

    public let kind: Kind
    /// e.g. `Logon`, `Transaction/Post SORTOI`, `OData SorMaster`.
    public let operation: String
    /// Redacted: query values (passwords, session ids) removed.
    public let url: String
    public let message: String

    public init(_ kind: Kind, operation: String, url: String, message: String) {
        self.kind = kind; self.operation = operation; self.url = url; self.message = message
    }

    public var exitStatus: ExitStatus {
        switch kind {
        case .logonRejected, .odataAuthRejected: return .config
        case .sessionRejected: return .unavailable
        case .businessObject, .badAnswer: return .dataError
        }
    }

    public var description: String { "SYSPRO \(operation) at \(url): \(message)" }
}
