"""Issue 19 item 2: the gateway under systemd, at the protocol's edge.

No systemd runs here as PID 1, so the test plays its part with the real
binary: a datagram socket as $NOTIFY_SOCKET (a path, and an abstract
"@name"), WATCHDOG_USEC, and stderr as a "journal stream" whose
device:inode is in JOURNAL_STREAM. It checks READY=1 only once the loop
runs, WATCHDOG=1 at half the interval while it runs and none while the
process is stopped (SIGSTOP: what a hung loop looks like from outside),
STOPPING=1 at SIGTERM, WATCHDOG_PID of another process heeded, and the
journal's <N> priorities: info 6, warning 4, ALARM 3, so `journalctl -p
warning` shows the alarms. The unit itself is checked with systemd-analyze
(verify, and security --offline rated 3.0 or lower)."""

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from systemd_unit import exposure, verify  # noqa: E402
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

UNIT_IN = os.path.join(ROOT, "config", "kentongan.service.in")


class Notify:
    """The receiving end of $NOTIFY_SOCKET: every datagram, in order."""

    def __init__(self, abstract=False):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        if abstract:
            self.name = "@kentongan-test-%d" % os.getpid()
            self.sock.bind("\0" + self.name[1:])
            self.tmp = None
        else:
            # short: a socket path has 108 bytes at most
            self.tmp = tempfile.mkdtemp(prefix="kn-")
            self.name = os.path.join(self.tmp, "notify")
            self.sock.bind(self.name)
        self.sock.setblocking(False)
        self.got = []       # (monotonic time, text)

    def drain(self):
        while True:
            try:
                data = self.sock.recv(4096)
            except BlockingIOError:
                return self.got
            self.got.append((time.monotonic(), data.decode()))

    def lines(self, what):
        return [t for t, text in self.drain() if what in text.split("\n")]

    def close(self):
        self.sock.close()
        if self.tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


def start(gw, notify, **env):
    saved = dict(os.environ)
    os.environ["NOTIFY_SOCKET"] = notify.name
    os.environ.update(env)
    try:
        gw.start()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def test_ready_watchdog_stopping():
    gw = Gateway("service-notify")
    n = Notify()
    try:
        start(gw, n, WATCHDOG_USEC="400000")
        wait_until("READY=1", lambda: n.lines("READY=1"), timeout=10)
        ready = [text for _, text in n.got if "READY=1" in text][0]
        check("STATUS=running, 1 modem" in ready, "a status with it: %r" % ready)
        # READY only once "kentongan running" is logged: the loop is there
        check("kentongan running" in gw.read_log(), "ready after start-up")
        t0 = time.monotonic()
        time.sleep(2.0)
        pings = [t for t in n.lines("WATCHDOG=1") if t >= t0]
        # every 0.2 s: about 10 in 2 s; the loop is idle, so nearly all
        check(8 <= len(pings) <= 12, "WATCHDOG=1 every 200 ms: %d in 2 s" % len(pings))
        # a process that does not run sends nothing: systemd's watchdog
        # would fire after 0.4 s
        gw.proc.send_signal(signal.SIGSTOP)
        n.drain()
        t1 = time.monotonic()
        time.sleep(1.0)
        check_eq(len([t for t in n.lines("WATCHDOG=1") if t >= t1]), 0, "no ping while stopped")
        gw.proc.send_signal(signal.SIGCONT)
        wait_until("pings again", lambda: [t for t in n.lines("WATCHDOG=1") if t > t1 + 1.0],
                   timeout=5)
        check_eq(gw.stop(), 0, "clean stop")
        check(n.lines("STOPPING=1"), "STOPPING=1 at SIGTERM")
        check_eq(len(n.lines("READY=1")), 1, "READY=1 once")
    finally:
        if gw.proc:
            gw.stop(signal.SIGKILL)
        n.close()


def test_abstract_socket_and_someone_elses_watchdog():
    gw = Gateway("service-abstract")
    n = Notify(abstract=True)
    try:
        # WATCHDOG_PID names another process: its watchdog, not ours
        start(gw, n, WATCHDOG_USEC="200000", WATCHDOG_PID="1")
        wait_until("READY=1", lambda: n.lines("READY=1"), timeout=10)
        time.sleep(1.0)
        check_eq(len(n.lines("WATCHDOG=1")), 0, "no WATCHDOG=1 for another pid's watchdog")
        # the modem worker gets none of it: only the daemon speaks
        pids = subprocess.run(["pgrep", "-P", str(gw.proc.pid)], capture_output=True,
                              text=True).stdout.split()
        check(pids, "a modem worker runs")
        for pid in pids:
            with open("/proc/%s/environ" % pid, "rb") as f:
                env = f.read().split(b"\0")
            check(not any(e.startswith(b"NOTIFY_SOCKET=") for e in env),
                  "worker %s has no NOTIFY_SOCKET" % pid)
        check_eq(gw.stop(), 0, "clean stop")
        check(n.lines("STOPPING=1"), "STOPPING=1")
    finally:
        if gw.proc:
            gw.stop(signal.SIGKILL)
        n.close()


