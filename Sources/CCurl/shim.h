#ifndef ML_CCURL_SHIM_H
#define ML_CCURL_SHIM_H
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdlib.h>

/* libcurl is opened on a job's first request, not linked: loading it and the thirty
   libraries it brings (GnuTLS, Kerberos, LDAP, SSH, ...) costs a process about 450 page
   faults, 6 ms and 7 MB at start, which an idle pass that never speaks HTTP should not pay
   (docs/benchmarks.md, "Start-up"). Only the headers are used at build time. */
struct ml_curl {
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
};

/* Opens libcurl.so.4 and runs curl_global_init (not thread-safe: the caller runs this once,
   while the process has one thread). NULL, with the reason in *why, when the library or a
   symbol is missing.
   GnuTLS comes along only through librtmp, for rtmps:// which the connector never allows
   (CURLOPT_PROTOCOLS_STR http,https), yet its constructor initialises it at load, reading
   its and p11-kit's configuration: 2 ms and 0.7 MB of every pass that speaks HTTP. GnuTLS
   skips that when GNUTLS_NO_IMPLICIT_INIT=1 (gnutls_global_init(3)), set here for the load
   only, unless the environment already says otherwise. */
static inline const struct ml_curl *ml_curl_load(const char **why) {
    int quiet_gnutls = getenv("GNUTLS_NO_IMPLICIT_INIT") == NULL && setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0) == 0;
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (quiet_gnutls) unsetenv("GNUTLS_NO_IMPLICIT_INIT");
    if (!lib) { *why = dlerror(); return NULL; }
    struct ml_curl *c = calloc(1, sizeof *c);
    CURLcode (*global_init)(long) = (CURLcode (*)(long))dlsym(lib, "curl_global_init");
#define ML_CURL_SYM(field, name) *(void **)&c->field = dlsym(lib, name); if (!c->field) { *why = "libcurl.so.4 lacks " name; free(c); return NULL; }
    if (!c || !global_init) { *why = "libcurl.so.4 lacks curl_global_init"; free(c); return NULL; }
    ML_CURL_SYM(easy_init, "curl_easy_init")
    ML_CURL_SYM(easy_cleanup, "curl_easy_cleanup")
    ML_CURL_SYM(easy_reset, "curl_easy_reset")
    ML_CURL_SYM(easy_perform, "curl_easy_perform")
    ML_CURL_SYM(easy_setopt, "curl_easy_setopt")
    ML_CURL_SYM(easy_getinfo, "curl_easy_getinfo")
    ML_CURL_SYM(easy_strerror, "curl_easy_strerror")
    ML_CURL_SYM(slist_append, "curl_slist_append")
    ML_CURL_SYM(slist_free_all, "curl_slist_free_all")
#undef ML_CURL_SYM
    if (global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) { *why = "curl_global_init failed"; free(c); return NULL; }
    return c;
}

/* curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call: these
   typed wrappers make the variadic call from C. */
static inline CURLcode ml_curl_setopt_long(const struct ml_curl *c, CURL *h, CURLoption o, long v) { return c->easy_setopt(h, o, v); }
static inline CURLcode ml_curl_setopt_ptr(const struct ml_curl *c, CURL *h, CURLoption o, void *v) { return c->easy_setopt(h, o, v); }
static inline CURLcode ml_curl_setopt_str(const struct ml_curl *c, CURL *h, CURLoption o, const char *v) { return c->easy_setopt(h, o, v); }
static inline CURLcode ml_curl_setopt_off(const struct ml_curl *c, CURL *h, CURLoption o, curl_off_t v) { return c->easy_setopt(h, o, v); }
static inline CURLcode ml_curl_setopt_write(const struct ml_curl *c, CURL *h, CURLoption o, size_t (*f)(char *, size_t, size_t, void *)) { return c->easy_setopt(h, o, f); }
static inline CURLcode ml_curl_getinfo_long(const struct ml_curl *c, CURL *h, CURLINFO i, long *v) { return c->easy_getinfo(h, i, v); }
static inline CURLcode ml_curl_getinfo_off(const struct ml_curl *c, CURL *h, CURLINFO i, curl_off_t *v) { return c->easy_getinfo(h, i, v); }
#endif
