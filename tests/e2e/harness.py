"""Drive the real ./kentongan binary: its own config, dummy modem folder and
SQLite file under tests/out/<name>/. Tests wait on state with a deadline,
never on a fixed sleep."""

import csv
import io
import os
import shutil
import signal
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# KENTONGAN_BIN picks another build (tests/run-all.sh sets the sanitized one).
BIN = os.environ.get("KENTONGAN_BIN") or os.path.join(ROOT, "kentongan")


def free_port():
    """A TCP port on loopback that nothing listens on right now."""
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(what, fn, timeout=20.0, interval=0.05):
    """Poll fn until it returns a true value; fail with `what` at the deadline."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = fn()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError("timed out waiting for: %s (last: %r)" % (what, last))


def ini_merge(sections, fragment, section):
    """Read an INI fragment into sections (section name -> {key: value},
    both in order of first appearance); keys before any header belong to
    `section`. A key given again replaces the earlier value where it
    stands: the gateway refuses a key twice, so a test's overrides must
    replace the defaults, not follow them."""
    for line in fragment.splitlines():
        s = line.strip()
        if not s or s[0] in ";#":
            continue
        if s.startswith("[") and s.endswith("]"):
            section = s[1:-1].strip()
            sections.setdefault(section, {})
            continue
        key, _, value = s.partition("=")
        sections.setdefault(section, {})[key.strip()] = value.strip()
    return sections


def ini_text(sections):
    return "".join("[%s]\n%s\n" % (name, "".join("%s = %s\n" % kv for kv in keys.items()))
                   for name, keys in sections.items())


class Gateway:
    """One gateway instance with its own folder."""

    def __init__(self, name, extra_kentongan="", extra_gammu="", extra=""):
        self.dir = os.path.join(ROOT, "tests", "out", name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.modem = os.path.join(self.dir, "modem")
        self.db = os.path.join(self.dir, "kentongan.db")
        self.config = os.path.join(self.dir, "kentongan.ini")
        self.log = os.path.join(self.dir, "kentongan.log")
        # Tests run at any hour: no quiet hours and no daily cap unless
        # a test sets them (its extra keys replace these).
        sections = ini_merge({}, "[kentongan]\ndatabase = %s\ntimezone = Asia/Jakarta\n"
                             "create_database = yes\n"
                             "receive_interval = 1\nquiet_hours = none\ndaily_cap = 1000\n"
                             "[gammu]\ndevice = %s\nconnection = none\nmodel = dummy\n"
                             "send_per_minute = 600\n" % (self.db, self.modem), None)
        ini_merge(sections, extra_kentongan, "kentongan")
        ini_merge(sections, extra_gammu, "gammu")
        ini_merge(sections, extra, "gammu")
        with open(self.config, "w") as f:
            f.write(ini_text(sections))
        self.proc = None

    def start(self, *args):
        """Start the daemon (args: e.g. "--now", "2026-12-01T08:00") and
        wait until its modem is up."""
        before = self.read_log().count("modem up") if os.path.exists(self.log) else 0
        self.logf = open(self.log, "a")
        self.proc = subprocess.Popen([BIN, "run", "-v", "-c", self.config] + list(args),
                                     stdout=self.logf, stderr=self.logf)
        wait_until("modem up", lambda: self.read_log().count("modem up") > before)
        return self

    def stop(self, sig=signal.SIGTERM):
        if self.proc is None:
            return None
        self.proc.send_signal(sig)
        rc = self.proc.wait(timeout=20)
        self.proc = None
        self.logf.close()
        return rc

    def read_log(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def cli(self, *args, check=True, stdin=None):
        r = subprocess.run([BIN] + [args[0], "-c", self.config] + list(args[1:]),
                           capture_output=True, text=True, input=stdin)
        if check and r.returncode != 0:
            raise AssertionError("kentongan %s failed (%d): %s" %
                                 (" ".join(args), r.returncode, r.stderr))
        return r

    def inject(self, number, text, *opts):
        return self.cli("inject", *opts, number, text).stdout

    def inbox(self):
        d = os.path.join(self.modem, "sms", "1")
        return sorted(os.listdir(d)) if os.path.isdir(d) else []

    def export(self, kind):
        out = self.cli("export", kind).stdout
        return list(csv.DictReader(io.StringIO(out)))

    def use_database(self, path):
        """Keep the database at path (e.g. on a tmpfs a test mounted)."""
        import re
        self.db = path
        with open(self.config) as f:
            text = f.read()
        with open(self.config, "w") as f:
            f.write(re.sub(r"(?m)^database = .*", "database = " + path, text, count=1))

    def sql(self, query):
        # 'localtime' in a query means the gateway's zone, as in exports
        r = subprocess.run(["sqlite3", "-cmd", ".timeout 5000", self.db, query],
                           capture_output=True, text=True, check=True,
                           env=dict(os.environ, TZ="Asia/Jakarta"))
        return r.stdout.strip()


# What each migration of store/store_schema.c added, undone, so that a test can
# turn a database back into an older version's and check its upgrade. A
# migration that adds a table, a column or an index gets its line here
# (one that only rebuilds or uses IF NOT EXISTS can run again as it is).
SCHEMA_UNDO = {
    8: "DROP TABLE row_counts; DROP TABLE modem_days;"
       "DROP TRIGGER outbox_parts_count; DROP TRIGGER sms_in_count;"
       + "".join("DROP TRIGGER %s_count_%s;" % (t, op) for t in ("messages", "outbox")
                 for op in ("insert", "update", "delete")),
    10: "DROP INDEX sms_in_by_set; DROP INDEX sms_in_parts;"
        "ALTER TABLE sms_in DROP COLUMN part_set; ALTER TABLE contacts DROP COLUMN consent_at;",
    11: "ALTER TABLE messages DROP COLUMN smsc_time;",
    13: "DROP TABLE consent_kept;",
    14: "DROP TABLE meeting_sms; DROP INDEX meetings_by_date;"
        "ALTER TABLE meetings DROP COLUMN state; ALTER TABLE meetings DROP COLUMN reason;"
        "ALTER TABLE meetings DROP COLUMN changed_at; ALTER TABLE ticket_history DROP COLUMN desa_was;",
    15: "ALTER TABLE records DROP COLUMN duplicate_of; ALTER TABLE records DROP COLUMN reviewed_at;"
        "ALTER TABLE records DROP COLUMN review_note;",
    16: "DROP TABLE console_sessions; DROP TABLE users;",
    17: "DROP INDEX tickets_by_status;",
    18: "DROP INDEX tickets_by_created; DROP INDEX ticket_history_closed;"
        "DROP INDEX records_aspirations; DROP INDEX records_by_created;",
    # the outbox keeps its wider CHECK ('accepted'): no row of 18 breaks it
    19: "DROP INDEX sms_in_kannel_id; ALTER TABLE sms_in DROP COLUMN kannel_id;",
    20: "DROP INDEX outbox_held; ALTER TABLE modem_days DROP COLUMN failed;",
    21: "".join("DROP TRIGGER central_%s;" % t for t in (
        "in_insert", "in_update", "out_insert", "out_update", "records_insert",
        "records_update", "tickets_insert", "tickets_update", "history_insert",
        "contacts_insert", "contacts_update", "contacts_delete", "contact_desa_insert",
        "contact_desa_delete", "record_tickets", "villages_insert", "villages_update"))
        + "DROP TABLE central_changes; DROP TABLE central_state;"
          "DELETE FROM sqlite_sequence WHERE name = 'central_changes';",
    22: "DROP INDEX outbox_initiated_sent;",
    23: "DROP TABLE pantau; DROP TABLE kegiatan; DROP TABLE apbdes;",
}


def rewind_schema(gw, version):
    """Undo the migrations after version in gw's (stopped) database."""
    now = int(gw.sql("PRAGMA user_version"))
    undo = "".join(SCHEMA_UNDO.get(v, "") for v in range(now, version, -1))
    gw.sql(undo + "PRAGMA user_version = %d" % version)


