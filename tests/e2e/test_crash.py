"""Issue 8, item 1: the crash loop. The real daemon receives SMS while the
daemon and its modem worker are killed together with SIGKILL at random
moments and restarted. Afterwards every SMS is stored exactly once, every
reply was queued exactly once, every reply left at least once (a row interrupted
while sending is retried, marked, up to send_max_tries times), and a reply
that left twice is always one whose send a kill interrupted. PRAGMA integrity_check is ok.

How a send is counted (docs/reliability.md):
- dummy modem: the worker appends "outbox_id part total" to the file named
  by KENTONGAN_SENT_LOG, fsynced, as soon as GSM_SendSMS returns for a part
  (the dummy driver keeps no copy of what it sends);
- AT emulator: the emulator's own sent log, i.e. the modem side.
A kill lands "inside a send" when, with both processes dead, an outbox row
is in state 'sending': committed as handed to the modem, result not yet
committed. Only such a row can be sent twice (it is retried at start-up).

Sizes: CRASH_SMS, CRASH_KILLS, CRASH_MODEM=dummy|at (and CRASH_AT_SMS,
CRASH_AT_KILLS for the AT run of `make test-crash`). The defaults are the
small run that `make test` does (about 30 s)."""

import collections
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "modem"))
from harness import BIN, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

SEED = int(os.environ.get("CRASH_SEED", "0")) or int(time.time())


def sender(i):
    return "+6281240%06d" % i


def text(i):
    return "ADUAN 3322012005 jalan rusak laporan nomor %d" % i


