import ArgumentParser
import ConnectorKit
import JobCLI
import ConnectorNet
import Syspro
import ShipBob
import Inventory

@main
struct InventoryVariance: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "inventory-variance", version: ConnectorVersion.current)
    @OptionGroup var common: CommonOptions
    func run() throws {}
}
