import COpenSSL

/// The few primitives the connector needs, from the system's libcrypto (OpenSSL 3):
/// HMAC for webhook signatures, AES-256-GCM for secrets at rest, a CSPRNG.
public enum Crypto {
    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        hmac(EVP_sha256(), key: key, message: message)
    }

    public static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        hmac(EVP_sha1(), key: key, message: message)
    }

    private static func hmac(_ md: OpaquePointer?, key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var len: UInt32 = 0
        key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                _ = HMAC(md, k.baseAddress, Int32(k.count),
                         m.baseAddress?.assumingMemoryBound(to: UInt8.self), m.count, &out, &len)
            }
        }
        return Array(out.prefix(Int(len)))
    }

    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        precondition(RAND_bytes(&out, Int32(count)) == 1, "libcrypto RAND_bytes failed")
        return out
    }

    /// Compares in time independent of where the inputs first differ.
    public static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in 0..<a.count { diff |= a[i] ^ b[i] }
        return diff == 0
    }

    public enum AEADError: Error { case failed }

    /// AES-256-GCM: returns nonce(12) || ciphertext || tag(16).
    public static func seal(_ plaintext: [UInt8], key: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        precondition(key.count == 32)
        let nonce = randomBytes(12)
        guard let ctx = EVP_CIPHER_CTX_new() else { throw AEADError.failed }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        var len: Int32 = 0, total: Int32 = 0
        guard EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1 else { throw AEADError.failed }
        if !aad.isEmpty { guard EVP_EncryptUpdate(ctx, nil, &len, aad, Int32(aad.count)) == 1 else { throw AEADError.failed } }
        guard EVP_EncryptUpdate(ctx, &out, &len, plaintext, Int32(plaintext.count)) == 1 else { throw AEADError.failed }
        total = len
        let ok = out.withUnsafeMutableBufferPointer { p in EVP_EncryptFinal_ex(ctx, p.baseAddress! + Int(total), &len) }
        guard ok == 1 else { throw AEADError.failed }
        total += len
        var tag = [UInt8](repeating: 0, count: 16)
        guard EVP_CIPHER_CTX_ctrl(ctx, 0x10 /* EVP_CTRL_AEAD_GET_TAG */, 16, &tag) == 1 else { throw AEADError.failed }
        return nonce + out.prefix(Int(total)) + tag
    }

    public static func open(_ sealed: [UInt8], key: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        precondition(key.count == 32)
        guard sealed.count >= 28 else { throw AEADError.failed }
        let nonce = Array(sealed[0..<12])
        let body = Array(sealed[12..<(sealed.count - 16)])
        var tag = Array(sealed[(sealed.count - 16)...])
        guard let ctx = EVP_CIPHER_CTX_new() else { throw AEADError.failed }
        defer { EVP_CIPHER_CTX_free(ctx) }
        var out = [UInt8](repeating: 0, count: body.count + 16)
        var len: Int32 = 0
        guard EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nil, key, nonce) == 1 else { throw AEADError.failed }
        if !aad.isEmpty { guard EVP_DecryptUpdate(ctx, nil, &len, aad, Int32(aad.count)) == 1 else { throw AEADError.failed } }
        guard EVP_DecryptUpdate(ctx, &out, &len, body, Int32(body.count)) == 1 else { throw AEADError.failed }
        let total = len
        guard EVP_CIPHER_CTX_ctrl(ctx, 0x11 /* EVP_CTRL_AEAD_SET_TAG */, 16, &tag) == 1 else { throw AEADError.failed }
        let ok = out.withUnsafeMutableBufferPointer { p in EVP_DecryptFinal_ex(ctx, p.baseAddress! + Int(total), &len) }
        guard ok == 1 else { throw AEADError.failed }
        return Array(out.prefix(Int(total + len)))
    }
}
