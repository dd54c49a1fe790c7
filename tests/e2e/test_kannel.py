"""Issue 20: Kannel as a bearer, with the real Debian bearerbox, smsbox and
fakesmsc (tests/e2e/kannel_site.py) and a gateway with no modem."""

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Suite, check, check_eq, http_get, wait_until  # noqa: E402
from kannel_site import PASSWORD, SECRET, KannelGateway, KannelSite, available  # noqa: E402

WARGA = "+6285722220002"
SHORT = "1234"

gw = site = None


def stored(number):
    return int(gw.sql("SELECT COUNT(*) FROM sms_in WHERE number = '%s'" % number) or 0)


def test_mo_stored_once_and_processed():
    site.mo(WARGA, SHORT, "ADUAN#Suka Maju#Jembatan di dusun 2 rusak")
    rec = wait_until("ADUAN record", lambda: [r for r in gw.export("records")
                                              if r["kind"] == "aduan"])
    check(rec[0]["tiket"].startswith("ADU-"), rec[0]["tiket"])
    rows = gw.sql("SELECT modem, coding, length(kannel_id) FROM sms_in WHERE number = '%s'"
                  % WARGA).splitlines()
    check_eq(rows, ["kannel|gsm7|36"], "one sms_in row with Kannel's id")
    got = wait_until("the reply at fakesmsc", lambda: [g for g in site.got() if g[1] == WARGA])
    check_eq(len(got), 1, "one reply")
    check(got[0][2] == "text" and rec[0]["tiket"] in got[0][3].replace("+", " "), got)
    wait_until("delivered (the fake SMSC's report)", lambda: gw.sql(
        "SELECT state || ' ' || modem FROM outbox WHERE number = '%s'" % WARGA)
        == "delivered kannel")


def test_ucs2_broadcast_arrives_as_ucs2():
    n = "+6281355550001"
    gw.add_contacts([n])
    gw.cli("broadcast", "PENDAMPING", "Rapat besok jam 9 😀 ñ")
    got = wait_until("the broadcast at fakesmsc", lambda: [g for g in site.got() if g[1] == n])
    check_eq(got[0][2], "ucs-2", "type")
    text = bytes.fromhex(urllib.parse.unquote_to_bytes(got[0][3].replace("+", "%20")).hex()) \
        .decode("utf-16-be")
    check("😀 ñ" in text, text)


def test_mo_ucs2_text():
    site.mo("+6281299990001", SHORT, "HALO 😀 ñ", ucs2=True)
    wait_until("UCS-2 MO stored", lambda: stored("+6281299990001") == 1)
    check_eq(gw.sql("SELECT text FROM sms_in WHERE number = '+6281299990001'"),
             "HALO 😀 ñ", "text as UTF-8 (mo-recode)")


def test_same_id_twice_stored_once():
    q = "key=%s&id=retry-1&from=%%2B6281299990002&to=1234&time=1764750000&text=HALO" % SECRET
    check_eq(gw.mo_get(q), (200, ""), "first")
    check_eq(gw.mo_get(q), (200, ""), "asked again")
    check_eq(stored("+6281299990002"), 1, "stored once")


def test_wrong_or_missing_key_401():
    for q in ("key=wrong-secret-0000000000&id=x1&from=1&text=x", "id=x2&from=1&text=x",
              "key=%s%%00x&id=x3&from=1&text=x" % SECRET):
        check_eq(gw.mo_get(q)[0], 401, q)
    check_eq(gw.sql("SELECT COUNT(*) FROM sms_in WHERE kannel_id LIKE 'x%'"), "0", "nothing stored")
    check_eq(http_get(gw.listen_port, "/kannel/other?key=" + SECRET)[0], 404, "other path")


def test_dlr_unknown_id_ignored_and_logged():
    check_eq(http_get(gw.listen_port, "/kannel/dlr?key=%s&id=987654&status=1" % SECRET),
             (200, ""), "answered 200 (Kannel would ask again)")
    wait_until("logged", lambda: "delivery report 1 for unknown outbox 987654 ignored"
               in gw.read_log())


