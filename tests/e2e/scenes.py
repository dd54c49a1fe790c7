"""A month played through the real binary, scene by scene: SMS with the
times their senders' phones stamped (SMSC times), read by a daemon whose
fake clock (`run --now`) is set to each scene's time, with the office's
commands between the scenes. Shared by the month-long tests
(test_month.py, test_office_month.py).

The months are in 2027 because the office CLI stamps what it queues with
the real time: the daemon's clock must stay ahead of it."""

import datetime
import os
import re
import time
import zoneinfo

from harness import ROOT, Suite, check, wait_until

ZONE = zoneinfo.ZoneInfo("Asia/Jakarta")
VILLAGES = os.path.join(ROOT, "data", "villages", "wilayah-desa.csv.gz")


class Sms:
    """One SMS of the month and what it must come to. text may be a
    function of the tickets and records named so far (a STATUS, a BATAL)."""

    def __init__(self, at, number, text, reply=None, record=None, ticket=None, name=None,
                 withheld=None, no_reply=False):
        self.at, self.number, self._text = at, number, text
        self.reply = reply             # words the reply must contain (or a function giving them)
        self.record = record           # the record's expected fields
        self.ticket = ticket           # (kind, desa) of the ticket it opens
        self.name = name               # to refer to its ticket or record later
        self.withheld = withheld       # the reason's words, where the rules withhold
        self.no_reply = no_reply       # an alphanumeric sender: ignored
        self.id = None

    @property
    def text(self):
        return self._text() if callable(self._text) else self._text

    @property
    def sent(self):
        return int(datetime.datetime.strptime(self.at, "%Y-%m-%dT%H:%M").replace(tzinfo=ZONE).timestamp())


