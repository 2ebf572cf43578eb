import ConnectorKit
import Foundation

/// `/_control/syspro/...` for the SMS alerts: the SYSPRO user's actions they react to,
/// each one UPDATE that bumps the row's TimeStamp (SeedPurchasing.swift).
/// - `POST po-transition` `{"purchase_order": "P00874", "order_status": "1"}`;
/// - `POST ap-post` `{"supplier": "TEXMFG", "invoice": "TX-44188", "journal": 314}`
///   (`journal` optional: the next AP journal).
/// Both answer with the changed row.
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
            guard SeedData.postApInvoice(supplier: supplier, invoice: invoice, journal: journal, db: &w.syspro, now: now) else {
                return .json(["error": .string("no AP invoice \(supplier) \(invoice)")], status: 404)
            }
            return .json(rowJSON(w.syspro.first("ApInvoice") { $0["Supplier"] == .string(supplier) && $0["Invoice"] == .string(invoice) }!))
        default:
            return nil
        }
    }
}