def strace_sockets(out):
    """strace on the gateway's threads: its connects, socket options and
    writes (the first bytes of each)."""
    if shutil.which("strace") is None:
        raise AssertionError("strace is not installed (make deps)")
    p = subprocess.Popen(["strace", "-f", "-qq", "-s", "32", "-o", out, "-e",
                          "trace=connect,setsockopt,getsockopt,writev",
                          "-p", str(gw.proc.pid)], stderr=subprocess.DEVNULL)
    wait_until("strace attached", lambda: os.path.exists(out) and os.path.getsize(out) > 0
               or "TracerPid:\t%d" % p.pid in open("/proc/%d/status" % gw.proc.pid).read())
    return p


def calls_without_nodelay(path, port):
    """(sendsms calls written on a socket that had no TCP_NODELAY since its
    connect, connects to port that failed)."""
    fresh, bare, refused = {}, 0, 0
    for line in open(path, errors="replace"):
        m = re.search(r"(connect|setsockopt|getsockopt|writev)\((\d+), (.*)", line)
        if not m:
            continue
        call, fd, rest = m.group(1), int(m.group(2)), m.group(3)
        if call == "connect" and "htons(%d)" % port in rest:
            fresh[fd] = False
            refused += "ECONNREFUSED" in rest
        elif call == "getsockopt" and "SO_ERROR" in rest and "ECONNREFUSED" in rest:
            refused += fd in fresh
        elif call == "setsockopt" and "TCP_NODELAY, [1]" in rest and fd in fresh:
            fresh[fd] = True
        elif call == "writev" and "GET /cgi-bin/sendsms?" in rest and fd in fresh:
            bare += not fresh[fd]
    return bare, refused


def test_smsbox_stopped_while_sending():
    numbers = ["+628135555100%d" % i for i in range(6)]
    gw.add_contacts(numbers)
    # a link whose connect failed gets TCP_NODELAY on its next socket
    # (libevent calls no close callback for a connect that failed)
    trace = os.path.join(gw.dir, "smsbox-stopped.strace")
    tracer = strace_sockets(trace)
    site.stop_smsbox()
    gw.cli("broadcast", "PENDAMPING", "Info uji")
    # it waits for smsbox, as for a modem that is down: queued again, its
    # try given back, so a long smsbox restart kills no SMS
    wait_until("a send unanswered waits for smsbox", lambda: int(gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE state = 'queued' AND tries = 0 AND "
        "error_class = 'local' AND last_error LIKE 'Kannel: no answer%'")) >= 1)
    check_eq(gw.sql("SELECT COUNT(*) FROM outbox WHERE number LIKE '+628135555100%' "
                    "AND state IN ('failed', 'dead')"), "0", "none failed for it")
    row = bearer_status()
    check(row["state"] == "down" and "no answer" in row["last_error"], row)
    site.start_smsbox()
    wait_until("every one delivered", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE number LIKE '+628135555100%' AND state = 'delivered'")
        == "6", timeout=60)
    # the fake SMSC reports delivery as it hands a message over: its log
    # line may come a moment later
    wait_until("all 6 at fakesmsc", lambda: len(
        {g[1] for g in site.got() if g[1].startswith("+628135555100")}) == 6)
    got = [g[1] for g in site.got() if g[1].startswith("+628135555100")]
    check_eq(sorted(got), numbers, "each arrived once")
    tracer.send_signal(signal.SIGINT)
    tracer.wait(timeout=30)
    bare, refused = calls_without_nodelay(trace, site.sendsms_port)
    check(refused >= 1, "a connect to smsbox refused while it was down")
    check_eq(bare, 0, "sendsms calls on a socket without TCP_NODELAY")


def bearer_status():
    import json
    doc = json.loads(gw.cli("status", "--format", "json").stdout)
    rows = [m for m in doc["modems"] if m["name"] == "kannel"]
    return rows[0] if rows else None


def test_status_shows_the_bearer():
    row = bearer_status()
    check(row is not None, "no kannel row in status")
    check_eq(row["state"], "up", "state")
    check(row["sent_today"] >= 8 and row["received_today"] >= 3, row)


