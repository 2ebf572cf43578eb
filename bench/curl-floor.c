/* The floor of a pass that speaks HTTP, for bench/startup: a C program that opens Debian's
   libcurl and runs curl_global_init as ConnectorNet does (Sources/CCurl/shim.h, GnuTLS's
   implicit init skipped the same way), then exits. A job's network idle pass pays this
   before its first request; whatever it costs beyond is the job's own. */
#include <curl/curl.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

int main(void) {
    setenv("GNUTLS_NO_IMPLICIT_INIT", "1", 0);
    void *lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!lib) { fprintf(stderr, "curl-floor: %s\n", dlerror()); return 1; }
    CURLcode (*global_init)(long) = (CURLcode (*)(long))dlsym(lib, "curl_global_init");
    return global_init && global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : 1;
}
