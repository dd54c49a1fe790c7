"""make bench-kannel (issue 20): the gateway's Kannel bearer side by side
with Kannel alone, in one run, on Debian's bearerbox, smsbox and fakesmsc
(tests/e2e/kannel_site.py), each phase on a fresh Kannel and database:

  MT, Kannel alone   a plain HTTP client (asyncio, 64 keep-alive
                     connections: the gateway's KANNEL_INFLIGHT) makes N
                     sendsms calls, the gateway's own query (text, coding,
                     charset, from, dlr-mask=31, a dlr-url of the same
                     shape) with the dlr-url on a bare HTTP server;
  MT, gateway        N contacts imported, then `kentongan broadcast`
                     with send_per_second and hourly_budget out of the
                     way;
  MO, Kannel alone   N lines fed to fakesmsc, smsbox's get-url on the
                     bare server (tests/bench/bare_http.c: 200, nothing
                     else);
  MO, gateway        the same N lines, get-url on /kannel/mo; each is
                     parsed and answered too, through the same Kannel,
                     as on a site (free text: the unknown-command help).

fakesmsc takes one line of its input per read: the next line is written
when it says it sent the last (a few microseconds; not the limit).

MT is timed from the first call (Kannel alone) or the broadcast command
(gateway) to two ends, the same on both sides: the last call accepted
(202 to the client; the row 'accepted' or later in the store) and the
last SMS at fakesmsc. MO is timed from the first line fed to the last one
answered 200 by the bare server or stored in sms_in. The gateway's rows
must each have gone through 'sending' (tries = 1, the bearer's name set
by that update) and have every delivery report recorded ('delivered');
each MO must be stored exactly once. A lost or doubled row fails the
run; a ratio under the goal is printed, not failed.

The four run in KANNEL_BENCH_ROUNDS rounds (default 3), Kannel alone
first in one round and the gateway first in the next; each round prints
its ratios, and the last line the median ratio (and the median rates).
One pair alone moved from 0.67 to 1.04 on the same binary: the virtual
machine's speed drifts between runs, Kannel alone's too.

usage: bench_kannel.py [N]   (or KANNEL_BENCH_N; default 10000)
"""

import asyncio
import os
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "e2e"))
from harness import free_port, wait_until  # noqa: E402
from kannel_site import (FAKESMSC, PASSWORD, SECRET, USER, KannelGateway,  # noqa: E402
                         KannelSite, available, listening)

KENTONGAN = os.path.join(ROOT, "kentongan")
BARE = os.path.join(ROOT, "build", "bench", "bare_http")
OUT = "bench-kannel"                   # under tests/out
GOAL = 0.80
INFLIGHT = 64                          # gateway/loop/kannel_int.h KANNEL_INFLIGHT
OPENING = 8                            # ... KANNEL_OPENING
TEXT = "Musyawarah RKP Desa Senin jam 09.00 di balai desa. Mohon hadir."
SHORT = "1234"
POLL = 0.02
DEADLINE = 900
TICK = os.sysconf("SC_CLK_TCK")
# Kannel's info level: debug (the tests' 0) writes several lines per SMS
# in each box, which a site pushing thousands would not run with
KANNEL_LOG_LEVEL = 1
# The boxes' stderr as Debian's init script starts them (-v 4: panics
# only). Left at debug, as the tests leave it, each box wrote every packet
# there: 96 MB for a 10,000 broadcast, and its writeback stalled the disk
# both sides sync on.
KANNEL_VERBOSITY = 4


def mt_number(i):
    return "+62812%07d" % i


def mo_line(i):
    return "+62813%07d %s text halo pak, ini pesan nomor %d\n" % (i, SHORT, i)


class Bare:
    """bare_http on a port of its own; stands in for the gateway in a
    KannelSite (its get-url and the client's dlr-url point here)."""

    def __init__(self, name):
        self.dir = os.path.join(ROOT, "tests", "out", OUT, name)
        os.makedirs(self.dir, exist_ok=True)
        self.listen_port = free_port()
        self.proc = subprocess.Popen([BARE, str(self.listen_port)])
        wait_until("bare_http listening", lambda: listening(self.listen_port))

    def use_kannel(self, site):
        pass

    def count(self):
        import urllib.request
        with urllib.request.urlopen("http://127.0.0.1:%d/count" % self.listen_port,
                                    timeout=10) as r:
            return int(r.read())

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=10)


