"""Client for the Kentongan modem emulator's control channel (stdlib only).

    from control import Emulator
    with Emulator(workdir) as emu:             # starts emulator.py, waits until ready
        emu.ctl.deliver("+6281234567890", "halo")
        ...gammu / the gateway uses device = emu.link ...
        emu.ctl.sent()

or talk to an already running emulator:

    ctl = ModemControl("/tmp/modem.ctl")
    ctl.set_ussd("*888#", "Sisa pulsa Rp 12.500")

Protocol: one JSON object per line over a Unix stream socket; every request
gets one JSON reply line with "ok": true/false (and "error" when false).
"""

import json
import os
import socket
import subprocess
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))


class ControlError(RuntimeError):
    pass


class ModemControl:
    def __init__(self, path, timeout=10.0):
        self.path = path
        self.timeout = timeout
        self._sock = None
        self._buf = b""

    # -- transport
    def _connect(self):
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        s.connect(self.path)
        self._sock = s
        self._buf = b""

    def close(self):
        if self._sock:
            self._sock.close()
            self._sock = None

    def call(self, cmd, **kw):
        """Send one request, return the reply dict; raise ControlError if not ok."""
        req = dict(kw, cmd=cmd)
        data = (json.dumps(req) + "\n").encode("utf-8")
        for attempt in (0, 1):
            try:
                if self._sock is None:
                    self._connect()
                self._sock.sendall(data)
                while b"\n" not in self._buf:
                    chunk = self._sock.recv(65536)
                    if not chunk:
                        raise ConnectionError("control socket closed")
                    self._buf += chunk
                break
            except (ConnectionError, BrokenPipeError, OSError):
                self.close()
                if attempt or cmd == "shutdown":
                    if cmd == "shutdown":
                        return {"ok": True}
                    raise
        line, _, self._buf = self._buf.partition(b"\n")
        res = json.loads(line.decode("utf-8"))
        if not res.get("ok"):
            raise ControlError(res.get("error", "unknown error"))
        return res

    # -- convenience wrappers
    def ping(self):
        return self.call("ping")

    def deliver(self, sender, text, coding=None, timestamp=None, concat=None, **kw):
        """Deliver an SMS to the SIM.  coding: None/'auto', '7bit', 'ucs2'.
        concat: dict(ref=, total=, seq=, ref16=False) to deliver a single part.
        Long texts without concat are split automatically (kw ref16=True for 16-bit refs)."""
        req = dict(kw, sender=sender, text=text)
        if coding:
            req["coding"] = coding
        if timestamp:
            req["timestamp"] = timestamp
        if concat:
            req["concat"] = concat
        return self.call("deliver", **req)

    def deliver_pdu(self, pdu):
        """pdu: hex SMS-DELIVER / SMS-STATUS-REPORT including the SMSC prefix."""
        return self.call("deliver_pdu", pdu=pdu)

    def fail_sends(self, count=1, error=500):
        return self.call("fail_sends", count=count, error=error)

    def fail_reports(self, count=1, status=0x41):
        return self.call("fail_reports", count=count, status=status)

    def fill_sim(self, **kw):
        return self.call("fill_sim", **kw)

    def set_capacity(self, size):
        return self.call("set_capacity", size=size)

    def clear_sim(self):
        return self.call("clear_sim")

    def drop(self, down_for=2.0):
        """Close the pty; reopen a new one at the same link after down_for s (None: until reconnect())."""
        return self.call("drop", down_for=down_for)

    def reconnect(self):
        return self.call("reconnect")

    def silence(self, seconds=None):
        """Stop answering for `seconds` (None: until resume())."""
        return self.call("silence", seconds=seconds)

    def resume(self):
        return self.call("resume")

    def set_send_delay(self, seconds):
        return self.call("set_send_delay", seconds=seconds)

    def set_report_delay(self, seconds):
        return self.call("set_report_delay", seconds=seconds)

    def set_report_mode(self, mode):
        return self.call("set_report_mode", mode=mode)

    def set_ussd(self, code, text, status=0, dcs=15):
        return self.call("set_ussd", code=code, text=text, status=status, dcs=dcs)

    def set_network(self, **kw):
        return self.call("set_network", **kw)

    def state(self):
        return self.call("state")

    def sent(self):
        return self.call("sent")["sent"]

    def stored(self):
        return self.call("stored")["stored"]

    def counters(self):
        return self.call("counters")["counters"]

    def clear_sent(self):
        return self.call("clear_sent")

    def shutdown(self):
        return self.call("shutdown")

    def wait_for(self, predicate, timeout=10.0, interval=0.1):
        """Poll state() until predicate(state) is truthy; return that state."""
        end = time.monotonic() + timeout
        while True:
            st = self.state()
            if predicate(st):
                return st
            if time.monotonic() > end:
                raise TimeoutError("condition not met within %.1fs" % timeout)
            time.sleep(interval)


