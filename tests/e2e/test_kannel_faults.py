"""Issue 20, item 5: the Kannel bearer's faults that test_kannel.py does not
cover, with the real Debian bearerbox, smsbox and fakesmsc: bearerbox
killed with MO and MT in its store (and without one), what smsbox alone
holds while the gateway is down, a 6-part UCS-2 MO, and hostile requests
on the listener (keys, ids, huge requests, bytes that are not HTTP,
1,000 connections held)."""

import os
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import Suite, check, check_eq, free_port, http_get, ini_merge, wait_until  # noqa: E402
from kannel_site import SECRET, KannelGateway, KannelSite, available  # noqa: E402
from test_hostile import raw, tally, ussd_req  # noqa: E402

SHORT = "1234"
# the listener's limits (gateway/loop/kannel_listen.c)
KANNEL_ID_MAX = 64
MO_TEXT_MAX = 255 * 153 * 3
NUMBER_MAX = 64     # store/store.h
KANNEL_OPENING = 8  # gateway/loop/kannel_int.h

gw = site = None
USSD = ADMIN = None


def stored(number):
    return int(gw.sql("SELECT COUNT(*) FROM sms_in WHERE number = '%s'" % number) or 0)


def each_stored_once(numbers):
    wait_until("all %d stored" % len(numbers), lambda: all(stored(n) for n in numbers),
               timeout=30)
    counts = [stored(n) for n in numbers]
    check_eq(counts, [1] * len(numbers), "each stored exactly once")


def each_answered_once(numbers):
    """Every reply delivered (the fake SMSC's report: nothing of theirs
    is left to send), and each number got exactly one at fakesmsc."""
    wait_until("every reply delivered", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE number IN (%s) AND state = 'delivered'"
        % ",".join("'%s'" % n for n in numbers)) == str(len(numbers)), timeout=30)
    # fakesmsc logs a message a moment after its report
    wait_until("all at fakesmsc", lambda: {g[1] for g in site.got()} >= set(numbers))
    got = sorted(g[1] for g in site.got() if g[1] in numbers)
    check_eq(got, sorted(numbers), "one answer each")


def kannel_gives_again(numbers):
    """How many of these the gateway was given again (its debug line)."""
    log = gw.read_log()
    return sum(log.count("SMS already stored from %s " % n) for n in numbers)


# -- bearerbox restarted --------------------------------------------------------

def mo_survive_a_bearerbox_kill(numbers, on_disk=None):
    """on_disk: how many messages the store holds, read from its files."""
    site.stop_smsbox()
    for i, n in enumerate(numbers):
        site.mo(n, SHORT, "HALO %d" % i)
    # with no smsbox, bearerbox keeps them: in its queue and its store
    wait_until("MO held by bearerbox", lambda: site.status()["mo_queued"] == len(numbers))
    check_eq(site.status()["store"], len(numbers), "store size")
    if on_disk:
        check_eq(on_disk(), len(numbers), "on disk")
    site.kill_bearerbox()
    site.start_bearerbox()
    check_eq(site.status()["store"], len(numbers), "read back from the store")
    site.start_smsbox()
    site.start_fakesmsc()
    each_stored_once(numbers)
    each_answered_once(numbers)
    wait_until("the store emptied", lambda: site.status()["store"] == 0)


def test_mo_in_the_spool_survive_a_bearerbox_kill():
    mo_survive_a_bearerbox_kill(["+62812333300%02d" % i for i in range(10)],
                                lambda: sum(len(f) for _, _, f in os.walk(site.store)))


def test_mo_in_the_store_file_survive_a_bearerbox_kill():
    site.restart("file")
    try:
        mo_survive_a_bearerbox_kill(["+62812333310%02d" % i for i in range(5)])
    finally:
        site.restart("spool")


def test_mo_given_twice_after_a_kill_stored_once():
    # smsbox frozen: bearerbox hands it the MO, which wait unacknowledged
    # in the spool; bearerbox dies; smsbox thaws and calls the gateway
    # with each, but its acknowledgements go nowhere: the new bearerbox
    # gives all of them again, with the same %I
    numbers = ["+62812444400%02d" % i for i in range(5)]
    smsbox = site.procs["smsbox"]
    smsbox.send_signal(signal.SIGSTOP)
    try:
        for i, n in enumerate(numbers):
            site.mo(n, SHORT, "HALO lagi %d" % i)
        wait_until("handed to smsbox, not acknowledged", lambda: (
            lambda s: s["mo_queued"] == 0 and s["store"] == 5)(site.status()))
        site.kill_bearerbox()
    finally:
        smsbox.send_signal(signal.SIGCONT)
    wait_until("smsbox gave each to the gateway", lambda: all(stored(n) for n in numbers))
    site.kill_smsbox()      # it would start itself again only in 10 s
    site.start_bearerbox()
    check_eq(site.status()["store"], 5, "still in the spool (never acknowledged)")
    site.start_smsbox()
    site.start_fakesmsc()
    wait_until("each given again", lambda: kannel_gives_again(numbers) == 5)
    each_stored_once(numbers)
    each_answered_once(numbers)


