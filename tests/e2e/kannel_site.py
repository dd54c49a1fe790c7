"""A Kannel of its own for a test: the Debian bearerbox with a fake SMSC,
smsbox with a sendsms-user and the sms-service of docs/kannel.md, and
/usr/lib/kannel/test/fakesmsc connected as the SMSC, fed MO lines on its
standard input. All run as the current user with their files under
tests/out/<name>/kannel/, and a gateway with a [kannel] section and no
modem (KannelGateway)."""

import os
import re
import signal
import subprocess
import time
import urllib.parse

from harness import Gateway, free_port, ini_merge, ini_text, wait_until

BEARERBOX = "/usr/sbin/bearerbox"
SMSBOX = "/usr/sbin/smsbox"
FAKESMSC = "/usr/lib/kannel/test/fakesmsc"
SECRET = "kannel-test-secret-0123456789"
# the password needs URL-encoding: it must reach smsbox as it is
USER, PASSWORD = "kentongan", "sendsms&pw=+%41"
ADMIN_PASSWORD = "test-admin"
MO_URL = ("http://127.0.0.1:%d/kannel/mo?key=%s&id=%%I&from=%%p&to=%%P&time=%%T"
          "&smsc=%%i&coding=%%c&charset=%%C&text=%%b")
GOT = re.compile(r"Got message (\d+): <(\S+) (\S+) (text|ucs-2|data) ?(.*)>$")


def available():
    return all(os.access(p, os.X_OK) for p in (BEARERBOX, SMSBOX, FAKESMSC))


def file_text(path):
    """The text of a log ("" before it exists)."""
    if not os.path.exists(path):
        return ""
    with open(path, errors="replace") as f:
        return f.read()


def site_port():
    """A free TCP port below the ephemeral range. Another process binds it
    later (bearerbox, smsbox: again at each restart), and meanwhile any
    connection made on this machine may take a port of that range as its
    source: bearerbox then panics ("Address already in use"), as it did
    twice here with other work running."""
    import random
    import socket
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            low = int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        low = 32768
    for _ in range(200):
        port = random.randrange(max(low - 12000, 1024), low)
        if port in _given:
            continue
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
        _given.add(port)
        return port
    return free_port()


_given = set()      # not bound yet: site_port() must not give one twice


def listening(port):
    import socket
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


class KannelGateway(Gateway):
    """A gateway whose bearer is [kannel], with no [gammu] section unless
    asked for one."""

    def __init__(self, name, extra_kentongan="", extra_kannel="", extra_gammu=None):
        """extra_gammu: keep the dummy modem too, with these keys."""
        super().__init__(name, extra_kentongan=extra_kentongan,
                         extra_gammu=extra_gammu or "")
        self.listen_port = site_port()
        self.kannel = None
        with open(self.config) as f:
            sections = ini_merge({}, f.read(), None)
        if extra_gammu is None:
            del sections["gammu"]
        self.kannel_keys = sections["kannel"] = {}
        ini_merge(sections, "listen = 127.0.0.1:%d\nsecret = %s\nusername = %s\n"
                  "password = %s\nsend_per_second = 50\nfrom = 1234\n"
                  % (self.listen_port, SECRET, USER, PASSWORD) + extra_kannel, "kannel")
        self.sections = sections
        self.write_config()

    def write_config(self):
        with open(self.config, "w") as f:
            f.write(ini_text(self.sections))

    def use_kannel(self, site):
        self.sections["kannel"]["sendsms_url"] = \
            "http://127.0.0.1:%d/cgi-bin/sendsms" % site.sendsms_port
        self.write_config()

    def start(self, *args):
        before = self.read_log().count("kentongan running") if os.path.exists(self.log) else 0
        self.logf = open(self.log, "a")
        self.proc = subprocess.Popen([self.bin(), "run", "-v", "-c", self.config] + list(args),
                                     stdout=self.logf, stderr=self.logf)
        wait_until("gateway running", lambda: self.read_log().count("kentongan running") > before)
        return self

    @staticmethod
    def bin():
        from harness import BIN
        return BIN

    def add_contacts(self, numbers, role="pendamping"):
        """Import numbers as contacts of role (desa 3322012005)."""
        path = os.path.join(self.dir, "contacts-%s.csv" % numbers[0].lstrip("+"))
        with open(path, "w") as f:
            f.write("number,name,role,desa\n")
            for i, n in enumerate(numbers):
                f.write("%s,Pendamping %d,%s,3322012005\n" % (n, i, role))
        self.cli("contacts", "import", path)

    def mo_get(self, query, timeout=10):
        from harness import http_get
        return http_get(self.listen_port, "/kannel/mo?" + query, timeout)


