/* The baseline for bench/webhook: a CGI that reads its body and answers 200, doing
   nothing else. Whatever webhook-cgi costs beyond this is its own work. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(void) {
    const char *cl = getenv("CONTENT_LENGTH");
    long left = cl ? atol(cl) : 0;
    char buf[65536];
    while (left > 0) {
        ssize_t n = read(0, buf, left < (long)sizeof buf ? (size_t)left : sizeof buf);
        if (n <= 0) break;
        left -= n;
    }
    fputs("Status: 200 OK\r\nContent-Type: text/plain\r\n\r\naccepted\n", stdout);
    return 0;
}
