import ENetXML
import Foundation

/// ENetXML's reader takes every SYSPRO e.net answer (UTF-8 or Windows-1252): on any
/// bytes it returns a tree or throws, never traps or hangs, and the lookups the SYSPRO
/// client reads answers with hold on that tree.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let root = try? XML.parse(Data(bytes: data, count: size)) else { return 0 }
    _ = (root.value("SalesOrder"), root.all("ErrorDescription").count, root.first("item")?.trimmedText)
    return 0
}
