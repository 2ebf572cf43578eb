#!/usr/bin/env python3
"""The invariant half of bench/soak: compares the simulated systems (through the sandbox's
/_control API) and the tenant's state with what soak-chaos.py did (EXPECT), after the final
pass. Prints each invariant with its count and every violation; exits 1 on any.
The HubSpot check is HubSpotEndToEndTests.assertHubSpotMatchesSyspro's, the SMS one
AlertsEndToEndTests' once-per-transition-and-person.
Usage: soak-check.py SANDBOX-URL EXPECT   (env: ML_CONNECTOR_STATE, ML_CONNECTOR_TENANT)"""
import json, os, re, sys, time, urllib.parse, urllib.request
from collections import Counter

sandbox, expect = sys.argv[1], json.load(open(sys.argv[2]))
tenant_dir = os.path.join(os.environ["ML_CONNECTOR_STATE"], "tenants", os.environ["ML_CONNECTOR_TENANT"])
violations = []
PHONES = {"kmo": "+15555550101", "rlt": "+15555550102", "apdesk": "+15555550103"}  # Init.demoPhones
SKU_OF = {"TS-BLU-M": "TShirtBlueM"}  # the demo's mappings.sku_stock_codes
# The order lifecycle (docs/vendors/syspro.md): a shipped order gets one dispatch note per
# shipment, which completes it in the sandbox once nothing is left open (9); on hold
# suspends it (SORTOS S); cancelled goes through SORTOX, which leaves `\` and CancelledFlag Y.
STATUS_OF = {"shipped": "9", "on_hold": "S", "cancelled": "\\"}


def get(path, headers=None):
    with urllib.request.urlopen(urllib.request.Request(sandbox + path, headers=headers or {}), timeout=60) as r:
        return json.load(r)


def text(v):
    return v.strip() if isinstance(v, str) else ("" if v is None else str(v))


