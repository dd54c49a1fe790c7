#!/usr/bin/env python3
"""Monitoring that never freezes the loop, and says when intake stopped.

- The counts /metrics, /status and `kentongan status` show are kept as rows
  change (store migration 8): after SMS in and out, a broadcast, a row
  removed by hand and an upgrade of an older database, they equal a full
  count of the tables.
- /health, /metrics and /status answer while a CLI transaction holds the
  write lock: they never wait for it.
- A database the daemon cannot write (a read-only file, as a non-root
  user) is refused at start with the reason, not run with SMS left on the
  modem and /health saying ok. (A full disk, where intake stops while
  running, is in test_durability: /health is 503 with the reason there.)

How fast the answers are with a million rows is measured in `make bench`
(tests/bench/bench_status.py), not asserted here.
"""

import json
import os
import pwd
import signal
import sqlite3
import subprocess
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (BIN, Gateway, Suite, check, check_eq, free_port, http_get,  # noqa: E402
                     rewind_schema, wait_until)  # noqa: E402

# What the triggers keep, and the full counts they stand for.
KEPT = "SELECT tbl, kind, state, n FROM row_counts WHERE n != 0 ORDER BY 1, 2, 3"
FULL = ("SELECT * FROM (SELECT 'in', COALESCE(kind, ''), state, COUNT(*) FROM messages"
        " GROUP BY 2, 3 UNION ALL SELECT 'out', purpose, state, COUNT(*) FROM outbox"
        " GROUP BY 2, 3) ORDER BY 1, 2, 3")
DAYS_KEPT = "SELECT modem, day, sent, received FROM modem_days ORDER BY 1, 2"
DAYS_FULL = ("SELECT modem, day, SUM(s), SUM(r) FROM ("
             " SELECT modem, date(sent_at, 'unixepoch', 'localtime') AS day, 1 AS s, 0 AS r"
             " FROM outbox_parts UNION ALL"
             " SELECT modem, date(received_at, 'unixepoch', 'localtime'), 0, 1"
             " FROM sms_in WHERE is_report = 0) GROUP BY 1, 2 ORDER BY 1, 2")


def gateway(name):
    port = free_port()
    gw = Gateway(name, extra="[admin]\nlisten = 127.0.0.1:%d\n" % port)
    gw.admin = port
    return gw


def metrics_counts(port):
    """The kentongan_messages lines of /metrics, as sorted tuples."""
    st, text = http_get(port, "/metrics")
    check_eq(st, 200, "/metrics")
    rows = []
    for line in text.splitlines():
        if line.startswith("kentongan_messages{"):
            labels, n = line[len("kentongan_messages{"):].rsplit("} ", 1)
            d = dict(kv.split("=", 1) for kv in labels.split(","))
            if int(n):
                rows.append("%s|%s|%s|%s" % (d["direction"].strip('"'), d["kind"].strip('"'),
                                             d["state"].strip('"'), n))
    return "\n".join(sorted(rows))