class Site(KannelSite):
    """A KannelSite whose fakesmsc is read here, not from a log file: a
    thread counts the MT it gets and feeds it the MO lines one at a time."""

    def __init__(self, gw, feed=False):
        super().__init__(gw, log_level=KANNEL_LOG_LEVEL, verbosity=KANNEL_VERBOSITY)
        self.feeding = feed
        self.lock = threading.Lock()
        self.got = 0
        self.got_numbers = {}
        self.got_all_at = None
        self.want_got = None
        self.lines = []
        self.fed_all_at = None
        self.started = threading.Event()

    def start_fakesmsc(self):
        # Feeding: lines on stdin, no pause between them (-i 0); between
        # two lines it reads bearerbox only after a second without one.
        # Else it sends nothing (-m 0) and waits on bearerbox alone.
        mode = ["-m", "-1"] if self.feeding else ["-m", "0", "0 0 text unused"]
        self.procs["fakesmsc"] = subprocess.Popen(
            ["stdbuf", "-oL", "-eL", FAKESMSC, "-H", "127.0.0.1", "-r",
             str(self.smsc_port), "-i", "0"] + mode, stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=self.dir)
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.started.wait(20)
        time.sleep(0.5)     # bearerbox takes the link up after the connect

    def _read(self):
        got = re.compile(rb"Got message \d+: <\S+ (\S+) ")
        sent = re.compile(rb"fakesmsc: sent message (\d+)")
        p = self.procs["fakesmsc"]
        with open(os.path.join(self.dir, "fakesmsc.log"), "wb") as log:
            for line in p.stdout:
                m = sent.search(line)
                if m:
                    # fakesmsc takes one line per read of its input: the
                    # next goes when it has sent this one
                    k = int(m.group(1))
                    if k < len(self.lines):
                        p.stdin.write(self.lines[k])
                        p.stdin.flush()
                    elif k == len(self.lines):
                        self.fed_all_at = time.monotonic()
                    continue
                m = got.search(line)
                if m:
                    with self.lock:
                        self.got += 1
                        n = m.group(1).decode()
                        self.got_numbers[n] = self.got_numbers.get(n, 0) + 1
                        if self.got == self.want_got:
                            self.got_all_at = time.monotonic()
                    continue
                if b"fakesmsc starting" in line:
                    self.started.set()
                log.write(line)

    def feed(self, lines):
        """Start feeding lines; returns the time the first went."""
        self.lines = [x.encode() for x in lines]
        t0 = time.monotonic()
        p = self.procs["fakesmsc"]
        p.stdin.write(self.lines[0])
        p.stdin.flush()
        return t0


def sendsms_path(i, dlr_port):
    """The query kannel_send() makes for outbox row i (its parameters in
    its order, the dlr-url on dlr_port)."""
    dlr = "http://127.0.0.1:%d/kannel/dlr?key=%s&id=%d&status=%%d" % (
        dlr_port, urllib.parse.quote(SECRET, safe=""), i)
    q = [("username", USER), ("password", PASSWORD), ("to", mt_number(i)),
         ("text", TEXT), ("from", SHORT)]
    return ("/cgi-bin/sendsms?" + urllib.parse.urlencode(q, quote_via=urllib.parse.quote) +
            "&coding=0&charset=UTF-8&dlr-mask=31&dlr-url=" +
            urllib.parse.quote(dlr, safe=""))


