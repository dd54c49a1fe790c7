#!/usr/bin/env python3
"""Issue 15, item 3: monitoring answers in under 10 ms with a million
messages and a million outbox rows, and a client polling /metrics does
not slow USSD.

The database gets BENCH_STATUS_ROWS (default 1,000,000) rows in messages
and as many in the outbox, spread over the past year. The reference is the
full count the loop ran before the kept counts (store migration 8), timed
here with Python's sqlite3 on the same file: that query ran on the loop
for every /metrics and /status. Then the daemon answers /health, /metrics
and /status (sequential requests over loopback, one connection each) and
`kentongan status` (a whole process each), and USSD first screens are
timed alone and while another client polls /metrics without pause.
"""

import os
import random
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))
from harness import BIN, Gateway, free_port, http_get  # noqa: E402

ROWS = int(os.environ.get("BENCH_STATUS_ROWS", "1000000"))
SECRET = "bench-status-secret-0123"
OLD_QUERIES = (
    # /metrics before migration 8
    "SELECT 'in', COALESCE(kind, ''), state, COUNT(*) FROM messages GROUP BY 2, 3"
    " UNION ALL SELECT 'out', purpose, state, COUNT(*) FROM outbox GROUP BY 2, 3",
    # /status's queues before migration 8
    "SELECT 'out_' || state, COUNT(*) FROM outbox GROUP BY state"
    " UNION ALL SELECT 'in_unprocessed', COUNT(*) FROM messages WHERE state = 'received'",
)


def fill(db, n):
    rnd = random.Random(15)
    now = int(time.time())
    kinds = ["rapat", "kader", "aduan", "aspirasi", "status", None]
    mstates = ["processed"] * 8 + ["rejected", "ignored"]
    purposes = ["reply"] * 6 + ["broadcast", "reminder", "ticket", "notify"]
    ostates = ["sent"] * 6 + ["delivered", "dead", "failed", "queued"]
    c = sqlite3.connect(db, isolation_level=None)
    c.execute("BEGIN")
    c.executemany(
        "INSERT INTO messages (number, number_raw, sender_class, received_at, text,"
        " state, kind) VALUES (?1, ?1, 0, ?2, 'bench', ?3, ?4)",
        (("+62812%07d" % (i % 50000), now - rnd.randrange(365 * 86400),
          rnd.choice(mstates), rnd.choice(kinds)) for i in range(n)))
    # queued rows due next year: the bench measures monitoring, not sending
    c.executemany(
        "INSERT INTO outbox (number, text, purpose, priority, state, next_at,"
        " created_at) VALUES (?1, 'bench', ?2, 0, ?3, ?4, ?4)",
        (("+62813%07d" % (i % 50000), rnd.choice(purposes), rnd.choice(ostates),
          now + 366 * 86400) for i in range(n)))
    c.execute("COMMIT")
    c.close()


def ms(samples):
    s = sorted(samples)
    return statistics.median(s) * 1e3, s[int(len(s) * 0.99) - 1] * 1e3


def time_get(port, path, n):
    out = []
    for _ in range(n):
        t = time.perf_counter()
        st, _ = http_get(port, path, timeout=60)
        out.append(time.perf_counter() - t)
        assert st in (200, 503), (path, st)
    return out


def ussd_once(port, i):
    body = urllib.parse.urlencode({"sessionId": "bench-%d" % i, "serviceCode": "*123#",
                                   "phoneNumber": "+6289%08d" % i, "text": ""}).encode()
    t = time.perf_counter()
    with urllib.request.urlopen("http://127.0.0.1:%d/ussd?key=%s" % (port, SECRET), body,
                                timeout=60) as r:
        r.read()
    return time.perf_counter() - t


def main():
    admin, ussd = free_port(), free_port()
    gw = Gateway("bench-status", extra="[admin]\nlisten = 127.0.0.1:%d\n"
                 "[ussd]\nlisten = 127.0.0.1:%d\nsecret = %s\n" % (admin, ussd, SECRET))
    gw.start()
    gw.stop()
    t = time.perf_counter()
    fill(gw.db, ROWS)
    print("bench-status: %d messages and %d outbox rows written in %.1f s"
          % (ROWS, ROWS, time.perf_counter() - t))

    c = sqlite3.connect(gw.db)
    old = []
    for _ in range(5):
        t = time.perf_counter()
        for q in OLD_QUERIES:
            c.execute(q).fetchall()
        old.append(time.perf_counter() - t)
    c.close()
    old_ms = statistics.median(old) * 1e3

    gw.start()
    try:
        rows = []
        for path in ("/health", "/metrics", "/status"):
            p50, p99 = ms(time_get(admin, path, 200))
            rows.append((path, p50, p99))
        cli = []
        for _ in range(20):
            t = time.perf_counter()
            subprocess.run([BIN, "status", "-c", gw.config, "--format", "json"], check=True,
                           capture_output=True)
            cli.append(time.perf_counter() - t)
        rows.append(("kentongan status (a process)", *ms(cli)))

        alone = [ussd_once(ussd, i) for i in range(300)]
        stop = threading.Event()
        polls = [0]

        def poll():
            while not stop.is_set():
                http_get(admin, "/metrics", timeout=60)
                polls[0] += 1
        th = threading.Thread(target=poll)
        th.start()
        try:
            polled = [ussd_once(ussd, 1000 + i) for i in range(300)]
        finally:
            stop.set()
            th.join()
    finally:
        gw.stop()

    print("bench-status: the full count /metrics and /status ran on the loop before: "
          "%.1f ms (median of 5, Python sqlite3 on the same file)" % old_ms)
    print("%-30s %10s %10s %14s" % ("answer", "p50 ms", "p99 ms", "before/now p50"))
    for name, p50, p99 in rows:
        ratio = "%.0fx" % (old_ms / p50) if name in ("/metrics", "/status") else "-"
        print("%-30s %10.2f %10.2f %14s" % (name, p50, p99, ratio))
    a50, a99 = ms(alone)
    b50, b99 = ms(polled)
    print("USSD first screen alone:          p50 %.2f ms, p99 %.2f ms" % (a50, a99))
    print("USSD while /metrics is polled:    p50 %.2f ms, p99 %.2f ms (%d polls; "
          "ratio to alone %.2f)" % (b50, b99, polls[0], b50 / a50))


if __name__ == "__main__":
    main()
