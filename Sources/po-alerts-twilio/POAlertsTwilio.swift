import ArgumentParser
import Alerts
import ConnectorKit
import JobCLI
import ConnectorNet

/// One pass: SYSPRO rows changed since each rule's cursor become SMS alerts through Twilio
/// (config `alerts`), then Twilio's status callbacks spooled by webhook-cgi are recorded, and
/// messages whose callback never came are fetched from Twilio (the status poll).
@main
struct POAlertsTwilio: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "po-alerts-twilio",
        abstract: "Text people when SYSPRO purchase orders change status or supplier invoices post (rules in config `alerts`).",
        discussion: """
        A rule's first run only learns the rows as they are. Each transition is queued once per person in outbox/twilio/ \
        (bodies sealed) before it is sent; deliveries.json records each attempt, so a crash never sends twice. \
        State: cursors/po-alerts-twilio.json, state/po-alerts-twilio/ (last values, deliveries), outbox/twilio/ \
        (failed/: refused or undeliverable messages; `ml-connector replay --source twilio` resends them), spool/twilio/ (callbacks). \
        A message still without a final status twilio.status_poll_minutes after it was sent is fetched from Twilio and recorded as its callback would be. \
        Exit status: 0 ok, 64 usage, 65 bad data, 69 SYSPRO or Twilio unavailable, 75 another run holds the lock or Twilio \
        would not take messages now (they wait for the next run), 78 configuration error or credentials refused.
        """,
        version: ConnectorVersion.current)

    @OptionGroup var common: JobOptions

    func run() throws {
        guarded(AlertPass.job) { try pass() }
    }

    func pass() throws {
        try common.withJobLock(AlertPass.job, sections: AlertPass.configSections) { job in
            guard !job.config.alerts.rules.isEmpty else {
                job.logger.info("no alert rules in config; nothing to do")
                return
            }
            try AlertPass(vendors: job.vendors, metrics: job.metrics).run()
        }
    }
}
