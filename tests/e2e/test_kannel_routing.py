"""Issue 20, item 4: one routing table for modems and Kannel bearers. A
gateway with the dummy modem (a Telkomsel SIM) and a Kannel bearer marked
bulk = yes, through the real Debian bearerbox, smsbox and fakesmsc: replies
stay on the modem, broadcasts go to Kannel first and to the modem while
smsbox does not answer, and status, /status and /metrics show each bearer's
day."""

import json
import os
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Suite, check, check_eq, free_port, http_get, wait_until  # noqa: E402
from kannel_site import KannelGateway, KannelSite, available  # noqa: E402

TSEL = "+6281234560001"      # on the modem's operator
ISAT = "+6285712340002"      # on another
gw = site = None
admin = None


def contacts(numbers):
    path = os.path.join(gw.dir, "contacts-%s.csv" % numbers[0].lstrip("+"))
    with open(path, "w") as f:
        f.write("number,name,role,desa\n")
        for i, n in enumerate(numbers):
            f.write("%s,Pendamping %d,pendamping,3322012005\n" % (n, i))
    gw.cli("contacts", "import", path)


def bearer_of(number, purpose):
    return gw.sql("SELECT modem FROM outbox WHERE number = '%s' AND purpose = '%s'"
                  " AND state IN ('sent','delivered','accepted')" % (number, purpose))


def test_replies_stay_on_the_modem():
    # on-net, and off-net too: the bulk bearer is the replies' last choice
    for n in (TSEL, ISAT):
        gw.inject(n, "INFO")
        wait_until("reply to %s sent" % n, lambda: bearer_of(n, "reply"))
        check_eq(bearer_of(n, "reply"), "gammu", "reply to %s" % n)
    check_eq([g for g in site.got() if g[1] in (TSEL, ISAT)], [], "nothing via Kannel")


def test_broadcast_goes_to_the_bulk_bearer():
    numbers = ["+628135555%04d" % i for i in range(20)] + [TSEL]
    contacts(numbers)
    gw.cli("broadcast", "PENDAMPING", "Musyawarah desa Kamis jam 9")
    wait_until("broadcast at fakesmsc", lambda: len({g[1] for g in site.got()
                                                     if g[1] in numbers}) == len(numbers))
    rows = gw.sql("SELECT modem, COUNT(*) FROM outbox WHERE purpose = 'broadcast'"
                  " GROUP BY modem").splitlines()
    # even the Telkomsel number: a broadcast is the bulk bearer's first
    check_eq(rows, ["kannel|%d" % len(numbers)], "every broadcast row on kannel")


def status_rows():
    doc = json.loads(gw.cli("status", "--format", "json").stdout)
    return {m["name"]: m for m in doc["modems"]}


def test_bulk_bearer_down_broadcast_takes_the_modem():
    site.stop_smsbox()
    numbers = ["+628135556%04d" % i for i in range(5)]
    contacts(numbers)
    gw.cli("broadcast", "PENDAMPING@3322012005", "Rapat ditunda ke Jumat")
    wait_until("kannel down", lambda: status_rows()["kannel"]["state"] == "down", timeout=30)
    wait_until("sent through the modem", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE text LIKE 'Rapat ditunda%%' AND modem = 'gammu'"
        " AND state IN ('sent','delivered')") == str(len(numbers) + 21), timeout=60)
    # the probe sees smsbox back without a row spent on asking
    site.start_smsbox()
    wait_until("kannel up again", lambda: status_rows()["kannel"]["state"] == "up", timeout=20)
    gw.cli("broadcast", "PENDAMPING@3322012005", "Terima kasih")
    wait_until("Kannel takes broadcasts again", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE text = 'Terima kasih' AND modem = 'kannel'"
        " AND state IN ('accepted','sent','delivered')") == str(len(numbers) + 21), timeout=30)


def test_status_and_metrics_show_each_bearer():
    rows = status_rows()
    check(set(rows) >= {"gammu", "kannel"}, rows.keys())
    k = rows["kannel"]
    check(k["sent_today"] >= 21 and k["failed_today"] >= 1, k)
    check_eq(k["model"], "kannel bulk", "model")
    check(k["held"] >= 0 and rows["gammu"]["sent_today"] >= 2, rows["gammu"])
    table = gw.cli("status").stdout
    check("FAIL" in table and "HELD" in table, table)
    code, body = http_get(admin, "/metrics")
    check_eq(code, 200, "/metrics")
    for name in ("kannel", "gammu"):
        for g in ("sent_today", "failed_today", "held"):
            check('kentongan_bearer_%s{bearer="%s"}' % (g, name) in body, (g, name))


def main():
    global gw, site, admin
    s = Suite("e2e-kannel-routing")
    if not available():
        print("note: kannel and kannel-extras are not installed (make deps): skipped")
        s.finish()
    admin = free_port()
    gw = KannelGateway("kannel-routing",
                       extra_kentongan="send_retry_base = 1",
                       extra_kannel="bulk = yes\n[admin]\nlisten = 127.0.0.1:%d\n" % admin,
                       extra_gammu="operator = telkomsel\n")
    site = KannelSite(gw)
    try:
        site.start()
        gw.start()
        for t in (test_replies_stay_on_the_modem, test_broadcast_goes_to_the_bulk_bearer,
                  test_bulk_bearer_down_broadcast_takes_the_modem,
                  test_status_and_metrics_show_each_bearer):
            s.run(t)
    finally:
        site.stop()
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
