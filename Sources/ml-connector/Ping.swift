import ArgumentParser
import ConnectorKit
import JobCLI
import ConnectorNet
import Syspro
import ShipBob
import HubSpot
import Twilio

struct Ping: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ping",
        abstract: "Log on to SYSPRO, read one OData row and probe its change-detection mode, call ShipBob (and HubSpot with a token, Twilio with an account); say which system fails and why.",
        discussion: "One line per system. Exit status: 0 all answered, else that of the first failure (69 unreachable, 78 credentials refused).")

    @OptionGroup var common: CommonOptions

    func run() throws {
        guarded("ml-connector") {
            let context = try VendorContext(common)
            let (tenant, config) = (context.tenant, context.config)
            var firstFailure: Error?

            func check(_ system: String, _ probe: () throws -> String) {
                do { print("ok    \(system): \(try probe())") }
                catch {
                    print("FAIL  \(system): \(error)")
                    if firstFailure == nil { firstFailure = error }
                }
            }
            check("SYSPRO e.net") {
                let client = try context.syspro()
                _ = try client.logonProfile()
                let version = try client.version()
                return "session for \(config.syspro.operator) on company \(config.syspro.companyID), SYSPRO \(version)"
            }
            check("SYSPRO OData") {
                let odata = try context.odata()
                let rows = try odata.fetch(entitySet: SysproFacts.EntitySet.invMaster, select: ["StockCode"], top: 1)
                // Probed afresh and stored: ping is how a person re-checks a server that changed.
                let mode = try ODataModeStore(tenant: tenant, odata: odata).probe(SysproFacts.EntitySet.invMaster)
                return "read \(rows.count) InvMaster row as \(config.syspro.odataUser); change detection: \(mode.mode.rawValue) (\(mode.evidence))"
            }
            check("ShipBob") {
                let channels = try context.shipbob().channels()
                return "\(channels.count) channel(s): " + channels.map { "\($0.id) \($0.name)" }.joined(separator: ", ")
            }
            if let client = try context.hubspotIfSetUp() {
                check("HubSpot") {
                    return "token accepted; companies have \(try client.propertyCount(HubSpotFacts.ObjectType.companies)) properties"
                }
            }
            if let account = config.twilio.accountSid {
                check("Twilio") {
                    let client = try context.twilio()!
                    let newest = try client.newest()
                    return "\(config.twilio.apiKeySid == nil ? "Auth Token" : "API Key") accepted for \(account)"
                        + (newest.map { "; newest message \($0.sid) is \($0.status)" } ?? "; no messages yet")
                }
            }
            if let firstFailure { throw firstFailure }
        }
    }
}