class Loop:
    """One crash-loop run on one modem kind."""

    def __init__(self, kind, nsms, nkills):
        self.kind, self.nsms, self.nkills = kind, nsms, nkills
        self.rng = random.Random(SEED)
        extra = ("ack_timeout = 2\nreplies_per_hour = 1000\nsend_retry_base = 1\n"
                 "modem_backoff_max = 1\nsend_timeout = 6\ncommand_timeout = 4\n")
        self.emu = None
        if kind == "at":
            from control import Emulator
            self.gw = Gateway("crash-at", extra_kentongan=extra)
            self.emu = Emulator(os.path.join(self.gw.dir, "emu"), "--sim-size", "50")
            self.emu.start()
            with open(self.gw.config) as f:
                cfg = f.read()
            cfg = cfg.replace("device = %s\nconnection = none\nmodel = dummy" % self.gw.modem,
                              "device = %s\nconnection = at\nmodel = at" % self.emu.link)
            with open(self.gw.config, "w") as f:
                f.write(cfg)
        else:
            self.gw = Gateway("crash-dummy", extra_kentongan=extra)
        self.sent_log = os.path.join(self.gw.dir, "sent.log")
        self.proc = None
        self.in_send = collections.Counter()   # outbox id -> kills inside its send
        self.kills_in_send = 0
        self.injected = 0

    # -- the daemon
    def start(self):
        env = dict(os.environ, KENTONGAN_SENT_LOG=self.sent_log)
        self.logf = open(self.gw.log, "a")
        # its own process group: the worker is in it too
        self.proc = subprocess.Popen([BIN, "run", "-c", self.gw.config], env=env,
                                     stdout=self.logf, stderr=self.logf,
                                     start_new_session=True)

    def kill(self):
        pgid = self.proc.pid
        os.killpg(pgid, signal.SIGKILL)
        self.proc.wait()
        self.logf.close()
        # the worker may take a moment to be reaped by init
        wait_until("worker gone", lambda: not group_alive(pgid), 10)
        rows = self.gw.sql("SELECT id FROM outbox WHERE state = 'sending'")
        ids = [int(x) for x in rows.split()] if rows else []
        if ids:
            self.kills_in_send += 1
        for i in ids:
            self.in_send[i] += 1

    # -- SMS in
    def inject(self, i):
        if self.kind == "at":
            self.emu.ctl.deliver(sender(i), text(i))
        else:
            self.gw.inject(sender(i), text(i))

    def injector(self, seconds):
        """Deliver every SMS, evenly over `seconds`."""
        t0 = time.monotonic()
        for i in range(self.nsms):
            delay = t0 + seconds * i / self.nsms - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.inject(i)
            self.injected = i + 1

    def modem_empty(self):
        if self.kind == "at":
            return self.emu.ctl.state()["used"] == 0 and not self.emu.ctl.state()["pending"]
        return self.gw.inbox() == []

    # -- what left the modem: (outbox id, part) -> times
    def sends(self):
        out = collections.Counter()
        if self.kind == "at":
            by_number = dict(l.split("|") for l in self.gw.sql(
                "SELECT number, id FROM outbox WHERE purpose = 'reply'").splitlines())
            with open(self.emu.sent_log) as f:
                for line in f:
                    r = json.loads(line)
                    if not r.get("ok"):
                        continue
                    seq = (r.get("concat") or {}).get("seq", 1)
                    out[(int(by_number[r["number"]]), seq)] += 1
            return out
        if not os.path.exists(self.sent_log):
            return out
        with open(self.sent_log) as f:
            for line in f:
                oid, part, _total = line.split()
                out[(int(oid), int(part))] += 1
        return out

    def run(self):
        t0 = time.monotonic()
        gw = self.gw
        if self.kind == "at":
            life, spread = (4.0, 10.0), 1.0 * self.nsms
        else:
            life, spread = (0.2, 2.0), 0.1 * self.nsms
        # the first start makes the database; kills start after that
        self.start()
        # The daemon makes the database, then the dummy modem's folders:
        # inject writes into those, so the first SMS waits for the modem.
        wait_until("database made and modem up", lambda: os.path.exists(gw.db)
                   and "modem up" in gw.read_log(), 30)
        th = threading.Thread(target=self.injector, args=(spread,), daemon=True)
        th.start()
        for k in range(self.nkills):
            time.sleep(self.rng.uniform(*life))
            self.kill()
            self.start()
        th.join()
        # the last run: everything must come through
        wait_until("modem empty", self.modem_empty, 120)
        wait_until("every SMS stored", lambda: gw.sql(
            "SELECT COUNT(*) FROM sms_in WHERE is_report = 0") == str(self.nsms), 120)
        wait_until("every reply final", lambda: gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE purpose = 'reply' AND state IN "
            "('sent','delivered','dead')") == str(self.nsms), 60 + self.nsms)
        self.proc.send_signal(signal.SIGTERM)
        check_eq(self.proc.wait(timeout=30), 0, "clean stop at the end")
        self.logf.close()
        if self.emu:
            self.emu.stop() if hasattr(self.emu, "stop") else self.emu.ctl.shutdown()
        self.seconds = time.monotonic() - t0
        return self.verify()

    def verify(self):
        gw = self.gw
        n = self.nsms
        # exactly-once storage: every SMS once, and nothing else
        check_eq(gw.sql("SELECT COUNT(*), COUNT(DISTINCT dedup_key) FROM sms_in "
                        "WHERE is_report = 0"), "%d|%d" % (n, n), "sms_in")
        texts = gw.sql("SELECT text FROM messages WHERE is_report = 0").splitlines()
        seen = collections.Counter(int(t.rsplit(" ", 1)[1]) for t in texts)
        check_eq(sorted(seen), list(range(n)), "every SMS has a message")
        check_eq(max(seen.values()), 1, "no message twice")
        # every reply queued exactly once
        check_eq(gw.sql("SELECT COUNT(*), COUNT(DISTINCT message_id) FROM outbox "
                        "WHERE purpose = 'reply'"), "%d|%d" % (n, n), "one reply each")
        check_eq(gw.sql("SELECT COUNT(*) FROM outbox WHERE purpose != 'reply'"), "0",
                 "nothing else queued")
        # what left the modem
        sends = self.sends()
        rows = gw.sql("SELECT id, state, parts FROM outbox WHERE purpose = 'reply'")
        dead = dead_unsent = 0
        missing = []
        for line in rows.splitlines():
            oid, state, parts = line.split("|")
            oid = int(oid)
            if state == "dead":
                dead += 1
                check(self.in_send[oid] > 5, "outbox %d dead without more "
                      "interrupted sends than send_max_tries (5)" % oid)
                if sends[(oid, 1)] == 0:
                    dead_unsent += 1
                continue
            for p in range(1, int(parts or 1) + 1):
                if sends[(oid, p)] == 0:
                    missing.append((oid, p))
        check_eq(missing, [], "every part of every sent reply left the modem")
        twice = sorted({oid for (oid, p), c in sends.items() if c > 1})
        outside = [oid for oid in twice if self.in_send[oid] == 0]
        check_eq(outside, [], "replies sent twice with no kill inside their send")
        check(len(twice) <= self.kills_in_send, "at most one duplicate per kill "
              "inside a send (%d > %d)" % (len(twice), self.kills_in_send))
        marked = int(gw.sql("SELECT COUNT(*) FROM outbox WHERE crash_retries > 0"))
        check_eq(gw.sql("PRAGMA integrity_check"), "ok", "integrity_check")
        self.figures = ("crash loop (%s): %d SMS, %d kills, %d inside a send, "
                        "%d sent twice (0 outside a send), %d dead after more "
                        "interrupted sends than send_max_tries (%d of them never "
                        "left), %d rows retried and marked, integrity ok, %.0f s (seed %d)" % (
                            self.kind, n, self.nkills, self.kills_in_send, len(twice),
                            dead, dead_unsent, marked, self.seconds, SEED))
        print("     " + self.figures)
        with open(os.path.join(gw.dir, "figures.txt"), "w") as f:
            f.write(self.figures + "\n")


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def make_test(kind, nsms, nkills):
    def test():
        loop = Loop(kind, nsms, nkills)
        try:
            loop.run()
        finally:
            # A failed run must not leave its daemon reading the modem
            # folder: a later run at the same path would lose SMS to it.
            if loop.proc is not None and loop.proc.poll() is None:
                os.killpg(loop.proc.pid, signal.SIGKILL)
                loop.proc.wait()
            if loop.emu:
                loop.emu.stop()
    test.__name__ = "test_crash_loop_%s_%d_sms_%d_kills" % (kind, nsms, nkills)
    return test


def main():
    s = Suite("e2e-crash")
    kinds = os.environ.get("CRASH_MODEM", "dummy").split(",")
    for kind in kinds:
        if kind == "at":
            nsms = int(os.environ.get("CRASH_AT_SMS", "60"))
            nkills = int(os.environ.get("CRASH_AT_KILLS", "10"))
        else:
            nsms = int(os.environ.get("CRASH_SMS", "200"))
            nkills = int(os.environ.get("CRASH_KILLS", "15"))
        s.run(make_test(kind, nsms, nkills))
    s.finish()


if __name__ == "__main__":
    main()
