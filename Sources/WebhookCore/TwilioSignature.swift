/// Twilio's `X-Twilio-Signature` on status callbacks (docs/vendors/twilio.md, "Request
/// signature (X-Twilio-Signature)"): base64 of an HMAC keyed with the account's auth token
/// (or, under a Webhook Setting, its SharedKey secret) over the full URL followed by each
/// POST parameter's name and value, names sorted and each name's distinct values sorted,
/// a repeated value signed once. Accepted exactly when twilio-python's RequestValidator
/// accepts it: over the URL without its port or with it (the default one added when it has
/// none), as Twilio does not sign the port consistently. The URL must be the one Twilio
/// was given (config), not what nginx reports: behind a proxy the two differ.
public enum TwilioSignature {
    /// The HMAC a request is signed with: SHA-1 unless `X-Twilio-Webhooks-Signature-Settings`
    /// names another (docs/vendors/twilio.md, "Webhook Settings signatures (HMAC-SHA256)").
    public enum Algorithm: String, Sendable, CaseIterable {
        case hmacSHA1 = "HMAC_SHA1", hmacSHA256 = "HMAC_SHA256"

        /// The algorithm a settings header names: `key=<id>,algorithm=<name>`, parts split at
        /// commas, names compared case-insensitively; no header or no `algorithm=` part is
        /// SHA-1; nil for an algorithm this code does not know (the request is refused).
        public static func named(bySettings header: String?) -> Algorithm? {
            for part in (header ?? "").split(separator: ",", omittingEmptySubsequences: false) {
                guard let eq = part.firstIndex(of: "=") else { continue }
                let name = trim(part[..<eq]), value = trim(part[part.index(after: eq)...])
                if name == "algorithm" && !value.isEmpty { return Algorithm(rawValue: value.uppercased()) }
            }
            return .hmacSHA1
        }

        private static func trim(_ s: Substring) -> String {
            String(s.drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
        }
    }

    public static func expected(authToken: String, url: String, parameters: [(name: String, value: String)],
                                algorithm: Algorithm = .hmacSHA1) -> String {
        var message = Array(url.utf8)
        let sorted = parameters.map { (name: Array($0.name.utf8), value: Array($0.value.utf8)) }.sorted { a, b in
            a.name != b.name ? a.name.lexicographicallyPrecedes(b.name) : a.value.lexicographicallyPrecedes(b.value)
        }
        var previous: (name: [UInt8], value: [UInt8])?
        for p in sorted where previous.map({ $0.name != p.name || $0.value != p.value }) ?? true {
            message += p.name + p.value
            previous = p
        }
        let key = Array(authToken.utf8)
        switch algorithm {
        case .hmacSHA1: return Base64.encode(Crypto.hmacSHA1(key: key, message: message))
        case .hmacSHA256: return Base64.encode(Crypto.hmacSHA256(key: key, message: message))
        }
    }

    /// Compared in constant time against each form of the URL, so the answer leaks nothing
    /// about a near miss.
    public static func isValid(_ signature: String, authToken: String, url: String, parameters: [(name: String, value: String)],
                               algorithm: Algorithm = .hmacSHA1) -> Bool {
        var valid = false
        for candidate in urlForms(url) {
            valid = Crypto.constantTimeEqual(Array(expected(authToken: authToken, url: candidate, parameters: parameters, algorithm: algorithm).utf8),
                                             Array(signature.utf8)) || valid
        }
        return valid
    }

    /// The two URLs a signature may cover: without a port (any port removed) and with one
    /// (the URL's own, or 443 for https and 80 otherwise added), as RequestValidator
    /// computes them. One of the two is always the URL as given.
    public static func urlForms(_ url: String) -> [String] {
        guard let colonSlashSlash = url.indices.first(where: { url[$0...].hasPrefix("://") }) else { return [url] }
        let authorityStart = url.index(colonSlashSlash, offsetBy: 3)
        let authorityEnd = url[authorityStart...].firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? url.endIndex
        let authority = url[authorityStart..<authorityEnd]
        let hostStart = authority.lastIndex(of: "@").map { authority.index(after: $0) } ?? authority.startIndex
        let host = authority[hostStart...]
        // The port's colon: the last one, outside an IPv6 literal's brackets.
        let colon = host.lastIndex(of: ":").flatMap { c in host.firstIndex(of: "]").map { $0 < c ? c : nil } ?? c }
        let head = url[..<authorityStart], tail = url[authorityEnd...]
        if let colon, colon != host.index(before: host.endIndex) {
            return [String(head + authority[..<colon] + tail), url]
        }
        let bare = colon.map { String(head + authority[..<$0] + tail) } ?? url
        let port = url.lowercased().hasPrefix("https://") ? "443" : "80"
        let bareAuthority = colon.map { authority[..<$0] } ?? authority
        return [bare, String(head + bareAuthority + ":" + port + tail)]
    }
}
