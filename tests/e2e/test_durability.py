"""Issue 8, items 2 and 3: durability of the store, disk full, and a missing
or damaged database at start-up. The real ./kentongan on the dummy modem.

- strace shows, for every SMS, the fsync of the WAL after the SMS was read
  and before the worker unlinks it from the (dummy) SIM.
- A full disk (test hook, and a real 1 MB tmpfs when a private mount
  namespace can be made): nothing leaves the modem, an ALARM is logged, and
  the gateway catches up once space is back.
- A missing database is an error unless create_database = yes; a garbage,
  truncated or zeroed-header file (with or without its WAL) gives a clear
  error, exit 1, and the file is left byte for byte as it was."""

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from harness import BIN, Gateway, Suite, check, check_eq, http_get, free_port, in_mount_namespace, wait_until  # noqa: E402


def sha(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def run_refused(gw, want):
    """Start the daemon on gw's config; it must exit 1 at once, saying want."""
    r = subprocess.run([BIN, "run", "-c", gw.config], capture_output=True,
                       text=True, timeout=20)
    check_eq(r.returncode, 1, "exit code (stderr: %s)" % r.stderr.strip())
    check(re.search(want, r.stderr), "error %r not in: %s" % (want, r.stderr))
    return r.stderr


def make_db(name):
    """A gateway that ran once, stored two SMS and stopped: a real database."""
    gw = Gateway(name).start()
    try:
        gw.inject("+6281300000001", "ADUAN 3322012005 jalan rusak")
        gw.inject("+6281300000002", "ADUAN 3322012005 lampu mati")
        wait_until("stored", lambda: gw.sql("SELECT COUNT(*) FROM messages "
                                            "WHERE state = 'processed'") == "2")
    finally:
        check_eq(gw.stop(), 0, "clean stop")
    return gw


def no_create(gw):
    with open(gw.config) as f:
        text = f.read()
    with open(gw.config, "w") as f:
        f.write(text.replace("create_database = yes", "create_database = no"))


# ---- missing and damaged databases -----------------------------------------

def test_missing_database_refused():
    gw = Gateway("durability-missing")
    no_create(gw)
    err = run_refused(gw, r"database not found .*create_database = yes")
    check(not os.path.exists(gw.db), "no database made: " + err)
    # the CLI follows the same rule
    r = gw.cli("export", "messages", check=False)
    check(r.returncode != 0 and "not found" in r.stderr, r.stderr)
    check(not os.path.exists(gw.db), "the CLI made no database either")


def test_first_run_creates():
    gw = Gateway("durability-create")
    gw.start()
    try:
        check("new database" in gw.read_log(), "creation logged")
        check(os.path.exists(gw.db), "made")
    finally:
        gw.stop()
    # a journal without its database: never a new one, even when allowed
    os.unlink(gw.db)
    with open(gw.db + "-wal", "wb") as f:
        f.write(b"\0" * 32)
    run_refused(gw, r"database missing but .*-wal is there")
    check(not os.path.exists(gw.db), "nothing made beside the journal")


def damaged(name, damage, want, keep_wal=False):
    gw = make_db(name)
    if keep_wal:
        # SIGKILL leaves the WAL with committed frames in it
        gw.start()
        try:
            gw.inject("+6281300000003", "ADUAN 3322012005 pipa bocor")
            wait_until("stored", lambda: gw.sql("SELECT COUNT(*) FROM messages") == "3")
        finally:
            gw.proc.kill()
        gw.proc.wait()
        gw.proc = None
        gw.logf.close()
        check(os.path.getsize(gw.db + "-wal") > 0, "WAL has frames")
    damage(gw.db)
    before = sha(gw.db)
    wal = sha(gw.db + "-wal") if os.path.exists(gw.db + "-wal") else None
    run_refused(gw, want)
    check_eq(sha(gw.db), before, "database left as it was")
    if wal:
        check_eq(sha(gw.db + "-wal"), wal, "WAL left as it was")


def garbage(path):
    with open(path, "wb") as f:
        f.write(b"this is not a database, it is a shopping list\n" * 200)


def truncate_half(path):
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.truncate(size // 2)


def zero_header(path):
    with open(path, "r+b") as f:
        f.write(b"\0" * 100)


def test_garbage_refused():
    damaged("durability-notadb", garbage, r"not a database.*damaged")


def test_truncated_refused():
    damaged("durability-truncated", truncate_half, r"damaged|malformed|integrity")


def test_zeroed_header_refused():
    damaged("durability-zeroed", zero_header, r"not a database.*damaged")


def test_zeroed_header_with_wal_refused():
    damaged("durability-zeroed-wal", zero_header, r"not a database.*damaged",
            keep_wal=True)


def test_truncated_with_wal_refused():
    damaged("durability-truncated-wal", truncate_half,
            r"damaged|malformed|integrity", keep_wal=True)


# ---- the fsync comes before the delete --------------------------------------

STRACE_LINE = re.compile(r"^(\d+) +(.*)$")


class traced:
    """The daemon on gw's config under strace -f with the given options;
    on leaving, stopped with SIGTERM (strace follows). .daemon is its pid,
    .trace the output file."""

    def __init__(self, gw, options):
        if shutil.which("strace") is None:
            raise AssertionError("strace is not installed (make deps)")
        self.gw, self.options = gw, options
        self.trace = os.path.join(gw.dir, "strace.txt")
        self.daemon = None

    def __enter__(self):
        self.logf = open(self.gw.log, "a")
        self.proc = subprocess.Popen(["strace", "-f", "-qq", "-y", "-o", self.trace] + self.options +
                                     [BIN, "run", "-v", "-c", self.gw.config],
                                     stdout=self.logf, stderr=self.logf)
        try:
            wait_until("modem up", lambda: "modem up" in self.gw.read_log(), 60)
            # strace's child is the daemon: stop that one, strace follows
            self.daemon = int(re.search(r"kentongan\[(\d+)\]", self.gw.read_log()).group(1))
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc):
        if self.daemon:
            os.kill(self.daemon, signal.SIGTERM)
        else:
            self.proc.kill()
        self.proc.wait(timeout=60)
        self.logf.close()


def test_strace_fsync_before_delete():
    gw = Gateway("durability-strace")
    # -z: successful calls only (the dummy driver probes every location)
    with traced(gw, ["-z", "-e", "trace=fsync,fdatasync,unlink,unlinkat,openat,clone,clone3"]) as t:
        n = 0
        for batch in (1, 5, 1, 8):      # single SMS and batches in one scan
            for i in range(batch):
                n += 1
                gw.inject("+62813100%05d" % n, "ADUAN 3322012005 nomor %d" % n)
            wait_until("inbox drained", lambda: gw.inbox() == [], 60)
        long = "ADUAN 3322012005 " + "saluran irigasi tersumbat lumpur. " * 8
        gw.inject("+6281310099999", long)
        wait_until("inbox drained", lambda: gw.inbox() == [], 60)
        wait_until("all stored", lambda: gw.sql(
            "SELECT COUNT(*) FROM messages") == str(n + 1), 30)
    trace, daemon = t.trace, t.daemon

    wal = gw.db + "-wal"
    inbox = os.path.join(gw.modem, "sms") + "/"
    events = []          # (kind, pid, path) in the order strace saw them
    threads = {}         # thread id -> the process that made it
    cloning = set()      # pids inside a clone of a thread
    pending = {}         # pid -> path of an fsync not yet returned
    with open(trace) as f:
        for line in f:
            m = STRACE_LINE.match(line)
            if not m:
                continue
            pid, call = int(m.group(1)), m.group(2)
            if re.match(r"clone3?\(.*CLONE_THREAD", call):
                c = re.search(r"\) = (\d+)$", call)
                if c:
                    threads[int(c.group(1))] = pid
                else:
                    cloning.add(pid)
                continue
            c = re.match(r"<\.\.\. clone3? resumed>.* = (\d+)$", call)
            if c:
                if pid in cloning:
                    threads[int(c.group(1))] = pid
                    cloning.discard(pid)
                continue
            s = re.match(r"(fsync|fdatasync)\(\d+<([^>]*)>( <unfinished \.\.\.>)?", call)
            if s:
                if s.group(3):
                    pending[pid] = s.group(2)
                else:
                    events.append(("sync", pid, s.group(2)))
                continue
            if re.match(r"<\.\.\. f(data)?sync resumed>", call) and pid in pending:
                events.append(("sync", pid, pending.pop(pid)))
                continue
            o = re.match(r'openat\([^"]*"([^"]+)", O_RDONLY', call)
            if o and o.group(1).startswith(inbox):
                events.append(("read", pid, o.group(1)))
                continue
            u = re.match(r'unlink(?:at)?\((?:[^"]*, )?"([^"]+)"', call)
            if u and u.group(1).startswith(inbox):
                events.append(("unlink", pid, u.group(1)))
    first_read = {}      # path -> index of its first read since its last unlink
    last_sync = -1
    deletes = 0
    for i, (kind, pid, path) in enumerate(events):
        if kind == "sync" and path == wal:
            # the daemon's sync thread, never the modem worker
            check_eq(threads.get(pid, pid), daemon, "the WAL is synced by the daemon")
            last_sync = i
        elif kind == "read":
            first_read.setdefault(path, i)
        elif kind == "unlink":
            r = first_read.pop(path, None)
            check(r is not None, "%s unlinked without being read" % path)
            check(last_sync > r, "%s: unlinked (event %d) with no fsync of the "
                  "WAL since it was read (event %d)" % (path, i, r))
            deletes += 1
    parts = int(gw.sql("SELECT COUNT(*) FROM sms_in"))
    check_eq(deletes, parts, "every stored SMS part unlinked once")
    print("     strace: %d SMS parts, each unlinked after an fsync of %s"
          % (deletes, os.path.basename(wal)))


def test_strace_ussd_ticket_after_fsync():
    """A USSD screen that shows a ticket number is sent only after an fsync
    of the WAL that began after the ticket's commit wrote it; the loop
    itself never waits for that fsync (the sync thread does)."""
    import urllib.parse
    import urllib.request
    port = free_port()
    gw = Gateway("durability-ussd", extra="[ussd]\nlisten = 127.0.0.1:%d\nsecret = s3-rahasia-durabilitas\n" % port)
    tickets = []
    with traced(gw, ["-s", "2000", "-e", "trace=fsync,fdatasync,pwrite64,read,readv,write,"
                     "writev,epoll_wait,clone,clone3"]) as t:
        for i in range(4):
            for text in ("2", "2*Kalisidi", "2*Kalisidi*Sumur kering %d" % i):
                body = urllib.parse.urlencode({
                    "sessionId": "dur-%d" % i, "serviceCode": "*123#", "networkCode": "51010",
                    "phoneNumber": "+6281377700%03d" % i, "text": text}).encode()
                with urllib.request.urlopen("http://127.0.0.1:%d/ussd?key=s3-rahasia-durabilitas" % port, body,
                                            timeout=20) as r:
                    answer = r.read().decode()
            check(answer.startswith("END Aduan diterima, tiket ADU-"), answer)
            tickets.append((i, answer.split("tiket ")[1].split(".")[0]))
    trace, daemon = t.trace, t.daemon
    wal = gw.db + "-wal"
    lines = [STRACE_LINE.match(l) for l in open(trace)]
    lines = [(int(m.group(1)), m.group(2)) for m in lines if m]
    for n, tiket in tickets:
        asked = [i for i, (pid, c) in enumerate(lines) if pid == daemon and "Sumur+kering+%d" % n
                 in c and re.match(r"readv?\(", c)]
        shown = [i for i, (pid, c) in enumerate(lines) if "tiket %s." % tiket in c
                 and re.match(r"writev?\(", c)]
        check(asked and shown, "%s: request and answer in the trace" % tiket)
        a, z = asked[-1], shown[0]
        # the ticket's commit: the loop's WAL writes until it next waits
        wrote = []
        for i in range(a, z):
            pid, c = lines[i]
            if pid != daemon:
                continue
            if c.startswith("epoll_wait("):
                break
            if c.startswith("pwrite64(") and "<%s>" % wal in c:
                wrote.append(i)
        check(wrote, "%s: its commit wrote the WAL" % tiket)
        synced = [i for i in range(wrote[-1], z) if re.match(r"f(data)?sync\(\d+<%s>" % re.escape(wal),
                                                           lines[i][1])]
        check(synced, "%s: shown with no fsync of the WAL since its commit" % tiket)
        check(not any(lines[i][0] == daemon and re.match(r"f(data)?sync\(", lines[i][1])
                      for i in range(a, z)), "%s: the loop waited for the disk itself" % tiket)
    print("     strace: %d USSD tickets, each shown after an fsync of %s by the sync thread"
          % (len(tickets), os.path.basename(wal)))


# ---- disk full -------------------------------------------------------------

def disk_full_cycle(gw, fill, free, n=5, prefix="+62813200", admin=None):
    """With the disk full: SMS stay on the modem and an ALARM is logged, again
    after each ack_timeout, and /health (on the admin port, when given) is
    503 with the reason; with space back they are stored once and answered,
    and /health is 200 again."""
    if admin:
        check_eq(http_get(admin, "/health"), (200, "ok\n"), "healthy before")
    fill()
    alarms = gw.read_log().count("(disk full)")
    for i in range(n):
        gw.inject("%s%04d" % (prefix, i), "ADUAN 3322012005 penuh %d" % i)
    wait_until("ALARM (disk full)", lambda: gw.read_log().count("(disk full)") > alarms, 30)
    # read again after ack_timeout (2 s), still not stored, still on the SIM
    wait_until("ALARM again", lambda: gw.read_log().count("(disk full)") > alarms + 1, 30)
    check(re.search(r"ALARM: gammu: cannot store \d+ SMS, left on the modem: .*\(disk full\)",
                    gw.read_log()), "alarm text")
    check_eq(len(gw.inbox()), n, "nothing deleted from the modem")
    check_eq(gw.sql("SELECT COUNT(*) FROM sms_in WHERE number LIKE '%s%%'" % prefix),
             "0", "nothing stored")
    if admin:
        st, text = http_get(admin, "/health")
        check_eq(st, 503, "intake stopped: /health")
        check("cannot store SMS, left on the modem" in text and "(disk full)" in text,
              "/health says why: %r" % text)
    free()
    wait_until("inbox drained", lambda: gw.inbox() == [], 30)
    wait_until("stored and answered", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE state = 'sent' AND number LIKE '%s%%'"
        % prefix) == str(n), 30)
    check_eq(gw.sql("SELECT COUNT(*), COUNT(DISTINCT dedup_key) FROM sms_in "
                    "WHERE number LIKE '%s%%'" % prefix), "%d|%d" % (n, n), "stored once")
    if admin:
        check_eq(http_get(admin, "/health"), (200, "ok\n"), "healthy again")