def number(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return float("nan")


def check(ok, message):
    if not ok:
        violations.append(message)
    return ok


def report(name, n):
    print(f"  {name:66s} {n:6d} checked")


def orders():
    so = {}
    for o in get("/_control/syspro/sales-orders"):
        so.setdefault(text(o["CustomerPoNumber"]), []).append(o)
    notes = {}
    for n in get("/_control/syspro/tables/MdnMaster"):
        notes.setdefault(text(n["SalesOrder"]), []).append(n)
    for oid, e in expect["orders"].items():
        found = so.get(f"SB{oid}", [])
        if not check(len(found) == 1, f"ShipBob order {oid}: {len(found)} SYSPRO sales orders, expected exactly 1"):
            continue
        o = found[0]
        status = STATUS_OF[e["state"]]
        check(text(o["OrderStatus"]) == status, f"ShipBob order {oid}: SYSPRO status {text(o['OrderStatus'])!r}, {e['state']} means {status}")
        refs = Counter(text(n.get("SpecialInstrs")) for n in notes.get(text(o["SalesOrder"]), []))
        check(all(c == 1 for c in refs.values()), f"ShipBob order {oid}: a shipment dispatched twice ({dict(refs)})")
        if e["state"] == "shipped":
            check(len(refs) >= 1, f"ShipBob order {oid}: shipped, but SYSPRO has no dispatch note")
        if e["state"] == "cancelled":
            check(text(o.get("CancelledFlag")) == "Y" and not refs, f"ShipBob order {oid}: cancelled, but CancelledFlag is {text(o.get('CancelledFlag'))!r} with {len(refs)} dispatch notes")
        if e["tracking"]:
            check(e["tracking"] in text(o.get("SpecialInstrs")), f"ShipBob order {oid}: tracking {e['tracking']} not in {text(o.get('SpecialInstrs'))!r}")
        if e["delivered"]:
            check("Dlv" in text(o.get("ShippingInstrs")), f"ShipBob order {oid}: delivered, but SYSPRO says {text(o.get('ShippingInstrs'))!r}")
    states = Counter(e["state"] for e in expect["orders"].values())
    report("ShipBob orders -> one sales order, one dispatch note per shipment, status of the last state "
           f"({', '.join(f'{n} {s}' for s, n in sorted(states.items()))})", len(expect["orders"]))


def receipts():
    """Every receiving order the soak created: what ShipBob received is in SYSPRO's LA as
    receipts, each post once (distinct references), and a completed one is marked synced."""
    moves = {}
    for m in get("/_control/syspro/tables/InvMovements"):
        ref = text(m.get("Reference"))
        if ref.startswith("WRO") and text(m.get("TrnType")) == "R":
            moves.setdefault(ref.split("-", 1)[0][3:], []).append(m)
    for wid, w in expect["wros"].items():
        rows = moves.get(wid, [])
        refs = [text(r["Reference"]) for r in rows]
        check(len(refs) == len(set(refs)), f"WRO {wid}: a receipt posted twice: {sorted(refs)}")
        total = sum(number(r["TrnQty"]) for r in rows)
        check(total == w["received"], f"WRO {wid}: SYSPRO received {total}, ShipBob {w['received']}")
        check(all(text(r["Warehouse"]) == "LA" for r in rows), f"WRO {wid}: receipts into {sorted({text(r['Warehouse']) for r in rows})}, not LA")
        if w["received"] == w["expected"]:
            wro = get(f"/_control/shipbob/receiving/{wid}")
            check(wro.get("external_sync_timestamp") is not None, f"WRO {wid}: completed and received, yet not marked synced in ShipBob")
    report("ShipBob receiving orders -> SYSPRO receipts exactly once, synced", len(expect["wros"]))


def products():
    table = lambda n: get("/_control/syspro/tables/" + n)
    fg = sorted({text(r["StockCode"]) for r in table("InvWarehouse") if text(r["Warehouse"]) == "FG"})
    items = {text(r["StockCode"]): r for r in table("InvMaster")}
    prices = {text(r["StockCode"]): number(r["SellingPrice"]) for r in table("InvPrice") if text(r.get("PriceCode")) == "A"}
    token = get("/_control/credentials")["shipbob"]["pat"]  # the checker's own; the tenant has none
    for code in fg:
        sku = SKU_OF.get(code, code)
        page = get("/shipbob/2026-07/product?sku=" + urllib.parse.quote(sku), {"authorization": "Bearer " + token})
        variants = [v for p in page["items"] for v in p["variants"] if v.get("sku") == sku]
        if not check(len(variants) == 1, f"stock code {code}: {len(variants)} ShipBob products with SKU {sku}, expected 1"):
            continue
        v = variants[0]
        want = text(items[code].get("Description"))
        check(text(v.get("name")) == want, f"stock code {code}: ShipBob name {v.get('name')!r}, SYSPRO {want!r}")
        if code in prices:
            value = number((v.get("customs") or {}).get("value"))
            check(value == prices[code], f"stock code {code}: ShipBob value {value}, SYSPRO price A {prices[code]}")
    report("selected SYSPRO stock codes -> one ShipBob product, name, value", len(fg))


def levels():
    """ShipBob is master for every mapped warehouse (bench/soak's config): after the final
    inventory-variance, SYSPRO's QtyOnHand of each item in a warehouse equals ShipBob's
    on-hand at the fulfillment center mapped to it. Nothing is in flight by then: every
    receipt is posted and every shipped order's sales order is complete."""
    mapped = json.load(open(os.path.join(tenant_dir, "config.json")))["mappings"]["location_warehouses"]
    code_of = {sku: code for code, sku in SKU_OF.items()}
    syspro = {(text(r["Warehouse"]), text(r["StockCode"])): number(r["QtyOnHand"]) for r in get("/_control/syspro/tables/InvWarehouse")}
    token = get("/_control/credentials")["shipbob"]["pat"]
    url, compared = "/shipbob/2026-07/inventory-level/locations?PageSize=250", 0
    while url:
        page = get(url, {"authorization": "Bearer " + token})
        for item in page["items"]:
            code = code_of.get(item["sku"], item["sku"])
            for loc in item["locations"]:
                warehouse = mapped.get(str(loc["location_id"]))
                if warehouse is None or (warehouse, code) not in syspro:
                    continue  # an unmapped center, or one side only: an attention item, not a level
                compared += 1
                check(syspro[(warehouse, code)] == loc["on_hand_quantity"],
                      f"{code} in {warehouse}: SYSPRO on hand {syspro[(warehouse, code)]:g}, ShipBob {loc['on_hand_quantity']} at {loc['name']}")
        url = page["next"] and page["next"].removeprefix(sandbox)
    check(compared > 0, "inventory: no ShipBob level at a mapped center has a SYSPRO warehouse row to compare with")
    adjustments = Counter((text(m.get("Reference")), text(m.get("Warehouse")), text(m.get("StockCode")))
                          for m in get("/_control/syspro/tables/InvMovements") if text(m.get("Reference")).startswith("SBV"))
    for (ref, warehouse, code), n in adjustments.items():
        check(n == 1, f"{code} in {warehouse}: INVTMA adjustment {ref} posted {n} times")
    report(f"ShipBob on-hand per mapped center = SYSPRO QtyOnHand; {len(adjustments)} adjustments, each once", compared)


def hubspot():
    table = lambda n: get("/_control/syspro/tables/" + n)
    objects = lambda t: get("/_control/hubspot/objects/" + t)
    prop = lambda o, n: (o.get("properties") or {}).get(n)
    linked = lambda o, t: (o.get("associations") or {}).get(t) or []
    customers, invoices, details = table("ArCustomer"), table("ArInvoice"), table("ArTrnDetail")
    companies, contacts, hs_invoices, line_items = objects("companies"), objects("contacts"), objects("invoices"), objects("line_items")
    check(len(companies) == len(customers), f"HubSpot: {len(companies)} companies for {len(customers)} SYSPRO customers")
    by_code = Counter(prop(c, "syspro_customer_code") for c in companies)
    for code in {text(c["Customer"]) for c in customers}:
        check(by_code[code] == 1, f"HubSpot: {by_code[code]} companies for SYSPRO customer {code}")
    names = {prop(c, "syspro_customer_code"): prop(c, "name") for c in companies}
    for c in customers:
        check(names.get(text(c["Customer"])) == text(c["Name"]), f"HubSpot: company {text(c['Customer'])} is named {names.get(text(c['Customer']))!r}, SYSPRO {text(c['Name'])!r}")

    def usable(e):
        return "@" in e and "." in e.split("@")[-1] and " " not in e
    with_email = [c for c in customers if usable(text(c.get("Email")))]
    emails = {text(c["Email"]).lower() for c in with_email}
    check(len(contacts) == len(emails), f"HubSpot: {len(contacts)} contacts for {len(emails)} usable SYSPRO emails")
    check(len(hs_invoices) == len(invoices), f"HubSpot: {len(hs_invoices)} invoices for {len(invoices)} SYSPRO invoices")
    check(len(line_items) == len(details), f"HubSpot: {len(line_items)} line items for {len(details)} SYSPRO lines")
    company_id = {prop(c, "syspro_customer_code"): c["id"] for c in companies}
    by_key = {}
    for h in hs_invoices:
        by_key.setdefault(prop(h, "syspro_invoice_key"), []).append(h)
    for inv in invoices:
        key = f"{text(inv['Customer'])}-{text(inv['Invoice'])}-{text(inv['DocumentType'])}"
        found = by_key.get(key, [])
        if not check(len(found) == 1, f"HubSpot: {len(found)} invoices for SYSPRO invoice {key}"):
            continue
        h = found[0]
        check(number(prop(h, "syspro_open_balance")) == number(inv["InvoiceBal1"]),
              f"HubSpot invoice {key}: open balance {prop(h, 'syspro_open_balance')}, SYSPRO {inv['InvoiceBal1']}")
        check(number(prop(h, "syspro_invoice_amount")) == number(inv["CurrencyValue"]),
              f"HubSpot invoice {key}: amount {prop(h, 'syspro_invoice_amount')}, SYSPRO {inv['CurrencyValue']}")
        lines = [d for d in details if text(d["Invoice"]) == text(inv["Invoice"])]
        check(len(linked(h, "line_items")) == len(lines), f"HubSpot invoice {key}: {len(linked(h, 'line_items'))} line items, SYSPRO {len(lines)}")
        check(linked(h, "companies") == [company_id.get(text(inv["Customer"]), "?")], f"HubSpot invoice {key}: companies {linked(h, 'companies')}")
        has_contact = any(text(c["Customer"]) == text(inv["Customer"]) for c in with_email)
        check(len(linked(h, "contacts")) == (1 if has_contact else 0), f"HubSpot invoice {key}: {len(linked(h, 'contacts'))} contacts")
        status = "draft" if not has_contact or not lines else "paid" if number(inv["InvoiceBal1"]) == 0 else "open"
        check(prop(h, "hs_invoice_status") == status, f"HubSpot invoice {key}: status {prop(h, 'hs_invoice_status')}, expected {status}")
    report("SYSPRO customers, invoices -> one HubSpot record each, associated", len(customers) + len(invoices))


def sms():
    """Exactly one SMS delivered per due alert and person. The only other SMS allowed is the
    first try to kmo, whose phone was off (undelivered), replayed once it was back."""
    messages = get("/_control/twilio/messages")
    delivered = Counter((m["to"], m["body"]) for m in messages if m["status"] == "delivered")
    others = Counter((m["to"], m["body"]) for m in messages if m["status"] != "delivered")
    for (to, body), n in delivered.items():
        check(n == 1, f"Twilio: {n} identical SMS delivered to {to}: {body!r}")
    for (to, body), n in others.items():
        check(to == PHONES["kmo"] and n == 1, f"Twilio: {n} SMS to {to} not delivered: {body!r}")
        check(delivered[(to, body)] == 1, f"Twilio: an SMS to {to} was undelivered and never delivered after the replay: {body!r}")
    # The demo's po-printed rule (a PO going from ready to print, 1, to printed, 4).
    due = [(PHONES[p], f"PO {po} printed for") for po in expect["po_approvals"] for p in ("kmo", "rlt")]
    due += [(PHONES["apdesk"], f"AP invoice {ap.split(' ', 1)[1]} from") for ap in expect["ap_posts"]]
    for to, prefix in due:
        n = sum(c for (t, b), c in delivered.items() if t == to and b.startswith(prefix))
        check(n == 1, f"Twilio: {n} SMS delivered to {to} starting {prefix!r}, expected exactly 1")
    total = sum(delivered.values())
    check(total == len(due), f"Twilio: {total} SMS delivered, {len(due)} due ({len(expect['po_approvals'])} approvals x 2 + {len(expect['ap_posts'])} AP posts x 1)")
    check(sum(others.values()) == expect["replayed"], f"Twilio: {sum(others.values())} SMS undelivered, {expect['replayed']} parked ones replayed")
    report(f"due alerts x recipients -> exactly one SMS delivered each ({expect['replayed']} after a replay)", len(due))


def sms_status():
    """What po-alerts-twilio recorded of each SMS is Twilio's status, every status callback
    having been answered 2xx. Recorded: the status its sms line carries (a message found
    by a lookup after an unclear answer comes with the status Twilio had then), moved on
    by each delivery line (one per step forward)."""
    recorded = {}
    for a in audit_lines():
        if a.get("action") == "sms" and a.get("target"):
            recorded[a["target"]] = (a.get("detail") or {}).get("status")
        elif a.get("action") == "delivery" and a.get("target"):
            recorded[a["target"]] = a.get("outcome")
    outbox_id = {a["target"]: (a.get("detail") or {}).get("outbox_id") for a in audit_lines() if a.get("action") == "sms" and a.get("target")}
    messages = get("/_control/twilio/messages")
    delivered_items = {outbox_id.get(m["sid"]) for m in messages if m["status"] == "delivered"}
    for m in messages:
        if m["status"] == "undelivered":
            # Parked, then replayed: its outbox item went out again and was delivered, and the
            # replay took its attention item away.
            oid = outbox_id.get(m["sid"])
            check(oid in delivered_items, f"Twilio: SMS {m['sid']} undelivered, and its outbox item {oid} was not delivered after the replay")
            check(not os.path.exists(os.path.join(tenant_dir, "attention", f"twilio-{oid}.json")), f"Twilio: {oid} was replayed and delivered, yet its attention item is still there")
        for c in m.get("callbacks") or []:
            check(200 <= (c.get("http_status") or 0) < 300, f"Twilio: the {c.get('status')} callback for {m['sid']} was answered {c.get('http_status')} ({c.get('error')})")
        check(recorded.get(m["sid"]) == m["status"], f"Twilio: SMS {m['sid']} is {m['status']}, the tenant recorded {recorded.get(m['sid'])!r}")
    failed = os.path.join(tenant_dir, "outbox", "twilio", "failed")
    left = [n for n in os.listdir(failed) if not n.startswith(".")] if os.path.isdir(failed) else []
    check(not left, f"Twilio: still parked after the replay: {left}")
    report("SMS -> status recorded as Twilio's; undelivered ones parked, replayed", len(messages))


def audit_lines():
    lines = []
    # Day files only: audit/.refusals is webhook-cgi's refusal budget, not audit lines.
    for f in sorted(x for x in os.listdir(os.path.join(tenant_dir, "audit")) if x.endswith(".jsonl")):
        lines += [json.loads(l) for l in open(os.path.join(tenant_dir, "audit", f)) if l.strip()]
    return lines


def webhooks():
    audit = audit_lines()
    refused = {a.get("id") for a in audit if a.get("outcome") == "refused"}
    # webhook-cgi writes at most 20 refusal lines a minute per tenant and counts the rest
    # (SECURITY.md): a refusal without its line is fine in a minute that used them all.
    per_minute = Counter(a["ts"][:16] for a in audit if a.get("outcome") == "refused" and "ts" in a)

    def over_budget(f):
        if "at" not in f:
            return False
        minutes = [time.strftime("%Y-%m-%dT%H:%M", time.gmtime(f["at"] + d)) for d in (0, 60)]
        return any(per_minute[m] >= 20 for m in minutes)
    kept = set()
    for root, dirs, files in os.walk(tenant_dir):
        if os.path.basename(root) != "audit":
            kept.update(files)
    for f in expect["forged_ids"]:
        check(not 200 <= f["status"] < 300, f"webhook {f['id']} (forged or stale) was answered {f['status']}")
        # An audit on a full disk (SOAK_FULL_DISK=tenant) cannot take the refusal's line.
        check(f["id"] in refused or over_budget(f) or (os.environ.get("SOAK_FULL_DISK") == "tenant" and f.get("disk_full")),
              f"webhook {f['id']} (forged or stale) has no refusal in the audit")
        check(not any(f["id"] in name for name in kept), f"webhook {f['id']} (forged or stale) was kept in the state directory")
    check(not expect["unacknowledged_webhooks"], f"webhooks never acknowledged: {expect['unacknowledged_webhooks']}")
    report("forged/stale webhooks refused, audited, never spooled", len(expect["forged_ids"]))


def full_disk():
    """While the spool's file system was full, webhook-cgi answered non-2xx, audited each
    as deferred, and left no partial file: nothing of a soak webhook in tmp/, and every
    file in the queue a whole envelope."""
    deferred = {(a.get("id"), (a.get("detail") or {}).get("status")) for a in audit_lines() if a.get("outcome") == "deferred"}
    # With the whole tenant on the full disk the audit is full too: its deferred line may
    # not fit (webhook-cgi then says so on stderr, in nginx's log), the 5xx must still come.
    audit_on_full_disk = os.environ.get("SOAK_FULL_DISK") == "tenant"
    for r in expect["disk_full_refusals"]:
        check(500 <= r["status"] < 600, f"webhook {r['id']} on a full disk was answered {r['status']}, not a 5xx ShipBob retries")
        check(audit_on_full_disk or (r["id"], str(r["status"])) in deferred, f"webhook {r['id']} refused on a full disk has no deferred line in the audit")
    spool = os.path.join(tenant_dir, "spool", "shipbob")
    for name in os.listdir(os.path.join(spool, "tmp")):
        check(not name.startswith("msg_soak"), f"spool/shipbob/tmp/{name}: a webhook's partial file was left behind")
    whole = 0
    for state in ("new", "cur", "done", "failed"):
        d = os.path.join(spool, state)
        for name in os.listdir(d) if os.path.isdir(d) else []:
            try:
                envelope = json.load(open(os.path.join(d, name)))
                check(envelope.get("id") == name and envelope.get("sealed_body"), f"spool/shipbob/{state}/{name}: not a whole envelope")
            except ValueError as e:
                check(False, f"spool/shipbob/{state}/{name}: torn ({e})")
            whole += 1
    report("webhooks on a full disk deferred (5xx, audited); spool files whole", len(expect["disk_full_refusals"]) + whole)


# The sandbox's JWT header (every access token starts with it) and its 64-hex refresh tokens.
CLEAR_TOKEN = re.compile(rb"eyJhbGciOiJSUzI1NiIsInR5cCI6ImF0K2p3dCJ9|\b[0-9A-F]{64}\b")


def oauth():
    """The tenant ran on ShipBob OAuth, refreshed after every expiry, and never wrote a
    token in clear anywhere in its state."""
    refreshes = [r for r in get("/_control/requests?service=shipbob") if r["path"].endswith("/connect/token")]
    check(any(r["status"] == 200 for r in refreshes), "ShipBob: no OAuth token refresh succeeded; is the tenant on OAuth?")
    check(expect["counts"]["token expiries"] == 0 or len(refreshes) > 1, "ShipBob: access tokens expired, yet nothing was refreshed")
    files = 0
    for root, dirs, names in os.walk(os.environ["ML_CONNECTOR_STATE"]):
        for name in names:
            path = os.path.join(root, name)
            if os.path.isfile(path) and CLEAR_TOKEN.search(open(path, "rb").read()):
                violations.append(f"{os.path.relpath(path, os.environ['ML_CONNECTOR_STATE'])} holds a ShipBob token in clear")
            files += 1
    print(f"  ShipBob token requests: {len(refreshes)} ({sum(r['status'] == 200 for r in refreshes)} answered 200)")
    for r in expect["re_authorized"]:
        print(f"  re-authorized after: {r}")
    report("state files without a ShipBob token in clear", files)


def runs():
    for c in expect["crashes"]:
        violations.append("crash: " + c)
    for m in expect["odd_exits"]:
        violations.append("exit: " + m)
    for m in expect["not_converged"]:
        violations.append("final pass: " + m)
    report("job runs without a crash, 70 or 78; final pass converged", expect["counts"]["runs"])


print("invariants:")
for f in (runs, orders, receipts, levels, products, hubspot, sms, sms_status, webhooks, full_disk, oauth):
    f()
for v in violations:
    print("VIOLATION " + v)
print(f"violations: {len(violations)}")
sys.exit(1 if violations else 0)
