"""Issue 6: the USSD endpoint and the admin listener, over real HTTP on
loopback, against the real daemon and database."""

import base64
import datetime
import os
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, free_port, wait_until  # noqa: E402

SECRET = "rahasia-desa-4242"
W = "+6285722220002"      # warga of Kalisidi
STRANGER = "+6289900000009"
gw = None
USSD = ADMIN = None
NOW = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta"))


def post(fields, auth="key", path="/ussd", method="POST", body=None, headers=None):
    """One request; returns (status, text)."""
    url = "http://127.0.0.1:%d%s" % (USSD, path)
    hdrs = dict(headers or {})
    if auth == "key":
        url += "?key=" + urllib.parse.quote(SECRET)
    elif auth == "basic":
        hdrs["Authorization"] = "Basic " + base64.b64encode(b"aggregator:" + SECRET.encode()).decode()
    elif auth is not None:
        url += "?key=" + urllib.parse.quote(auth)
    data = body if body is not None else urllib.parse.urlencode(fields).encode()
    req = urllib.request.Request(url, data=data if method == "POST" else None, method=method, headers=hdrs)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def ussd(session, phone, text, **kw):
    return post({"sessionId": session, "serviceCode": "*123*45#", "phoneNumber": phone,
                 "networkCode": "51010", "text": text}, **kw)


