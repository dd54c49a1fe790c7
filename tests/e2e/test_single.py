"""One daemon per database (a flock on <database>.lock), and the signals a
running daemon ignores. Second daemons run the real binary on the same
config, or on a copy with other ports, while the first one works."""

import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, Gateway, Suite, check, check_eq, free_port, in_mount_namespace, wait_until  # noqa: E402

N = 60


def second_daemon(config):
    """Start `run` on config; it must exit non-zero at once. Returns
    (stderr, seconds)."""
    t0 = time.monotonic()
    p = subprocess.Popen([BIN, "run", "-v", "-c", config],
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        out, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=20)
        raise AssertionError("a second daemon kept running: %s" % err[-2000:])
    took = time.monotonic() - t0
    check_eq(p.returncode, 1, "second daemon's exit code (%s)" % err)
    check("Sanitizer" not in err and "runtime error" not in err, err)
    return err, took


def refused_by(gw, err):
    pid = gw.proc.pid
    check(re.search(r"%s is held by PID %d\b" % (re.escape(gw.db + ".lock"), pid), err),
          "names the lock file and PID %d: %s" % (pid, err))
    # nothing was touched: no recovery, no modem worker, no listener
    for word in ("outbox", "worker", "listen", "modem up", "running"):
        check(word not in err, "%r in the refused daemon's log: %s" % (word, err))


def modem_files(gw):
    """The SMS left in the dummy modem's folders (it also keeps a log)."""
    top = os.path.join(gw.modem, "sms")
    return [os.path.join(d, f) for d, _, fs in os.walk(top) for f in fs]


def inject_range(gw, lo, hi):
    for i in range(lo, hi):
        gw.inject("+62813700%05d" % i, "ADUAN 3322012005 satu daemon %d" % i)


