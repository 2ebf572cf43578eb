import WebhookCore

/// JSONValue.parse reads every vendor answer (SYSPRO OData, ShipBob, HubSpot, Twilio) and
/// the tenant's own files: on any bytes it returns a value or throws, never traps or hangs;
/// the accessors the vendor models read through hold on whatever it returned.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let value = try? JSONValue.parse(Array(UnsafeBufferPointer(start: data, count: size))) else { return 0 }
    visit(value)
    return 0
}

func visit(_ v: JSONValue) {
    _ = (v.string, v.double, v.int64, v.isNull, v["id"])
    switch v {
    case .array(let a): a.forEach(visit)
    case .object(let o): o.values.forEach(visit)
    default: break
    }
}
