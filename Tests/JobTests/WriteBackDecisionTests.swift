import CustomerWriteBack
import HubSpot
import XCTest

/// The rule that decides whether a HubSpot edit reaches SYSPRO, apart from any vendor.
final class WriteBackDecisionTests: XCTestCase {
    let people: Set<String> = ["CRM_UI"]
    func change(_ value: String, _ at: Int64, _ source: String) -> PropertyChange {
        PropertyChange(value: value, at: at, sourceType: source, sourceId: source == "CRM_UI" ? "userId:9" : "1", userId: source == "CRM_UI" ? "9" : nil)
    }
    func decide(_ history: [PropertyChange], syspro: String, changedAt: Double? = nil) -> WriteBackDecision {
        WriteBackDecision.decide(history: history, sysproValue: syspro, sysproChangedAt: changedAt, personSources: people)
    }

    func testAPersonsEditOverTheValueTheConnectorWroteIsWritten() {
        let edit = change("KA", 2_000, "CRM_UI")
        XCTAssertEqual(decide([edit, change("WH", 1_000, "INTEGRATION")], syspro: "WH"), .write(value: "KA", edit: edit))
    }

    func testTheConnectorsOwnOrAnotherSystemsWriteIsNeverWritten() {
        XCTAssertEqual(decide([change("KA", 2_000, "INTEGRATION"), change("WH", 1_000, "CRM_UI")], syspro: "WH"), .none)
        XCTAssertEqual(decide([change("KA", 2_000, "WORKFLOWS")], syspro: "WH"), .none)
        XCTAssertEqual(decide([], syspro: "WH"), .none)
    }

    func testAnEditSysproAlreadyHoldsNeedsNothing() {
        XCTAssertEqual(decide([change("KA", 2_000, "CRM_UI"), change("WH", 1_000, "INTEGRATION")], syspro: "KA"), .none)
    }

    func testTheBaselineSkipsEarlierPersonEditsToTheConnectorsLastWrite() {
        let edit = change("RT", 3_000, "CRM_UI")
        let history = [edit, change("KA", 2_000, "CRM_UI"), change("WH", 1_000, "INTEGRATION")]
        XCTAssertEqual(decide(history, syspro: "WH"), .write(value: "RT", edit: edit))
    }

    func testASecondEditOverTheConnectorsOwnWriteBackIsWritten() {
        let second = change("RT", 3_000, "CRM_UI")
        let history = [second, change("KA", 2_000, "CRM_UI"), change("WH", 1_000, "INTEGRATION")]
        XCTAssertEqual(WriteBackDecision.decide(history: history, sysproValue: "KA", sysproChangedAt: nil, personSources: people, writtenBack: ["KA"]),
                       .write(value: "RT", edit: second), "SYSPRO holds what the connector wrote from the first edit")
        guard case .keepSyspro = decide(history, syspro: "KA") else { return XCTFail("a KA the connector did not write is SYSPRO's own change") }
    }

    func testWhenBothChangedTheLaterChangeWins() {
        let edit = change("KA", 2_000_000, "CRM_UI")
        let history = [edit, change("WH", 1_000_000, "INTEGRATION")]
        XCTAssertEqual(decide(history, syspro: "RT", changedAt: 1_500), .write(value: "KA", edit: edit), "SYSPRO changed first")
        guard case .keepSyspro(let reason, _) = decide(history, syspro: "RT", changedAt: 2_500) else { return XCTFail("SYSPRO changed later") }
        XCTAssertTrue(reason.contains("later"), reason)
    }

    func testWhenBothChangedAndSysprosTimeIsUnknownSysproKeepsItsValue() {
        let history = [change("KA", 2_000, "CRM_UI"), change("WH", 1_000, "INTEGRATION")]
        guard case .keepSyspro(let reason, _) = decide(history, syspro: "RT") else { return XCTFail() }
        XCTAssertTrue(reason.contains("unknown"), reason)
        guard case .keepSyspro = decide([change("KA", 2_000, "CRM_UI")], syspro: "RT") else { return XCTFail("no baseline: SYSPRO keeps") }
    }

    func testAClearedValueIsNotWritten() {
        guard case .keepSyspro(let reason, _) = decide([change("", 2_000, "CRM_UI"), change("WH", 1_000, "INTEGRATION")], syspro: "WH") else {
            return XCTFail()
        }
        XCTAssertTrue(reason.contains("cleared"), reason)
    }
}
