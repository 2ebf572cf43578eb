import Foundation
import XCTest

/// A short chaos soak (`bench/soak 30`) with the programs under test: faults (dropped
/// connections, 429s with and without retry headers), kills, doubled starts, expired ShipBob
/// tokens, a full spool disk, abused webhooks and orders held then shipped or cancelled for
/// 30 seconds, then every invariant holds, ShipBob's and SYSPRO's stock levels included.
final class SoakEndToEndTests: EndToEndCase {
    func testAShortChaosSoakEndsWithNoViolation() throws {
        let r = try runProgram("/bin/bash", [Products.repoRoot + "/bench/soak", "30"], env: ["SOAK_BIN": Products.directory])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("violations: 0"), r.stdout)
        for invariant in ["one sales order, one dispatch note per shipment", "= SYSPRO QtyOnHand", "one ShipBob product", "one HubSpot record each",
                          "exactly one SMS delivered each", "never spooled", "final pass converged",
                          "webhooks on a full disk deferred", "without a ShipBob token in clear"] {
            XCTAssertTrue(r.stdout.contains(invariant), "\(invariant): \(r.stdout)")
        }
        // "chaos: events 90, faults 41, drops after commit 5, ...": a name, then its count.
        let chaos = try XCTUnwrap(r.stdout.split(separator: "\n").first { $0.hasPrefix("chaos: ") }, r.stdout)
        let counts = Dictionary(uniqueKeysWithValues: chaos.dropFirst("chaos: ".count).split(separator: ",").map { pair in
            let words = pair.split(separator: " ")
            return (words.dropLast().joined(separator: " "), Int(words.last ?? "") ?? 0)
        })
        for what in ["events", "faults", "kills", "webhooks", "token expiries", "disk full"] {
            XCTAssertGreaterThan(counts[what] ?? 0, 0, "the soak made no \(what): \(chaos)")
        }
        XCTAssertGreaterThan((counts["drops"] ?? 0) + (counts["drops after commit"] ?? 0), 0, "no dropped connection: \(chaos)")
    }
}