def test_second_daemon_refused():
    """60 SMS, a second daemon on the same config in the middle: refused at
    once; the first stores and answers every SMS exactly once."""
    port = free_port()
    gw = Gateway("single-same", extra="[admin]\nlisten = 127.0.0.1:%d\n" % port).start()
    try:
        inject_range(gw, 0, N // 2)
        err, took = second_daemon(gw.config)
        refused_by(gw, err)
        check(took < 5, "refused at once (%.1f s)" % took)
        # the CLI does not take the lock
        gw.cli("contacts", "list")
        gw.cli("export", "messages")
        inject_range(gw, N // 2, N)
        q = ("SELECT COUNT(*) FROM outbox WHERE purpose = 'reply' AND state = 'sent'")
        wait_until("%d replies sent" % N, lambda: gw.sql(q) == str(N), timeout=60)
        check_eq(gw.sql("SELECT COUNT(*), COUNT(DISTINCT dedup_key) FROM sms_in"),
                 "%d|%d" % (N, N), "sms_in rows")
        check_eq(gw.sql("SELECT COUNT(*), COUNT(DISTINCT text) FROM messages "
                        "WHERE state = 'processed'"), "%d|%d" % (N, N), "messages")
        check_eq(gw.sql("SELECT COUNT(*) FROM messages"), str(N), "no other message")
        check_eq(gw.sql("SELECT COUNT(*), COUNT(DISTINCT message_id), SUM(tries) "
                        "FROM outbox WHERE purpose = 'reply'"),
                 "%d|%d|%d" % (N, N, N), "one reply each, sent once")
        wait_until("modem folder empty", lambda: modem_files(gw) == [])
        check(gw.proc.poll() is None, "the first daemon still runs")
    finally:
        check_eq(gw.stop(), 0, "first daemon stops cleanly")


def test_other_ports_refused():
    """A second config with other ports but the same database."""
    port = free_port()
    gw = Gateway("single-ports", extra="[admin]\nlisten = 127.0.0.1:%d\n" % port).start()
    try:
        other = os.path.join(gw.dir, "other.ini")
        with open(gw.config) as f:
            text = f.read()
        with open(other, "w") as f:
            f.write(text.replace(":%d" % port, ":%d" % free_port()))
        err, _ = second_daemon(other)
        refused_by(gw, err)
        gw.inject("+6281370099999", "ADUAN 3322012005 masih jalan")
        wait_until("answered", lambda: gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == "1")
    finally:
        check_eq(gw.stop(), 0, "clean stop")


def test_restart_after_kill():
    """A killed daemon leaves its PID in the file but no lock."""
    gw = Gateway("single-kill").start()
    pid = gw.proc.pid
    gw.stop(signal.SIGKILL)
    with open(gw.db + ".lock") as f:
        check_eq(f.read().strip(), str(pid), "stale PID left")
    gw.start()
    try:
        with open(gw.db + ".lock") as f:
            check_eq(f.read().strip(), str(gw.proc.pid), "the new PID")
    finally:
        check_eq(gw.stop(), 0, "clean stop")


def is_socket(path):
    try:
        return stat.S_ISSOCK(os.stat(path).st_mode)
    except FileNotFoundError:
        return False


def test_command_wakes_daemon():
    """The daemon listens on <database>.wake while it runs: a command
    that wrote tells it to look now (not at its next look, 4 a second);
    one that only read says nothing. A second daemon, refused, leaves the
    first's socket; a killed one leaves a stale socket the next replaces;
    a clean stop removes it."""
    gw = Gateway("single-wake").start()
    wake = gw.db + ".wake"
    woken = "a command wrote: looking now"
    try:
        check(is_socket(wake), "no %s while the daemon runs" % wake)
        gw.cli("contacts", "list")
        time.sleep(0.5)
        check(woken not in gw.read_log(), "a command that only read woke it")
        gw.cli("contacts", "set", "+6281370011111", "--name", "Bu Sri", "--role", "warga",
               "--desa", "3322012005")
        wait_until("woken by the command", lambda: woken in gw.read_log(), timeout=10)
        err, _ = second_daemon(gw.config)
        refused_by(gw, err)
        check(is_socket(wake), "the refused daemon removed the first's socket")
        gw.stop(signal.SIGKILL)
        check(is_socket(wake), "a killed daemon's socket is left")
        gw.start()
        n = gw.read_log().count(woken)
        gw.cli("contacts", "set", "+6281370011112", "--name", "Pak Budi", "--role", "warga",
               "--desa", "3322012005")
        wait_until("the next daemon woken", lambda: gw.read_log().count(woken) > n,
                   timeout=10)
    finally:
        check_eq(gw.stop(), 0, "clean stop")
    check(not os.path.exists(wake), "%s outlived the daemon" % wake)


def test_no_lock_without_database():
    """create_database = no and no database: refused, no lock file made."""
    gw = Gateway("single-nodb")
    with open(gw.config) as f:
        text = f.read()
    with open(gw.config, "w") as f:
        f.write(text.replace("create_database = yes", "create_database = no"))
    err, _ = second_daemon(gw.config)
    check("not found" in err, err)
    check(not os.path.exists(gw.db + ".lock"), "no lock file")
    check(not os.path.exists(gw.db), "no database")


def test_usr_signals_ignored():
    """USR1, USR2 and HUP are logged and ignored; TERM stops cleanly."""
    gw = Gateway("single-signals").start()
    try:
        for sig in (signal.SIGUSR1, signal.SIGUSR2, signal.SIGHUP):
            gw.proc.send_signal(sig)
            wait_until("signal %d logged" % sig,
                       lambda: "signal %d (" % sig in gw.read_log())
        check(gw.proc.poll() is None, "still running")
        for i in range(3):
            gw.inject("+628137002000%d" % i, "ADUAN 3322012005 sinyal %d" % i)
        wait_until("answered", lambda: gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE state = 'sent'") == "3")
        check(gw.proc.poll() is None, "still running")
    finally:
        rc = gw.stop()
    check_eq(rc, 0, "SIGTERM exit code")
    log = gw.read_log()
    check("stopped" in log, "stopped cleanly")
    check("ignored" in log, "said it ignored them")


FULL_CHILD = "--full-disk-child"


def full_disk_child(dbdir):
    """In a private mount namespace: the database on a small tmpfs, made by
    one run that crashes, then the disk filled and the daemon started
    again."""
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dbdir], check=True)
    gw = Gateway("single-full")
    gw.use_database(os.path.join(dbdir, "kentongan.db"))
    gw.start()
    # a crash: the WAL and its index stay, so the database opens on a
    # full disk (after a clean stop SQLite could not make them again)
    gw.stop(signal.SIGKILL)
    os.unlink(gw.db + ".lock")
    with open(os.path.join(dbdir, "filler"), "wb", buffering=0) as f:
        try:
            while True:
                f.write(b"\0" * 4096)
        except OSError:
            pass
    gw.start()
    try:
        check("cannot write the PID in %s.lock" % gw.db in gw.read_log(), "warned")
        err, _ = second_daemon(gw.config)
        check("is held by another process" in err, err)
    finally:
        check_eq(gw.stop(), 0, "clean stop")


def test_full_disk_still_starts():
    """The PID is only for the message: a restart after a crash on a full
    disk still starts, and a second daemon is still refused."""
    workdir = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                           "out", "single-full-ns")
    if not in_mount_namespace(__file__, FULL_CHILD, workdir, timeout=120):
        print("     skipped: no private mount namespace here")


def main():
    if len(sys.argv) == 3 and sys.argv[1] == FULL_CHILD:
        full_disk_child(sys.argv[2])
        return
    s = Suite("e2e-single")
    s.run(test_second_daemon_refused)
    s.run(test_other_ports_refused)
    s.run(test_restart_after_kill)
    s.run(test_command_wakes_daemon)
    s.run(test_no_lock_without_database)
    s.run(test_full_disk_still_starts)
    s.run(test_usr_signals_ignored)
    s.finish()


if __name__ == "__main__":
    main()
