import WebhookCore

/// Both signature checks on arbitrary inputs: no crash, and never valid for a signature this
/// harness did not compute. Input: a flag byte, then NUL-separated fields (secret, id,
/// timestamp, signature header, body for Standard Webhooks; auth token, URL, signature,
/// form body for Twilio). Flag bit 0 appends the true signature, so the fuzzer also walks
/// the accepting path (and must still be accepted: a rejection of it is a bug too).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVerifiers(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let flag = bytes.first else { return 0 }
    let fields = bytes.dropFirst().split(separator: 0, omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    func field(_ i: Int) -> String { i < fields.count ? fields[i] : "" }
    let sign = flag & 1 == 1
    if flag & 2 == 0 {
        standardWebhooks(secret: field(0), id: field(1), timestamp: field(2), header: field(3), body: Array(field(4).utf8), sign: sign)
    } else {
        twilio(authToken: field(0), url: field(1), signature: field(2), form: Array(field(3).utf8), sign: sign)
    }
    return 0
}

let now: Int64 = 1_700_000_000

func standardWebhooks(secret: String, id: String, timestamp: String, header: String, body: [UInt8], sign: Bool) {
    guard let verifier = try? StandardWebhooks(secret: secret) else { return }
    var header = header
    if sign, let ts = Int64(timestamp) { header += " " + verifier.signature(id: id, timestamp: ts, body: body) }
    let verdict = Result { try verifier.verify(id: id, timestamp: timestamp, signature: header, body: body, now: now) }
    guard case .success = verdict else {
        // The harness's own signature over a fresh, well-formed delivery must pass.
        if sign, !id.isEmpty, timestamp.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let ts = Int64(timestamp), abs(ts - now) <= verifier.tolerance {
            fatalError("Standard Webhooks refused the true signature: \(verdict)")
        }
        return
    }
    if !sign { fatalError("Standard Webhooks accepted a signature the harness did not compute: \(header)") }
}

func twilio(authToken: String, url: String, signature: String, form: [UInt8], sign: Bool) {
    let parameters = (try? FormURLEncoded.decode(form)) ?? []
    // Like Twilio's own validator, the check tries the URL's forms with and without its port,
    // not the text as given: the harness signs one of those forms, and a URL without any
    // (not an absolute http(s) URL) accepts no signature at all.
    let signedURL = sign ? TwilioSignature.urlForms(url).first : nil
    let signature = signedURL.map { TwilioSignature.expected(authToken: authToken, url: $0, parameters: parameters) } ?? signature
    let valid = TwilioSignature.isValid(signature, authToken: authToken, url: url, parameters: parameters)
    if signedURL != nil && !valid { fatalError("X-Twilio-Signature refused its own signature") }
    if signedURL == nil && valid { fatalError("X-Twilio-Signature accepted a signature the harness did not compute: \(signature)") }
}