def test_journal_priorities():
    gw = Gateway("service-journal", extra_kentongan="ack_timeout = 2")
    flag = os.path.join(gw.dir, "disk-full")
    # the log file stands for the journal's stream: JOURNAL_STREAM names
    # its device and inode, as systemd does for a service's stderr
    open(gw.log, "a").close()
    st = os.stat(gw.log)
    saved = dict(os.environ)
    os.environ["JOURNAL_STREAM"] = "%d:%d" % (st.st_dev, st.st_ino)
    os.environ["KENTONGAN_TEST_DISK_FULL"] = flag
    try:
        gw.start()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    try:
        open(flag, "w").close()
        gw.inject("+6281340000101", "ADUAN 3322012005 jalan rusak")
        wait_until("the ALARM", lambda: "ALARM" in gw.read_log(), timeout=30)
        os.unlink(flag)
        check_eq(gw.stop(), 0, "clean stop")
    finally:
        if gw.proc:
            gw.stop(signal.SIGKILL)
    lines = gw.read_log().splitlines()
    ours = [l for l in lines if re.match(r"<\d>", l)]
    check(len(ours) >= 3, "lines with a priority: %r" % lines[:5])
    check(all(re.match(r"<\d>(info|debug|warning): ", l) for l in ours),
          "no time or pid in the journal (it keeps them): %r" % ours[:3])
    check(any(l.startswith("<6>info: kentongan running") for l in ours), "info is 6")
    alarms = [l for l in ours if "ALARM:" in l]
    check(alarms and all(l.startswith("<3>warning: ALARM: ") for l in alarms),
          "an ALARM is 3: %r" % alarms[:2])
    warns = [l for l in ours if l.startswith("<4>")]
    check(all("ALARM" not in l for l in warns), "warnings are 4, alarms are not among them")
    # a redirected stderr is not the journal, even with JOURNAL_STREAM set
    gw2 = Gateway("service-not-journal")
    saved = dict(os.environ)
    os.environ["JOURNAL_STREAM"] = "%d:%d" % (st.st_dev, st.st_ino)
    try:
        gw2.start()
    finally:
        os.environ.clear()
        os.environ.update(saved)
    check_eq(gw2.stop(), 0, "clean stop")
    check(not any(re.match(r"<\d>", l) for l in gw2.read_log().splitlines()),
          "the usual lines when stderr is a file of its own")


def unit_for(bindir, sysconfdir):
    with open(UNIT_IN) as f:
        text = f.read()
    return (text.replace("@BINDIR@", bindir).replace("@SYSCONFDIR@", sysconfdir)
            .replace("@DOCDIR@", "/usr/share/doc/kentongan"))


def test_unit_verified_and_exposure():
    if shutil.which("systemd-analyze") is None:
        raise AssertionError("systemd-analyze missing: make test-deps installs systemd")
    d = tempfile.mkdtemp(prefix="kentongan-unit-")
    try:
        path = os.path.join(d, "kentongan.service")
        # ExecStart names the clone's ./kentongan, whatever build the
        # tests run (KENTONGAN_BIN may be a sanitizer's, named otherwise)
        with open(path, "w") as f:
            f.write(unit_for(ROOT, "/etc"))
        verify(path)
        e = exposure(path)
        print("systemd-analyze security --offline: exposure %.1f" % e)
        check(e <= 3.0, "exposure %.1f above 3.0" % e)
        # and a unit that drops the sandbox is rated worse: the figure is real
        with open(path, "w") as f:
            f.write("\n".join(l for l in unit_for(ROOT, "/etc").splitlines()
                              if not l.startswith(("Protect", "Private", "SystemCall",
                                                   "Restrict", "Capability"))) + "\n")
        e2 = exposure(path)
        check(e2 > 5.0, "unsandboxed rated higher: %.1f" % e2)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    s = Suite("e2e-service")
    for t in (test_ready_watchdog_stopping, test_abstract_socket_and_someone_elses_watchdog,
              test_journal_priorities, test_unit_verified_and_exposure):
        s.run(t)
    s.finish()


if __name__ == "__main__":
    main()