def test_mt_in_the_store_survive_a_bearerbox_kill():
    numbers = ["+62813555500%02d" % i for i in range(5)]
    gw.add_contacts(numbers)
    site.stop_fakesmsc()
    gw.cli("broadcast", "PENDAMPING", "Info uji simpan")
    # smsbox answers 202 ("3: Queued for later delivery") once bearerbox
    # has it in its store
    wait_until("accepted by smsbox", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE text = 'Info uji simpan' AND state = 'accepted'")
        == "5")
    st = site.status()
    check(st["mt_queued"] == 5 and st["store"] == 5, st)
    site.stop_smsbox()
    site.kill_bearerbox()
    site.start_bearerbox()
    check_eq(site.status()["store"], 5, "read back from the spool")
    site.start_smsbox()
    site.start_fakesmsc()
    wait_until("all 5 delivered", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE text = 'Info uji simpan' AND state = 'delivered'")
        == "5", timeout=30)
    wait_until("all at fakesmsc", lambda: {g[1] for g in site.got()} >= set(numbers))
    check_eq(sorted(g[1] for g in site.got() if g[1] in numbers), numbers, "each once")


def test_without_a_store_bearerbox_loses_what_it_held():
    # why docs/kannel.md asks for store-type: without one, bearerbox
    # keeps MO and MT in its memory only
    site.restart(None)
    site.stop_smsbox()
    numbers = ["+62812666600%02d" % i for i in range(3)]
    for i, n in enumerate(numbers):
        site.mo(n, SHORT, "HALO hilang %d" % i)
    wait_until("3 MO held by bearerbox", lambda: site.status()["mo_queued"] == 3)
    check_eq(site.status()["store"], -1, "no store")
    site.kill_bearerbox()
    site.start_bearerbox()
    check_eq(site.status()["mo_queued"], 0, "the 3 MO are gone")
    # an MT smsbox accepted (202) is gone too, and its row stays
    # 'accepted': nothing tells the gateway
    site.start_smsbox()
    gw.add_contacts(["+6281366660001", "+6281366660002"], role="koordinator")
    gw.cli("broadcast", "KOORDINATOR", "Info uji hilang")
    wait_until("accepted", lambda: site.status()["mt_queued"] == 2)
    site.stop_smsbox()
    site.kill_bearerbox()
    site.start_bearerbox()
    check_eq(site.status()["mt_queued"], 0, "the 2 MT are gone")
    check_eq(gw.sql("SELECT group_concat(state) FROM outbox WHERE text = 'Info uji hilang'"),
             "accepted,accepted", "the rows")
    site.restart("spool")


def test_what_smsbox_alone_holds_is_lost_with_it():
    # smsbox acknowledges an MO to bearerbox as it starts the call: while
    # the gateway is down, the MO is in smsbox's retries only, and an
    # smsbox restart (or the restart it does itself when bearerbox goes)
    # drops it
    lost, marker = "+6281277770001", "+6281277770002"
    gw.stop()
    try:
        site.mo(lost, SHORT, "HALO tertinggal")
        wait_until("smsbox's call failed", lambda: "from=%2B" + lost[1:] in smsbox_errors())
        check_eq(site.status()["store"], 0, "bearerbox let it go")
        site.stop_smsbox()
        site.start_smsbox()
    finally:
        gw.start()
    site.mo(marker, SHORT, "HALO penanda")
    wait_until("the next MO stored", lambda: stored(marker) == 1)
    check_eq(stored(lost), 0, "the one smsbox held")


def accept_queue(port):
    """Connections the kernel has made for a listening port that its
    process has not accepted yet (ss: a listener's Recv-Q)."""
    out = subprocess.run(["ss", "-ltnH", "sport = :%d" % port], capture_output=True,
                         text=True, check=True).stdout.split()
    return int(out[1]) if out else 0


