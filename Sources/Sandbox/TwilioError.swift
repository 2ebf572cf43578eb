import ConnectorKit
import WebhookCore

/// Twilio's REST error body: `{code, message, more_info, status}`, `more_info` being
/// `https://www.twilio.com/docs/errors/<code>` (docs/vendors/twilio.md "Errors"; the same four
/// keys the SDKs read into their RestException, e.g. twilio-node's `code`, `moreInfo`,
/// `status`). Messages follow the texts on each error's page at twilio.com/docs/errors.
struct TwilioError: Error, Sendable {
    let status: Int
    let code: Int
    let message: String

    var json: JSONValue {
        ["code": .int(code), "message": .string(message), "more_info": .string("https://www.twilio.com/docs/errors/\(code)"),
         "status": .int(status)]
    }

    var reply: Reply { .json(json, status: status) }

    /// 401 with 20003 "Authenticate" for unknown credentials or an account the credentials
    /// do not belong to (twilio.com/docs/api/errors/20003 lists both causes; the body as
    /// quoted in twilio/twilio-python#85). The `WWW-Authenticate` challenge beside it is the
    /// HTTP Basic norm, unconfirmed for Twilio.
    static let authenticate = TwilioError(status: 401, code: 20003, message: "Authenticate")

    /// 429 with 20429: "never processed and always safe to retry" (docs/vendors/twilio.md).
    static let tooManyRequests = TwilioError(status: 429, code: 20429, message: "Too Many Requests")

    static func notFound(_ path: String) -> TwilioError {
        TwilioError(status: 404, code: 20404, message: "The requested resource \(path) was not found")
    }

    static let toRequired = TwilioError(status: 400, code: 21604, message: "A 'To' phone number is required.")
    static let bodyRequired = TwilioError(status: 400, code: 21602, message: "Message body is required.")
    static let fromRequired = TwilioError(status: 400, code: 21603, message: "A 'From' phone number is required.")
    static let bodyTooLong = TwilioError(status: 400, code: 21617,
                                         message: "The concatenated message body exceeds the 1600 character limit.")
    static let unsubscribed = TwilioError(status: 400, code: 21610, message: "Attempt to send to unsubscribed recipient")
    static let notMobile = TwilioError(status: 400, code: 21614, message: "'To' number is not a valid mobile number")

    static func invalidTo(_ to: String) -> TwilioError {
        TwilioError(status: 400, code: 21211, message: "The 'To' number \(to) is not a valid phone number.")
    }

    static func regionNotEnabled(_ to: String) -> TwilioError {
        TwilioError(status: 400, code: 21408,
                    message: "Permission to send an SMS has not been enabled for the region indicated by the 'To' number: \(to)")
    }

    static func fromNotOwned(_ from: String) -> TwilioError {
        TwilioError(status: 400, code: 21606,
                    message: "The From phone number \(from) is not a valid, SMS-capable inbound phone number or short code for your account.")
    }
}
