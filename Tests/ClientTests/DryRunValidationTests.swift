import ConnectorNet
import XCTest

/// How a dry run turns a SYSPRO post into a validation: the business object's validation
/// parameter set in its `XmlParameters` document, whatever case the document spells it in.
final class DryRunValidationTests: XCTestCase {
    func testAnExistingValidationParameterIsSetInAnyCase() {
        XCTAssertEqual(DryRunGuard.validating(parameters: "<Params><ValidateOnly>N</ValidateOnly></Params>", businessObject: "INVTMR"),
                       "<Params><ValidateOnly>Y</ValidateOnly></Params>")
        XCTAssertEqual(DryRunGuard.validating(parameters: "<P><validateonly>n</validateonly><X>é</X></P>", businessObject: "sortdn"),
                       "<P><ValidateOnly>Y</ValidateOnly><X>é</X></P>")
    }

    func testAMissingParameterGoesFirstIntoParameters() {
        XCTAssertEqual(DryRunGuard.validating(parameters: "<SalesOrders><parameters><IgnoreWarnings>W</IgnoreWarnings></parameters></SalesOrders>",
                                              businessObject: "SORTOI"),
                       "<SalesOrders><parameters><Process>VALIDATE</Process><IgnoreWarnings>W</IgnoreWarnings></parameters></SalesOrders>")
        XCTAssertEqual(DryRunGuard.validating(parameters: "<None/>", businessObject: "INVTMA"), "<None/>")
    }

    func testABusinessObjectWithoutAValidationModeHasNone() {
        XCTAssertNil(DryRunGuard.validating(parameters: "<P/>", businessObject: "COMLOG"))
    }
}