def test_links_opened_a_few_at_a_time():
    # smsbox listens with a backlog of 10: a gateway that opened its 64
    # links at once overflowed it, and the links beyond came up a second
    # later, when their SYN went again. Stopped, smsbox accepts nothing,
    # so its queue shows how many the gateway opens at once.
    numbers = ["+62813777700%02d" % i for i in range(80)]
    gw.add_contacts(numbers, role="warga")
    smsbox = site.procs["smsbox"]
    smsbox.send_signal(signal.SIGSTOP)
    try:
        before = accept_queue(site.sendsms_port)
        gw.cli("broadcast", "WARGA", "Info uji sambung")
        wait_until("links opening", lambda: accept_queue(site.sendsms_port) > before)
        seen = []
        for _ in range(15):
            seen.append(accept_queue(site.sendsms_port))
            time.sleep(0.1)
        check(max(seen) - before == KANNEL_OPENING, "opened at once: %s (had %d)"
              % (seen, before))
    finally:
        smsbox.send_signal(signal.SIGCONT)
    wait_until("all 80 delivered", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE text = 'Info uji sambung' AND state = 'delivered'")
        == "80", timeout=60)
    wait_until("all at fakesmsc", lambda: {g[1] for g in site.got()} >= set(numbers))
    check_eq(sorted(g[1] for g in site.got() if g[1] in numbers), numbers, "each once")


def smsbox_errors():
    with open(os.path.join(site.dir, "smsbox.log"), errors="replace") as f:
        return "".join(line for line in f if "Couldn't fetch" in line)


# -- long MO ---------------------------------------------------------------------

def test_six_part_ucs2_mo():
    # A phone sends this as 6 parts of 67 UCS-2 units; fakesmsc gives it
    # whole, as bearerbox does once it has joined them. smsbox passes it
    # UTF-8 (mo-recode), URL-encoded in the query: about 700 bytes, where
    # the key check read 511 at most and answered 401 (smsbox retried,
    # then dropped it).
    n = "+6281288880001"
    text = ("Laporan warga dusun 3: jembatan 😀 rusak, air naik ñ; mohon "
            "bantuan segera. " * 6)[:393]
    units = len(text.encode("utf-16-be")) // 2
    check(5 * 67 < units <= 6 * 67, "%d units: not 6 parts" % units)
    site.stop_fakesmsc()
    site.start_fakesmsc(line="%s %s ucs2 %s" % (
        n, SHORT, urllib.parse.quote(text.encode("utf-16-be"), safe="")))
    try:
        wait_until("stored", lambda: stored(n) == 1)
        check_eq(gw.sql("SELECT hex(text) FROM sms_in WHERE number = '%s'" % n),
                 text.encode().hex().upper(), "the text, byte for byte")
        check_eq(gw.sql("SELECT coding FROM sms_in WHERE number = '%s'" % n), "gsm7",
                 "coding (smsbox recoded it to UTF-8)")
        wait_until("answered", lambda: [g for g in site.got() if g[1] == n])
    finally:
        site.stop_fakesmsc()
        site.start_fakesmsc()
    check_eq(smsbox_errors().count("from=%2B" + n[1:]), 0, "smsbox had no error for it")


def test_longest_mo_text_and_one_byte_more():
    q = "key=%s&id=longest-%d&from=%%2B628128888000%d&text="
    check_eq(gw.mo_get(q % (SECRET, 1, 2) + "x" * MO_TEXT_MAX)[0], 200, "MO_TEXT_MAX bytes")
    check_eq(gw.sql("SELECT length(text) FROM sms_in WHERE kannel_id = 'longest-1'"),
             str(MO_TEXT_MAX), "stored whole")
    check_eq(gw.mo_get(q % (SECRET, 2, 3) + "x" * (MO_TEXT_MAX + 1))[0], 400, "one byte more")


# -- hostile requests --------------------------------------------------------------

def get(query, path="/kannel/mo", source=None):
    """One GET on the Kannel listener: its status, None if closed unanswered."""
    return raw(gw.listen_port, b"GET %s?%s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
               % (path.encode(), query.encode()), source=source)[0]


