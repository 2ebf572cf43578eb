import ArgumentParser
import ConnectorKit
import ConnectorNet
import GoLive
import HubSpot
import JobCLI
import ShipBob
import Syspro
import Twilio
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

struct Probe: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Check, without changing any data, every assumption the connector makes about the tenant's SYSPRO, ShipBob, HubSpot and Twilio.",
        discussion: """
        One line per check: ok, differs (what was expected, what was found, what to change) or \
        cannot check (why). Reads only; SYSPRO's session is logged off once to read the \
        invalid-session answer (the jobs log on again). The result is kept for `ml-connector status`.

        Exit status: 0 nothing differs, 1 something differs, 64 usage, 78 configuration error.
        """)

    @OptionGroup var common: CommonOptions
    @Flag(help: "Print the results as one JSON document.") var json = false

    func run() throws {
        var differs = false
        guarded("ml-connector") {
            let context = try VendorContext(common)
            let (tenant, config) = (context.tenant, context.config)
            let session = try context.sysproSession()
            let odataPassword = try context.secrets().require(SecretName.sysproODataPassword, tenant: tenant.name)
            let odata = try context.odata()
            let clients = TenantProbe.Clients(
                syspro: try context.syspro(session: session), session: session, odata: odata,
                shipbob: try context.shipbob(), hubspot: try context.hubspotIfSetUp(), twilio: try context.twilio(),
                http: context.http, policy: context.policy, odataPassword: odataPassword,
                modeStore: ODataModeStore(tenant: tenant, odata: odata))
            let run = ProbeRun(finished: Date(), results: TenantProbe(config: config, clients: clients).run())
            try run.save(tenant)
            if json {
                let encoder = JSON.encoder
                encoder.outputFormatting.insert(.prettyPrinted)
                print(String(decoding: try encoder.encode(run), as: UTF8.self))
            } else {
                print(run.table, terminator: "")
            }
            differs = run.count(.differs) > 0
        }
        if differs { throw ExitCode(1) }
    }
}
