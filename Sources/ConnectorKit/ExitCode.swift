import WebhookCore

/// sysexits(3) statuses, the contract between every job and cron / the shell.
public enum ExitStatus: Int32, Sendable {
    case ok = 0
    case usage = 64          // EX_USAGE: bad command line
    case dataError = 65      // EX_DATAERR: bad input data (webhook, API answer, file)
    case unavailable = 69    // EX_UNAVAILABLE: a remote service is down or refused us
    case software = 70       // EX_SOFTWARE: a bug
    case ioError = 74        // EX_IOERR: state could not be read or written
    case tempFail = 75       // EX_TEMPFAIL: try later (lock held, rate budget spent)
    case config = 78         // EX_CONFIG: configuration error
}

/// Every error a person may read: one line saying what was wrong and where, and the
/// exit status the job ends with because of it.
public protocol ConnectorError: Error, CustomStringConvertible {
    var exitStatus: ExitStatus { get }
}

/// Errors of the state directory itself (I/O on files the connector owns; WebhookCore's
/// `Posix` throws them).
extension StateError: ConnectorError {
    public var exitStatus: ExitStatus { .ioError }
}
