import ConnectorKit
import Syspro
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import ConnectorNet

/// What posting an adjustment needs from SYSPRO; the live one is e.net + OData.
public protocol AdjustmentPoster {
    func postAdjustment(_ line: InventoryMovementLine, transactionDate: String) throws -> InventoryPostResult
    func movements(reference: String, stockCode: String) throws -> [InvMovementRow]
}

public struct LiveAdjustmentPoster: AdjustmentPoster {
    let client: SysproClient
    let odata: ODataClient
    public init(client: SysproClient, odata: ODataClient) { self.client = client; self.odata = odata }
    public func postAdjustment(_ line: InventoryMovementLine, transactionDate: String) throws -> InventoryPostResult {
        try client.postInventoryAdjustments([line], transactionDate: transactionDate)
    }
    public func movements(reference: String, stockCode: String) throws -> [InvMovementRow] {
        try odata.inventoryMovements(reference: reference, stockCode: stockCode)
    }
}

/// Posts one variance as an INVTMA adjustment, once. The Reference is derived from what
/// was compared (warehouse, stock code, both counts, the SYSPRO day), so the same
/// observation always yields the same Reference: a run that dies after SYSPRO committed
/// leaves a `pending` ledger entry, and the next run finds the Reference in InvMovements
/// instead of posting again (or, while that post may still be in flight, waits:
/// `PostInFlight`). Once posted, SYSPRO's count moves and the difference is gone.
///
/// An answer with neither an error nor a journal proves nothing (docs/vendors/syspro.md,
/// "INVTMR and INVTMA answers"): the Reference is looked up at once, and when it is not
/// there yet the entry stays `pending`, so it is posted again only by the path above,
/// after the in-flight window. Only an answer naming an error forgets the entry.
public struct LevelAdjuster {
    let poster: AdjustmentPoster
    let ledger: Ledger
    let transactionDate: String
    let inFlightWindow: TimeInterval
    let movements: MovementSettings
    let now: () -> Date

    public init(poster: AdjustmentPoster, ledger: Ledger, transactionDate: String, inFlightWindow: TimeInterval,
                movements: MovementSettings = .init(), now: @escaping () -> Date = Date.init) {
        self.poster = poster; self.ledger = ledger; self.transactionDate = transactionDate
        self.inFlightWindow = inFlightWindow; self.movements = movements; self.now = now
    }

    public enum Result: Equatable {
        case adjusted(reference: String, journal: String?)
        case alreadyAdjusted(reference: String)
        case refused(reference: String, errors: String)
    }

    public func apply(_ v: VarianceLine) throws -> Result {
        let reference = Self.reference(v, day: transactionDate)
        let previous = try ledger.get(reference)
        if previous?.status == .done { return .alreadyAdjusted(reference: reference) }
        if let previous, previous.status == .pending {
            if let found = try poster.movements(reference: reference, stockCode: v.stockCode).first {
                try ledger.put(.init(key: reference, status: .done, target: found.journal, attempts: previous.attempts, detail: previous.detail))
                return .alreadyAdjusted(reference: reference)
            }
            try PostInFlight.check("adjustment \(reference) of \(v.stockCode) in \(v.warehouse)", since: previous.updated,
                                   window: inFlightWindow, now: now())
        }
        let lot = movements.configuredLot(v.stockCode)
        if movements.isLotTraceable(v.stockCode), lot == nil {
            return .refused(reference: reference, errors: "stock code \(v.stockCode) is lot-traceable and movements.lots gives it no lot; an adjustment needs one")
        }
        let detail = ["warehouse": v.warehouse, "stock_code": v.stockCode, "quantity": v.difference.plainText,
                      "syspro_on_hand": v.sysproOnHand.plainText, "shipbob_on_hand": v.shipbobOnHand.plainText]
        let attempts = (previous?.attempts ?? 0) + 1
        let sent = now()
        try ledger.put(.init(key: reference, status: .pending, attempts: attempts, updated: sent, detail: detail))
        let line = InventoryMovementLine(
            warehouse: v.warehouse, stockCode: v.stockCode, quantity: Decimal(v.difference), reference: reference,
            notation: "ShipBob location \(v.locationId) counts \(v.shipbobOnHand.plainText)",
            binLocation: movements.bin(warehouse: v.warehouse, stockCode: v.stockCode), lot: lot)
        switch try poster.postAdjustment(line, transactionDate: transactionDate).outcome {
        case .posted(let journal):
            try ledger.put(.init(key: reference, status: .done, target: journal, attempts: attempts, detail: detail))
            return .adjusted(reference: reference, journal: journal)
        case .refused(let errors):
            try ledger.remove(reference)
            return .refused(reference: reference, errors: errors.joined(separator: "; "))
        case .unknown:
            if let found = try poster.movements(reference: reference, stockCode: v.stockCode).first {
                try ledger.put(.init(key: reference, status: .done, target: found.journal, attempts: attempts, detail: detail))
                return .adjusted(reference: reference, journal: found.journal)
            }
            throw PostInFlight(what: "adjustment \(reference) of \(v.stockCode) in \(v.warehouse) (SYSPRO answered with neither a journal nor an error)",
                               age: 0, window: inFlightWindow)
        }
    }

    /// The movement Reference a difference observed on `day` is posted under, the same in
    /// every run, so a later run finds an earlier post by it: `SBV` + 8 hex digits of FNV-1a
    /// over the observation, 11 characters, well inside InvMovements.Reference
    /// (SysproFacts.maxMovementReferenceLength).
    public static func reference(_ v: VarianceLine, day: String) -> String {
        let text = [v.warehouse, v.stockCode, v.sysproOnHand.plainText, v.shipbobOnHand.plainText,
                    v.inFlightReceipts.plainText, v.inFlightShipments.plainText, day].joined(separator: "|")
        var hash: UInt32 = 2_166_136_261
        for byte in text.utf8 { hash = (hash ^ UInt32(byte)) &* 16_777_619 }
        let hex = String(hash, radix: 16, uppercase: true)
        return "SBV" + String(repeating: "0", count: 8 - hex.count) + hex
    }
}
