#!/usr/bin/env python3
"""bench/measure.py CMD...: runs CMD, prints "wall_s cpu_s peak_rss_mb exit" on stderr's last
line (stdout of CMD passes through). CPU is user+system of CMD and its children."""
import resource, subprocess, sys, time
start = time.monotonic()
status = subprocess.call(sys.argv[1:])
wall = time.monotonic() - start
ru = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"{wall:.2f} {ru.ru_utime + ru.ru_stime:.2f} {ru.ru_maxrss / 1024:.1f} {status}", file=sys.stderr)