def test_disk_full_hook():
    admin = free_port()
    gw = Gateway("durability-full", extra_kentongan="ack_timeout = 2",
                 extra="[admin]\nlisten = 127.0.0.1:%d\n" % admin)
    flag = os.path.join(gw.dir, "disk-full")
    os.environ["KENTONGAN_TEST_DISK_FULL"] = flag
    try:
        gw.start()
    finally:
        del os.environ["KENTONGAN_TEST_DISK_FULL"]
    try:
        check("test hook: commits fail" in gw.read_log(), "the hook says it is on")

        def fill():
            open(flag, "w").close()
        disk_full_cycle(gw, fill, lambda: os.unlink(flag), admin=admin)
    finally:
        check_eq(gw.stop(), 0, "clean stop")
    check_eq(gw.sql("PRAGMA integrity_check"), "ok", "integrity")


TMPFS_CHILD = "--tmpfs-child"


def tmpfs_child(workdir):
    """In a private mount namespace: the database on a 1 MB tmpfs, filled
    with a file until ENOSPC, then the file removed."""
    dbdir = os.path.join(workdir, "db")
    os.makedirs(dbdir, exist_ok=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dbdir], check=True)
    admin = free_port()
    gw = Gateway("durability-tmpfs", extra_kentongan="ack_timeout = 2",
                 extra="[admin]\nlisten = 127.0.0.1:%d\n" % admin)
    gw.use_database(os.path.join(dbdir, "kentongan.db"))
    gw.start()
    filler = os.path.join(dbdir, "filler")

    def fill():
        # an empty WAL must grow for the next commit: then fill every byte
        gw.sql("PRAGMA wal_checkpoint(TRUNCATE)")
        with open(filler, "wb", buffering=0) as f:
            try:
                while True:
                    f.write(b"\0" * 4096)
                    f.flush()
            except OSError:
                pass
    try:
        disk_full_cycle(gw, fill, lambda: os.unlink(filler), prefix="+62813300",
                        admin=admin)
        check("database or disk is full" in gw.read_log(), "SQLite said so")
    finally:
        gw.stop()
    check_eq(gw.sql("PRAGMA integrity_check"), "ok", "integrity")