def test_no_key_401_and_logged():
    mo = "id=nokey-%d&from=%%2B6281299990001&text=HALO"
    # each from its own address: a source that keeps failing is refused
    # (429), and smsbox is on 127.0.0.1
    for i, q in enumerate((mo % 1, "key=&" + mo % 2, "key=salah&" + mo % 3,
                           "key=%s%%00&" % SECRET + mo % 4, "key=%%00%s&" % SECRET + mo % 5,
                           "key=%s&" % ("A" * 3000) + mo % 6, "KEY=%s&" % SECRET + mo % 7,
                           mo % 8 + "&key=" + SECRET[:-1])):
        check_eq(get(q, source="127.0.0.%d" % (60 + i)), 401, q[:60])
    check_eq(get("key=salah&id=1&status=1", "/kannel/dlr", source="127.0.0.70"), 401, "dlr")
    check_eq(gw.sql("SELECT COUNT(*) FROM sms_in WHERE kannel_id LIKE 'nokey-%'"), "0",
             "nothing stored")
    # a wrong key in smsbox's get-url would lose every MO: it is logged
    wait_until("logged", lambda: "kannel: from 127.0.0.62: 1 failed authentication"
               in gw.read_log())
    # the key may come anywhere in the query
    check_eq(get(mo % 9 + "&key=" + SECRET), 200, "key last")
    # a guesser is refused; smsbox, from another address, is not
    statuses = [get("key=tebak%d&" % i + mo % 10, source="127.0.0.71") for i in range(8)]
    check(statuses.count(401) == 5 and statuses.count(429) == 3, tally(statuses))
    site.mo("+6281299990011", SHORT, "HALO masih")
    wait_until("smsbox's MO stored", lambda: stored("+6281299990011") == 1)


def test_bad_ids_400():
    k = "key=%s&" % SECRET
    for id_ in ("abc", "-5", "0", "99999999999999999999", "9223372036854775808", "%2B5",
                "%205", "5%20", "", "5x", "0x10", "1e3"):
        check_eq(get(k + "id=%s&status=1" % id_, "/kannel/dlr"), 400, "dlr id %r" % id_)
    check_eq(get(k + "status=1", "/kannel/dlr"), 400, "dlr without id")
    for status in ("", "0", "32", "-1", "abc", "99999999999999999999"):
        check_eq(get(k + "id=5&status=%s" % status, "/kannel/dlr"), 400, "status %r" % status)
    frm = "from=%2B6281299990021"
    for q in ("text=x&" + frm, "id=&text=x&" + frm, "id=bad-1&text=x",
              "id=bad-2&text=x&from=", "id=bad-3&" + frm,
              "id=%s&text=x&%s" % ("b" * (KANNEL_ID_MAX + 1), frm),
              "id=bad-4&text=x&from=%s" % ("1" * NUMBER_MAX)):
        check_eq(get(k + q), 400, "MO " + q[:50])
    check_eq(get(k + "id=%s&text=x&%s" % ("b" * KANNEL_ID_MAX, frm)), 200, "longest id")
    check_eq(gw.sql("SELECT COUNT(*) FROM sms_in WHERE kannel_id LIKE 'bad-%'"), "0",
             "none stored")


def serving():
    """The gateway answers on all three listeners."""
    ok = http_get(ADMIN, "/health")[0] == 200
    ok = ok and raw(USSD, ussd_req(b"sessionId=f%d&serviceCode=%%2A123%%23&phoneNumber="
                                   b"%%2B6281255530001&text=" % serving.n,
                                   query="?key=" + SECRET))[0] == 200
    serving.n += 1
    return ok and get("key=%s&id=serving-%d&from=%%2B6281299990031&text=HALO"
                      % (SECRET, serving.n)) == 200


serving.n = 0


def test_huge_requests_refused():
    big = b"GET /kannel/mo?key=" + SECRET.encode() + b"&id=huge-1&from=1&text=" + \
        b"y" * (5 << 20) + b" HTTP/1.1\r\nHost: x\r\n\r\n"
    check(raw(gw.listen_port, big)[0] in (None, 400, 413), "5 MB request line")
    hdr = b"GET /kannel/mo?key=" + SECRET.encode() + b"&id=huge-2&from=1&text=x HTTP/1.1\r\n" \
        b"Host: x\r\nX-Big: " + b"h" * (1 << 20) + b"\r\n\r\n"
    check(raw(gw.listen_port, hdr)[0] in (None, 400, 413), "1 MB header")
    body = b"GET /kannel/mo?key=" + SECRET.encode() + b"&id=huge-3&from=1&text=x HTTP/1.1\r\n" \
        b"Host: x\r\nContent-Length: 1048576\r\nConnection: close\r\n\r\n" + b"b" * (1 << 20)
    check(raw(gw.listen_port, body)[0] in (None, 413), "1 MB body")
    check(raw(gw.listen_port, b"POST /kannel/mo?key=" + SECRET.encode() +
              b" HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")[0] in (405, 501), "POST")
    check_eq(gw.sql("SELECT COUNT(*) FROM sms_in WHERE kannel_id LIKE 'huge-%'"), "0",
             "none stored")
    check(serving(), "still serving")


