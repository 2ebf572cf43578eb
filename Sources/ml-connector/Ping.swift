import ArgumentParser
import ConnectorKit

struct Ping: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Log on to SYSPRO, read one OData row and call ShipBob; say which system fails and why.")
    @OptionGroup var common: CommonOptions
    func run() throws {
        guarded("ml-connector") { throw UsageError(message: "ping is not available yet") }
    }
}