def test_disk_full_tmpfs():
    workdir = os.path.join(os.path.dirname(HERE), "out", "durability-tmpfs-ns")
    if not in_mount_namespace(__file__, TMPFS_CHILD, workdir):
        print("     skipped: no private mount namespace here (the hook test covers it)")


# ---- a failed fsync ----------------------------------------------------------

def test_failed_sync_stops():
    """An fdatasync that fails (test hook: EIO while a file exists) stops the
    daemon with exit 1 and an ALARM; nothing committed after it leaves the
    SIM or is sent. Restarted on a good disk, every SMS is stored and
    answered once."""
    gw = Gateway("durability-syncfail")
    flag = os.path.join(gw.dir, "sync-fails")
    sent_log = os.path.join(gw.dir, "sent.log")
    os.environ["KENTONGAN_TEST_SYNC_FAIL"] = flag
    os.environ["KENTONGAN_SENT_LOG"] = sent_log
    try:
        gw.start()
    finally:
        del os.environ["KENTONGAN_TEST_SYNC_FAIL"]
    try:
        check("test hook: syncs fail" in gw.read_log(), "the hook says it is on")
        for i in range(3):
            gw.inject("+628134000010%d" % i, "ADUAN 3322012005 sebelum %d" % i)
        wait_until("answered", lambda: gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == "3", 30)
        wait_until("inbox drained", lambda: gw.inbox() == [], 30)
        open(flag, "w").close()
        for i in range(2):
            gw.inject("+628134000020%d" % i, "ADUAN 3322012005 sesudah %d" % i)
        rc = gw.proc.wait(timeout=30)
    finally:
        del os.environ["KENTONGAN_SENT_LOG"]
        if gw.proc.poll() is None:
            gw.proc.kill()
        gw.proc = None
        gw.logf.close()
    check_eq(rc, 1, "exit code after a failed sync")
    check(re.search(r"ALARM: writing the database to disk failed: Input/output error; stopping",
                    gw.read_log()), "alarm logged")
    check_eq(len(gw.inbox()), 2, "the SMS after the failure are still on the SIM")
    with open(sent_log) as f:
        sent_before = {int(line.split()[0]) for line in f}
    check_eq(len(sent_before), 3, "only the replies from before were sent")
    os.unlink(flag)
    gw.start()
    try:
        wait_until("inbox drained", lambda: gw.inbox() == [], 30)
        wait_until("all answered", lambda: gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == "5", 30)
    finally:
        check_eq(gw.stop(), 0, "clean stop")
    check_eq(gw.sql("SELECT COUNT(*), COUNT(DISTINCT number) FROM sms_in"), "5|5",
             "every SMS stored once")
    check_eq(gw.sql("SELECT COUNT(*), COUNT(DISTINCT message_id) FROM outbox"), "5|5",
             "one reply each")
    check_eq(gw.sql("PRAGMA integrity_check"), "ok", "integrity")


