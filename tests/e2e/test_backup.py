"""Issue 19 items 3 and 5: init, backup and restore, and the daemon's own
daily copies, through the real binary on real SQLite files.

A backup is taken while the daemon takes a steady stream of SMS (the
dummy modem's inbox) and USSD requests (its [ussd] listener): the copy
passes integrity_check, holds every message committed before it began
(and is one snapshot: no message missing below its newest), and the
daemon kept storing messages and answering USSD while it ran. Restored
into a fresh site, the copy is a database the daemon runs on. A restore
is refused while a daemon holds the database, and refuses a damaged
file, another SQLite file and a newer schema, touching nothing; a
restore over a database keeps it aside under a dated name. init makes a
database once and never over one. The daily copy is made at its time on
the daemon's clock (run --now), once (a restarted daemon finds it), the
newest `keep` stay; a missing folder or a full disk is an ALARM and the
daemon goes on; check-config names each bad key of [backup]."""

import glob
import os
import re
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import (BIN, ROOT, Gateway, Suite, check, check_eq, free_port,  # noqa: E402
                     in_mount_namespace, wait_until)
from test_hostile import deliver, sms_backup, ucs2  # noqa: E402

SECRET = "rahasia-backup-4242"
VILLAGES = os.path.join(ROOT, "tests", "fixtures", "villages.csv")
# About 100 MB of old messages: the copy then takes long enough for the
# stream to commit while it runs.
SEED_ROWS = 250000
FULL_CHILD = "--full-child"


def seed(gw, rows):
    """Fill gw's (stopped) database with rows of old, ignored messages."""
    gw.sql("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < %d) "
           "INSERT INTO messages (number, number_raw, sender_class, received_at, text, state) "
           "SELECT '+62812' || printf('%%07d', i), '+62812' || printf('%%07d', i), 0, "
           "1700000000 + i, randomblob(300), 'ignored' FROM n" % rows)


def sql_at(path, query):
    r = subprocess.run(["sqlite3", "-cmd", ".timeout 5000", path, query],
                       capture_output=True, text=True, check=True)
    return r.stdout.strip()


def rows_of(path, lo, hi):
    """(id, channel, number, text) of the messages with lo < id <= hi."""
    out = sql_at(path, "SELECT id || '|' || channel || '|' || number || '|' || hex(text) "
                       "FROM messages WHERE id > %d AND id <= %d ORDER BY id" % (lo, hi))
    return out.splitlines()


def ussd(port, session, phone, text):
    """One USSD request: (status, answer, seconds it took)."""
    url = "http://127.0.0.1:%d/ussd?key=%s" % (port, urllib.parse.quote(SECRET))
    data = urllib.parse.urlencode({"sessionId": session, "serviceCode": "*123*45#",
                                   "phoneNumber": phone, "networkCode": "51010",
                                   "text": text}).encode()
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
            return r.status, r.read().decode(), time.monotonic() - t0
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode(), time.monotonic() - t0
    except OSError as e:
        return 0, str(e), time.monotonic() - t0


class Stream:
    """SMS into the dummy modem and USSD complaints, steadily, until
    stopped; every USSD answer is kept with when it was asked."""

    def __init__(self, gw, port):
        self.gw, self.port = gw, port
        self.stop = threading.Event()
        self.answers = []       # (start, seconds, status, text)
        self.sms = 0
        self.threads = [threading.Thread(target=self.feed_sms)] + \
            [threading.Thread(target=self.feed_ussd, args=(k,)) for k in range(3)]

    def start(self):
        for t in self.threads:
            t.start()
        return self

    def finish(self):
        self.stop.set()
        for t in self.threads:
            t.join()

    def feed_sms(self):
        i = 0
        while not self.stop.is_set():
            deliver(self.gw.modem, sms_backup("+628133%06d" % i,
                                              ucs2("ADUAN 3322182002 selokan mampet %d" % i)))
            self.sms = i = i + 1
            time.sleep(0.05)

    def feed_ussd(self, k):
        i = 0
        while not self.stop.is_set():
            s, phone = "bk-%d-%d" % (k, i), "+628577%d%05d" % (k, i)
            for text in ("2", "2*3322182002", "2*3322182002*Lampu jalan mati %d-%d" % (k, i)):
                t0 = time.monotonic()
                st, answer, took = ussd(self.port, s, phone, text)
                self.answers.append((t0, took, st, answer))
            i += 1


def newest(path):
    return int(sql_at(path, "SELECT COALESCE(max(id), 0) FROM messages"))


