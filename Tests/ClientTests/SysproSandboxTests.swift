import ConnectorKit
import ConnectorNet
import Sandbox
import Syspro
import WebhookCore
import XCTest
import Secrets
import ConnectorConfig

/// The SYSPRO clients against the in-process sandbox: session sharing, re-logon, SORTOI, OData.
final class SysproSandboxTests: XCTestCase {
    var server: SandboxServer!
    var base = ""
    var tenant: TenantPaths!
    var secrets: SecretStore!
    var http: HTTPClient!
    var settings: SysproSettings!

    override func setUp() async throws {
        server = SandboxServer(options: SandboxOptions(odataPageSize: 7))
        let port = try await server.start()
        base = "http://127.0.0.1:\(port)"
        let state = NSTemporaryDirectory() + "syspro-sandbox-\(UUID().uuidString)"
        tenant = StateLayout(root: state).tenant("demo")
        try tenant.prepare()
        secrets = SecretStore(path: tenant.secrets, key: try MasterKey.create(at: state + "/master.key"))
        http = HTTPClient(settings: HTTPSettings(), logger: Logger(job: "test"))
        let creds = try control(.get, "credentials")["syspro"]!
        try secrets.set(SecretName.sysproOperatorPassword, value: creds["operator_password"]!.string!)
        try secrets.set(SecretName.sysproODataPassword, value: creds["odata_password"]!.string!)
        settings = SysproSettings(restURL: base + "/syspro/SYSPROWCFService/Rest", odataURL: base + "/syspro/odata",
                                  operator: creds["operator"]!.string!, companyID: creds["company_id"]!.string!,
                                  odataUser: creds["odata_user"]!.string!, orderWarehouse: "FG")
    }

    override func tearDown() async throws { await server.stop() }

    @discardableResult
    func control(_ method: HTTPMethod, _ path: String) throws -> JSONValue {
        let r = try http.send(HTTPRequest(method, base + "/_control/" + path))
        XCTAssertTrue(r.isSuccess, "control \(path): \(r.status)")
        return try JSONValue.parse(r.body)
    }

    func logons() throws -> Int {
        try control(.get, "requests?service=syspro").array!.filter { ($0["path"]?.string ?? "").lowercased().hasSuffix("/logon") }.count
    }

    var policy: RetryPolicy { RetryPolicy(settings: HTTPSettings(), sleep: { _ in }) }

    func client() -> SysproClient {
        SysproClient(settings: settings, session: SysproSession(settings: settings, tenant: tenant, secrets: secrets, http: http, policy: policy),
                     http: http, policy: policy)
    }

    func odata() throws -> ODataClient {
        try ODataClient(settings: settings, secrets: secrets, tenant: tenant, http: http, policy: policy)
    }

    func order(po: String, customer: String) -> SysproSalesOrder {
        SysproSalesOrder(customerPoNumber: po, customer: customer, orderDate: "2026-08-05", customerName: "O'Neil <Test> & Co",
                         shipAddress: ["1 Main St"], shipPostalCode: "12345",
                         lines: [StockLine(customerPoLine: 1, stockCode: "TS-BLU-M", warehouse: "FG", quantity: 2, price: 14.99)])
    }

    func testSessionIsSharedAcrossClientsAndRenewedAfterExpiry() throws {
        let customer = try XCTUnwrap(try odata().fetch(entitySet: "ArCustomer", top: 1).first?["Customer"]?.string)
        let first = try client().importSalesOrder(order(po: "SBIT-1", customer: customer), ignoreWarnings: "W")
        XCTAssertFalse(first.isRejected, "\(first.errors)")
        _ = try client().importSalesOrder(order(po: "SBIT-2", customer: customer), ignoreWarnings: "W")
        XCTAssertEqual(try logons(), 1, "a second client instance must reuse the cached session")

        try control(.post, "syspro/expire-sessions")
        let third = try client().importSalesOrder(order(po: "SBIT-3", customer: customer), ignoreWarnings: "W")
        XCTAssertFalse(third.isRejected, "\(third.errors)")
        XCTAssertEqual(try logons(), 2, "one re-logon after SYSPRO forgot the session")
    }

