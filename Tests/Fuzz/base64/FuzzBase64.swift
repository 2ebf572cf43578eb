import WebhookCore

/// Base64.decode reads whsec_ secrets and sealed values: on any text it returns bytes or
/// nil, never traps; what it accepts is as long as its bytes' encoding (the unused bits of
/// a last quantum may differ: RFC 4648 3.5 lets a decoder accept those), and any bytes
/// survive encode then decode.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBase64(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let text = String(decoding: bytes, as: UTF8.self)
    if let decoded = Base64.decode(text), Base64.encode(decoded).utf8.count != text.utf8.count {
        fatalError("base64 \(text) decodes to \(decoded.count) bytes, which encode as \(Base64.encode(decoded))")
    }
    if Base64.decode(Base64.encode(bytes)) != bytes { fatalError("base64 round trip lost \(bytes)") }
    return 0
}