async def http_calls(port, paths, conc):
    """GET every path, conc at a time, each on its own keep-alive
    connection; (answers by status, time of the last). Connections are
    opened OPENING at a time, as the gateway opens them (a connection is
    opening until its first answer): smsbox's listen backlog is 10, and
    64 connects at once can overflow it, the SYNs beyond it going again
    a second later (it stalled a Kannel-alone run by 1 s)."""
    codes = {}
    it = iter(paths)
    last = [0.0]
    opening = asyncio.Semaphore(OPENING)

    async def worker():
        reader = writer = None
        held = False
        for path in it:
            if writer is None:
                await opening.acquire()
                held = True
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
                          % (path, port)).encode())
            head = await reader.readuntil(b"\r\n\r\n")
            if held:
                opening.release()
                held = False
            code = int(head[9:12])
            m = re.search(rb"(?i)\r\ncontent-length: *(\d+)", head)
            if m:
                await reader.readexactly(int(m.group(1)))
            codes[code] = codes.get(code, 0) + 1
            last[0] = time.monotonic()
            if re.search(rb"(?i)\r\nconnection: *close", head):
                writer.close()
                reader = writer = None
        if writer is not None:
            writer.close()

    await asyncio.gather(*(worker() for _ in range(conc)))
    return codes, last[0]


def wait_for(what, fn, deadline=DEADLINE):
    t = time.monotonic() + deadline
    while True:
        v = fn()
        if v:
            return v
        if time.monotonic() > t:
            raise SystemExit("bench-kannel: %s took over %d s" % (what, deadline))
        time.sleep(POLL)


def rate(n, secs):
    return n / secs if secs > 0 else float("inf")