def test_bytes_that_are_not_http():
    for junk in (b"\x00" * 1000, b"\r\n" * 5000, os.urandom(4096), b"GET\r\n\r\n",
                 b"GET / HTTP/9.9\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" +
                 os.urandom(500)):
        st = raw(gw.listen_port, junk)[0]
        check(st in (None, 400), "junk answered %r" % st)
    # evhttp ends the headers at a NUL line; bytes that are not UTF-8 are
    # stored as they came, as a modem's broken UTF-16 is (exports and the
    # central push show U+FFFD)
    check_eq(raw(gw.listen_port, b"GET /kannel/mo?key=" + SECRET.encode() +
                 b"&id=junk&from=1&text=\xff\xfe HTTP/1.1\r\nHost: x\r\n\x00\r\n\r\n")[0],
             200, "raw bytes, a NUL line")
    check_eq(gw.sql("SELECT hex(text) FROM sms_in WHERE kannel_id = 'junk'"), "FFFE", "stored")
    check(serving(), "still serving")


def fds():
    return len(os.listdir("/proc/%d/fd" % gw.proc.pid))


# the gateway's descriptors at rest: the database, its listeners, the
# loop's, a connection to smsbox; about 20
AT_REST = 40


def test_1000_connections_held():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < 2500:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 4096), hard))
    check(fds() < AT_REST, "%d descriptors before" % fds())
    held = []
    try:
        for i in range(1000):
            s = socket.create_connection(("127.0.0.1", gw.listen_port),
                                         source_address=("127.0.0.%d" % (100 + i % 100), 0))
            # half send nothing, half stop inside a long request line
            if i % 2:
                s.sendall(b"GET /kannel/mo?key=" + SECRET.encode() + b"&text=" + b"z" * 20000)
            held.append(s)
        wait_until("all 1,000 accepted", lambda: fds() >= 1000)
        check(serving(), "served while 1,000 connections are held")
        # evhttp cuts each after http_timeout without a byte
        for s in held:
            s.settimeout(15)
            try:
                d = s.recv(100)
            except OSError:
                d = b""
            check(d == b"", "closed: %r" % d[:40])
    finally:
        for s in held:
            s.close()
    wait_until("descriptors back down", lambda: fds() < AT_REST)
    check(serving(), "still serving")


def main():
    global gw, site, USSD, ADMIN
    s = Suite("e2e-kannel-faults")
    if not available():
        print("note: kannel and kannel-extras are not installed (make deps): skipped")
        s.finish()
    USSD, ADMIN = free_port(), free_port()
    gw = KannelGateway("kannel-faults", extra_kentongan="send_retry_base = 1")
    ini_merge(gw.sections, "[ussd]\nlisten = 127.0.0.1:%d\npath = /ussd\nsecret = %s\n"
              "[admin]\nlisten = 127.0.0.1:%d\n" % (USSD, SECRET, ADMIN), None)
    site = KannelSite(gw, store="spool")
    rc = None
    try:
        gw.start()
        site.start()
        for t in (test_mo_in_the_spool_survive_a_bearerbox_kill,
                  test_mo_in_the_store_file_survive_a_bearerbox_kill,
                  test_mo_given_twice_after_a_kill_stored_once,
                  test_mt_in_the_store_survive_a_bearerbox_kill,
                  test_without_a_store_bearerbox_loses_what_it_held,
                  test_what_smsbox_alone_holds_is_lost_with_it, test_six_part_ucs2_mo,
                  test_longest_mo_text_and_one_byte_more, test_no_key_401_and_logged,
                  test_bad_ids_400, test_huge_requests_refused, test_bytes_that_are_not_http,
                  test_1000_connections_held,
                  # last: it leaves 64 links open, which the one before counts
                  test_links_opened_a_few_at_a_time):
            s.run(t)
    finally:
        site.stop()
        rc = gw.stop()

    def test_clean_exit():
        check_eq(rc, 0, "clean exit")
    s.run(test_clean_exit)
    s.finish()


if __name__ == "__main__":
    main()
