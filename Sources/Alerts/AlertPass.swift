import ConnectorKit
import ConnectorNet
import Syspro
import Twilio
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorConfig
import Secrets

/// One pass of `po-alerts-twilio`: SYSPRO rows changed since each rule's cursor become SMS
/// alerts through Twilio (config `alerts`), then Twilio's status callbacks spooled by
/// webhook-cgi are recorded, and messages whose callback never came are fetched from Twilio
/// (the status poll).
public struct AlertPass {
    public static let job = "po-alerts-twilio"
    /// The config sections the job reads, besides ConnectorConfig's (`twilio` before `alerts`,
    /// whose rules need its sender).
    public static var configSections: [any ConfigSection.Type] { [SysproSettings.self, TwilioSettings.self, AlertSettings.self] }

    let vendors: VendorContext
    let metrics: JobMetrics

    public init(vendors: VendorContext, metrics: JobMetrics) {
        self.vendors = vendors; self.metrics = metrics
    }

    public func run() throws {
        let tenant = vendors.tenant, config = vendors.config, logger = vendors.logger, policy = vendors.policy
        let secrets = try vendors.secrets(), key = secrets.key
        let stateDir = tenant.state(Self.job)
        try Posix.makeDirectories(stateDir)
        let outbox = tenant.outbox("twilio")
        try outbox.prepare()
        try outbox.recover()
        let audit = AuditLog(directory: tenant.audit, job: Self.job)
        let clock = { Date().timeIntervalSince1970 }

        let memory = try JournaledMap<Watched>(path: stateDir / "watched.json")
        defer { try? memory.compact() }
        let odata = try vendors.odata()
        let cursorFile = CursorFile<AlertQueue.Cursors>(path: tenant.cursor(Self.job))
        var cursors = try cursorFile.load() ?? [:]
        let queued = try AlertQueue(odata: odata, settings: config.alerts, outbox: outbox, memory: memory,
                                    modes: ODataModeStore(tenant: tenant, odata: odata), versionsDirectory: stateDir / "rowversions",
                                    sealBody: { try key.seal($0, context: AlertItem.sealContext) },
                                    overlap: config.inventory.rowversionOverlap, now: clock).run(&cursors, save: cursorFile.save)
        for rule in queued.learned { logger.info("rule learned the present rows; it alerts from the next run", ["rule": rule]) }
        logger.info("events queued", ["rows": String(queued.rows), "events": String(queued.events), "queued": String(queued.queued)])

        let deliveries = try JournaledMap<Delivery>(path: stateDir / "deliveries.json")
        defer { try? deliveries.compact() }
        // Config with alert rules names an account (TwilioSettings.validate).
        let client = try vendors.twilio()!
        let sender = AlertSender(
            gateway: client, outbox: outbox, deliveries: deliveries, audit: audit, attention: AttentionBox(directory: tenant.attention),
            phone: phoneBook(secrets),
            openBody: { try key.open($0, context: AlertItem.sealContext) },
            seal: { try key.seal($0, context: SealContext.auditPersonal) },
            maxAttempts: config.twilio.maxAttempts, maxAge: Double(config.twilio.maxAgeMinutes) * 60,
            inFlightWindow: PostInFlight.window(config.http),
            backoff: policy.backoff(attempt:), sleep: policy.sleep, now: clock)
        let sent = try sender.sendPending()
        // A message found at Twilio after an unclear answer was sent by an earlier run
        // that never learned it had; it is counted once, now.
        metrics.moved("sms", "syspro->twilio", sent.sent + sent.found)
        let delivery = DeliveryReports(
            spool: tenant.spool("twilio"), outbox: outbox, deliveries: deliveries, audit: audit,
            attention: AttentionBox(directory: tenant.attention),
            open: { Array(try key.open($0, context: TwilioCallbackSettings.sealContext).utf8) }, now: clock)
        let reports = try delivery.record()
        metrics.moved("delivery_reports", "twilio->connector", reports.recorded)
        if config.twilio.statusPollMinutes > 0 {
            let polled = try delivery.poll(after: config.twilio.statusPollMinutes * 60, fetch: client.fetch)
            metrics.moved("delivery_reports", "twilio->connector", polled.summary.recorded)
            if polled.fetched > 0 || polled.stopped != nil {
                logger.info("status poll", ["fetched": String(polled.fetched), "recorded": String(polled.summary.recorded),
                                            "undelivered": String(polled.summary.undelivered), "stopped": polled.stopped ?? ""])
            }
        }

        logger.info("pass done", [
            "sent": String(sent.sent), "found": String(sent.found), "parked": String(sent.parked),
            "reports": String(reports.recorded), "undelivered": String(reports.undelivered),
            "unmatched_reports": String(reports.unmatched), "bad_reports": String(reports.refused),
            "waiting": String(try outbox.list(.new).count),
            "twilio_calls": client.calls.keys.sorted().map { "\($0)=\(client.calls[$0]!)" }.joined(separator: ","),
        ])
        if let reason = sent.stopped { throw TwilioNotNow(reason: reason, waiting: try outbox.list(.new).count) }
        if sent.inFlight > 0 {
            throw TwilioNotNow(reason: "\(sent.inFlight) SMS whose attempt a crash cut short may still be created by Twilio",
                               waiting: try outbox.list(.new).count)
        }
    }

    /// People's numbers, each read from `secrets.json` once per run.
    private func phoneBook(_ secrets: SecretStore) -> (String) throws -> String? {
        var known: [String: String?] = [:]
        return { person in
            if let n = known[person] { return n }
            let n = try secrets.get(AlertSettings.phoneSecret(person))
            known[person] = n
            return n
        }
    }
}

/// Twilio would not take messages now (rate limited past the retries, or unclear answers):
/// they wait in the outbox for the next run.
struct TwilioNotNow: ConnectorError {
    let reason: String
    let waiting: Int
    var exitStatus: ExitStatus { .tempFail }
    var description: String { "Twilio: \(reason); \(waiting) messages wait in outbox/twilio/new for the next run" }
}