    func testDuplicateCustomerPoAndLookups() throws {
        let odata = try odata()
        let customer = try XCTUnwrap(try odata.fetch(entitySet: "ArCustomer", top: 1).first?["Customer"]?.string)
        let c = client()
        let imported = try c.importSalesOrder(order(po: "SBIT-DUP", customer: customer), ignoreWarnings: "W")
        XCTAssertFalse(imported.isRejected, "\(imported.errors)")
        let again = try c.importSalesOrder(order(po: "SBIT-DUP", customer: customer), ignoreWarnings: "W")
        XCTAssertTrue(again.isRejected)
        XCTAssertTrue(again.isDuplicatePo, "\(again.errors)")
        let rows = try odata.salesOrders(customerPoNumber: "SBIT-DUP")
        XCTAssertEqual(rows.count, 1)
        if let so = imported.salesOrder { XCTAssertEqual(rows.first?.salesOrder, so) }
        XCTAssertEqual(try odata.stockCodes(["TS-BLU-M", "NOPE-1", "TS-BLU-M"]), ["TS-BLU-M"])
    }

    /// docs/vendors/syspro.md, "SORTOS sets only 1, 2, 3, 4, 8, 9 and S".
    func testSandboxSortosRefusesTheCancelledStatusesAndRelievesNothingAt9() throws {
        let customer = try XCTUnwrap(try odata().fetch(entitySet: "ArCustomer", top: 1).first?["Customer"]?.string)
        let c = client()
        _ = try c.importSalesOrder(order(po: "SBIT-STATUS", customer: customer), ignoreWarnings: "W")
        let so = try XCTUnwrap(try odata().salesOrders(customerPoNumber: "SBIT-STATUS").first?.salesOrder)
        let params = SalesOrderTracking.statusParameters()
        for status in ["\\", "*", "0", "F"] {
            let answer = SalesOrderUpdateResult(try c.post(businessObject: "SORTOS", parameters: params,
                xmlIn: "<PostSorOrderStatus><Item><SalesOrder>\(so)</SalesOrder><NewOrderStatus>\(status)</NewOrderStatus></Item></PostSorOrderStatus>"))
            XCTAssertFalse(answer.isApplied, "SORTOS must refuse status \(status)")
        }
        let onHand = { try self.control(.get, "syspro/tables/InvWarehouse").array!.first {
            $0["StockCode"]?.string == "TS-BLU-M" && $0["Warehouse"]?.string == "FG" }?["QtyOnHand"]?.double }
        let before = try onHand()
        XCTAssertTrue(try c.changeOrderStatus(salesOrder: so, current: nil, new: "9").isApplied)
        XCTAssertEqual(try onHand(), before, "status 9 relieves no stock")
        XCTAssertThrowsError(try c.changeOrderStatus(salesOrder: so, current: nil, new: "\\"), "the client refuses it too")
    }

    func testODataPagesThroughEverything() throws {
        let all = try control(.get, "syspro/tables/InvMaster").array!.count
        XCTAssertGreaterThan(all, 7, "the page size must force several pages")
        let rows = try odata().fetch(entitySet: "InvMaster", select: ["StockCode"], orderBy: "StockCode")
        XCTAssertEqual(rows.count, all)
        XCTAssertEqual(Set(rows.compactMap { $0["StockCode"]?.string }).count, all)
        XCTAssertEqual(try odata().fetch(entitySet: "InvMaster", top: 10).count, 10)
    }

    func testWrongODataPasswordIsAConfigError() throws {
        let bad = ODataClient(settings: settings, password: "wrong", http: http, policy: policy)
        XCTAssertThrowsError(try bad.fetch(entitySet: "InvMaster", top: 1)) {
            XCTAssertEqual(($0 as? ConnectorError)?.exitStatus, .config, "\($0)")
            XCTAssertTrue("\($0)".contains(settings.odataUser), "\($0)")
        }
    }
}