def http_get(port, path, timeout=10):
    """GET on loopback: (status, body text); an HTTP error is a status too."""
    import urllib.error
    import urllib.request
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (port, path),
                                    timeout=timeout) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode()


def in_mount_namespace(script, flag, workdir, timeout=180):
    """Run `python3 script flag workdir` in a private mount namespace (as
    root; otherwise in a user namespace too), where the child mounts the
    small file systems it needs. Returns False when this machine allows
    neither (a probe mounts a tmpfs first); the child's failure raises."""
    import shutil as _shutil
    _shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    for pre in (["unshare", "-m"], ["unshare", "-r", "-m"]):
        probe = subprocess.run(pre + ["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs",
                                      workdir], capture_output=True)
        if probe.returncode == 0:
            break
    else:
        return False
    r = subprocess.run(pre + [sys.executable, os.path.abspath(script), flag, workdir],
                       capture_output=True, text=True, timeout=timeout)
    if r.returncode != 0:
        raise AssertionError("run in a mount namespace failed:\n" + r.stdout + r.stderr)
    return True


class Suite:
    """Runs test functions, prints one line per failure and the summary line
    tests/run-all.sh adds up."""

    def __init__(self, name):
        self.name = name
        self.passed = 0
        self.failed = 0

    def run(self, fn):
        t0 = time.monotonic()
        try:
            fn()
            self.passed += 1
            print("ok   %s (%.1fs)" % (fn.__name__, time.monotonic() - t0))
        except Exception:
            self.failed += 1
            print("FAIL %s" % fn.__name__)
            traceback.print_exc(file=sys.stdout)
        sys.stdout.flush()

    def finish(self):
        print("%s: %d passed, %d failed" % (self.name, self.passed, self.failed))
        sys.exit(1 if self.failed else 0)


def check(cond, msg="check failed"):
    if not cond:
        raise AssertionError(msg)


def check_eq(got, want, what=""):
    if got != want:
        raise AssertionError("%s: got %r, want %r" % (what, got, want))
