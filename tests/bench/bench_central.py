"""Issue 21: the event loop does not feel the push to central. The same
gateway, the same load (wrk on the USSD endpoint with ussd_mix.lua, and
300 complaints at 40 a second through the dummy modem), measured in one
run twice: quiet (central caught up), and while a backlog of 100,000
captured rows goes to a private PostgreSQL 15 cluster. Rounds alternate;
the figures are medians. Prints USSD p50/p99 and req/s, the SMS handled a
second, the rows pushed during the window, and the ratios.
Usage: bench_central.py [BACKLOG] [ROUNDS]"""

import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from harness import BIN, ROOT, free_port, wait_until  # noqa: E402
import pg_site  # noqa: E402

BACKLOG = int(sys.argv[1]) if len(sys.argv) > 1 else 100000
ROUNDS = int(sys.argv[2]) if len(sys.argv) > 2 else 2
SECONDS = 8
SMS, SMS_RATE = 300, 40
SECRET = "bench-rahasia-ussd"
DIR = os.path.join(ROOT, "tests", "out", "bench-central")


class Gw:
    def __init__(self, pg):
        import shutil
        shutil.rmtree(DIR, ignore_errors=True)
        os.makedirs(DIR)
        self.port = free_port()
        self.db = os.path.join(DIR, "k.db")
        self.modem = os.path.join(DIR, "modem")
        self.ini = os.path.join(DIR, "k.ini")
        with open(self.ini, "w") as f:
            f.write("[kentongan]\ndatabase = %s\ncreate_database = yes\nquiet_hours = none\n"
                    "daily_cap = 1000\nreceive_interval = 1\nreplies_per_hour = 1000\n"
                    "[gammu]\ndevice = %s\nconnection = none\nmodel = dummy\n"
                    "send_per_minute = 600\n[ussd]\nlisten = 127.0.0.1:%d\nsecret = %s\n"
                    "[central]\nconninfo = %s\nsite = bench\ninterval = 1\n"
                    % (self.db, self.modem, self.port, SECRET, pg.conninfo()))
        subprocess.run([BIN, "villages", "-c", self.ini, "import",
                        os.path.join(ROOT, "tests", "fixtures", "villages.csv")],
                       check=True, capture_output=True)
        self.proc = None
        self.sent_sms = 0

    def start(self):
        self.log = open(os.path.join(DIR, "run.log"), "a")
        self.proc = subprocess.Popen([BIN, "run", "-c", self.ini], stdout=self.log,
                                     stderr=self.log)
        import socket
        wait_until("ussd listening", lambda: socket.socket().connect_ex(
            ("127.0.0.1", self.port)) == 0)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)
        self.log.close()

    def sql(self, q):
        db = sqlite3.connect(self.db, timeout=30)
        try:
            return db.execute(q).fetchall()
        finally:
            db.close()

    def backlog(self):
        return self.sql("SELECT COUNT(*) FROM central_changes")[0][0]


def add_backlog(gw, n):
    """n outbox rows, written with the gateway stopped: the triggers
    capture each (as they would a broadcast's)."""
    db = sqlite3.connect(gw.db, timeout=30)
    db.executemany("INSERT INTO outbox (number, text, purpose, priority, state, next_at,"
                   " created_at) VALUES (?, ?, 'broadcast', 0, 'sent', 0, ?)",
                   [("+628133%07d" % i, "Siaran musyawarah desa %d" % i, 1796000000 + i)
                    for i in range(n)])
    db.commit()
    db.close()


def load(gw, label):
    """wrk and the SMS feeder together; (req/s, p50, p99, sms/s)."""
    before = gw.sql("SELECT COUNT(*) FROM messages WHERE state = 'processed'")[0][0]
    feeder = subprocess.Popen([sys.executable, os.path.join(HERE, "sms_feeder.py"), gw.modem,
                               str(SMS), str(SMS_RATE), str(gw.sent_sms)])
    gw.sent_sms += SMS
    t0 = time.monotonic()
    out = subprocess.run(["wrk", "-t1", "-c16", "-d%ds" % SECONDS, "--latency", "-s",
                          os.path.join(HERE, "ussd_mix.lua"),
                          "http://127.0.0.1:%d/ussd" % gw.port],
                         capture_output=True, text=True,
                         env=dict(os.environ, USSD_SECRET=SECRET, USSD_ROUND=label)).stdout
    feeder.wait()
    wait_until("the SMS handled", lambda: gw.sql(
        "SELECT COUNT(*) FROM messages WHERE state = 'processed'")[0][0] >= before + SMS,
        timeout=120)
    sms_s = SMS / (time.monotonic() - t0)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    lat = {q: float(v) * {"us": 0.001, "ms": 1, "s": 1000}[u]
           for q, v, u in re.findall(r"\s(50|99)%\s+([\d.]+)(us|ms|s)\b", out)}
    return rps, lat["50"], lat["99"], sms_s


def main():
    if not pg_site.available():
        print("central: postgresql-15 not installed (make bench-deps); skipped")
        return
    # central is the kabupaten's server, not the gateway's box: here it
    # shares the two cores, so it runs below everything else (nice 19)
    # and the figures are the gateway's, not PostgreSQL's
    pg = pg_site.PgCluster("bench").start(nice=19)
    pg.createdb()
    gw = Gw(pg)
    quiet, busy, pushed = [], [], []
    try:
        gw.start()
        for r in range(ROUNDS):
            # both measured just after a start: only the backlog differs
            wait_until("caught up", lambda: gw.backlog() == 0, timeout=120)
            gw.stop()
            gw.start()
            quiet.append(load(gw, "q%d" % r))
            gw.stop()
            add_backlog(gw, BACKLOG)
            at_start = int(pg.psql("SELECT COUNT(*) FROM messages")[0][0])
            gw.start()
            t0 = time.monotonic()
            busy.append(load(gw, "b%d" % r))
            during = int(pg.psql("SELECT COUNT(*) FROM messages")[0][0]) - at_start
            wait_until("backlog pushed", lambda: gw.backlog() == 0, timeout=600)
            pushed.append((during, BACKLOG / (time.monotonic() - t0)))
    finally:
        if gw.proc is not None and gw.proc.poll() is None:
            gw.stop()
        pg.destroy()
    for r in range(ROUNDS):
        q, b = quiet[r], busy[r]
        print("central round %d: quiet ussd %.0f req/s p50 %.2f p99 %.2f ms, sms %.1f/s | "
              "pushing ussd %.0f req/s p50 %.2f p99 %.2f ms, sms %.1f/s, %d rows reached central "
              "in the window" % (r + 1, q[0], q[1], q[2], q[3], b[0], b[1], b[2], b[3],
                                 pushed[r][0]))
    med = lambda rows, i: statistics.median(x[i] for x in rows)
    print("central: USSD p99 %.2f ms quiet, %.2f ms while pushing a backlog of %d (ratio %.2f); "
          "req/s %.0f vs %.0f (ratio %.2f); SMS handled %.1f vs %.1f a second (ratio %.2f); "
          "the backlog went at %.0f rows/s (medians of %d rounds)"
          % (med(quiet, 2), med(busy, 2), BACKLOG, med(busy, 2) / med(quiet, 2),
             med(quiet, 0), med(busy, 0), med(busy, 0) / med(quiet, 0),
             med(quiet, 3), med(busy, 3), med(busy, 3) / med(quiet, 3),
             statistics.median(p[1] for p in pushed), ROUNDS))


if __name__ == "__main__":
    main()