def cpu_seconds(pid):
    """User + system CPU of a live process, all its threads."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            x = f.read().rsplit(")", 1)[1].split()
        return (int(x[11]) + int(x[12])) / TICK
    except OSError:
        return 0.0


class Cpu:
    """The CPU each process of a phase used from start() to stop()."""

    def __init__(self, **procs):
        self.procs = {k: p.pid for k, p in procs.items()}

    def start(self):
        self.t0 = {k: cpu_seconds(p) for k, p in self.procs.items()}

    def stop(self):
        self.used = {k: cpu_seconds(p) - self.t0[k] for k, p in self.procs.items()}

    def __str__(self):
        return ", ".join("%s %.1f" % kv for kv in self.used.items())


def client_ceiling(n):
    """The client against the bare server: what it can ask for at most."""
    bare = Bare("client")
    try:
        paths = ["/cgi-bin/sendsms?to=%d" % i for i in range(n)]
        t0 = time.monotonic()
        codes, t1 = asyncio.run(http_calls(bare.listen_port, paths, INFLIGHT))
        return rate(n, t1 - t0)
    finally:
        bare.stop()


def kannel_cpu(site, **more):
    return Cpu(bearerbox=site.procs["bearerbox"], smsbox=site.procs["smsbox"], **more)


def mt_kannel(n):
    bare = Bare("mt-kannel")
    site = Site(bare)
    try:
        site.start()
        site.want_got = n
        cpu = kannel_cpu(site, bare_http=bare.proc)
        paths = [sendsms_path(i + 1, bare.listen_port) for i in range(n)]
        cpu.start()
        t0 = time.monotonic()
        codes, t_acc = asyncio.run(http_calls(site.sendsms_port, paths, INFLIGHT))
        if codes != {202: n}:
            raise SystemExit("bench-kannel: Kannel alone answered %r" % codes)
        wait_for("Kannel alone: all at fakesmsc", lambda: site.got_all_at)
        cpu.stop()
        # two reports each: 8 (the SMSC has it) and 1 (delivered)
        wait_for("Kannel alone: the delivery reports", lambda: bare.count() >= 2 * n)
        t_dlr = time.monotonic()
        check_arrived(site, n, "Kannel alone")
        return dict(acc=t_acc - t0, arr=site.got_all_at - t0, dlr=t_dlr - t0,
                    dlrs=bare.count(), cpu=cpu)
    finally:
        site.stop()
        bare.stop()


def check_arrived(site, n, who):
    with site.lock:
        twice = sum(1 for v in site.got_numbers.values() if v != 1)
        if site.got != n or len(site.got_numbers) != n or twice:
            raise SystemExit("bench-kannel: %s: %d SMS at fakesmsc for %d numbers "
                             "(%d more than once), not %d" % (
                                 who, site.got, len(site.got_numbers), twice, n))


def gateway(name):
    """A gateway whose limits are not the benchmark's: the bearer's rate
    at its maximum, no hourly budget in the way (quiet hours are off)."""
    return KannelGateway(os.path.join(OUT, name),
                         extra_kentongan="hourly_budget = 1000000\n",
                         extra_kannel="send_per_second = 10000\n")


def start_gateway(gw):
    # not -v: a site runs without it, and debug lines cost per SMS
    gw.logf = open(gw.log, "a")
    gw.proc = subprocess.Popen([KENTONGAN, "run", "-c", gw.config],
                               stdout=gw.logf, stderr=gw.logf)
    wait_until("gateway running", lambda: "kentongan running" in gw.read_log())


def reader_of(db):
    return sqlite3.connect("file:%s?mode=ro" % db, uri=True, timeout=10)


def out_states(c):
    # the counts the store keeps (row_counts), not a scan of the outbox
    return dict(c.execute("SELECT state, SUM(n) FROM row_counts WHERE tbl = 'out'"
                          " AND kind = 'broadcast' GROUP BY state").fetchall())


def mt_gateway(n):
    gw = gateway("mt-gateway")
    site = Site(gw)
    try:
        site.start()
        site.want_got = n
        csv = os.path.join(gw.dir, "warga.csv")
        with open(csv, "w") as f:
            f.write("number,name,role,desa\n")
            for i in range(n):
                f.write("%s,Warga %d,warga,3322012005\n" % (mt_number(i + 1), i + 1))
        gw.cli("contacts", "import", csv)
        start_gateway(gw)
        cpu = kannel_cpu(site, gateway=gw.proc)
        c = reader_of(gw.db)
        cpu.start()
        t0 = time.monotonic()
        out = gw.cli("broadcast", "WARGA", TEXT).stdout.strip()
        t_cmd = time.monotonic()
        marks = {}
        done = ("accepted", "sent", "delivered")
        while "dlr" not in marks or "arr" not in marks:
            s = out_states(c)
            now = time.monotonic()
            if "first" not in marks and s.get("queued", 0) < n:
                marks["first"] = now
            if "acc" not in marks and sum(s.get(k, 0) for k in done) == n:
                marks["acc"] = now
            if "arr" not in marks and site.got_all_at:
                marks["arr"] = site.got_all_at
                cpu.stop()
            if "dlr" not in marks and s.get("delivered", 0) == n:
                marks["dlr"] = now
            if sum(v for k, v in s.items() if k not in done + ("queued", "sending")):
                raise SystemExit("bench-kannel: gateway: rows %r" % s)
            if now - t0 > DEADLINE:
                raise SystemExit("bench-kannel: gateway: after %d s: %r" % (DEADLINE, s))
            time.sleep(POLL)
        check_arrived(site, n, "gateway")
        # Through 'sending', committed before the call: the update that
        # sets it adds the try and names the bearer (a report moves only
        # a row that names it); 'accepted' moves only a 'sending' row and
        # sets parts_sent (a report may overtake the 202's record).
        row = c.execute("SELECT COUNT(*), SUM(tries = 1 AND modem = 'kannel'),"
                        " SUM(parts_sent = 1), SUM(delivered_at IS NOT NULL),"
                        " COUNT(DISTINCT number) FROM outbox WHERE purpose = 'broadcast'"
                        ).fetchone()
        c.close()
        total, through_sending, recorded_202, delivered, numbers = row
        if not (total == through_sending == delivered == numbers == n):
            raise SystemExit("bench-kannel: gateway: %d rows, %d went through sending, "
                             "%d delivered, %d numbers; not %d" % (
                                 total, through_sending, delivered, numbers, n))
        return dict(cmd=t_cmd - t0, first=marks["first"] - t0, acc=marks["acc"] - t0,
                    arr=marks["arr"] - t0, dlr=marks["dlr"] - t0, out=out,
                    recorded_202=recorded_202, cpu=cpu)
    finally:
        gw.stop()
        site.stop()


def feed_all(site, n, cpu, what, arrived):
    """Feed the N MO lines; (first fed, all arrived, CPU meanwhile)."""
    cpu.start()
    t0 = site.feed([mo_line(i + 1) for i in range(n)])
    wait_for(what, arrived)
    t1 = time.monotonic()
    cpu.stop()
    wait_for("fakesmsc fed", lambda: site.fed_all_at)
    return t0, t1, cpu


def mo_kannel(n):
    bare = Bare("mo-kannel")
    site = Site(bare, feed=True)
    try:
        site.start()
        t0, t1, cpu = feed_all(site, n, kannel_cpu(site, bare_http=bare.proc),
                               "Kannel alone: all MO at the bare server",
                               lambda: bare.count() >= n)
        time.sleep(1)       # a call too many would come now
        got = bare.count()
        if got != n:
            raise SystemExit("bench-kannel: the bare server got %d MO, not %d" % (got, n))
        return dict(stored=t1 - t0, fed=site.fed_all_at - t0, cpu=cpu)
    finally:
        site.stop()
        bare.stop()


def mo_gateway(n):
    gw = gateway("mo-gateway")
    site = Site(gw, feed=True)
    try:
        site.start()
        start_gateway(gw)
        c = reader_of(gw.db)
        t0, t1, cpu = feed_all(site, n, kannel_cpu(site, gateway=gw.proc),
                               "gateway: all MO stored", lambda: c.execute(
                                   "SELECT COUNT(*) FROM sms_in").fetchone()[0] >= n)
        # each sender is answered (the unknown-command help) through the
        # same Kannel, meanwhile: Kannel alone has no such load
        replied = c.execute("SELECT COUNT(*) FROM outbox WHERE purpose = 'reply' AND"
                            " state IN ('accepted','sent','delivered')").fetchone()[0]
        wait_for("gateway: all MO processed", lambda: c.execute(
            "SELECT COUNT(*) FROM messages WHERE state != 'received'").fetchone()[0] >= n)
        t2 = time.monotonic()
        # the replies wait while MO pour in (intake first): when the last
        # one was taken is what a sender feels
        wait_for("gateway: every reply taken by Kannel", lambda: c.execute(
            "SELECT COUNT(*) FROM outbox WHERE purpose = 'reply' AND"
            " state IN ('accepted','sent','delivered')").fetchone()[0] >= n)
        t3 = time.monotonic()
        time.sleep(1)       # a retry of smsbox's would come now
        rows, ids, texts, replies = c.execute(
            "SELECT COUNT(*), COUNT(DISTINCT kannel_id), COUNT(DISTINCT text),"
            " (SELECT COUNT(*) FROM outbox WHERE purpose = 'reply') FROM sms_in"
            " WHERE modem = 'kannel'").fetchone()
        c.close()
        if not rows == ids == texts == n:
            raise SystemExit("bench-kannel: gateway: %d MO stored, %d Kannel ids, "
                             "%d texts; not %d" % (rows, ids, texts, n))
        return dict(stored=t1 - t0, processed=t2 - t0, fed=site.fed_all_at - t0,
                    replies=replies, replied=replied, all_replied=t3 - t0, cpu=cpu)
    finally:
        gw.stop()
        site.stop()


def verdict(r):
    return "PASS" if r >= GOAL else "BELOW"


def run_mt_kannel(n):
    k = mt_kannel(n)
    print("  MT Kannel alone: %d accepted in %.2f s = %.0f SMS/s; all at fakesmsc at "
          "%.2f s = %.0f SMS/s; %d reports at the bare server at %.2f s; CPU %s"
          % (n, k["acc"], rate(n, k["acc"]), k["arr"], rate(n, k["arr"]), k["dlrs"],
             k["dlr"], k["cpu"]), flush=True)
    return k


def run_mt_gateway(n):
    g = mt_gateway(n)
    print("  MT gateway: %s in %.2f s, first sent at %.2f s; %d accepted at %.2f s = "
          "%.0f SMS/s (%.0f from the first); all at fakesmsc at %.2f s = %.0f SMS/s; "
          "each row through 'sending' (%d 202s recorded before a report); all %d "
          "'delivered' by their reports at %.2f s; CPU %s"
          % (g["out"], g["cmd"], g["first"], n, g["acc"], rate(n, g["acc"]),
             rate(n, g["acc"] - g["first"]), g["arr"], rate(n, g["arr"]),
             g["recorded_202"], n, g["dlr"], g["cpu"]), flush=True)
    return g


def run_mo_kannel(n):
    mk = mo_kannel(n)
    print("  MO Kannel alone: %d at the bare server in %.2f s = %.0f SMS/s (fakesmsc "
          "took the lines in %.2f s); CPU %s"
          % (n, mk["stored"], rate(n, mk["stored"]), mk["fed"], mk["cpu"]), flush=True)
    return mk


def run_mo_gateway(n):
    mg = mo_gateway(n)
    print("  MO gateway: %d stored once in %.2f s = %.0f SMS/s (fed in %.2f s), "
          "%d of the replies sent by then; all processed at %.2f s, %d replies "
          "queued, all taken by Kannel at %.2f s; CPU %s"
          % (n, mg["stored"], rate(n, mg["stored"]), mg["fed"], mg["replied"],
             mg["processed"], mg["replies"], mg["all_replied"], mg["cpu"]),
          flush=True)
    return mg


def pair(first, second, flip):
    """Both sides of one comparison back to back, Kannel alone first in
    one round and second in the next: a drift of the machine's speed
    through the run then falls on each side in turn."""
    if flip:
        b = second()
        return first(), b
    a = first()
    return a, second()


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2


def main():
    n = int(sys.argv[1] if len(sys.argv) > 1 else os.environ.get("KANNEL_BENCH_N", "10000"))
    rounds = int(os.environ.get("KANNEL_BENCH_ROUNDS", "3"))
    if not available() or not os.access(BARE, os.X_OK):
        raise SystemExit("bench-kannel: needs kannel and kannel-extras (sh mk/deps.sh "
                         "build test) and build/bench/bare_http (make bench-kannel)")
    print("bench-kannel: N = %d, %d rounds, %d calls in flight, Kannel log-level %d, "
          "%d cores; CPU in seconds" % (n, rounds, INFLIGHT, KANNEL_LOG_LEVEL,
                                        os.cpu_count()), flush=True)
    print("  the client on the bare server: %.0f calls/s (its ceiling)"
          % client_ceiling(n), flush=True)
    mts, mos = [], []
    for i in range(rounds):
        print(" round %d of %d" % (i + 1, rounds), flush=True)
        k, g = pair(lambda: run_mt_kannel(n), lambda: run_mt_gateway(n), i % 2)
        mk, mg = pair(lambda: run_mo_kannel(n), lambda: run_mo_gateway(n), i % 2)
        mt = {"accepted, from the command": g["acc"] / k["acc"],
              "accepted, from the first send": (g["acc"] - g["first"]) / k["acc"],
              "at fakesmsc, from the command": g["arr"] / k["arr"]}
        for what, r in mt.items():
            print("  MT ratio, %s: %.2f %s" % (what, 1 / r, verdict(1 / r)))
        r_mo = mk["stored"] / mg["stored"]
        print("  MO ratio, stored / at the bare server: %.2f %s" % (r_mo, verdict(r_mo)))
        mts.append((k["acc"] / g["acc"], rate(n, g["acc"]), rate(n, k["acc"])))
        mos.append((r_mo, rate(n, mg["stored"]), rate(n, mk["stored"])))
    r_mt, r_mo = median(m[0] for m in mts), median(m[0] for m in mos)
    print("kannel: MT %.0f / %.0f SMS/s = %.2f %s; MO %.0f / %.0f SMS/s = %.2f %s "
          "(medians of %d rounds; ratios by round MT %s, MO %s; goal %.2f, N = %d)"
          % (median(m[1] for m in mts), median(m[2] for m in mts), r_mt, verdict(r_mt),
             median(m[1] for m in mos), median(m[2] for m in mos), r_mo, verdict(r_mo),
             rounds, " ".join("%.2f" % m[0] for m in mts),
             " ".join("%.2f" % m[0] for m in mos), GOAL, n))


if __name__ == "__main__":
    main()
