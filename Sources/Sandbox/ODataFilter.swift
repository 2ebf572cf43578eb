import Foundation

/// `$filter` of OData 4.0, the subset the connector and a person at a browser need:
/// `eq ne gt ge lt le`, `and or not`, parentheses, `startswith/endswith/contains`, literals
/// 'text' ('' escapes a quote), numbers, true/false/null, dates, and `binary'BASE64'` or
/// `X'HEX'` for rowversions, compared as unsigned 64-bit numbers (docs/vendors/syspro.md, "TimeStamp is a rowversion").
indirect enum ODataExpr {
    case property(String)
    case literal(Cell)
    case bool(Bool)
    case compare(String, ODataExpr, ODataExpr)
    case and(ODataExpr, ODataExpr)
    case or(ODataExpr, ODataExpr)
    case not(ODataExpr)
    case call(String, [ODataExpr])
}

struct ODataQueryError: Error {
    let message: String
    /// OData's `error.code`; empty where the sandbox has no specific one.
    let code: String
    init(_ message: String, code: String = "") { self.message = message; self.code = code }
}

enum ODataFilter {
    // MARK: Lexer

    enum Token: Equatable {
        case ident(String), string(String), number(Double), binary(UInt64), date(String), lparen, rparen, comma
    }

    static func tokenize(_ text: String) throws -> [Token] {
        let s = Array(text.unicodeScalars)
        var i = 0
        var out: [Token] = []
        func isIdent(_ c: Unicode.Scalar) -> Bool { CharacterSet.alphanumerics.contains(c) || c == "_" || c == "." || c == "/" }
        func quoted() throws -> String {
            i += 1
            var v = ""
            while true {
                guard i < s.count else { throw ODataQueryError("Unterminated string literal in $filter") }
                if s[i] == "'" {
                    if i + 1 < s.count && s[i + 1] == "'" { v += "'"; i += 2; continue }
                    i += 1
                    return v
                }
                v.unicodeScalars.append(s[i]); i += 1
            }
        }
        while i < s.count {
            let c = s[i]
            if c == " " || c == "\t" { i += 1; continue }
            if c == "(" { out.append(.lparen); i += 1; continue }
            if c == ")" { out.append(.rparen); i += 1; continue }
            if c == "," { out.append(.comma); i += 1; continue }
            if c == "'" { out.append(.string(try quoted())); continue }
            let start = i
            while i < s.count && (isIdent(s[i]) || s[i] == "-" || s[i] == ":" || s[i] == "+") { i += 1 }
            let word = String(String.UnicodeScalarView(s[start..<i]))
            guard !word.isEmpty else { throw ODataQueryError("Syntax error at position \(i) in $filter") }
            if i < s.count && s[i] == "'" && ["binary", "x"].contains(word.lowercased()) {
                out.append(.binary(try rowversion(prefix: word.lowercased(), try quoted())))
                continue
            }
            if word.first!.isNumber || word.first == "-" {
                if let n = Double(word), !word.contains(":") {
                    out.append(.number(n))
                } else if let d = normalizeDate(word) {
                    out.append(.date(d))
                } else {
                    throw ODataQueryError("Syntax error: '\(word)' is not a valid literal")
                }
                continue
            }
            out.append(.ident(word))
        }
        return out
    }