def traffic(gw, prefix, n=6):
    """SMS of several kinds in, their replies out, and a broadcast."""
    path = os.path.join(gw.dir, "contacts-%s.csv" % prefix[-3:])
    with open(path, "w") as f:
        f.write("number,name,role,desa\n" + "".join(
            "%s%02d,Warga %d,warga,\n" % (prefix, i, i) for i in range(3)))
    gw.cli("contacts", "import", path)
    texts = ["ADUAN 3322012005 jalan rusak", "INFO", "BLAH blah", "STATUS T-999",
             "RAPAT 3322012005 5/11 RKP 12 8", ""]
    for i in range(n):
        gw.inject("%s%02d" % (prefix, i), texts[i % len(texts)])
    wait_until("processed", lambda: gw.sql(
        "SELECT COUNT(*) FROM messages WHERE state != 'received' AND number LIKE '%s%%'"
        % prefix) == str(n))
    gw.cli("broadcast", "WARGA", "Musdes RKP Desa hari Senin")
    wait_until("all sent", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE state IN ('queued','sending')") == "0", 30)


def test_counts_follow_rows():
    gw = gateway("monitoring-counts").start()
    try:
        traffic(gw, "+6281240000")
        full = gw.sql(FULL)
        check(full.count("\n") >= 4, "several kinds and states: %r" % full)
        check_eq(gw.sql(KEPT), full, "kept counts = full counts")
        check_eq(metrics_counts(gw.admin), "\n".join(sorted(full.splitlines())),
                 "/metrics shows them")
        check_eq(gw.sql(DAYS_KEPT), gw.sql(DAYS_FULL), "per-day counts")
        st, text = http_get(gw.admin, "/status")
        j = json.loads(text)
        sent, received = gw.sql(
            "SELECT sent, received FROM modem_days WHERE day = date('now', 'localtime')"
        ).split("|")
        check_eq((j["modems"][0]["sent_today"], j["modems"][0]["received_today"]),
                 (int(sent), int(received)), "/status today's counts")
        check(int(received) >= 6, "received today counted")
        # rows changed by hand (an operator's sqlite3) stay counted too
        gw.sql("DELETE FROM outbox WHERE purpose = 'broadcast' AND id = "
               "(SELECT MIN(id) FROM outbox WHERE purpose = 'broadcast');"
               "UPDATE messages SET kind = 'manual' WHERE id = (SELECT MIN(id) FROM messages)")
        check_eq(gw.sql(KEPT), gw.sql(FULL), "after a delete and an update by hand")
        queues = json.loads(gw.cli("status", "--format", "json").stdout)["queues"]
        check_eq(queues.get("in_unprocessed"), 0, "status --format json queues: %r" % queues)
        check_eq(queues.get("out_sent"), int(gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sent'")), "out_sent")
    finally:
        gw.stop()


def test_counts_after_upgrade():
    """A database of schema 7 (before the counts) gets them from its rows."""
    gw = gateway("monitoring-upgrade").start()
    traffic(gw, "+6281240100")
    check_eq(gw.stop(), 0, "clean stop")
    rewind_schema(gw, 7)
    gw.start()
    try:
        check(int(gw.sql("PRAGMA user_version")) >= 8, "migrated")
        check_eq(gw.sql(KEPT), gw.sql(FULL), "counts from the old rows")
        check_eq(gw.sql(DAYS_KEPT), gw.sql(DAYS_FULL), "per-day counts from the old rows")
        gw.inject("+628124010099", "INFO")
        wait_until("answered", lambda: gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE number = '+628124010099' AND state = 'sent'") == "1")
        check_eq(gw.sql(KEPT), gw.sql(FULL), "and kept after")
    finally:
        gw.stop()


def test_answers_while_cli_holds_the_lock():
    """A CLI transaction holds the write lock (here a BEGIN IMMEDIATE from
    Python, as a long import would): /health, /metrics and /status answer
    while it is held. Before, /health waited up to the 5 s busy timeout
    for the lock and then said 503 "database is locked"."""
    gw = gateway("monitoring-locked").start()
    try:
        hold = sqlite3.connect(gw.db, timeout=5, isolation_level=None)
        hold.execute("BEGIN IMMEDIATE")
        try:
            got = {}

            def ask():
                for path in ("/health", "/metrics", "/status"):
                    got[path] = http_get(gw.admin, path, timeout=30)
            t = threading.Thread(target=ask)
            t.start()
            t.join(4)
            check(not t.is_alive(), "answered while the lock was held: %r" % got)
        finally:
            hold.execute("ROLLBACK")
            hold.close()
        t.join()
        check_eq(got["/health"], (200, "ok\n"), "/health")
        check_eq(got["/metrics"][0], 200, "/metrics")
        check_eq(got["/status"][0], 200, "/status")
    finally:
        gw.stop()


def test_readonly_database_refused():
    """Run as a user who may not write the file: SQLite would open it
    read-only without a word, and every SMS would stay on the modem."""
    gw = gateway("monitoring-readonly").start()
    check_eq(gw.stop(), 0, "clean stop")
    nobody = pwd.getpwnam("nobody")
    for root, dirs, files in os.walk(gw.dir):
        for p in [root] + [os.path.join(root, f) for f in files]:
            os.chown(p, nobody.pw_uid, nobody.pw_gid)
    os.chmod(gw.db, 0o444)
    # its own session: a daemon that wrongly starts is killed with runuser
    p = subprocess.Popen(["runuser", "-u", "nobody", "--", BIN, "run", "-c", gw.config],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True)
    try:
        _, err = p.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.communicate()
        raise AssertionError("the daemon ran on a database it cannot write")
    check(p.returncode != 0, "refused (exit %d)" % p.returncode)
    check("cannot write the database %s (read-only file or file system" % gw.db in err,
          "says why: %s" % err[-600:])
    check("modem up" not in err, "no modem was started")


def main():
    s = Suite("e2e-monitoring")
    for t in (test_counts_follow_rows, test_counts_after_upgrade,
              test_answers_while_cli_holds_the_lock, test_readonly_database_refused):
        s.run(t)
    s.finish()


if __name__ == "__main__":
    main()
