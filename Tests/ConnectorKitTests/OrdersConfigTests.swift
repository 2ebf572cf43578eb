import Fulfillment
import XCTest

@testable import ConnectorKit

/// Config `orders` and what `tracking.status_map` still means now that shipped and cancelled
/// orders go through dispatch notes and SORTOX (docs/vendors/syspro.md).
final class OrdersConfigTests: XCTestCase {
    func with(_ section: String) -> String {
        String(ConfigFixture.valid.trimmingCharacters(in: .whitespacesAndNewlines).dropLast()) + ", " + section + "}"
    }

    func testDefaultsAreADispatchNoteAndWarningsReported() throws {
        let c = try load(ConfigFixture.valid)
        XCTAssertEqual(c.orders.onShipped, .dispatch)
        XCTAssertEqual(c.orders.ignoreWarnings, "W")
        XCTAssertNil(c.tracking.status(for: "shipped"))
        XCTAssertEqual(c.tracking.status(for: "on_hold"), "S")
    }

    func testInvoiceOptionAndWarningSettingLoad() throws {
        let c = try load(with(#""orders": {"on_shipped": "dispatch_and_invoice", "ignore_warnings": "N", "cancel_reason_code": "SB"}"#))
        XCTAssertEqual(c.orders.onShipped, .dispatchAndInvoice)
        XCTAssertEqual(c.orders.ignoreWarnings, "N")
        XCTAssertEqual(c.orders.cancelReasonCode, "SB")
    }

    func testAnUnknownIgnoreWarningsValueIsRefused() {
        assertConfigError(with(#""orders": {"ignore_warnings": "X"}"#), key: "orders.ignore_warnings", contains: "expected W")
    }

    /// A config.json of the previous release, with its status_map written out, still loads,
    /// and shipped/cancelled no longer map to a status.
    func testThePreviousReleasesStatusMapStillLoadsAndMeansNothingForShippedOrCancelled() throws {
        let c = try load(with(#""tracking": {"status_map": {"shipped": "9", "delivered": "9", "cancelled": "\\", "on_hold": "S", "exception": null}}"#))
        XCTAssertNil(c.tracking.status(for: "shipped"))
        XCTAssertNil(c.tracking.status(for: "cancelled"))
        XCTAssertEqual(c.tracking.status(for: "on_hold"), "S")
    }

    func testAStatusSortosCannotSetIsRefused() {
        assertConfigError(with(#""tracking": {"status_map": {"on_hold": "\\"}}"#), key: "tracking.status_map.on_hold", contains: "SORTOS can set")
        assertConfigError(with(#""tracking": {"status_map": {"shipped": "8"}}"#), key: "tracking.status_map.shipped", contains: "orders.on_shipped")
    }
}
