#ifndef ML_COPENSSL_SHIM_H
#define ML_COPENSSL_SHIM_H
/* webhook-cgi runs once per request. OpenSSL 3's EVP layer builds its whole provider
   algorithm table on the first fetch (about 7 million instructions, more than the rest
   of a request), so the two primitives on that path use libcrypto's low-level AES,
   GCM and SHA functions directly: the same implementations, no provider machinery.
   They are deprecated in OpenSSL 3 (still exported). Random bytes come from the kernel
   (getrandom, Sources/CLinux), not RAND_bytes, which sits on EVP too. */
#define OPENSSL_SUPPRESS_DEPRECATED 1
#include <string.h>
#include <openssl/aes.h>
#include <openssl/crypto.h>
#include <openssl/modes.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

/* AES-256-GCM with a 12-byte nonce and 16-byte tag. encrypt: writes `tag`; decrypt:
   checks it. Returns 1 on success, 0 on failure (including a tag mismatch). */
static inline int ml_aes256gcm(int encrypt, const unsigned char *key, const unsigned char *nonce,
                               const unsigned char *aad, size_t aadlen,
                               const unsigned char *in, unsigned char *out, size_t len,
                               unsigned char *tag) {
    AES_KEY ks;
    if (AES_set_encrypt_key(key, 256, &ks) != 0) return 0;
    GCM128_CONTEXT *ctx = CRYPTO_gcm128_new(&ks, (block128_f)AES_encrypt);
    if (ctx == NULL) { OPENSSL_cleanse(&ks, sizeof ks); return 0; }
    CRYPTO_gcm128_setiv(ctx, nonce, 12);
    int ok = aadlen == 0 || CRYPTO_gcm128_aad(ctx, aad, aadlen) == 0;
    if (ok && len > 0)
        ok = (encrypt ? CRYPTO_gcm128_encrypt(ctx, in, out, len) : CRYPTO_gcm128_decrypt(ctx, in, out, len)) == 0;
    if (ok) {
        if (encrypt) CRYPTO_gcm128_tag(ctx, tag, 16);
        else ok = CRYPTO_gcm128_finish(ctx, tag, 16) == 0;
    }
    CRYPTO_gcm128_release(ctx);
    OPENSSL_cleanse(&ks, sizeof ks);
    return ok;
}

/* SHA-256; writes 32 bytes to `out`. For OAuth PKCE code challenges (RFC 7636 S256). */
static inline void ml_sha256(const unsigned char *msg, size_t msglen, unsigned char *out) {
    SHA256_CTX c;
    SHA256_Init(&c); SHA256_Update(&c, msg, msglen); SHA256_Final(out, &c);
}

/* HMAC-SHA256 (RFC 2104); writes 32 bytes to `out`. */
static inline void ml_hmac_sha256(const unsigned char *key, size_t keylen,
                                  const unsigned char *msg, size_t msglen, unsigned char *out) {
    unsigned char k[64] = {0}, pad[64], inner[32];
    SHA256_CTX c;
    if (keylen > 64) { SHA256_Init(&c); SHA256_Update(&c, key, keylen); SHA256_Final(k, &c); }
    else if (keylen > 0) memcpy(k, key, keylen);
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
    SHA256_Init(&c); SHA256_Update(&c, pad, 64); SHA256_Update(&c, msg, msglen); SHA256_Final(inner, &c);
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
    SHA256_Init(&c); SHA256_Update(&c, pad, 64); SHA256_Update(&c, inner, 32); SHA256_Final(out, &c);
    OPENSSL_cleanse(k, sizeof k);
    OPENSSL_cleanse(pad, sizeof pad);
}

/* HMAC-SHA1 (RFC 2104); writes 20 bytes to `out`. Only for verifying and producing
   Twilio's X-Twilio-Signature, which is defined on SHA-1. */
static inline void ml_hmac_sha1(const unsigned char *key, size_t keylen,
                                const unsigned char *msg, size_t msglen, unsigned char *out) {
    unsigned char k[64] = {0}, pad[64], inner[20];
    SHA_CTX c;
    if (keylen > 64) { SHA1_Init(&c); SHA1_Update(&c, key, keylen); SHA1_Final(k, &c); }
    else if (keylen > 0) memcpy(k, key, keylen);
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
    SHA1_Init(&c); SHA1_Update(&c, pad, 64); SHA1_Update(&c, msg, msglen); SHA1_Final(inner, &c);
    for (int i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
    SHA1_Init(&c); SHA1_Update(&c, pad, 64); SHA1_Update(&c, inner, 20); SHA1_Final(out, &c);
    OPENSSL_cleanse(k, sizeof k);
    OPENSSL_cleanse(pad, sizeof pad);
}
#endif
