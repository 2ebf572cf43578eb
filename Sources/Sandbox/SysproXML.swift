import ConnectorKit
import ENetXML
import Foundation

/// How e.net business objects answer (docs/vendors/syspro.md): a Windows-1252 declaration, a
/// root carrying language and version attributes, zero-padded counters, and validation
/// errors as the offending element echoed in lower case with Value/ErrorNumber/ErrorDescription.
enum SysproXML {
    static let rootAttributes = "Language='05' Language2='EN' CssStyle='' DecFormat='1' DateFormat='01' Role='01' Version='\(SeedData.sysproVersion)' OperatorPrimaryRole='   '"

    static func document(root: String, _ body: String) -> Reply {
        let text = "<?xml version=\"1.0\" encoding=\"Windows-1252\"?>\n<\(root) \(rootAttributes)>\n\(body)</\(root)>\n"
        return Reply(status: 200, headers: [("content-type", "text/xml; charset=windows-1252")], body: windows1252(text))
    }

    /// Latin-1 characters map to themselves; what Windows-1252 cannot hold becomes `?`,
    /// as SYSPRO stores it.
    static func windows1252(_ s: String) -> [UInt8] {
        s.unicodeScalars.map { u in
            u.value < 0x80 || (u.value >= 0xA0 && u.value <= 0xFF) ? UInt8(u.value) : UInt8(ascii: "?")
        }
    }

    static func error(_ element: String, value: String, number: Int, _ description: String) -> String {
        "<\(element.lowercased())><Value>\(XML.escape(value))</Value><ErrorNumber>\(number)</ErrorNumber><ErrorDescription>\(XML.escape(description))</ErrorDescription></\(element.lowercased())>\n"
    }

    static func pad(_ n: Int, _ width: Int = 6) -> String {
        let s = String(n)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    /// An item accepted with warnings counts under ItemsProcessedWithWarnings only.
    static func statusOfItems(processed: Int, invalid: Int, processedWithWarnings: Int = 0) -> String {
        "<StatusOfItems>\n<ItemsProcessed>\(pad(processed))</ItemsProcessed>\n<ItemsInvalid>\(pad(invalid))</ItemsInvalid>\n<ItemsRejectedWithWarnings>000000</ItemsRejectedWithWarnings>\n<ItemsProcessedWithWarnings>\(pad(processedWithWarnings))</ItemsProcessedWithWarnings>\n</StatusOfItems>\n"
    }

    /// SYSPRO quantities and prices print with their decimals, without exponent.
    static func number(_ d: Double) -> String {
        d == d.rounded() ? String(format: "%.3f", d) : String(format: "%.5f", d)
    }

    /// A sales order number as SYSPRO keys it: numeric input zero-padded to six places.
    static func salesOrderKey(_ s: String) -> String {
        let t = s.trimmed
        return Int(t).map { pad($0) } ?? t
    }
}
