import ConnectorKit
import Foundation

/// `/_control/syspro/...` for the SMS alerts: the SYSPRO user's actions they react to,
/// each one UPDATE or INSERT that stamps a new TimeStamp (SeedPurchasing.swift).
/// - `POST po-transition` `{"purchase_order": "P00874", "order_status": "4"}` (printed);
/// - `POST requisition-approve` `{"requisition": "R00031", "line": 1}` (`line` optional:
///   every line); answers the requisition's lines;
/// - `POST ap-post` `{"supplier": "TEXMFG", "invoice": "TX-44188", "journal": 314}`
///   (`journal` optional: the next AP journal): posts a registered invoice, its ApInvoice
///   row appears; an invoice not in the demo register needs `"value"` (and may give `"due"`).
/// Each answers with the changed or new row(s).
extension Control {
    func purchasingRoute(_ req: SandboxRequest, _ p: [String], _ w: inout World, _ now: Double) throws -> Reply? {
        switch (req.method, p) {
        case ("POST", ["syspro", "po-transition"]):
            let j = try body(req)
            guard let po = j["purchase_order"]?.string, let status = j["order_status"]?.string, !status.isEmpty else {
                throw ControlError("po-transition needs \"purchase_order\" and \"order_status\"")
            }
            guard SeedData.transitionPurchaseOrder(po, to: status, db: &w.syspro, now: now) else {
                return .json(["error": .string("no purchase order \(po)")], status: 404)
            }
            return .json(rowJSON(w.syspro.first("PorMasterHdr") { $0["PurchaseOrder"] == .string(po) }!))
        case ("POST", ["syspro", "ap-post"]):
            let j = try body(req)
            guard let supplier = j["supplier"]?.string, let invoice = j["invoice"]?.string else {
                throw ControlError("ap-post needs \"supplier\" and \"invoice\"")
            }
            let journal = j["journal"]?.int64.map(Int.init)
            switch SeedData.postApInvoice(supplier: supplier, invoice: invoice, journal: journal, value: j["value"]?.double,
                                          due: j["due"]?.string, db: &w.syspro, now: now) {
            case .unknown: return .json(["error": .string("no registered AP invoice \(supplier) \(invoice); give \"value\" to post a new one")], status: 404)
            case .alreadyPosted: return .json(["error": .string("AP invoice \(supplier) \(invoice) is already posted")], status: 409)
            case .posted: return .json(rowJSON(w.syspro.first("ApInvoice") { $0["Supplier"] == .string(supplier) && $0["Invoice"] == .string(invoice) }!))
            }
        case ("POST", ["syspro", "requisition-approve"]):
            let j = try body(req)
            guard let requisition = j["requisition"]?.string else { throw ControlError("requisition-approve needs \"requisition\"") }
            let lines = w.syspro.rows("ReqDetail").filter { $0["Requisition"] == .string(requisition) }
            guard !lines.isEmpty else { return .json(["error": .string("no requisition \(requisition)")], status: 404) }
            _ = SeedData.approveRequisition(requisition, line: j["line"]?.int64.map(Int.init), db: &w.syspro)
            return .json(.array(w.syspro.rows("ReqDetail").filter { $0["Requisition"] == .string(requisition) }.map(rowJSON)))
        default:
            return nil
        }
    }
}