    /// The unsigned value of a binary(8) rowversion literal.
    static func rowversion(prefix: String, _ literal: String) throws -> UInt64 {
        var bytes: [UInt8]
        if prefix == "x" {
            guard literal.count % 2 == 0, literal.count <= 16 else { throw ODataQueryError("Invalid hex literal X'\(literal)'") }
            bytes = []
            var idx = literal.startIndex
            while idx < literal.endIndex {
                let next = literal.index(idx, offsetBy: 2)
                guard let b = UInt8(literal[idx..<next], radix: 16) else { throw ODataQueryError("Invalid hex literal X'\(literal)'") }
                bytes.append(b)
                idx = next
            }
        } else {
            // OData binary literals are base64url; accept standard base64 too.
            var b64 = literal.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while b64.count % 4 != 0 { b64 += "=" }
            guard let d = Data(base64Encoded: b64), d.count <= 8 else { throw ODataQueryError("Invalid binary literal binary'\(literal)'") }
            bytes = Array(d)
        }
        return bytes.reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// `2026-08-01` or `2026-08-01T10:00:00Z` (fractions and offsets dropped to UTC seconds).
    static func normalizeDate(_ s: String) -> String? {
        if s.count == 10, (try? Date.ISO8601FormatStyle().year().month().day().parse(s)) != nil { return s + "T00:00:00Z" }
        for style in [Date.ISO8601FormatStyle(), Date.ISO8601FormatStyle(includingFractionalSeconds: true)] {
            if let d = try? style.parse(s) { return Date.ISO8601FormatStyle().format(d) }
        }
        return nil
    }

    // MARK: Parser

    static func parse(_ text: String) throws -> ODataExpr {
        var p = Parser(tokens: try tokenize(text))
        let e = try p.or()
        guard p.at >= p.tokens.count else { throw ODataQueryError("Syntax error: unexpected token after position \(p.at) in $filter") }
        return e
    }

    struct Parser {
        let tokens: [Token]
        var at = 0

        func peekWord() -> String? { if at < tokens.count, case .ident(let w) = tokens[at] { return w.lowercased() }; return nil }

        mutating func or() throws -> ODataExpr {
            var e = try and()
            while peekWord() == "or" { at += 1; e = .or(e, try and()) }
            return e
        }
        mutating func and() throws -> ODataExpr {
            var e = try unary()
            while peekWord() == "and" { at += 1; e = .and(e, try unary()) }
            return e
        }
        mutating func unary() throws -> ODataExpr {
            if peekWord() == "not" { at += 1; return .not(try unary()) }
            let left = try primary()
            if let op = peekWord(), ["eq", "ne", "gt", "ge", "lt", "le"].contains(op) {
                at += 1
                return .compare(op, left, try primary())
            }
            return left
        }
        mutating func primary() throws -> ODataExpr {
            guard at < tokens.count else { throw ODataQueryError("Syntax error: $filter ends unexpectedly") }
            let t = tokens[at]
            at += 1
            switch t {
            case .lparen:
                let e = try or()
                guard at < tokens.count, tokens[at] == .rparen else { throw ODataQueryError("Syntax error: ')' expected in $filter") }
                at += 1
                return e
            case .string(let s): return .literal(.string(s))
            case .number(let n): return .literal(.number(n))
            case .binary(let v): return .literal(.rowversion(v))
            case .date(let d): return .literal(.date(d))
            case .ident(let w):
                switch w.lowercased() {
                case "true": return .bool(true)
                case "false": return .bool(false)
                case "null": return .literal(.null)
                default: break
                }
                if at < tokens.count, tokens[at] == .lparen {
                    at += 1
                    var args: [ODataExpr] = []
                    if at < tokens.count, tokens[at] != .rparen {
                        args.append(try or())
                        while at < tokens.count, tokens[at] == .comma { at += 1; args.append(try or()) }
                    }
                    guard at < tokens.count, tokens[at] == .rparen else { throw ODataQueryError("Syntax error: ')' expected after arguments of \(w)") }
                    at += 1
                    return .call(w.lowercased(), args)
                }
                return .property(w)
            default:
                throw ODataQueryError("Syntax error: unexpected token in $filter")
            }
        }
    }

    // MARK: Type check and evaluation

    enum Kind { case string, number, date, binary, bool, null }

    static func kind(_ t: ColumnType) -> Kind {
        switch t {
        case .string: return .string
        case .decimal, .int: return .number
        case .date: return .date
        case .binary: return .binary
        }
    }

    /// Rejects unknown properties and incompatible comparisons before any row is read,
    /// as SYSPRO's OData service (ASP.NET OData) answers 400 for them even on an empty set.
    /// Without `binaryCompare`, an Edm.Binary operand may only be compared to null with
    /// `eq`/`ne` (docs/vendors/syspro.md, "OData binary comparisons").
    @discardableResult
    static func check(_ e: ODataExpr, _ table: Table, binaryCompare: Bool = true) throws -> Kind {
        switch e {
        case .property(let name):
            guard let c = table.column(name) else {
                throw ODataQueryError("Could not find a property named '\(name)' on type 'SYSPRO.\(table.name)'.")
            }
            return kind(c.type)
        case .literal(let cell):
            switch cell {
            case .null: return .null
            case .string: return .string
            case .number: return .number
            case .date: return .date
            case .rowversion: return .binary
            }
        case .bool: return .bool
        case .compare(let op, let l, let r):
            let (a, b) = (try check(l, table, binaryCompare: binaryCompare), try check(r, table, binaryCompare: binaryCompare))
            guard a == b || a == .null || b == .null else {
                throw ODataQueryError("A binary operator with incompatible types was detected. Found operand types '\(a)' and '\(b)' for operator kind '\(op)'.")
            }
            if !binaryCompare, a == .binary || b == .binary, !((op == "eq" || op == "ne") && (a == .null || b == .null)) {
                throw ODataQueryError("An Edm.Binary operand can only be compared to null with eq or ne, not with '\(op)' to a value.",
                                      code: "BinaryComparisonNotSupported")
            }
            return .bool
        case .and(let l, let r), .or(let l, let r):
            guard try check(l, table, binaryCompare: binaryCompare) == .bool, try check(r, table, binaryCompare: binaryCompare) == .bool else {
                throw ODataQueryError("The operands of 'and'/'or' must be Boolean expressions.")
            }
            return .bool
        case .not(let x):
            guard try check(x, table, binaryCompare: binaryCompare) == .bool else { throw ODataQueryError("The operand of 'not' must be a Boolean expression.") }
            return .bool
        case .call(let name, let args):
            guard ["startswith", "endswith", "contains"].contains(name) else {
                throw ODataQueryError("An unknown function with name '\(name)' was found.")
            }
            guard args.count == 2, try args.allSatisfy({ try check($0, table, binaryCompare: binaryCompare) == .string }) else {
                throw ODataQueryError("The function '\(name)' takes two string arguments.")
            }
            return .bool
        }
    }

    /// The expression with each property spelt as the table's column is (OData names are
    /// case-insensitive), so evaluating it is a dictionary lookup per row, not a search.
    static func canonical(_ e: ODataExpr, _ table: Table) -> ODataExpr {
        switch e {
        case .property(let name): return .property(table.column(name)?.name ?? name)
        case .literal, .bool: return e
        case .compare(let op, let l, let r): return .compare(op, canonical(l, table), canonical(r, table))
        case .and(let l, let r): return .and(canonical(l, table), canonical(r, table))
        case .or(let l, let r): return .or(canonical(l, table), canonical(r, table))
        case .not(let x): return .not(canonical(x, table))
        case .call(let name, let args): return .call(name, args.map { canonical($0, table) })
        }
    }

    static func matches(_ e: ODataExpr, _ row: Row) -> Bool {
        if case .bool(let b) = value(e, row) { return b }
        return false
    }

    private enum Value { case cell(Cell), bool(Bool) }

    private static func value(_ e: ODataExpr, _ row: Row) -> Value {
        switch e {
        case .property(let name):
            return .cell(row[name] ?? .null)
        case .literal(let c): return .cell(c)
        case .bool(let b): return .bool(b)
        case .and(let l, let r): return .bool(matches(l, row) && matches(r, row))
        case .or(let l, let r): return .bool(matches(l, row) || matches(r, row))
        case .not(let x): return .bool(!matches(x, row))
        case .call(let name, let args):
            guard case .cell(.string(let a)) = value(args[0], row), case .cell(.string(let b)) = value(args[1], row) else { return .bool(false) }
            switch name {
            case "startswith": return .bool(a.hasPrefix(b))
            case "endswith": return .bool(a.hasSuffix(b))
            default: return .bool(a.contains(b))
            }
        case .compare(let op, let l, let r):
            let (a, b) = (value(l, row), value(r, row))
            if case .bool(let x) = a, case .bool(let y) = b { return .bool(op == "eq" ? x == y : op == "ne" ? x != y : false) }
            guard case .cell(let x) = a, case .cell(let y) = b else { return .bool(false) }
            if x == .null || y == .null {
                return .bool(op == "eq" ? x == y : op == "ne" ? x != y : false)
            }
            guard let order = compare(x, y) else { return .bool(false) }
            switch op {
            case "eq": return .bool(order == .orderedSame)
            case "ne": return .bool(order != .orderedSame)
            case "gt": return .bool(order == .orderedDescending)
            case "ge": return .bool(order != .orderedAscending)
            case "lt": return .bool(order == .orderedAscending)
            default: return .bool(order != .orderedDescending)
            }
        }
    }

    /// Orders two cells of the same kind; nulls sort first (as SQL Server does ascending).
    static func compare(_ x: Cell, _ y: Cell) -> ComparisonResult? {
        func cmp<T: Comparable>(_ a: T, _ b: T) -> ComparisonResult { a < b ? .orderedAscending : a > b ? .orderedDescending : .orderedSame }
        switch (x, y) {
        case (.null, .null): return .orderedSame
        case (.null, _): return .orderedAscending
        case (_, .null): return .orderedDescending
        case (.string(let a), .string(let b)): return cmp(a, b)
        case (.number(let a), .number(let b)): return cmp(a, b)
        case (.date(let a), .date(let b)): return cmp(a, b)
        case (.rowversion(let a), .rowversion(let b)): return cmp(a, b)
        default: return nil
        }
    }
}