def admin(path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (ADMIN, path), timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def setup():
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    gw.cli("contacts", "set", W, "--role", "warga", "--desa", "Kalisidi", "--name", "Warsini")
    until = (NOW + datetime.timedelta(days=30)).strftime("%Y-%m-%d")
    gw.cli("perdes", "open", "PD01", "--desa", "Kalisidi", "--title", "Pengelolaan Sampah", "--until", until)
    gw.cli("perdes", "open", "PD02", "--desa", "Kalisidi", "--title", "Air Bersih", "--until", until)
    gw.cli("meetings", "add", "--desa", "Kalisidi", "--date", (NOW + datetime.timedelta(days=3)).strftime("%Y-%m-%d"),
           "--time", "09:00", "--type", "RKP", "--place", "Balai Desa")


def test_first_screen_and_contract():
    st, text = ussd("s-first", STRANGER, "")
    check_eq(st, 200, "status")
    check(text.startswith("CON ") and "1 Aspirasi Perdes" in text and "2 Lapor aduan" in text, text)
    check(len(text) <= 182, "fits a screen")
    st, text = ussd("s-first", STRANGER, "9")
    check(text.startswith("CON Pilihan salah."), text)


def test_aduan_by_ussd_is_the_same_ticket_and_confirmed_by_sms():
    s = "s-aduan"
    check(ussd(s, STRANGER, "2")[1].startswith("CON "), "asks for the village")
    st, text = ussd(s, STRANGER, "2*Candirejo")
    check("beberapa desa" in text, text)
    st, text = ussd(s, STRANGER, "2*3322182002")
    check("Aduan untuk Kalisidi" in text, text)
    st, text = ussd(s, STRANGER, "2*3322182002*Lampu jalan mati di RT 2")
    check(text.startswith("END Aduan diterima, tiket ADU-"), text)
    tiket = text.split("tiket ")[1].split(".")[0]
    recs = [r for r in gw.export("records") if r["tiket"] == tiket]
    check_eq(len(recs), 1, "one record")
    check_eq((recs[0]["desa"], recs[0]["isi"]), ("33.22.18.2002", "Lampu jalan mati di RT 2"), "record")
    msg = gw.sql("SELECT channel, kind FROM messages WHERE id = %s" % recs[0]["message_id"])
    check_eq(msg, "ussd|aduan", "marked with its channel")
    wait_until("SMS confirmation sent", lambda: [m for m in gw.export("messages") if m["direction"] == "out"
                                                 and m["number"].lstrip("'") == STRANGER and tiket in m["text"]
                                                 and m["state"] == "sent"])
    # the aggregator repeats the last request: same answer, nothing new
    st2, text2 = ussd(s, STRANGER, "2*3322182002*Lampu jalan mati di RT 2")
    check_eq((st2, text2), (st, text), "same answer")
    check_eq(len([r for r in gw.export("records") if r["kind"] == "aduan"]), 1, "created once")
    check_eq(gw.sql("SELECT COUNT(*) FROM outbox WHERE text LIKE '%" + tiket + "%'"), "1", "one SMS")
    # and by SMS, STATUS finds the same ticket
    gw.inject(STRANGER, "STATUS " + tiket)
    wait_until("status by SMS", lambda: [m for m in gw.export("messages") if m["direction"] == "out"
                                         and "baru" in m["text"] and tiket in m["text"]])


def test_aspirasi_registered_caller():
    s = "s-asp"
    st, text = ussd(s, W, "1")
    check("Konsultasi Perdes di Kalisidi" in text and "1 PD01" in text and "2 PD02" in text, text)
    st, text = ussd(s, W, "1*2")
    check("PD02 Air Bersih" in text, text)
    st, text = ussd(s, W, "1*2*Mohon sumur bor di dusun Krajan")
    check(text.startswith("END Aspirasi untuk PD02 diterima, tiket ASP-"), text)
    rows = gw.cli("perdes", "export", "PD02", "--format", "csv").stdout
    check("Mohon sumur bor di dusun Krajan" in rows, rows)


def test_status_and_back_navigation():
    s = "s-status"
    st, text = ussd(s, STRANGER, "3")
    check("nomor tiket" in text, text)
    st, text = ussd(s, STRANGER, "3*0")
    check(text.startswith("CON Kentongan"), "0 goes back: " + text)
    st, text = ussd(s, STRANGER, "3*0*3*ADU-1")
    check(text.startswith("END Tiket ADU-1: baru"), text)
    st, text = ussd("s-status-2", W, "3*adu 1")
    check("tidak dikirim dari nomor ini" in text, "someone else's ticket: " + text)
    st, text = ussd("s-status-3", W, "3*ADU-999")
    check("tidak ditemukan" in text, text)


def test_meetings_screen():
    st, text = ussd("s-jadwal", W, "4")
    check(text.startswith("END Jadwal di Kalisidi") and "RKP" in text and "09:00" in text, text)
    st, text = ussd("s-jadwal-2", STRANGER, "4*3322012005")
    check("Belum ada jadwal" in text, text)
    st, text = ussd("s-jadwal-3", STRANGER, "4*00")
    check(text.startswith("CON Kentongan"), "00: " + text)


def test_security():
    fields = {"sessionId": "s-sec", "serviceCode": "*123*45#", "phoneNumber": STRANGER, "text": ""}
    check_eq(post(fields, auth=None)[0], 401, "no secret")
    check_eq(post(fields, auth="salah")[0], 401, "wrong secret")
    check_eq(post(fields, auth="basic")[0], 200, "Basic password")
    check_eq(post(fields, auth="key")[0], 200, "key parameter")
    bad = "Basic " + base64.b64encode(b"aggregator:salah").decode()
    check_eq(post(fields, auth="none", headers={"Authorization": bad})[0], 401, "wrong Basic")
    check_eq(post(fields, method="GET")[0], 405, "GET")
    check_eq(post(fields, method="PUT", body=b"x")[0], 405, "PUT")
    check_eq(post(fields, body=b"sessionId=" + b"x" * 5000)[0], 413, "body over 4 KiB")
    check_eq(post({"sessionId": "s", "text": ""})[0], 400, "missing fields")
    check_eq(post(dict(fields, phoneNumber="TELKOMSEL"))[0], 400, "not a phone number")
    check_eq(post(dict(fields, phoneNumber="123"))[0], 400, "short number")
    check_eq(post(fields, body=b"sessionId=a%00b&serviceCode=x&phoneNumber=%2B6281&text=")[0], 400, "%00")
    check_eq(post(fields, path="/other")[0], 404, "other path")
    # a session id is one caller's
    check_eq(ussd("s-first", W, "")[0], 400, "another number's session")
    # unauthorised requests changed nothing
    check_eq(gw.sql("SELECT COUNT(*) FROM ussd_sessions WHERE session_id = 's'"), "0", "no session stored")
    # hostile text is stored as given and answered, never crashes
    st, text = ussd("s-hostile", STRANGER, "2*3322182002*'; DROP TABLE records; -- <script>%s%n\nFAKE LOG LINE")
    check_eq(st, 200, "hostile text")
    check(gw.sql("SELECT COUNT(*) FROM records") != "0", "records still there")
    check("<script>%s%n" in gw.sql("SELECT isi FROM records ORDER BY id DESC LIMIT 1"), "stored as given")
    log = gw.read_log()
    check("FAKE LOG LINE" in log, "the text was logged")
    check(not any(l.startswith("FAKE LOG LINE") for l in log.splitlines()), "a newline cannot forge a log line")


def test_slow_client_times_out():
    # http_timeout = 2 s in this config: a client that sends half a request
    # and stops is cut off, and the daemon keeps serving the others.
    s = socket.create_connection(("127.0.0.1", USSD))
    s.sendall(b"POST /ussd?key=" + SECRET.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nsess")
    t0 = time.monotonic()
    check_eq(ussd("s-during-slow", STRANGER, "")[0], 200, "others are served meanwhile")
    s.settimeout(10)
    try:
        data = s.recv(1000)
    except OSError:
        data = b""
    waited = time.monotonic() - t0
    s.close()
    check(waited < 8, "cut off after %.1fs (got %r)" % (waited, data[:40]))


def test_session_times_out():
    # Sessions live in memory and reach the store within a second (and at
    # stop); one idle longer than session_timeout (180 s) is over.
    check(ussd("s-timeout", W, "3")[1].startswith("CON "), "open")
    gw.stop()
    # past session_timeout (180 s), within the margin before it is forgotten
    gw.sql("UPDATE ussd_sessions SET last_at = last_at - 200 WHERE session_id = 's-timeout'")
    gw.start()
    wait_until("ussd listening again", lambda: _listening(USSD))
    st, text = ussd("s-timeout", W, "3*ADU-999")
    check(text.startswith("END Waktu sesi habis"), text)
    wait_until("stored as expired", lambda: gw.sql(
        "SELECT state FROM ussd_sessions WHERE session_id = 's-timeout'") == "expired")


def test_session_across_restart():
    s = "s-restart"
    check("Ketik kode desa" in ussd(s, STRANGER, "2")[1], "started")
    ussd(s, STRANGER, "2*Kalisidi")
    gw.stop()
    gw.start()
    wait_until("ussd listening again", lambda: _listening(USSD))
    st, text = ussd(s, STRANGER, "2*Kalisidi*Selokan mampet")
    check(text.startswith("END Aduan diterima"), "continued after restart: " + text)
    wait_until("kept, and ended", lambda: gw.sql(
        "SELECT requests, state FROM ussd_sessions WHERE session_id = '%s'" % s) == "3|ended")


def _listening(port):
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def test_admin_listener():
    st, text = admin("/health")
    check_eq((st, text.strip()), (200, "ok"), "health")
    st, text = admin("/metrics")
    check_eq(st, 200, "metrics")
    for s in ('kentongan_messages{direction="in"', "kentongan_modem_up{modem=\"gammu\"} 1",
              "kentongan_ussd_requests_total{code=\"2xx\"}", "kentongan_ussd_latency_seconds_bucket",
              "kentongan_outbox_queue"):
        check(s in text, "metrics lack " + s)
    import json
    st, text = admin("/status")
    j = json.loads(text)
    check_eq(j["modems"][0]["state"], "up", "status json")
    check_eq(admin("/nothing")[0], 404, "unknown path")
    # the USSD port never serves admin paths
    check_eq(post({}, path="/health")[0], 404, "no /health on the USSD port")


def test_concurrent_connections():
    # many clients at once: every one answered, daemon still serving
    results = []

    def one(i):
        results.append(ussd("s-conc-%d" % i, "+62812000%05d" % i, "")[0])
    threads = [threading.Thread(target=one, args=(i,)) for i in range(100)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check_eq(results.count(200), 100, "all answered")


# -- issue 15, item 5: the USSD edges ------------------------------------------

def _complaint(session, phone, isi, desa="3322182002"):
    """Walk a complaint to its END screen; returns (status, screen)."""
    ussd(session, phone, "")
    ussd(session, phone, "2")
    ussd(session, phone, "2*" + desa)
    return ussd(session, phone, "2*%s*%s" % (desa, isi))


def test_long_session_id_is_refused_with_400():
    # The row kept a copy cut to 127 bytes, the action table the whole id:
    # every complaint from a 128+ character id ended in a 500.
    sid = "L" * 100
    st, text = _complaint(sid, STRANGER, "Id seratus huruf")
    check_eq(st, 200, "100 characters: served")
    check(text.startswith("END Aduan diterima"), text)
    for n in (101, 128, 200, 1000):
        st, text = ussd("L" * n, STRANGER, "")
        check_eq(st, 400, "%d characters" % n)
        check("sessionId" in text and "100" in text, "says why: " + text)
        st, text = ussd("L" * n, STRANGER, "2*3322182002*Id panjang")
        check_eq(st, 400, "%d characters, a complaint" % n)
    check_eq(gw.sql("SELECT COUNT(*) FROM ussd_sessions WHERE length(session_id) > 100"), "0",
             "no long id stored")
    check_eq(gw.sql("SELECT COUNT(*) FROM records WHERE isi = 'Id panjang'"), "0", "no ticket")


def test_no_more_tickets_after_end():
    s = "s-end-more"
    st, text = _complaint(s, STRANGER, "Satu aduan saja")
    check(text.startswith("END Aduan diterima"), text)
    before = gw.sql("SELECT COUNT(*) FROM records") + "|" + gw.sql("SELECT COUNT(*) FROM outbox")
    for extra in ("*1", "*1*2", "*2*3322182002*Lagi", "x"):
        st, again = ussd(s, STRANGER, "2*3322182002*Satu aduan saja" + extra)
        check_eq(st, 200, "answered")
        check(again.startswith("END "), "END again: " + again)
        check("tiket" not in again or again == text, "no new ticket: " + again)
    after = gw.sql("SELECT COUNT(*) FROM records") + "|" + gw.sql("SELECT COUNT(*) FROM outbox")
    check_eq(after, before, "nothing created after END")
    # the aggregator's retry of the last request still gets the same answer
    check_eq(ussd(s, STRANGER, "2*3322182002*Satu aduan saja"), (200, text), "retry")


def test_star_in_free_text_is_kept():
    s = "s-star"
    typed = "Lampu mati*jalan gelap * RT 3"
    st, text = _complaint(s, STRANGER, typed)
    check(text.startswith("END Aduan diterima"), text)
    check("dipotong" not in text, text)
    isi = gw.sql("SELECT isi FROM records ORDER BY id DESC LIMIT 1")
    check_eq(isi, typed, "every character kept")
    # back (0) from the text screen is still navigation
    st, text = ussd("s-star-back", STRANGER, "2*3322182002*0")
    check("Ketik kode desa" in text, "0 goes back: " + text)


def test_long_text_cut_on_a_character_and_said():
    s = "s-cut"
    typed = "\u00e9" * 300       # 600 bytes of UTF-8
    st, text = _complaint(s, STRANGER, typed)
    check(text.startswith("END Aduan diterima"), text)
    check("dipotong" in text, "the screen says it was cut: " + text)
    check(len(text) <= 182, "fits a screen")
    raw = bytes.fromhex(gw.sql("SELECT hex(isi) FROM records ORDER BY id DESC LIMIT 1"))
    isi = raw.decode("utf-8")     # fails on half a character
    check(typed.startswith(isi) and 400 <= len(raw) <= 511, "a prefix, %d bytes" % len(raw))


def test_recycled_session_id_starts_a_new_session():
    s = "s-recycle"
    check(_complaint(s, STRANGER, "Sesi lama")[1].startswith("END Aduan"), "first session")
    check_eq(ussd(s, W, "")[0], 400, "another number, while the session lives")
    wait_until("session stored", lambda: gw.sql(
        "SELECT state FROM ussd_sessions WHERE session_id = '%s'" % s) == "ended")
    gw.stop()
    # older than session_timeout (180 s) plus the margin
    gw.sql("UPDATE ussd_sessions SET last_at = last_at - 1000 WHERE session_id = '%s'" % s)
    gw.sql("UPDATE ussd_actions SET created_at = created_at - 1000 WHERE session_id = '%s'" % s)
    gw.start()
    wait_until("ussd listening again", lambda: _listening(USSD))
    wait_until("old session deleted", lambda: gw.sql(
        "SELECT COUNT(*) FROM ussd_sessions WHERE session_id = '%s'" % s) == "0")
    check_eq(gw.sql("SELECT COUNT(*) FROM ussd_actions WHERE session_id = '%s'" % s), "0", "its actions too")
    plan = gw.sql("EXPLAIN QUERY PLAN DELETE FROM ussd_sessions WHERE session_id IN (SELECT session_id"
                  " FROM ussd_sessions WHERE last_at < 5 ORDER BY last_at, rowid LIMIT 256)")
    check("INDEX ussd_sessions_by_last" in plan and "SCAN ussd_sessions" not in plan, "no scan: " + plan)
    st, text = ussd(s, W, "")
    check_eq(st, 200, "the recycled id is a new session")
    check(text.startswith("CON Kentongan"), text)
    st, text = ussd(s, W, "2*3322182002*Sesi lama")
    check(text.startswith("END Aduan diterima") and "tiket ADU-" in text, text)
    check_eq(gw.sql("SELECT COUNT(*) FROM records WHERE isi = 'Sesi lama'"), "2", "a ticket of its own")


def test_ended_session_past_timeout_is_not_resumed():
    s = "s-ended-late"
    check(ussd(s, W, "4")[1].startswith("END Jadwal"), "ended")
    wait_until("session stored", lambda: gw.sql(
        "SELECT state FROM ussd_sessions WHERE session_id = '%s'" % s) == "ended")
    gw.stop()
    gw.sql("UPDATE ussd_sessions SET last_at = last_at - 200 WHERE session_id = '%s'" % s)
    gw.start()
    wait_until("ussd listening again", lambda: _listening(USSD))
    st, text = ussd(s, W, "4")
    check(text.startswith("END Waktu sesi habis"), "past session_timeout: " + text)


def test_confirmation_counts_against_replies_per_hour():
    busy = "+6281277770001"
    now = int(time.time())
    # 100 replies in the last hour (replies_per_hour = 100 here)
    gw.sql("INSERT INTO outbox (number, text, purpose, state, next_at, created_at) "
           "SELECT '%s', 'x', 'reply', 'sent', %d, %d FROM "
           "(WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100) SELECT i FROM n)"
           % (busy, now, now))
    st, text = _complaint("s-busy", busy, "Banyak sekali")
    check(text.startswith("END Aduan diterima, tiket ADU-"), text)
    check("SMS" in text and "tidak dikirim" in text, "the screen does not promise an SMS: " + text)
    tiket = text.split("tiket ")[1].split(".")[0]
    check_eq(gw.sql("SELECT state FROM outbox WHERE number = '%s' AND text LIKE '%%%s%%'" % (busy, tiket)),
             "withheld", "no confirmation over the limit: a withheld row")
    check("replies_per_hour" in gw.sql("SELECT note FROM messages WHERE channel = 'ussd' AND number = '%s'"
                                       % busy), "the message says why")


def test_confirmation_to_an_opted_out_caller():
    # BERHENTI stops what the gateway starts; news of the caller's own
    # ticket still comes (SMS-FORMAT: purposes 'reply' and 'ticket').
    quiet = "+6281277770002"
    gw.inject(quiet, "BERHENTI")
    wait_until("opted out", lambda: gw.sql("SELECT opted_out FROM contacts WHERE number = '%s'" % quiet) == "1")
    st, text = _complaint("s-optout", quiet, "Tetap mau kabar")
    tiket = text.split("tiket ")[1].split(".")[0]
    wait_until("confirmation sent", lambda: gw.sql(
        "SELECT state || '|' || purpose FROM outbox WHERE number = '%s' AND text LIKE '%%%s%%'"
        % (quiet, tiket)) == "sent|reply")


def main():
    global gw, USSD, ADMIN
    USSD, ADMIN = free_port(), free_port()
    s = Suite("e2e-ussd")
    gw = Gateway("ussd", extra_kentongan="http_timeout = 2\nreplies_per_hour = 100",
                 extra="[ussd]\nlisten = 127.0.0.1:%d\npath = /ussd\nsecret = %s\n"
                       "[admin]\nlisten = 127.0.0.1:%d\n" % (USSD, SECRET, ADMIN)).start()
    try:
        wait_until("ussd listening", lambda: _listening(USSD))
        setup()
        for t in (test_first_screen_and_contract, test_aduan_by_ussd_is_the_same_ticket_and_confirmed_by_sms,
                  test_aspirasi_registered_caller, test_status_and_back_navigation, test_meetings_screen,
                  test_security, test_slow_client_times_out, test_session_times_out,
                  test_session_across_restart, test_admin_listener, test_concurrent_connections,
                  test_long_session_id_is_refused_with_400, test_no_more_tickets_after_end,
                  test_star_in_free_text_is_kept, test_long_text_cut_on_a_character_and_said,
                  test_recycled_session_id_starts_a_new_session,
                  test_ended_session_past_timeout_is_not_resumed,
                  test_confirmation_counts_against_replies_per_hour,
                  test_confirmation_to_an_opted_out_caller):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