def test_consent_in_smsc_time_order():
    """Issue 15: BERHENTI and MULAI were applied in the order the SIM gave
    them, not the order they were sent. After an outage, P's MULAI (sent
    10:05) is read before P's BERHENTI (sent 10:00), in one batch; Q's
    BERHENTI (10:05) is handled before Q's MULAI (10:00) arrives. The one
    sent last stands; each sender still gets two answers, the second
    saying what stands."""
    gw = Gateway("durability-consent")
    p, q = "+6281300000051", "+6281300000052"
    try:
        # the outage: both of P's on the SIM before the daemon runs
        os.makedirs(os.path.join(gw.modem, "sms", "1"))
        gw.inject(p, "MULAI", "--time", "2026-11-28T10:05:00")
        gw.inject(p, "BERHENTI", "--time", "2026-11-28T10:00:00")
        gw.start()
        gw.inject(q, "BERHENTI", "--time", "2026-11-28T10:05:00")

        def replies(n):
            return gw.sql("SELECT o.text FROM outbox o JOIN messages m ON m.id = o.message_id "
                          "WHERE o.number = '%s' AND o.purpose = 'reply' ORDER BY m.id" % n).splitlines()
        wait_until("Q's BERHENTI answered", lambda: len(replies(q)) == 1)
        gw.inject(q, "MULAI", "--time", "2026-11-28T10:00:00")
        wait_until("two answers each", lambda: len(replies(p)) == 2 and len(replies(q)) == 2)
        opted = "SELECT opted_out FROM contacts WHERE number = '%s'"
        check_eq(gw.sql(opted % p), "0", "P: MULAI, sent last, stands")
        check_eq(gw.sql(opted % q), "1", "Q: BERHENTI, sent last, stands")
        rp, rq = replies(p), replies(q)
        check(rp[0].startswith("MULAI: nomor ini akan dikirimi"), "P's MULAI confirmed: %r" % rp[0])
        check(rq[0].startswith("BERHENTI: nomor ini tidak lagi"), "Q's BERHENTI confirmed: %r" % rq[0])
        # the answer to the older one says the truth of what stands, and
        # when each was sent, in the gateway's zone
        def sent(n, text):
            return gw.sql("SELECT strftime('%%d/%%m %%H:%%M', MIN(s.smsc_time), 'unixepoch', 'localtime') "
                          "FROM sms_in s JOIN messages m ON m.id = s.message_id WHERE m.number = '%s' "
                          "AND CAST(m.text AS TEXT) = '%s'" % (n, text))
        for n, text, older, newer, stands in ((p, rp[1], "BERHENTI", "MULAI", "tetap dikirimi"),
                                              (q, rq[1], "MULAI", "BERHENTI", "tetap tidak dikirimi")):
            want = "%s Anda (%s) tidak dipakai: %s Anda (%s)" % (older, sent(n, older), newer, sent(n, newer))
            check(text.startswith(want) and stands in text,
                  "the older %s's answer: %r, want %r..." % (older, text, want))
            check(len(text) <= 160, "one SMS: %d" % len(text))
        check_eq(gw.sql("SELECT COUNT(*) FROM messages WHERE number IN ('%s', '%s') AND note LIKE "
                        "'superseded%%'" % (p, q)), "2", "the older ones are noted")
        # what a broadcast does now follows
        gw.cli("broadcast", "SEMUA", "Kerja bakti Minggu")
        wait_until("P gets the broadcast", lambda: gw.sql(
            "SELECT state FROM outbox WHERE number = '%s' AND purpose = 'broadcast'" % p) == "sent")
        check_eq(gw.sql("SELECT COUNT(*) FROM outbox WHERE number = '%s' AND purpose = 'broadcast'" % q),
                 "0", "Q gets none")
        # a newer one still counts
        gw.inject(q, "MULAI", "--time", "2026-11-28T10:10:00")
        wait_until("Q back in", lambda: gw.sql(opted % q) == "0")
    finally:
        gw.stop()


def main():
    if len(sys.argv) == 3 and sys.argv[1] == TMPFS_CHILD:
        tmpfs_child(sys.argv[2])
        return
    s = Suite("e2e-durability")
    for t in (test_missing_database_refused, test_first_run_creates,
              test_garbage_refused, test_truncated_refused, test_zeroed_header_refused,
              test_zeroed_header_with_wal_refused, test_truncated_with_wal_refused,
              test_strace_fsync_before_delete, test_strace_ussd_ticket_after_fsync,
              test_disk_full_hook, test_disk_full_tmpfs, test_failed_sync_stops,
              test_consent_in_smsc_time_order):
        s.run(t)
    s.finish()


if __name__ == "__main__":
    main()