class Emulator:
    """Start emulator.py as a subprocess in `workdir`; use as a context manager."""

    def __init__(self, workdir, *extra_args, python=sys.executable, startup_timeout=10.0):
        self.workdir = workdir
        os.makedirs(workdir, exist_ok=True)
        self.link = os.path.join(workdir, "modem")
        # A Unix socket path holds at most 108 bytes, and workdir lives
        # wherever the clone is: the socket goes in a short folder of its own.
        self.sockdir = tempfile.mkdtemp(prefix="kt-emu-", dir="/tmp")
        self.control_path = os.path.join(self.sockdir, "ctl")
        self.ready_file = os.path.join(workdir, "modem.ready")
        self.sent_log = os.path.join(workdir, "sent.jsonl")
        self.log = os.path.join(workdir, "emulator.log")
        self.extra_args = list(extra_args)
        self.python = python
        self.startup_timeout = startup_timeout
        self.proc = None
        self.ctl = None

    def start(self):
        os.makedirs(self.sockdir, exist_ok=True)
        try:
            os.unlink(self.ready_file)
        except FileNotFoundError:
            pass
        cmd = [self.python, os.path.join(HERE, "emulator.py"), "--pty-link", self.link,
               "--control", self.control_path, "--ready-file", self.ready_file,
               "--sent-log", self.sent_log, "--log", self.log] + self.extra_args
        self.proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
        end = time.monotonic() + self.startup_timeout
        while not os.path.exists(self.ready_file):
            if self.proc.poll() is not None:
                raise RuntimeError("emulator exited with %s" % self.proc.returncode)
            if time.monotonic() > end:
                self.stop()
                raise TimeoutError("emulator did not become ready")
            time.sleep(0.05)
        self.ctl = ModemControl(self.control_path)
        return self

    def write_gammurc(self, path=None, logfile=None):
        path = path or os.path.join(self.workdir, "gammurc")
        with open(path, "w") as fh:
            fh.write("[gammu]\ndevice = %s\nconnection = at\nmodel = at\n" % self.link)
            if logfile:
                fh.write("logfile = %s\nlogformat = textall\n" % logfile)
        return path

    def stop(self):
        if self.ctl:
            try:
                self.ctl.shutdown()
            except Exception:
                pass
            self.ctl.close()
        if self.proc and self.proc.poll() is None:
            try:
                self.proc.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.proc.terminate()
                try:
                    self.proc.wait(timeout=3)
                except subprocess.TimeoutExpired:
                    self.proc.kill()
                    self.proc.wait()
        # The next start() makes the folder again.
        shutil.rmtree(self.sockdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _main(argv):
    """CLI:  control.py SOCKET CMD [JSON-object | key=value ...]
    values in key=value are parsed as JSON when possible (count=2, seconds=null, concat='{"ref":1,...}')."""
    if len(argv) < 3:
        sys.stderr.write(_main.__doc__ + "\n")
        return 2
    path, cmd, rest = argv[1], argv[2], argv[3:]
    kw = {}
    if len(rest) == 1 and rest[0].lstrip().startswith("{"):
        kw = json.loads(rest[0])
    else:
        for item in rest:
            k, _, v = item.partition("=")
            try:
                kw[k] = json.loads(v)
            except ValueError:
                kw[k] = v
    try:
        res = ModemControl(path).call(cmd, **kw)
    except ControlError as e:
        sys.stderr.write("control error: %s\n" % e)
        return 1
    print(json.dumps(res, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv))
