import XCTest
import ConnectorKit

/// The master key while `rotate-key` runs: a new key beside the old one is the key to seal
/// with, either opens, and a process that loaded the keys earlier follows the files.
final class KeyRotationTests: XCTestCase {
    func testDuringARotationValuesAreSealedWithTheNewKeyAndOpenWithEither() throws {
        let dir = TempDir()
        let path = dir.file("master.key")
        let old = try MasterKey.create(at: path)
        let before = try old.seal("pat-1", context: "shipbob_pat")
        XCTAssertTrue(try MasterKey.beginRotation(at: path))
        XCTAssertFalse(try MasterKey.beginRotation(at: path), "a second begin resumes the same rotation")

        let rotating = try MasterKey.load(from: path)
        XCTAssertTrue(rotating.isRotating)
        XCTAssertEqual(try rotating.open(before, context: "shipbob_pat"), "pat-1")
        let during = try rotating.seal("pat-2", context: "shipbob_pat")
        XCTAssertTrue(rotating.isUnderSealingKey(during, context: "shipbob_pat"))
        XCTAssertFalse(rotating.isUnderSealingKey(before, context: "shipbob_pat"))

        let resealed = try XCTUnwrap(try rotating.resealed(before, context: "shipbob_pat"))
        XCTAssertEqual(resealed.count, before.count, "in-place rewrites rely on the length staying")
        XCTAssertNil(try rotating.resealed(resealed, context: "shipbob_pat"), "already under the new key")

        try MasterKey.commitRotation(at: path)
        let after = try MasterKey.load(from: path)
        XCTAssertFalse(after.isRotating)
        XCTAssertEqual(try after.open(resealed, context: "shipbob_pat"), "pat-1")
        XCTAssertEqual(try after.open(during, context: "shipbob_pat"), "pat-2")
        XCTAssertThrowsError(try after.open(before, context: "shipbob_pat"), "the old key is gone")
    }

    func testAKeyLoadedBeforeARotationSealsWithTheKeyInForceWhenItSeals() throws {
        let dir = TempDir()
        let path = dir.file("master.key")
        let early = try MasterKey.create(at: path)
        XCTAssertTrue(try MasterKey.beginRotation(at: path))
        try MasterKey.commitRotation(at: path)
        // `early` was loaded before the rotation; what it seals now must open with the new key alone.
        let sealed = try early.seal("token", context: "syspro-session.json")
        XCTAssertTrue(try MasterKey.load(from: path).isUnderSealingKey(sealed, context: "syspro-session.json"))
        XCTAssertEqual(try early.open(sealed, context: "syspro-session.json"), "token", "and it opens what it sealed")
    }

    func testAValueNoKeyOpensIsNotResealed() throws {
        let dir = TempDir()
        let path = dir.file("master.key")
        _ = try MasterKey.create(at: path)
        XCTAssertTrue(try MasterKey.beginRotation(at: path))
        let forged = "v1:" + Data(repeating: 9, count: 40).base64EncodedString()
        XCTAssertThrowsError(try MasterKey.load(from: path).resealed(forged, context: "x"))
    }
}
