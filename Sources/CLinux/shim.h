// Linux calls Swift's Glibc module leaves out (they need _GNU_SOURCE); libc has them.

// syncfs(2), Linux 2.6.39: commits one file system's dirty data and metadata in one call,
// so a batch of files is made durable by one journal commit instead of one per file.
int syncfs(int fd);

// getrandom(2), Linux 3.17: the kernel's CSPRNG in one call. webhook-cgi seals what it
// spools, so it needs a random nonce per request; libcrypto's RAND_bytes would first build
// OpenSSL 3's whole EVP provider table (about 8 million instructions, ten times the rest of
// a request).
long getrandom(void *buf, unsigned long buflen, unsigned int flags);

// mallopt(3) and its parameters (<malloc.h>, not in Swift's Glibc module): batch jobs keep
// the memory they free instead of handing it back to the kernel (ConnectorKit, Posix).
#include <malloc.h>
