import XCTest

@testable import ConnectorKit
import Secrets

final class SecretsTests: XCTestCase {
    func testMasterKeyIsCreatedWith32BytesAndMode0600() throws {
        let dir = TempDir()
        _ = try MasterKey.create(at: dir.file("master.key"))
        let attrs = try FileManager.default.attributesOfItem(atPath: dir.file("master.key"))
        XCTAssertEqual((attrs[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        XCTAssertEqual((attrs[.size] as? NSNumber)?.intValue, 32)
    }

    func testCreatingAgainKeepsTheExistingKey() throws {
        let dir = TempDir()
        let a = try MasterKey.create(at: dir.file("k"))
        let sealed = try a.seal("x", context: "n")
        let b = try MasterKey.create(at: dir.file("k"))
        XCTAssertEqual(try b.open(sealed, context: "n"), "x")
    }

    func testRefusesAKeyReadableByOthers() throws {
        let dir = TempDir()
        _ = try MasterKey.create(at: dir.file("k"))
        chmod(dir.file("k"), 0o644)
        XCTAssertThrowsError(try MasterKey.load(from: dir.file("k"))) {
            XCTAssertTrue("\($0)".contains("chmod 600"), "\($0)")
        }
    }

    func testSealedValuesRoundTripAndAreBoundToTheirName() throws {
        let dir = TempDir()
        let key = try MasterKey.create(at: dir.file("k"))
        let sealed = try key.seal("s3cret-operator-pass", context: "syspro_operator_password")
        XCTAssertTrue(sealed.hasPrefix("v1:"))
        XCTAssertEqual(try key.open(sealed, context: "syspro_operator_password"), "s3cret-operator-pass")
        XCTAssertThrowsError(try key.open(sealed, context: "shipbob_pat"))
    }

    func testTamperedValueIsRefused() throws {
        let dir = TempDir()
        let key = try MasterKey.create(at: dir.file("k"))
        var raw = Array(Data(base64Encoded: String(try key.seal("abc", context: "n").dropFirst(3)))!)
        raw[14] ^= 1
        XCTAssertThrowsError(try key.open("v1:" + Data(raw).base64EncodedString(), context: "n"))
    }

    func testSecretStoreNeverWritesPlainText() throws {
        let dir = TempDir()
        let key = try MasterKey.create(at: dir.file("k"))
        let store = SecretStore(path: dir.file("secrets.json"), key: key)
        try store.set("shipbob_pat", value: "pat-plaintext-marker")
        let onDisk = try String(contentsOfFile: dir.file("secrets.json"), encoding: .utf8)
        XCTAssertFalse(onDisk.contains("plaintext-marker"))
        XCTAssertEqual(try store.get("shipbob_pat"), "pat-plaintext-marker")
        XCTAssertThrowsError(try store.require("syspro_odata_password", tenant: "demo")) {
            XCTAssertTrue("\($0)".contains("ml-connector secret set syspro_odata_password --tenant demo"))
        }
    }

    func testSealedFileRoundTripsATokenDocument() throws {
        struct Tok: Codable, Equatable { var access: String; var refresh: String }
        let dir = TempDir()
        let key = try MasterKey.create(at: dir.file("k"))
        let f = SealedFile<Tok>(path: dir.file("tokens/shipbob-oauth.json"), key: key)
        XCTAssertNil(try f.load())
        try f.save(Tok(access: "a1", refresh: "r1"))
        XCTAssertEqual(try f.load(), Tok(access: "a1", refresh: "r1"))
        XCTAssertFalse(try String(contentsOfFile: f.path, encoding: .utf8).contains("r1\""))
    }
}
