import ConnectorKit
import ConnectorNet
import ENetXML
import Inventory

@testable import Syspro
import WebhookCore
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Every SYSPRO answer the connector reads, through the entry points the clients and jobs use.
/// e.net REST: the answer text (UTF-8 or Windows-1252, JSON-quoted or not), its `ERROR:`
/// classification, the Logon answer, then the XML replies of SORTOI, SORTOS and INVTMR/INVTMA.
/// OData: a page under the statuses the client tells apart, then each row as SorMaster,
/// InvMovements, InvWarehouse, InvMaster, InvPrice, ArCustomer, ArInvoice and ArTrnDetail
/// read it, rowversions included. A thrown typed error is fine (its text is built, as the logs
/// do); a trap or a hang is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSyspro(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Data(bytes: data, count: size)
    readREST(body)
    let request = HTTPRequest(.get, "https://syspro.example/odata/InvWarehouse?$top=5000")
    for status in [200, 401, 500] {
        do {
            let (rows, next) = try ODataClient.page(HTTPResponse(status: status, headers: [:], body: body), to: request,
                                                    entitySet: "InvWarehouse", user: "odata")
            _ = next.map { URLEncoding.resolve($0, against: "https://syspro.example/odata/") }
            rows.forEach(readRow)
        } catch { _ = "\(error)" }
    }
    return 0
}

func readREST(_ body: Data) {
    let answer = SysproFacts.answerText(body)
    _ = (SysproFacts.isErrorAnswer(answer), SysproFacts.isInvalidSession(answer),
         SysproFacts.isDuplicateCustomerPo(element: "", description: answer))
    do { _ = try SysproSession.parseLogonAnswer(answer, operator: "ADMIN", company: "EDU1", url: "fuzz") } catch { _ = "\(error)" }
    guard let root = try? XML.parse(answer) else { return }
    _ = SortoiResult(root)
    _ = InventoryPostResult(root).outcome
    _ = SalesOrderUpdateResult(root).isApplied
}

func readRow(_ row: JSONValue) {
    func attempt<T>(_ read: () throws -> T) { do { _ = try read() } catch { _ = "\(error)" } }
    attempt { try SorMasterRow(row: row, customerPoNumber: "SB15949208") }
    _ = InvMovementRow(row: row)
    if let rv = row["TimeStamp"].flatMap(RowVersion.init(json:)) {
        _ = (rv.odataLiteral, rv.hex, IncrementalRead.windowStart(cursor: rv, overlap: 1000))
    }
    attempt { try StockLevel(row: row, source: "fuzz").jsonBytes }
    attempt { try StockItem(row: row, barcodeField: "AlternateKey1", source: "fuzz").jsonBytes }
    attempt { try StockPrice(row: row, source: "fuzz").jsonBytes }
    attempt { try CustomerRow(row: row) }
    attempt { try InvoiceRow(row: row).key }
    _ = InvoiceRow.line(row)
}
