// Linux calls Swift's Glibc module leaves out (they need _GNU_SOURCE); libc has them.

// syncfs(2), Linux 2.6.39: commits one file system's dirty data and metadata in one call,
// so a batch of files is made durable by one journal commit instead of one per file.
int syncfs(int fd);