class Month:
    """The gateway of a month and what its scenes sent: sent (every Sms
    injected, in order), tickets and records (a name in the script -> the
    ticket, "ADU-3", or the record, "R-7", it got). gw is set once the
    test has made its Gateway."""

    def __init__(self):
        self.gw = None
        self.sent = []
        self.tickets = {}
        self.records = {}

    def handled(self, msg):
        """Whether the gateway has read and handled msg; sets its id."""
        row = self.gw.sql("SELECT id, state FROM messages WHERE number = '%s' AND smsc_time = %d"
                          % (msg.number, msg.sent))
        if not row or row.endswith("|received"):
            return False
        msg.id = int(row.split("|")[0])
        return True

    def remember(self, msg):
        """Note the ticket or record msg's name refers to, for later SMS."""
        if msg.name is None:
            return
        row = wait_until("record of " + msg.text, lambda: self.gw.sql(
            "SELECT r.id, COALESCE(t.type || '-' || t.seq, '') FROM records r LEFT JOIN tickets t "
            "ON t.record_id = r.id WHERE r.message_id = %d" % msg.id))
        rid, tiket = row.split("|")
        if tiket:
            self.tickets[msg.name] = tiket
        else:
            self.records[msg.name] = "R-" + rid

    def inject(self, msgs):
        for m in msgs:
            self.sent.append(m)
            self.gw.inject(m.number, m.text, "--time", m.at)

    def settle(self, msgs):
        for m in msgs:
            wait_until("handled: %s %s" % (m.number, m.at), lambda: self.handled(m), timeout=60)
            self.remember(m)
        # every reply and broadcast handed to the modem
        wait_until("outbox settled", lambda: self.gw.sql(
            "SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending')") == "0", timeout=60)

    def play(self, scene, injected=False, then=None):
        """Start the daemon at the scene's time and let it read the scene's
        SMS, each sent before that time (injected: already on the modem, a
        backlog). An SMS whose text names an earlier ticket or record is
        sent once the ones before it are answered. then(), if given, runs
        while the daemon is still up, after the scene settled."""
        now, msgs = scene
        self.gw.start("--now", now)
        pending = []
        for m in msgs:
            if not injected:
                if callable(m._text):
                    self.settle(pending)
                    pending = []
                self.inject([m])
            pending.append(m)
        self.settle(pending)
        if then is not None:
            then()
        self.gw.stop()

    def office(self, *args):
        return self.gw.cli(*args).stdout

    def run(self, suite, gw, play_month, tests):
        """Play the month on gw, then run the checks in tests, as one
        suite; the daemon is stopped whatever happens."""
        s = Suite(suite)
        self.gw = gw
        t0 = time.monotonic()
        try:
            play_month()
            print("the month played in %.1f s: %d SMS" % (time.monotonic() - t0, len(self.sent)))
            for t in tests:
                s.run(t)
        finally:
            gw.stop()
        s.finish()

    def replies(self):
        """message id -> [(state, reason, text)] of its replies."""
        out = {}
        for line in self.gw.sql("SELECT message_id, state, COALESCE(reason, ''), replace(text, char(10), ' ') "
                                "FROM outbox WHERE purpose = 'reply' ORDER BY id").splitlines():
            mid, state, reason, text = line.split("|", 3)
            out.setdefault(int(mid), []).append((state, reason, text))
        return out

    def check_one_reply_each(self):
        """Every SMS from a person got exactly one reply, sent (or withheld
        where the script says so), with the words the script expects."""
        got = self.replies()
        for m in self.sent:
            rows = got.get(m.id, [])
            if m.no_reply:
                check(rows == [], "no reply to %s: %r" % (m.number, rows))
                continue
            check(len(rows) == 1, "one reply to %r (%s): %r" % (m.text, m.at, rows))
            state, reason, text = rows[0]
            if m.withheld:
                check(state == "withheld" and m.withheld in reason, "withheld with its reason: %r" % rows)
            else:
                check(state == "sent", "reply to %r sent: %r %r" % (m.text, state, text))
            want = m.reply() if callable(m.reply) else m.reply
            for words in ([want] if isinstance(want, str) else want or []):
                check(words in text, "reply to %r says %r: %r" % (m.text, words, text))

    def check_indonesian_one_sms(self, table=None):
        """Every SMS the gateway sent is one SMS of GSM 7-bit text, and
        each but a broadcast (the coordinator's own words) is a text of
        the reply table."""
        table = table or reply_table()
        for line in self.gw.sql("SELECT purpose || '|' || replace(text, char(10), ' ') FROM outbox").splitlines():
            purpose, text = line.split("|", 1)
            check(septets(text) <= 160, "one SMS (%d): %r" % (septets(text), text))
            if purpose != "broadcast":
                check(any(t.match(text) for t in table.values()), "%s from the reply table: %r" % (purpose, text))


def reply_table():
    """The reply texts as docs/sms-format.md lists them: every reply a
    person gets must be one of them, so a reply in another language, or
    a text the page does not show, fails."""
    with open(os.path.join(ROOT, "docs", "sms-format.md")) as f:
        rows = re.findall(r"^\| `([a-z_]+)` \| (.+?) \|$", f.read(), re.M)
    table = {}
    for name, text in rows:
        # the page explains a value in parentheses after the text
        text = re.sub(r" \((\{[a-z_]+\}: |to |above ).*\)$", "", text.strip())
        parts = re.split(r"\{[a-z_]+\}", text)
        pattern = "".join(re.escape(p) + "(.*)" for p in parts[:-1]) + re.escape(parts[-1])
        # an empty value at the end takes its space with it ("baru.")
        table[name] = re.sub(r"\\ \(\.\*\)$", r"\\ ?(.*)", pattern)
    # a parse error's reply ends with the keyword's example, or the list
    # of keywords when none was understood
    tail = r"( Contoh: .*| %s)?" % table["err_commands"]
    return {name: re.compile(text + (tail if name.startswith("err_") else "") + r"\s*$", re.S)
            for name, text in table.items()}


GSM7 = set("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
           "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
GSM7_EXT = set("^{}\\[~]|€\f")


def septets(text):
    check(all(c in GSM7 or c in GSM7_EXT for c in text), "GSM 7-bit only: %r" % text)
    return sum(2 if c in GSM7_EXT else 1 for c in text)