def test_refused_password_and_too_many_parts():
    keys = gw.sections["kannel"]
    gw.stop()
    keys["password"], keys["max_parts"] = "not-the-password", "1"
    gw.write_config()
    try:
        gw.start()
        gw.cli("broadcast", "PENDAMPING", "Pengumuman panjang " + "x" * 170)
        wait_until("the long ones dead", lambda: gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE state = 'dead' AND last_error = "
            "'text too long: 2 parts, max_parts is 1'") == "7")
        gw.cli("broadcast", "PENDAMPING", "Pengumuman pendek")
        wait_until("ALARM", lambda: "ALARM: kannel: sending paused" in gw.read_log())
        check_eq(gw.read_log().count("ALARM: kannel: sending paused"), 1, "one ALARM")
        # those in flight were refused too: back in the queue, no try used
        wait_until("none left sending", lambda: gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('sending','accepted')") == "0")
        check_eq(gw.sql("SELECT COUNT(*) FROM outbox WHERE text = 'Pengumuman pendek' AND "
                        "state = 'queued' AND tries = 0"), "7", "all 7 wait")
        check_eq(bearer_status()["state"], "paused", "status")
    finally:
        gw.stop()
        keys["password"] = PASSWORD
        del keys["max_parts"]
        gw.write_config()
        gw.start()
    wait_until("the rest sent after the restart", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE text = 'Pengumuman pendek' AND state = 'delivered'")
        == "7", timeout=30)


def test_sigkill_while_20_mo_arrive():
    numbers = ["+62812777700%02d" % i for i in range(20)]
    for i, n in enumerate(numbers):
        site.mo(n, SHORT, "HALO %d" % i)
        if i == 7:
            gw.stop(signal.SIGKILL)
    time.sleep(1)       # smsbox's calls fail meanwhile: it keeps them
    gw.start()
    wait_until("all 20 stored", lambda: all(stored(n) >= 1 for n in numbers), timeout=60)
    with open(os.path.join(site.dir, "smsbox.log"), errors="replace") as f:
        check("Couldn't fetch" in f.read(), "smsbox never found the gateway down")
    counts = gw.sql("SELECT COUNT(*) FROM sms_in WHERE number LIKE '+62812777700%' "
                    "GROUP BY number").split()
    check_eq(counts, ["1"] * 20, "each stored exactly once")
    wait_until("all processed", lambda: gw.sql(
        "SELECT COUNT(*) FROM messages WHERE number LIKE '+62812777700%' "
        "AND state != 'received'") == "20", timeout=30)
    wait_until("each answered at fakesmsc", lambda: len(
        {g[1] for g in site.got() if g[1] in numbers}) == 20, timeout=30)
    answers = [g[1] for g in site.got() if g[1] in numbers]
    check_eq(len(answers), 20, "one answer each")


def test_intake_first():
    """A flood of MO is stored before anything is sent: while MO keep
    coming (one within 0.25 s) no reply goes to smsbox; then each gets
    its one reply."""
    numbers = ["+62812888800%02d" % i for i in range(40)]
    before = len(site.got())
    p = site.procs["fakesmsc"]
    for i, n in enumerate(numbers):
        # fakesmsc reads one line per read: a short pause between them
        p.stdin.write(("%s %s text HALO %d\n" % (n, SHORT, i)).encode())
        p.stdin.flush()
        time.sleep(0.02)
    wait_until("the flood stored", lambda: gw.sql(
        "SELECT COUNT(*) FROM sms_in WHERE number LIKE '+62812888800%'") == "40", interval=0.02)
    sent = [g for g in site.got()[before:] if g[1] in numbers]
    check_eq(len(sent), 0, "no reply went out while the MO kept coming")
    wait_until("each answered at fakesmsc", lambda: len(
        {g[1] for g in site.got() if g[1] in numbers}) == 40, timeout=30)
    check_eq(len([g for g in site.got() if g[1] in numbers]), 40, "one answer each")


def main():
    global gw, site
    s = Suite("e2e-kannel")
    if not available():
        print("note: kannel and kannel-extras are not installed (make deps): skipped")
        s.finish()
    gw = KannelGateway("kannel", extra_kentongan="send_retry_base = 1")
    site = KannelSite(gw)
    try:
        gw.start()
        site.start()
        for t in (test_mo_stored_once_and_processed, test_mo_ucs2_text,
                  test_same_id_twice_stored_once, test_wrong_or_missing_key_401,
                  test_dlr_unknown_id_ignored_and_logged, test_ucs2_broadcast_arrives_as_ucs2,
                  test_smsbox_stopped_while_sending, test_status_shows_the_bearer,
                  test_refused_password_and_too_many_parts,
                  test_sigkill_while_20_mo_arrive, test_intake_first):
            s.run(t)
    finally:
        site.stop()
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
