import WebhookCore

/// FormURLEncoded.decode reads Twilio's callback bodies before their signature is checked:
/// on any bytes it returns pairs or throws, never traps or hangs, and a decoded pair holds
/// no more bytes than the body it came from.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzForm(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let pairs = try? FormURLEncoded.decode(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    let decoded = pairs.reduce(0) { $0 + $1.name.utf8.count + $1.value.utf8.count }
    if decoded > size { fatalError("form decoded to \(decoded) bytes from \(size)") }
    return 0
}
