import COpenSSL
import CLinux
#if canImport(Glibc)
import Glibc
#endif

/// The few primitives the connector needs, from the system's libcrypto (OpenSSL 3):
/// HMAC for webhook signatures, AES-256-GCM for secrets at rest; the CSPRNG is the
/// kernel's. The shim
/// (Sources/COpenSSL/shim.h) says why these avoid the EVP provider layer.
public enum Crypto {
    /// SHA-256: OAuth PKCE's S256 code challenge (RFC 7636) is its base64url.
    public static func sha256(_ message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        message.withUnsafeBufferPointer { m in ml_sha256(m.baseAddress, m.count, &out) }
        return out
    }

    public static func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                ml_hmac_sha256(k.baseAddress, k.count, m.baseAddress, m.count, &out)
            }
        }
        return out
    }

    /// HMAC-SHA1: Twilio signs webhooks with it (X-Twilio-Signature, docs/vendors/twilio.md "Twilio").
    public static func hmacSHA1(key: [UInt8], message: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 20)
        key.withUnsafeBufferPointer { k in
            message.withUnsafeBufferPointer { m in
                ml_hmac_sha1(k.baseAddress, k.count, m.baseAddress, m.count, &out)
            }
        }
        return out
    }

    /// From the kernel (getrandom(2), CLinux): see the shim for why not RAND_bytes.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = out.withUnsafeMutableBytes { getrandom($0.baseAddress! + filled, UInt(count - filled), 0) }
            if n < 0 && errno == EINTR { continue }
            precondition(n > 0, "getrandom failed (errno \(errno))")
            filled += n
        }
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
        var out = [UInt8](repeating: 0, count: plaintext.count)
        var tag = [UInt8](repeating: 0, count: 16)
        let ok = out.withUnsafeMutableBufferPointer { o in
            ml_aes256gcm(1, key, nonce, aad, aad.count, plaintext, o.baseAddress, plaintext.count, &tag)
        }
        guard ok == 1 else { throw AEADError.failed }
        return nonce + out + tag
    }

    public static func open(_ sealed: [UInt8], key: [UInt8], aad: [UInt8]) throws -> [UInt8] {
        precondition(key.count == 32)
        guard sealed.count >= 28 else { throw AEADError.failed }
        let nonce = Array(sealed[0..<12])
        let body = Array(sealed[12..<(sealed.count - 16)])
        var tag = Array(sealed[(sealed.count - 16)...])
        var out = [UInt8](repeating: 0, count: body.count)
        let ok = out.withUnsafeMutableBufferPointer { o in
            ml_aes256gcm(0, key, nonce, aad, aad.count, body, o.baseAddress, body.count, &tag)
        }
        guard ok == 1 else { throw AEADError.failed }
        return out
    }
}
