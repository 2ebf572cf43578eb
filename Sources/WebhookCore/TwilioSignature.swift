/// Twilio's `X-Twilio-Signature` on status callbacks (api-notes, Twilio): base64 of
/// HMAC-SHA1 keyed with the account's auth token over the full public URL followed by every
/// POST parameter's name and value, in sorted name order (a repeated name's values sorted
/// too, as twilio-python's RequestValidator does). The URL must be the one Twilio
/// was given (config), not what nginx reports: behind a proxy the two differ.
public enum TwilioSignature {
    public static func expected(authToken: String, url: String, parameters: [(name: String, value: String)]) -> String {
        var message = Array(url.utf8)
        let sorted = parameters.sorted { a, b in
            a.name != b.name ? Array(a.name.utf8).lexicographicallyPrecedes(Array(b.name.utf8))
                             : Array(a.value.utf8).lexicographicallyPrecedes(Array(b.value.utf8))
        }
        for p in sorted {
            message += Array(p.name.utf8) + Array(p.value.utf8)
        }
        return Base64.encode(Crypto.hmacSHA1(key: Array(authToken.utf8), message: message))
    }

    /// Compared in constant time, so the answer leaks nothing about a near miss.
    public static func isValid(_ signature: String, authToken: String, url: String, parameters: [(name: String, value: String)]) -> Bool {
        Crypto.constantTimeEqual(Array(expected(authToken: authToken, url: url, parameters: parameters).utf8), Array(signature.utf8))
    }
}
