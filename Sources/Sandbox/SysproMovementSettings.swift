import ConnectorKit
import WebhookCore

/// How the sandbox's INVTMR/INVTMA behave where the public evidence leaves a choice
/// (docs/vendors/syspro.md, "INVTMR and INVTMA answers" and "INVTMR and INVTMA documents:
/// bins and lots"). Set with `PUT /_control/syspro/movement-settings`
/// `{"answer_shape": "full"|"portor", "multi_bin_warehouses": ["FG"], "lot_traceable_stock_codes": ["JN-SLM-IND-32"]}`
/// (each key optional); `GET` answers the current settings.
struct SysproMovementSettings: Sendable, Equatable {
    enum AnswerShape: String, Sendable, CaseIterable {
        /// Each posted item echoes its Journal and JournalEntry, plus StatusOfItems.
        case full
        /// As a recorded PORTOR answer: `<Item><Key>...</Key><ItemNumber>`, neither a journal
        /// nor StatusOfItems. The stricter default: the connector must then look the
        /// Reference up in InvMovements.
        case portor
    }

    var answerShape: AnswerShape = .portor
    /// Warehouses using multiple bins: a movement without a bin is refused.
    var multiBinWarehouses: Set<String> = []
    /// Lot-traceable stock codes (InvMaster.TraceableType T in SYSPRO): a movement without a lot is refused.
    var lotTraceableStockCodes: Set<String> = []

    var json: JSONValue {
        ["answer_shape": .string(answerShape.rawValue),
         "multi_bin_warehouses": .array(multiBinWarehouses.sorted().map { .string($0) }),
         "lot_traceable_stock_codes": .array(lotTraceableStockCodes.sorted().map { .string($0) })]
    }

    mutating func update(_ j: JSONValue) throws {
        if let shape = j["answer_shape"] {
            guard let s = shape.string.flatMap(AnswerShape.init(rawValue:)) else {
                throw ControlError("answer_shape must be one of \(AnswerShape.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            answerShape = s
        }
        func codes(_ key: String) throws -> Set<String>? {
            guard let v = j[key] else { return nil }
            guard let a = v.array?.compactMap(\.string), a.count == v.array?.count else { throw ControlError("\(key) must be a list of strings") }
            return Set(a.map { $0.uppercased() })
        }
        if let w = try codes("multi_bin_warehouses") { multiBinWarehouses = w }
        if let c = try codes("lot_traceable_stock_codes") { lotTraceableStockCodes = c }
    }
}

extension Control {
    func movementSettingsRoute(_ req: SandboxRequest, _ p: [String], _ w: inout World) throws -> Reply? {
        guard p == ["syspro", "movement-settings"] else { return nil }
        switch req.method {
        case "GET": return .json(w.movementSettings.json)
        case "PUT":
            try w.movementSettings.update(try body(req))
            return .json(w.movementSettings.json)
        default: return nil
        }
    }
}
