#!/usr/bin/env python3
"""The chaos half of bench/soak: for SECONDS, runs every job on a compressed cron cadence
against the sandbox while it injects faults, SIGKILLs jobs, starts jobs twice at once,
expires ShipBob access tokens, fills the spool's file system, makes activity in the
simulated systems and sends ShipBob webhooks through nginx + webhook-cgi (duplicated,
shuffled, forged, stale). Writes what it did to EXPECT (JSON) for
bench/soak-check.py; prints the counts.
Usage: soak-chaos.py BIN SANDBOX-URL WEBHOOK-URL SECONDS EXPECT   (env: ML_CONNECTOR_STATE/TENANT;
SOAK_SMALL_FS: a small file system, the ShipBob spool's, to fill now and then)"""
import base64, errno, json, os, random, signal, subprocess, sys, time, urllib.error, urllib.request

bin_dir, sandbox, hook_url, seconds, expect_path = sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]), sys.argv[5]
rng = random.Random(int(os.environ.get("SOAK_SEED", time.time_ns())))


def control(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(sandbox + path, data=data, method=method, headers={"content-type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.load(r)


def trimmed(v):
    return (v or "").strip() if isinstance(v, str) else v


# Compressed cron: each job's period in seconds (crontab/: every minute, hourly, 5 and 10 min).
CADENCE = {
    ("shipbob-to-syspro",): 1.0, ("shipbob-to-syspro", "--reconcile"): 8.0, ("poll-syspro-inventory",): 2.0,
    ("push-shipbob-inventory",): 2.0, ("inventory-variance",): 8.0, ("syspro-to-hubspot",): 3.0, ("po-alerts-twilio",): 2.0,
}
SKUS = ["TS-BLU-L", "TShirtBlueM", "TS-WHT-M"]  # stocked in FG; TShirtBlueM maps to TS-BLU-M

counts = {"events": 0, "faults": 0, "no-header 429": 0, "drops": 0, "drops after commit": 0, "token expiries": 0, "re-authorized": 0,
          "disk full": 0, "webhooks refused on a full disk": 0, "kills": 0, "runs": 0, "doubled": 0, "exit75": 0, "lock75": 0, "webhooks": 0}
expect = {"orders": {}, "po_approvals": [], "ap_posts": [], "forged_ids": [], "exits": {}, "crashes": [], "disk_full_refusals": [],
          "re_authorized": [], "wros": {}, "odd_exits": []}
running = []  # {p: Popen, args, killed: by us, started: time}
pending_hooks = []  # webhook deliveries held back to be sent shuffled
secret = control("GET", "/_control/credentials")["webhook_secret"]


def start(args):
    p = subprocess.Popen([os.path.join(bin_dir, args[0])] + list(args[1:]), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    entry = {"p": p, "args": args, "killed": False, "started": time.time()}
    running.append(entry)
    counts["runs"] += 1
    return entry


def authorize():
    """`ml-connector oauth shipbob` as a person runs it: the sandbox's consent page approves
    at once and redirects to the callback, whose URL is pasted back whole. The chaos's
    faults reach ShipBob's consent page and token endpoint too, and the tenant's disk may
    be full (SOAK_FULL_DISK=tenant): the person tries again, once there is space."""
    ml = os.path.join(bin_dir, "ml-connector")
    for attempt in range(20):
        try:
            out = subprocess.run([ml, "oauth", "shipbob", "--redirect-uri", sandbox + "/_control/credentials"],
                                 capture_output=True, text=True, check=True).stdout
            with urllib.request.urlopen(next(l for l in out.splitlines() if l.startswith("http")), timeout=30) as r:
                landed = r.geturl()
            subprocess.run([ml, "oauth", "shipbob", "--code", landed], capture_output=True, check=True)
            authorized[0] = time.time()
            return
        except (urllib.error.URLError, subprocess.CalledProcessError, OSError):
            if attempt == 19:
                raise
            time.sleep(1)
            disk.tick()


authorized = [0.0]  # when the current grant was authorized
kills = []  # when the soak sent SIGKILL, and to which job


def spent_grant(name, started, rc, err):
    """A job killed while ShipBob rotated its refresh token never saved the new one, and the
    old one is spent: every ShipBob job then exits 78 asking for `ml-connector oauth
    shipbob`, and a person does that. Counted, and recorded for the report."""
    if rc == 78 and "invalid_grant" in err:
        if started < authorized[0]:
            return True  # the grant it found spent was replaced while it ran
        # The kill that matters is of a job that refreshes ShipBob tokens; a slow fault keeps
        # a refresh in flight (and ShipBob still commits it) for up to 2.5 s after its client died.
        oauth = [k for k in kills if "shipbob" in k[1] or k[1].startswith("inventory-variance")]
        killed = f"; the last SIGKILL of a ShipBob job was {oauth[-1][1]}, {time.time() - oauth[-1][0]:.1f} s before" if oauth else \
            "; no ShipBob job had been killed"
        expect["re_authorized"].append(f"{name} exited 78 (invalid_grant){killed}")
        counts["re-authorized"] += 1
        authorize()
        return True
    return False


def reap():
    for e in [e for e in running if e["p"].poll() is not None]:
        running.remove(e)
        rc = e["p"].returncode
        err = e["p"].stderr.read().decode(errors="replace")
        e["p"].stderr.close()
        name = " ".join(e["args"])
        key = "SIGKILL (soak)" if e["killed"] and rc == -signal.SIGKILL else str(rc)
        expect["exits"].setdefault(name, {}).setdefault(key, 0)
        expect["exits"][name][key] += 1
        if rc in (70, 78) and "invalid_grant" not in err:  # a bug, or a configuration the soak never breaks
            expect["odd_exits"].append(f"{name} exited {rc}: {err.strip().splitlines()[-1] if err.strip() else '(nothing on stderr)'}")
        if rc == 75:
            counts["exit75"] += 1
            # LockBusy's message: the other copy (cron's, or a doubled start) holds the lock.
            counts["lock75"] += "another run holds" in err
        spent_grant(name, e["started"], rc, err)
        if rc < 0 and not e["killed"]:
            expect["crashes"].append(f"{name} died of signal {-rc}: {err[-400:]}")


def emit(topic, order_id, webhook_id=None, forged=False, stale=False, subject="--order-id", body=None):
    """One ShipBob webhook through nginx, as ml-sandbox emit sends it (about an order, or a
    receiving order with `subject` --wro-id; `body`: a payload taken when the event
    happened); returns the HTTP status."""
    key = "whsec_" + base64.b64encode(os.urandom(24)).decode() if forged else secret
    args = [os.path.join(bin_dir, "ml-sandbox"), "emit", "shipbob", topic, "--to", hook_url, "--secret", key,
            subject, str(order_id), "--sandbox", sandbox]
    if body is not None:
        args += ["--body-file", body]
    if webhook_id:
        args += ["--webhook-id", webhook_id]
    if stale:
        args += ["--timestamp", str(int(time.time()) - 3600)]
    r = subprocess.run(args, capture_output=True, text=True)
    counts["webhooks"] += 1
    return int((r.stdout.split() or ["0"])[0])


def new_order():
    sku = rng.choice(SKUS)
    o = control("POST", "/_control/shipbob/orders", {"channel": {"id": 55176}, "products": [{"sku": sku, "quantity": rng.randint(1, 3)}]})
    oid, shipment = o["id"], o["shipments"][0]["id"]
    tracking = f"1ZSOAK{oid}"
    control("POST", f"/_control/shipbob/orders/{oid}/shipments/{shipment}",
            {"status": "LabeledCreated", "tracking": {"carrier": "UPS", "tracking_number": tracking}})
    expect["orders"][str(oid)] = {"state": "shipped", "tracking": tracking, "shipment": shipment, "delivered": False}
    pending_hooks.append(("order_shipped", "--order-id", oid, f"msg_soak_{oid}_shipped"))
    if rng.random() < 0.3:  # a redelivery of the same webhook-id
        pending_hooks.append(("order_shipped", "--order-id", oid, f"msg_soak_{oid}_shipped"))


def deliver_order():
    shipped = [k for k, v in expect["orders"].items() if v["state"] == "shipped" and not v["delivered"]]
    if not shipped:
        return new_order()
    oid = rng.choice(shipped)
    o = expect["orders"][oid]
    control("POST", f"/_control/shipbob/orders/{oid}/shipments/{o['shipment']}", {"status": "Completed", "delivered": True})
    o["delivered"] = True
    pending_hooks.append(("order.shipment.delivered", "--order-id", int(oid), f"msg_soak_{oid}_delivered"))


def snapshot(oid, topic):
    """The payload ShipBob sends for `topic` as the order is now, kept in a file: a delivery
    held back and sent late must still say what was true when it happened, not what the
    order has become since (a late on-hold after the release, say)."""
    order = control("GET", f"/_control/shipbob/orders/{oid}")
    path = os.path.join(os.path.dirname(expect_path), f"payload-{oid}-{topic}.json")
    shipment_topic = topic.startswith("shipment_") or topic.startswith("order.shipment.")
    json.dump(order["shipments"][0] if shipment_topic else order, open(path, "w"))
    return path


def waiting_order():
    """An order ShipBob holds (stock, an address to check): the hold reaches SYSPRO as a
    suspended sales order (S). Later ShipBob releases and ships it, or it is cancelled, which
    cancels the sales order (\\). Webhooks of both generations, each payload as it was then."""
    held = [k for k, v in expect["orders"].items() if v["state"] == "on_hold"]
    if not held or rng.random() < 0.4:
        o = control("POST", "/_control/shipbob/orders", {"channel": {"id": 55176}, "products": [{"sku": rng.choice(SKUS), "quantity": 1}]})
        oid, shipment = o["id"], o["shipments"][0]["id"]
        control("POST", f"/_control/shipbob/orders/{oid}/shipments/{shipment}", {"status": "OnHold"})
        expect["orders"][str(oid)] = {"state": "on_hold", "tracking": None, "shipment": shipment, "delivered": False}
        topic = rng.choice(["order.shipment.on_hold", "shipment_onhold"])
        pending_hooks.append((topic, "--order-id", oid, f"msg_soak_{oid}_hold", snapshot(oid, topic)))
        return
    oid = rng.choice(held)
    o = expect["orders"][oid]
    if rng.random() < 0.6:
        o.update(state="shipped", tracking=f"1ZSOAK{oid}")
        control("POST", f"/_control/shipbob/orders/{oid}/shipments/{o['shipment']}",
                {"status": "LabeledCreated", "tracking": {"carrier": "UPS", "tracking_number": o["tracking"]}})
        topic, wid = "order_shipped", f"msg_soak_{oid}_shipped"
    else:
        o["state"] = "cancelled"
        control("POST", f"/_control/shipbob/orders/{oid}/shipments/{o['shipment']}", {"status": "Cancelled"})
        topic, wid = rng.choice(["order.shipment.cancelled", "shipment_cancelled"]), f"msg_soak_{oid}_cancelled"
    pending_hooks.append((topic, "--order-id", int(oid), wid, snapshot(oid, topic)))


def receiving_change():
    """A receiving order at fulfillment center 10 (SYSPRO's LA), then parts of it arriving:
    each arrival is a webhook that only names the WRO; once all is in it is Completed."""
    open_wros = [k for k, v in expect["wros"].items() if v["received"] < v["expected"]]
    if not open_wros or rng.random() < 0.3:
        expected = rng.randint(5, 40)
        w = control("POST", "/_control/shipbob/receiving", {"fulfillment_center_id": 10, "purchase_order_number": f"SOAK{counts['events']}",
                                                            "items": [{"sku": rng.choice(SKUS), "expected_quantity": expected}]})
        expect["wros"][str(w["id"])] = {"expected": expected, "received": 0, "arrivals": 0}
        return
    wid = rng.choice(open_wros)
    w = expect["wros"][wid]
    qty = rng.randint(1, w["expected"] - w["received"])
    sku = control("GET", f"/_control/shipbob/receiving/{wid}")["inventory_quantities"][0]["sku"]
    control("POST", f"/_control/shipbob/receiving/{wid}/receive", {"items": [{"sku": sku, "quantity": qty}], "stow": True})
    w["received"] += qty
    w["arrivals"] += 1
    topic = "receiving.completed" if w["received"] == w["expected"] else "receiving.updated"
    pending_hooks.append((topic, "--wro-id", int(wid), f"msg_soak_wro_{wid}_{w['arrivals']}"))


def bad_webhook():
    if not expect["orders"]:
        return new_order()
    oid = int(rng.choice(list(expect["orders"])))
    forged = rng.random() < 0.5
    wid = f"msg_soak_{'forged' if forged else 'stale'}_{len(expect['forged_ids'])}"
    at = int(time.time())
    status = emit("order_shipped", oid, wid, forged=forged, stale=not forged)
    expect["forged_ids"].append({"id": wid, "status": status, "disk_full": disk.full, "at": at})


def flush_hooks(everything=False):
    """Sends some held deliveries in random order: ShipBob guarantees no ordering."""
    rng.shuffle(pending_hooks)
    n = len(pending_hooks) if everything else rng.randint(0, len(pending_hooks))
    for topic, subject, oid, wid, *body in [pending_hooks.pop() for _ in range(n)]:
        status = emit(topic, oid, wid, subject=subject, body=(body or [None])[0])
        if disk.full and not 200 <= status < 300:
            counts["webhooks refused on a full disk"] += 1
            expect["disk_full_refusals"].append({"id": wid, "status": status})
        if not 200 <= status < 300:
            pending_hooks.append((topic, subject, oid, wid, *body))  # ShipBob retries what was not acknowledged


fg_codes = sorted({trimmed(r["StockCode"]) for r in control("GET", "/_control/syspro/tables/InvWarehouse") if trimmed(r["Warehouse"]) == "FG"})
customers = [trimmed(r["Customer"]) for r in control("GET", "/_control/syspro/tables/ArCustomer")]
invoices = [({k: trimmed(r[k]) for k in ("Customer", "Invoice", "DocumentType")}, r["InvoiceBal1"]) for r in control("GET", "/_control/syspro/tables/ArInvoice")]
# Purchase orders ready to print (status 1) to print as the soak goes (the seed has two).
control("POST", "/_control/twilio/generate", {"purchase_orders": 300})
awaiting = sorted(trimmed(r["PurchaseOrder"]) for r in control("GET", "/_control/syspro/tables/PorMasterHdr") if trimmed(r["OrderStatus"]) == "1")
# Registered supplier invoices to post (each posting is a new ApInvoice row), then new ones.
unposted_ap = [("TEXMFG", "TX-44188", None), ("FREIGHT", "LFS-30412", None)] + [("PACKCO", f"SOAK-{n:04d}", 100.0 + n) for n in range(40)]


def inventory_change():
    code = rng.choice(fg_codes)
    if rng.random() < 0.5:
        control("POST", "/_control/syspro/tables/InvMaster", [{"StockCode": code, "Description": f"{code} soak {counts['events']}"}])
    else:
        control("POST", "/_control/syspro/tables/InvWarehouse", [{"StockCode": code, "Warehouse": "FG", "QtyOnHand": rng.randint(0, 500)}])


def receivables_change():
    if rng.random() < 0.5:
        control("POST", "/_control/syspro/tables/ArCustomer", [{"Customer": rng.choice(customers), "Name": f"Soak Customer {counts['events']}"}])
    else:
        # Payments only: HubSpot's invoice lifecycle (draft, open, paid) has no way back from
        # paid, so a reversal that reopens a SYSPRO balance is not soaked (docs/testing.md, "Chaos soak").
        i = rng.randrange(len(invoices))
        key, balance = invoices[i]
        paid = round(rng.uniform(0, balance), 2) if rng.random() < 0.7 else balance
        invoices[i] = (key, round(balance - paid, 2))
        control("POST", "/_control/syspro/tables/ArInvoice", [dict(key, InvoiceBal1=invoices[i][1])])


def purchasing_change():
    if unposted_ap and rng.random() < 0.2:
        supplier, invoice, value = unposted_ap.pop()
        control("POST", "/_control/syspro/ap-post", {"supplier": supplier, "invoice": invoice} | ({"value": value} if value else {}))
        expect["ap_posts"].append(f"{supplier} {invoice}")
    elif awaiting:
        po = awaiting.pop(0)
        control("POST", "/_control/syspro/po-transition", {"purchase_order": po, "order_status": "4"})
        expect["po_approvals"].append(po)


def random_fault():
    service = rng.choice(["shipbob", "syspro", "odata", "hubspot", "twilio"])
    kinds = ["429", "5xx", "slow", "after-commit", "drop"] + (["expire"] if service == "syspro" else [])
    kind = rng.choice(kinds)
    f = {"service": service, "count": rng.randint(1, 4)}
    if service == "shipbob" and kind in ("after-commit", "drop"):
        # Not the token endpoint: a refresh ShipBob committed but whose answer was lost
        # leaves only a spent refresh token, and a person must authorize again (docs/testing.md, "Chaos soak").
        f["path_contains"] = "/shipbob/2026-07/"
    if kind == "429":
        # A retry header of 0 s, 1-2 s to honour, or none at all: then the client's own
        # backoff with jitter decides.
        f.update(status=429, retry_after=rng.choice([0, 1, 2]), retry_header=rng.random() < 0.6)
        counts["no-header 429"] += not f["retry_header"]
    elif kind == "5xx":
        f.update(status=rng.choice([500, 502, 503]), retry_after=rng.choice([0, 1]), retry_header=rng.random() < 0.6)
    elif kind == "slow":
        f.update(delay_ms=rng.randint(200, 2500))
    elif kind == "after-commit":
        # The vendor commits, then hangs and fails: the client cannot know it went through.
        f.update(status=rng.choice([500, 503]), delay_ms=rng.randint(100, 1500), delay_after_commit=True, count=1)
    elif kind == "drop":
        # The connection closes without an answer, before the vendor saw the request or
        # after it committed: the client sees the same broken exchange either way.
        after = rng.random() < 0.5
        f.update(drop=True, count=1, delay_after_commit=after, delay_ms=rng.randint(0, 800) if after else 0)
        counts["drops after commit" if after else "drops"] += 1
    else:
        f.update(expire_session=True, count=1)
    control("POST", "/_control/faults", f)
    counts["faults"] += 1


class Disk:
    """Fills the small file system with a ballast file for a few seconds, leaving nothing or
    one page free (so a write can also stop half way), then frees it: webhook-cgi must
    answer non-2xx meanwhile and leave no partial file, and the redeliveries then land."""
    def __init__(self, root):
        self.root, self.full, self.until = root, False, 0.0

    def tick(self):
        if not self.root:
            return
        if self.full and time.time() >= self.until:
            self.free()
        elif not self.full and (rng.random() < 0.03 or (counts["disk full"] == 0 and time.time() > halfway)):
            fd = os.open(os.path.join(self.root, "ballast"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            try:
                # The jobs write there meanwhile: what was free a moment ago may not be now.
                for _ in range(20):
                    st = os.statvfs(self.root)
                    spare = st.f_bavail * st.f_frsize - rng.choice([0, 4096])
                    try:
                        if spare > 0:
                            os.posix_fallocate(fd, 0, spare)
                        break
                    except OSError as e:
                        if e.errno != errno.ENOSPC:
                            raise
            finally:
                os.close(fd)
            self.full, self.until = True, time.time() + rng.uniform(2, 6)
            counts["disk full"] += 1

    def free(self):
        if self.full:
            os.unlink(os.path.join(self.root, "ballast"))
            self.full = False


disk = Disk(os.environ.get("SOAK_SMALL_FS"))


def kill_one():
    alive = [e for e in running if e["p"].poll() is None and not e["killed"]]
    if alive:
        e = rng.choice(alive)
        os.kill(e["p"].pid, signal.SIGKILL)
        e["killed"] = True
        kills.append((time.time(), " ".join(e["args"])))
        counts["kills"] += 1


def doubled():
    args = rng.choice(list(CADENCE))
    start(args)
    start(args)
    counts["doubled"] += 1


authorize()
# kmo's phone is off: Twilio reports each SMS to it undelivered (30003), and the job parks
# it for `ml-connector replay` with an attention item.
control("POST", "/_control/twilio/numbers", {"unreachable": ["+15555550101"]})
# The first po-alerts-twilio run learns what SYSPRO holds and texts nobody; approvals count from here.
subprocess.run([os.path.join(bin_dir, "po-alerts-twilio")], check=True, stderr=subprocess.DEVNULL)
ACTIVITY = [(new_order, 4), (deliver_order, 2), (waiting_order, 2), (bad_webhook, 1), (inventory_change, 3), (receivables_change, 3),
            (purchasing_change, 2), (receiving_change, 2)]
def expire_tokens():
    """Every ShipBob access token the tenant holds dies now, as after its hour: the next
    call gets a 401 and the job must refresh (rotating the refresh token) mid-run. Only
    tokens 10 s old or more: a real one never dies seconds after its grant, and a job
    whose fresh tokens die again and again rightly stops to ask for authorization."""
    # Counted only when a token died: the check then expects a refresh after it.
    if control("POST", "/_control/shipbob/expire-tokens", {"older_than_seconds": 10})["expired"] > 0:
        counts["token expiries"] += 1


CHAOS = [(random_fault, 0.5), (kill_one, 0.25), (doubled, 0.1), (lambda: control("POST", "/_control/syspro/expire-sessions"), 0.05),
         (expire_tokens, 0.08)]
last_run = {args: 0.0 for args in CADENCE}
end = time.time() + seconds
halfway = end - seconds / 2  # a short soak has its full disk by then at the latest
while time.time() < end:
    now = time.time()
    for args, period in CADENCE.items():
        if now - last_run[args] >= period:
            last_run[args] = now
            start(args)
    fn = rng.choices([a for a, _ in ACTIVITY], weights=[w for _, w in ACTIVITY])[0]
    fn()
    counts["events"] += 1
    for fn, p in CHAOS:
        if rng.random() < p:
            fn()
    disk.tick()
    if rng.random() < 0.5:
        flush_hooks()
    reap()
    time.sleep(0.2)

# Chaos off: no new faults, space again; ShipBob redelivers until every held webhook is acknowledged.
control("DELETE", "/_control/faults")
disk.free()
for e in running:
    e["p"].wait()
reap()
for _ in range(5):
    if pending_hooks:
        flush_hooks(everything=True)
expect["unacknowledged_webhooks"] = pending_hooks


def converge(args, attempts=12):
    """One cron tick after another until the job succeeds: a HubSpot 429 holds every process
    off for its 10-second window, and a post a kill cut short waits out the 15 s it may still
    be in flight, so a first try may still exit 75."""
    for i in range(attempts):
        started = time.time()
        r = subprocess.run([os.path.join(bin_dir, args[0])] + list(args[1:]), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if r.returncode == 0:
            return None
        if not spent_grant(" ".join(args), started, r.returncode, r.stderr):
            time.sleep(2)
    return f"{' '.join(args)} still exits {r.returncode} after {attempts} runs with faults off: {r.stderr[-400:]}"


def twilio_settled(timeout=30):
    """Every SMS at a final status and its callback for that status answered, so the next
    po-alerts-twilio run can record it."""
    def settled(m):
        return m["status"] in ("delivered", "undelivered", "failed") and (m.get("callbacks") or [{}])[-1].get("status") == m["status"]
    deadline = time.time() + timeout
    while time.time() < deadline and not all(settled(m) for m in control("GET", "/_control/twilio/messages")):
        time.sleep(0.5)


FINAL = [("shipbob-to-syspro", "--reconcile"), ("shipbob-to-syspro",), ("poll-syspro-inventory",), ("push-shipbob-inventory",),
         ("inventory-variance",), ("syspro-to-hubspot",), ("po-alerts-twilio",)]
expect["not_converged"] = [m for m in (converge(a) for a in FINAL) if m]
# The SMS the final pass sent report back; one more cron tick of po-alerts-twilio records them.
twilio_settled()
expect["not_converged"] += [m for m in [converge(("po-alerts-twilio",))] if m]
# kmo's phone works again, and a person replays every SMS parked as undelivered; the next
# runs send each once more, and the one after records Twilio's reports of them.
control("POST", "/_control/twilio/numbers", {"unreachable": []})
failed = os.path.join(os.environ["ML_CONNECTOR_STATE"], "tenants", os.environ["ML_CONNECTOR_TENANT"], "outbox", "twilio", "failed")
expect["replayed"] = len([n for n in os.listdir(failed) if not n.startswith(".")]) if os.path.isdir(failed) else 0
r = subprocess.run([os.path.join(bin_dir, "ml-connector"), "replay", "--source", "twilio"], capture_output=True, text=True)
if r.returncode != 0 and expect["replayed"]:
    expect["not_converged"].append(f"ml-connector replay --source twilio exited {r.returncode}: {r.stderr[-400:]}")
expect["not_converged"] += [m for m in [converge(("po-alerts-twilio",))] if m]
twilio_settled()
expect["not_converged"] += [m for m in [converge(("po-alerts-twilio",))] if m]
expect["counts"] = counts
json.dump(expect, open(expect_path, "w"), indent=1)
print("chaos: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
for name, exits in sorted(expect["exits"].items()):
    print(f"  {name:36s} " + ", ".join(f"exit {k}: {v}" for k, v in sorted(exits.items())))