def test_backup_under_a_stream_restored_into_a_fresh_site():
    port = free_port()
    gw = Gateway("backup-live", extra_kentongan="replies_per_hour = 1000\nhttp_timeout = 5",
                 extra="[ussd]\nlisten = 127.0.0.1:%d\npath = /ussd\nsecret = %s\n" % (port, SECRET))
    out = gw.cli("init").stdout
    check(out.startswith("new database " + gw.db), out)
    seed(gw, SEED_ROWS)
    seed_max = newest(gw.db)
    gw.cli("villages", "import", VILLAGES)
    dest = os.path.join(gw.dir, "copy.db")
    gw.start()
    stream = Stream(gw, port).start()
    try:
        wait_until("the stream is stored", lambda: newest(gw.db) > seed_max + 40, 60)
        # what was committed before the backup began
        before = newest(gw.db)
        before_rows = rows_of(gw.db, seed_max, before)
        seen = []
        live = sqlite3.connect("file:%s?mode=ro" % gw.db, uri=True, timeout=5)
        t0 = time.monotonic()
        proc = subprocess.Popen([BIN, "backup", "-c", gw.config, dest],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while proc.poll() is None:
            seen.append(live.execute("SELECT max(id) FROM messages").fetchone()[0])
            time.sleep(0.02)
        t1 = time.monotonic()
        live.close()
        stdout, stderr = proc.communicate()
        check_eq(proc.returncode, 0, "backup exit (%s)" % stderr.strip())
        check(re.match(r"backup of .* written to %s: schema version \d+, [\d.]+ MB, newest message "
                       r"#\d+ received .*; integrity checked" % re.escape(dest), stdout), stdout)
        print("     backup took %.2f s; %d messages committed meanwhile" % (
            t1 - t0, max(seen) - before if seen else 0))
        # the daemon kept receiving while the copy was made, and after
        check(seen and max(seen) > before, "messages committed during the backup: %r" % seen[-5:])
        wait_until("more after the backup", lambda: newest(gw.db) > max(seen) + 5, 30)
        during = [a for a in stream.answers if a[0] >= t0 and a[0] + a[1] <= t1 + 0.5]
        check(during, "USSD requests during the backup")
        check(all(a[2] == 200 and a[3][:4] in ("CON ", "END ") for a in during),
              "every USSD request answered: %r" % [a for a in during if a[2] != 200][:3])
        print("     %d USSD answers during the backup, the slowest %.3f s" % (
            len(during), max(a[1] for a in during)))
        check(max(a[1] for a in during) < 3, "USSD answers never waited for the copy")
        # restore is refused while the daemon runs, and touches nothing
        r = gw.cli("restore", dest, check=False)
        check_eq(r.returncode, 1, "restore while running")
        check(re.search(r"restore refused: another kentongan runs on this database: .*\.lock is held "
                        r"by PID %d; stop the gateway first" % gw.proc.pid, r.stderr), r.stderr)
        check_eq(glob.glob(gw.db + ".before-restore*"), [], "nothing moved aside")
    finally:
        stream.finish()
        gw.stop()
    check_eq(sql_at(dest, "PRAGMA integrity_check"), "ok", "the copy's integrity")
    check_eq(sql_at(dest, "PRAGMA journal_mode"), "delete", "the copy is one file")
    copy_max = newest(dest)
    check(copy_max >= before, "copy holds up to %d, %d were committed before" % (copy_max, before))
    # one snapshot: exactly the live database's messages up to its newest
    check_eq(rows_of(dest, seed_max, copy_max), rows_of(gw.db, seed_max, copy_max), "the copy's rows")
    check_eq(rows_of(dest, seed_max, before), before_rows, "every message committed before it began")
    check(newest(gw.db) > copy_max, "messages came after the snapshot too")
    check(int(sql_at(dest, "SELECT count(*) FROM messages WHERE channel = 'ussd'")) > 0, "USSD ones")

    # into a fresh site, where no database is (and none is made by itself)
    site = Gateway("backup-fresh", extra_kentongan="create_database = no")
    r = site.cli("restore", dest)
    check(re.search(r"^checked %s: integrity ok, schema version \d+" % re.escape(dest), r.stdout,
                    re.M), r.stdout)
    check("no database was at %s" % site.db in r.stdout, r.stdout)
    check("restored %s as %s; start the gateway again" % (dest, site.db) in r.stdout, r.stdout)
    check_eq(rows_of(site.db, seed_max, before), before_rows, "restored: every message before it began")
    check_eq(int(sql_at(site.db, "SELECT count(*) FROM messages WHERE id <= %d" % seed_max)), SEED_ROWS,
             "restored: the old ones")
    site.start()
    try:
        site.inject("+6281300000077", "ADUAN 3322182002 sesudah dipulihkan")
        wait_until("the restored site answers", lambda: site.sql(
            "SELECT state FROM messages WHERE number = '+6281300000077'") == "processed", 30)
        check_eq(newest(site.db), copy_max + 1, "the next message follows the copy's")
    finally:
        site.stop()

    # over a database: that one is kept aside, under a dated name
    live_max = newest(gw.db)
    r = gw.cli("restore", dest)
    m = re.search(r"moved the database aside: %s -> (%s\.before-restore-\d{8}-\d{6})" % (
        re.escape(gw.db), re.escape(gw.db)), r.stdout)
    check(m, r.stdout)
    check_eq(newest(m.group(1)), live_max, "the database kept aside has every message")
    check_eq(newest(gw.db), copy_max, "the restored one is the copy")
    check_eq(gw.sql("PRAGMA integrity_check"), "ok", "restored integrity")


def test_restore_refuses_bad_files():
    gw = Gateway("backup-refuse")
    gw.cli("init")
    good = os.path.join(gw.dir, "good.db")
    gw.cli("backup", good)
    bad = {
        "garbage.db": (None, "file is not a database"),
        "other.db": ("CREATE TABLE t (x);", "no Kentongan database"),
        "newer.db": ("PRAGMA user_version = 999;", "schema version 999, newer than this program's"),
    }
    with open(os.path.join(gw.dir, "garbage.db"), "wb") as f:
        f.write(b"not a database, only bytes; " * 100)
    sql_at(os.path.join(gw.dir, "other.db"), bad["other.db"][0])
    with open(good, "rb") as f, open(os.path.join(gw.dir, "newer.db"), "wb") as g:
        g.write(f.read())
    sql_at(os.path.join(gw.dir, "newer.db"), bad["newer.db"][0])
    with open(gw.db, "rb") as f:
        before = f.read()
    for name, (_, want) in sorted(bad.items()):
        r = gw.cli("restore", os.path.join(gw.dir, name), check=False)
        check_eq(r.returncode, 1, name)
        check("not restored: " in r.stderr and want in r.stderr, "%s: %s" % (name, r.stderr))
    r = gw.cli("restore", gw.db, check=False)
    check("is the database itself" in r.stderr, r.stderr)
    r = gw.cli("restore", os.path.join(gw.dir, "missing.db"), check=False)
    check("No such file or directory" in r.stderr, r.stderr)
    with open(gw.db, "rb") as f:
        check(f.read() == before, "the database was not touched")
    check_eq(glob.glob(gw.db + ".*"), [], "nothing moved aside, no lock taken")
    # a backup never replaces a file; a folder gets the daily name
    with open(good, "rb") as f:
        kept = f.read()
    r = gw.cli("backup", good, check=False)
    check_eq(r.returncode, 1, "backup over a file")
    check("exists already: a backup never replaces a file" in r.stderr, r.stderr)
    with open(good, "rb") as f:
        check(f.read() == kept, "the file there is untouched")
    usb = os.path.join(gw.dir, "usb")
    os.makedirs(usb)
    r = gw.cli("backup", usb)
    names = os.listdir(usb)
    check(len(names) == 1 and re.match(r"kentongan-\d{8}-\d{4}\.db$", names[0]), names)
    check_eq(sql_at(os.path.join(usb, names[0]), "PRAGMA integrity_check"), "ok", "folder copy")


def test_init_makes_one_database_once():
    gw = Gateway("backup-init", extra_kentongan="create_database = no")
    r = subprocess.run([BIN, "run", "-c", gw.config], capture_output=True, text=True, timeout=20)
    check_eq(r.returncode, 1, "no database, none made by run")
    r = gw.cli("init")
    check_eq(r.stdout.strip(), "new database %s (schema version %s)" % (
        gw.db, gw.sql("PRAGMA user_version")), "says where")
    check_eq(gw.sql("PRAGMA integrity_check"), "ok", "a database")
    check_eq(sorted(os.listdir(gw.dir)), ["kentongan.db", "kentongan.ini"], "nothing else left")
    r = gw.cli("init", check=False)
    check_eq(r.returncode, 1, "init twice")
    check("%s exists already: init makes a database only where there is none" % gw.db in r.stderr,
          r.stderr)
    os.rename(gw.db, gw.db + ".moved")
    with open(gw.db + "-wal", "wb") as f:
        f.write(b"\0" * 32)
    r = gw.cli("init", check=False)
    check_eq(r.returncode, 1, "a WAL without its database")
    check("%s-wal exists already" % gw.db in r.stderr, r.stderr)
    os.unlink(gw.db + "-wal")
    os.rename(gw.db + ".moved", gw.db)
    gw.start()
    gw.stop()
    # a folder that is not there yet is made
    gw2 = Gateway("backup-init-deep", extra_kentongan="create_database = no")
    gw2.use_database(os.path.join(gw2.dir, "var", "lib", "kentongan.db"))
    check(gw2.cli("init").stdout.startswith("new database " + gw2.db), "deep folder")


def copies(folder):
    return sorted(n for n in os.listdir(folder) if re.match(r"kentongan-\d{8}-\d{4}\.db$", n))


def test_daily_copy_at_its_time_once_and_pruned():
    usb = os.path.join(ROOT, "tests", "out", "backup-daily", "usb")
    gw = Gateway("backup-daily", extra="[backup]\ndir = %s\ntime = 02:00\nkeep = 3\n" % usb)
    os.makedirs(usb)
    for day in ("01", "02", "03", "04"):
        with open(os.path.join(usb, "kentongan-202701%s-0200.db" % day), "w") as f:
            f.write("old")
    for name in ("catatan.txt", "kentongan-20270105-0200.db.tmp-a1b2c3"):
        with open(os.path.join(usb, name), "w") as f:
            f.write("x")
    check_eq(gw.cli("check-config").stdout.strip(), "configuration OK", "check-config")
    # 02:05, and no copy since 02:00: made at start
    gw.start("--now", "2027-01-10T02:05")
    try:
        wait_until("the copy missed at 02:00", lambda: "kentongan-20270110-0205.db made" in gw.read_log())
        log = gw.read_log()
        check("backups: daily at 02:00 into %s, the newest 3 kept" % usb in log, log)
        check(re.search(r"backup %s/kentongan-20270110-0205\.db made: [\d.]+ MB in [\d.]+ s, integrity "
                        r"checked; 2 older copies removed \(keep = 3\)" % re.escape(usb), log), log)
        check("removed 1 unfinished copy an earlier run left in %s" % usb in log, log)
        # here the folder is on the database's disk, as a USB disk's mount
        # point is when the disk is not mounted
        check("warning: backup: %s is on the database's own disk" % usb in log, log)
        gw.inject("+6281300000101", "ADUAN 3322182002 sebelum salinan")
        wait_until("stored", lambda: gw.sql("SELECT count(*) FROM messages") == "1")
    finally:
        gw.stop()
    check_eq(copies(usb), ["kentongan-20270103-0200.db", "kentongan-20270104-0200.db",
                           "kentongan-20270110-0205.db"], "the newest three")
    check_eq(sorted(set(os.listdir(usb)) - set(copies(usb))), ["catatan.txt"], "the rest left alone")
    check_eq(sql_at(os.path.join(usb, "kentongan-20270110-0205.db"), "PRAGMA integrity_check"), "ok",
             "a sound copy")
    # restarted later that night: the folder holds today's copy already
    gw.start("--now", "2027-01-10T02:30")
    try:
        wait_until("looked", lambda: "holds a copy made since the last due time" in gw.read_log())
    finally:
        gw.stop()
    check_eq(len(copies(usb)), 3, "no second copy for one day")
    # the next night, on the scheduler's tick at 02:00 (from 01:59:50)
    gw.start("--now", "2027-01-11T01:59:50")
    try:
        wait_until("the copy at 02:00", lambda: "kentongan-20270111-0200.db made" in gw.read_log(), 100)
    finally:
        gw.stop()
    check_eq(copies(usb), ["kentongan-20270104-0200.db", "kentongan-20270110-0205.db",
                           "kentongan-20270111-0200.db"], "pruned to three")
    check_eq(sql_at(os.path.join(usb, "kentongan-20270111-0200.db"),
                    "SELECT CAST(text AS TEXT) FROM messages"), "ADUAN 3322182002 sebelum salinan",
             "what the database held")


def alarms_and_goes_on(gw, alarm, number):
    """gw's daemon logs a backup ALARM matching alarm, then still stores
    and answers an SMS from number, and stops cleanly."""
    try:
        wait_until("the alarm", lambda: "ALARM: backup into" in gw.read_log())
        check(re.search(alarm, gw.read_log()), gw.read_log())
        gw.inject(number, "ADUAN 3322182002 tetap jalan")
        wait_until("answered", lambda: gw.sql(
            "SELECT count(*) FROM outbox WHERE number = '%s' AND state = 'sent'" % number) == "1", 30)
    finally:
        check_eq(gw.stop(), 0, "a clean stop")


def test_missing_folder_alarms_and_the_daemon_goes_on():
    usb = os.path.join(ROOT, "tests", "out", "backup-nodir", "usb-not-mounted")
    gw = Gateway("backup-nodir", extra="[backup]\ndir = %s\n" % usb)
    r = gw.cli("check-config")
    check_eq(r.stdout, "configuration OK\n", "not an error: the daemon starts")
    check(re.search(r"kentongan\.ini:\d+: warning: \[backup\] dir: %s: No such file or directory \(each "
                    r"daily copy fails until it is there\)" % re.escape(usb), r.stderr), r.stderr)
    alarms_and_goes_on(gw.start(), r"ALARM: backup into %s failed: the folder %s does not exist \(a USB "
                       r"disk not plugged in or not mounted\?\); the next try is at \d{4}-\d\d-\d\d 02:00" % (
                           re.escape(usb), re.escape(usb)), "+6281300000202")


def test_stop_during_a_copy_leaves_no_partial_file():
    usb = os.path.join(ROOT, "tests", "out", "backup-stop", "usb")
    gw = Gateway("backup-stop", extra="[backup]\ndir = %s\n" % usb)
    os.makedirs(usb)
    gw.cli("init")
    seed(gw, SEED_ROWS)
    gw.logf = open(gw.log, "a")
    gw.proc = subprocess.Popen([BIN, "run", "-v", "-c", gw.config], stdout=gw.logf, stderr=gw.logf)
    wait_until("backups on", lambda: "backups: daily at" in gw.read_log())
    check_eq(gw.stop(), 0, "a clean stop")
    log = gw.read_log()
    check("stopped with the daemon; its partial file was removed" in log or
          re.search(r"kentongan-\d{8}-\d{4}\.db made", log), log)
    check_eq([n for n in os.listdir(usb) if ".tmp-" in n], [], "no partial file")


def full_child(workdir):
    """In a private mount namespace: the copies go to a 1 MB tmpfs."""
    usb = os.path.join(workdir, "usb")
    os.makedirs(usb, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", usb], check=True)
    gw = Gateway("backup-full", extra="[backup]\ndir = %s\n" % usb)
    gw.cli("init")
    seed(gw, 10000)
    alarms_and_goes_on(gw.start(), r"ALARM: backup into %s failed: .*(database or disk is full|No space "
                       r"left on device)" % re.escape(usb), "+6281300000303")
    check_eq(os.listdir(usb), [], "nothing left on the full disk")


def test_full_disk_alarms_and_the_daemon_goes_on():
    workdir = os.path.join(ROOT, "tests", "out", "backup-full-ns")
    if not in_mount_namespace(__file__, FULL_CHILD, workdir):
        print("     skipped: no private mount namespace here")


def test_check_config_names_each_bad_key():
    gw = Gateway("backup-config", extra="[backup]\ndir = %s\ntime = 2 pagi\nkeep = 0\nkeeep = 3\n" %
                 os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    r = gw.cli("check-config", check=False)
    check_eq(r.returncode, 1, "check-config")
    for want in (r"kentongan\.ini:\d+: \[backup\] dir: '.*villages\.csv' is not a folder",
                 r"kentongan\.ini:\d+: \[backup\] time must be HH:MM, not '2 pagi'",
                 r"kentongan\.ini:\d+: keep: number out of range '0'",
                 r"kentongan\.ini:\d+: unknown key 'keeep' in \[backup\]; did you mean 'keep'\?"):
        check(re.search(want, r.stderr), "%s not in: %s" % (want, r.stderr))
    r = subprocess.run([BIN, "run", "-c", gw.config], capture_output=True, text=True, timeout=20)
    check_eq(r.returncode, 1, "the daemon refuses it too")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == FULL_CHILD:
        full_child(sys.argv[2])
        return
    s = Suite("e2e-backup")
    for t in (test_backup_under_a_stream_restored_into_a_fresh_site, test_restore_refuses_bad_files,
              test_init_makes_one_database_once, test_daily_copy_at_its_time_once_and_pruned,
              test_missing_folder_alarms_and_the_daemon_goes_on,
              test_stop_during_a_copy_leaves_no_partial_file, test_full_disk_alarms_and_the_daemon_goes_on,
              test_check_config_names_each_bad_key):
        s.run(t)
    s.finish()


if __name__ == "__main__":
    main()
