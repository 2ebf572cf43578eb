#!/usr/bin/env python3
"""Writes N pre-signed ShipBob webhook deliveries for wrk, one per line:
webhook-id<TAB>webhook-timestamp<TAB>webhook-signature. Standard Webhooks signing:
base64(HMAC-SHA256(base64decode(secret after whsec_), id.timestamp.body))."""
import base64, hashlib, hmac, sys, time

secret, count, body = sys.argv[1], int(sys.argv[2]), sys.argv[3].encode()
key = base64.b64decode(secret.split("_", 1)[1])
ts = str(int(time.time()))
out = sys.stdout
for i in range(count):
    mid = f"msg_bench_{ts}_{i}"
    sig = base64.b64encode(hmac.new(key, f"{mid}.{ts}.".encode() + body, hashlib.sha256).digest()).decode()
    out.write(f"{mid}\t{ts}\tv1,{sig}\n")