class KannelSite:
    """bearerbox, smsbox and fakesmsc for one gateway listener; bearerbox
    with a store-file unless told another store (set_store)."""

    def __init__(self, gw, retry=20, delay=1, log_level=0, store="file", verbosity=None):
        self.dir = os.path.join(gw.dir, "kannel")
        os.makedirs(self.dir, exist_ok=True)
        self.admin_port, self.box_port, self.smsc_port, self.sendsms_port = (
            site_port(), site_port(), site_port(), site_port())
        self.conf = os.path.join(self.dir, "kannel.conf")
        self.procs = {}
        self.fake_log = os.path.join(self.dir, "fakesmsc.log")
        self.retry, self.delay, self.log_level = retry, delay, log_level
        # docs/kannel.md's smsbox group
        self.pending = 64
        # the boxes' own output (stderr): everything, down to each packet,
        # unless told a level (Debian's init script starts them with -v 4)
        self.verbosity = [] if verbosity is None else ["-v", str(verbosity)]
        self.mo_url = MO_URL % (gw.listen_port, SECRET)
        self.set_store(store)
        gw.use_kannel(self)

    def set_store(self, store):
        """bearerbox's store-type from its next start: "file" or "spool"
        (kept under the site's folder), or None for none (what bearerbox
        holds is then in its memory only)."""
        self.store = None
        if store == "file":
            self.store = os.path.join(self.dir, "kannel.store")
        elif store == "spool":
            self.store = os.path.join(self.dir, "spool")
            os.makedirs(self.store, exist_ok=True)
        store_lines = 'store-type = %s\nstore-location = "%s"\n' % (store, self.store) \
            if store else ""
        d = self.dir
        with open(self.conf, "w") as f:
            f.write("""group = core
admin-port = %d
admin-password = %s
smsbox-port = %d
box-allow-ip = "127.0.0.1"
log-file = "%s/bearerbox.log"
log-level = %d
%sdlr-storage = internal

group = smsc
smsc = fake
smsc-id = fake
port = %d
connect-allow-ip = "127.0.0.1"

group = smsbox
bearerbox-host = 127.0.0.1
bearerbox-port = %d
sendsms-port = %d
log-file = "%s/smsbox.log"
log-level = %d
mo-recode = true
max-pending-requests = %d
http-request-retry = %d
http-queue-delay = %d

group = sendsms-user
username = %s
password = %s
max-messages = 6
concatenation = true

group = sms-service
keyword = default
catch-all = true
max-messages = 0
get-url = "%s"
""" % (self.admin_port, ADMIN_PASSWORD, self.box_port, d, self.log_level, store_lines,
                self.smsc_port, self.box_port, self.sendsms_port, d, self.log_level,
                self.pending, self.retry, self.delay, USER, PASSWORD, self.mo_url))

    def status(self):
        """bearerbox's status.txt: MO received and queued for smsbox, MT
        queued for the SMSC, the store's size (-1: no store) and whether
        the fake SMSC's link is online."""
        import urllib.request
        with urllib.request.urlopen("http://127.0.0.1:%d/status.txt?password=%s"
                                    % (self.admin_port, ADMIN_PASSWORD), timeout=10) as r:
            text = r.read().decode()
        m = re.search(r"SMS: received (\d+) \((\d+) queued\), sent \d+ \((\d+) queued\), "
                      r"store size (-?\d+)", text)
        return {"mo": int(m.group(1)), "mo_queued": int(m.group(2)),
                "mt_queued": int(m.group(3)), "store": int(m.group(4)),
                "online": re.search(r"fake\[fake\].*\(online", text) is not None}

    def _spawn(self, name, argv, **kw):
        out = open(os.path.join(self.dir, name + ".out"), "a")
        self.procs[name] = subprocess.Popen(argv, stdout=kw.pop("stdout", out),
                                            stderr=subprocess.STDOUT, cwd=self.dir, **kw)

    def start(self):
        self.start_bearerbox()
        self.start_smsbox()
        self.start_fakesmsc()
        return self

    def start_bearerbox(self):
        # its log, not a probe: the fake SMSC takes any connection to its
        # port for fakesmsc, and gives it what it has queued
        log = os.path.join(self.dir, "bearerbox.log")
        done = "MAIN: Start-up done"
        before = file_text(log).count(done)
        self._spawn("bearerbox", [BEARERBOX] + self.verbosity + [self.conf])
        wait_until("bearerbox started", lambda: file_text(log).count(done) > before)

    def kill_bearerbox(self):
        """SIGKILL: a crash, nothing written at exit. fakesmsc ends when
        its link goes; smsbox starts itself again 10 s later (stop it
        first to start one at once)."""
        p = self.procs.pop("bearerbox")
        p.kill()
        p.wait()
        self._end("fakesmsc")

    def restart(self, store):
        """All three again, bearerbox with this store (see set_store)."""
        self.stop()
        self.set_store(store)
        self.start()

    def start_smsbox(self):
        self._spawn("smsbox", [SMSBOX] + self.verbosity + [self.conf])
        wait_until("smsbox listening", lambda: listening(self.sendsms_port))

    def stop_smsbox(self):
        self._end("smsbox")

    def kill_smsbox(self):
        """SIGKILL: also one that waits to start itself again (SIGTERM
        does not stop that)."""
        p = self.procs.pop("smsbox")
        p.kill()
        p.wait()

    def start_fakesmsc(self, line=None):
        """fakesmsc, fed MO lines on its standard input (mo()); or, given
        line, one that sends only that MO (its standard input takes at
        most 255 bytes a line: a long MO goes this way)."""
        # line-buffered: its log is read while it runs; stdin stays open
        # (fakesmsc crashes at its end of file); -i: it reads a line of
        # its input per interval, and drops what two lines in one read
        # bring
        before = self.fake_text().count("fakesmsc starting")
        log = open(self.fake_log, "a")
        args = ["-m", "-1"] if line is None else ["-m", "1", line]
        self._spawn("fakesmsc", ["stdbuf", "-oL", "-eL", FAKESMSC, "-H", "127.0.0.1",
                                 "-r", str(self.smsc_port), "-i", "0.02"] + args,
                    stdin=subprocess.PIPE, stdout=log)
        wait_until("fakesmsc connected",
                   lambda: self.fake_text().count("fakesmsc starting") > before)
        # bearerbox takes the link up a moment after the connect
        wait_until("the fake SMSC online", lambda: self.status()["online"])

    def stop_fakesmsc(self):
        self._end("fakesmsc")
        wait_until("the fake SMSC offline", lambda: not self.status()["online"])

    def mo(self, sender, receiver, text, ucs2=False):
        """One MO line; fakesmsc reads one line per read, so lines are paced."""
        if ucs2:
            data = urllib.parse.quote(text.encode("utf-16-be"), safe="")
            line = "%s %s ucs2 %s\n" % (sender, receiver, data)
        else:
            line = "%s %s text %s\n" % (sender, receiver, text)
        p = self.procs["fakesmsc"]
        p.stdin.write(line.encode())
        p.stdin.flush()
        time.sleep(0.1)

    def fake_text(self):
        return file_text(self.fake_log)

    def got(self):
        """The MT messages fakesmsc received: (sender, receiver, type, data)."""
        out = []
        for line in self.fake_text().splitlines():
            m = GOT.search(line)
            if m:
                out.append((m.group(2), m.group(3), m.group(4), m.group(5)))
        return out

    def _end(self, name):
        p = self.procs.pop(name, None)
        if p is None:
            return
        if p.poll() is None:
            p.send_signal(signal.SIGTERM)
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        if p.stdin:
            p.stdin.close()

    def stop(self):
        for name in ("fakesmsc", "smsbox", "bearerbox"):
            self._end(name)
