import Twilio

extension TenantProbe {
    /// The sender the alerts go out from can send SMS: the Messaging Service (which the
    /// client prefers when both are set) holds an SMS-capable number, or `twilio.from` is one
    /// of the account's numbers and SMS-capable (docs/vendors/twilio.md, "Senders: numbers
    /// and Messaging Services"). Twilio refuses a create from anything else (21606, or a
    /// newer, more specific code).
    func twilioSender(_ twilio: TwilioClient) throws -> ProbeResult {
        func differs(_ detail: String, _ change: String) -> ProbeResult {
            ProbeResult(system: "Twilio", check: "sender", outcome: .differs, detail: detail, change: change)
        }
        let account = config.twilio.accountSid ?? "-"
        if let sid = config.twilio.messagingServiceSid {
            guard let numbers = try twilio.messagingServiceNumbers(sid) else {
                return differs("account \(account) has no Messaging Service \(sid)", "twilio.messaging_service_sid (or leave it out and set twilio.from)")
            }
            let capable = numbers.filter(\.sms)
            guard !capable.isEmpty else {
                return differs(numbers.isEmpty ? "Messaging Service \(sid) has no number in its sender pool"
                                               : "no number of Messaging Service \(sid) can send SMS: \(numbers.map(\.phoneNumber).joined(separator: ", "))",
                               "add an SMS-capable number to the service's sender pool in Twilio")
            }
            return ok("Twilio", "sender", "Messaging Service \(sid) holds \(capable.count) SMS-capable number(s)")
        }
        guard let from = config.twilio.from else {
            return differs("neither twilio.from nor twilio.messaging_service_sid is set", "twilio.from or twilio.messaging_service_sid")
        }
        guard let number = try twilio.incomingNumber(from) else {
            return differs("\(from) is not a number of account \(account)", "twilio.from (a number the account owns), or twilio.messaging_service_sid")
        }
        return number.sms ? ok("Twilio", "sender", "\(from) is the account's and can send SMS")
            : differs("\(from) is the account's but cannot send SMS (capabilities.sms is false)",
                      "twilio.from = an SMS-capable number of the account, or twilio.messaging_service_sid")
    }
}
