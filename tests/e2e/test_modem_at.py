"""Issue 5: the real gateway on libGammu's AT driver against the modem
emulator (tests/modem): receiving, sending, status reports, modem faults,
send-error classes, two modems with routing, credit, `kentongan status`.

Every environment (emulators + one `kentongan run`) starts at once, in
parallel, because libGammu's AT init takes about 3.5 s; the tests then run
one after another, each on its own environment, polling with deadlines."""

import json
import os
import shutil
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "modem"))
from harness import BIN, ROOT, Suite, check, check_eq, wait_until  # noqa: E402
from control import Emulator  # noqa: E402

OUT = os.path.join(ROOT, "tests", "out", "modem_at")

KENTONGAN = """[kentongan]
database = {db}
create_database = yes
timezone = Asia/Jakarta
receive_interval = 1
multipart_timeout = 6
send_max_tries = 5
send_retry_base = 1
modem_backoff_max = 4
send_timeout = 6
command_timeout = 4
local_error_pause = 3
; tests run at any hour: no quiet hours, no daily cap in the way
quiet_hours = none
daily_cap = 1000
{extra}
"""

MODEM = """[gammu{n}]
device = {device}
connection = at
model = at
send_per_minute = 600
{extra}
"""


class Env:
    """Emulators plus one gateway, in tests/out/modem_at/<name>."""

    def __init__(self, name, emu_args=([],), modem_extra=None, extra="",
                 before_start=None):
        self.name = name
        self.dir = os.path.join(OUT, name)
        shutil.rmtree(self.dir, ignore_errors=True)
        os.makedirs(self.dir)
        self.db = os.path.join(self.dir, "kentongan.db")
        self.config = os.path.join(self.dir, "kentongan.ini")
        self.log = os.path.join(self.dir, "kentongan.log")
        self.emus = [Emulator(os.path.join(self.dir, "emu%d" % i), *args)
                     for i, args in enumerate(emu_args)]
        self.modem_extra = modem_extra or [""] * len(self.emus)
        self.extra = extra
        self.before_start = before_start
        self.proc = None

    @property
    def ctl(self):
        return self.emus[0].ctl

    def start(self):
        for e in self.emus:
            e.start()
        with open(self.config, "w") as f:
            f.write(KENTONGAN.format(db=self.db, extra=self.extra))
            for i, e in enumerate(self.emus):
                f.write(MODEM.format(n=i if i else "", device=e.link,
                                     extra=self.modem_extra[i]))
        if self.before_start:
            self.before_start(self)
        self.logf = open(self.log, "a")
        self.proc = subprocess.Popen([BIN, "run", "-v", "-c", self.config],
                                     stdout=self.logf, stderr=self.logf)

    def wait_up(self, n=None, timeout=20):
        n = n or len(self.emus)
        wait_until("%s: %d modem(s) up" % (self.name, n),
                   lambda: self.read_log().count("modem up") >= n, timeout=timeout)

    def stop(self):
        if self.proc is not None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None
            self.logf.close()
        for e in self.emus:
            e.stop()

    def read_log(self):
        with open(self.log, errors="replace") as f:
            return f.read()

    def sql(self, query):
        r = subprocess.run(["sqlite3", "-cmd", ".timeout 5000", self.db, query],
                           capture_output=True, text=True, check=True)
        return r.stdout.strip()

    def rows(self, query):
        out = self.sql(query)
        return [line.split("|") for line in out.splitlines()] if out else []

    def cli(self, *args):
        r = subprocess.run([BIN, args[0], "-c", self.config] + list(args[1:]),
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise AssertionError("kentongan %s: %s" % (" ".join(args), r.stderr))
        return r.stdout

    def sent_to(self, number, emu=0, ok=True):
        return [s for s in self.emus[emu].ctl.sent()
                if s["number"] == number and (ok is None or s["ok"] == ok)]

    def outbox(self, number):
        """state, tries, parts, last_error, modem, crash_retries, error_class"""
        return self.rows("SELECT state, tries, COALESCE(parts,0), COALESCE(last_error,''),"
                         " COALESCE(modem,''), crash_retries, COALESCE(error_class,'')"
                         " FROM outbox WHERE number = '%s' ORDER BY id" % number)


def add_contacts(env, *contacts):
    """contacts: (number, role) pairs, written before the gateway starts."""
    for number, role in contacts:
        env.cli("contacts", "set", number, "--role", role, "--desa", "3322012005",
                "--name", role.title())


# ---- the environments ------------------------------------------------------

KOORD = "+6281299990001"
WARGA = "+6281299990002"

ENVS = {
    "rx": Env("rx", before_start=lambda e: add_contacts(e, (KOORD, "koordinator"),
                                                        (WARGA, "warga"))),
    "drop": Env("drop", emu_args=(["--send-delay", "0"],)),
    "silence": Env("silence"),
    "simfull": Env("simfull", emu_args=(["--sim-size", "5"],),
                   before_start=lambda e: fill_before(e)),
    "errors": Env("errors"),
    "route": Env("route", emu_args=(["--operator", "TELKOMSEL", "--operator-code", "51010"],
                                    ["--operator", "INDOSAT", "--operator-code", "51001"])),
    "credit": Env("credit", modem_extra=["balance_ussd = *888#\nbalance_interval = 5\n"
                                         "balance_threshold = 20000\n"],
                  before_start=lambda e: credit_setup(e)),
}


def fill_before(env):
    # The SIM is full before the gateway starts; three more wait in the
    # network (the modem queues them until space is freed).
    for i in range(5):
        env.ctl.deliver("FILLER", "isi %d" % i)
    check_eq(env.ctl.state()["used"], 5, "SIM full")
    for i in range(3):
        env.ctl.deliver("+628129000000%d" % i, "ADUAN sukamaju antre %d" % i)


def credit_setup(env):
    env.ctl.set_ussd("*888#", "Sisa pulsa Rp 12.500, aktif s.d. 30-12-2026")
    add_contacts(env, (KOORD, "koordinator"))


# ---- item 2: receive and send ---------------------------------------------

def message_rows(env, number):
    return env.rows("SELECT state, parts, incomplete, hex(text), COALESCE(note,'')"
                    " FROM messages WHERE number = '%s' AND is_report = 0 ORDER BY id" % number)


def test_single_sms_and_reply_delivered():
    e = ENVS["rx"]
    num = "+6281211110001"
    e.ctl.deliver(num, "ADUAN sukamaju jalan rusak")
    wait_until("reply delivered", lambda: [r for r in e.outbox(num) if r[0] == "delivered"],
               timeout=15)
    check_eq(len(message_rows(e, num)), 1, "one message")
    sent = e.sent_to(num)
    check_eq(len(sent), 1, "sent once")
    check(sent[0]["status_report"], "status report requested")
    check("ADU-" in sent[0]["text"], sent[0]["text"])
    notes = e.sql("SELECT note FROM messages WHERE is_report = 1 AND note LIKE"
                  " '%%MR %d%%'" % sent[0]["mr"])
    check("delivered" in notes and "outbox delivered" in notes, notes)
    wait_until("SIM emptied", lambda: e.ctl.stored() == [])


def test_multipart_out_of_order_and_duplicate():
    e = ENVS["rx"]
    num = "+6281211110002"
    words = ["ADUAN sukamaju jembatan putus di dusun dua sejak banjir kemarin, "
             "warga harus memutar lewat desa tetangga sejauh lima kilometer. ",
             "Anak sekolah terlambat setiap pagi dan pedagang tidak bisa membawa "
             "hasil panen ke pasar kecamatan. Mohon segera diperbaiki. ",
             "Terima kasih atas perhatian bapak dan ibu pendamping desa."]
    ts = "2026-11-28T09:00:00+07:00"
    for seq in (3, 1, 1, 2):   # out of order, part 1 twice
        e.ctl.deliver(num, words[seq - 1], timestamp=ts,
                      concat={"ref": 77, "total": 3, "seq": seq})
    rows = wait_until("joined message", lambda: message_rows(e, num), timeout=15)
    check_eq(len(rows), 1, "one message")
    check_eq(bytes.fromhex(rows[0][3]).decode(), "".join(words), "joined in order")
    check_eq((rows[0][1], rows[0][2]), ("3", "0"), "parts, complete")
    check_eq(e.sql("SELECT COUNT(*) FROM sms_in WHERE number = '%s'" % num), "3",
             "the duplicate part stored once")
    wait_until("reply sent", lambda: e.sent_to(num))


LONELY = "+6281211110003"


def kick_off_lonely_parts():
    e = ENVS["rx"]
    e.ctl.deliver(LONELY, "ADUAN sukamaju bagian satu ", concat={"ref": 9, "total": 3, "seq": 1})
    e.ctl.deliver(LONELY, "bagian tiga", concat={"ref": 9, "total": 3, "seq": 3})


def test_part_never_comes():
    e = ENVS["rx"]
    num = LONELY
    # multipart_timeout = 6 s; housekeeping runs every 5 s
    rows = wait_until("incomplete message", lambda: message_rows(e, num), timeout=20)
    check_eq(rows[0][2], "1", "flagged incomplete")
    text = bytes.fromhex(rows[0][3]).decode()
    check("[...]" in text and text.startswith("ADUAN sukamaju bagian satu"), text)


def test_ucs2_with_emoji():
    e = ENVS["rx"]
    num = "+6281211110004"
    text = "ADUAN sukamaju lampu jalan mati \U0001F4A1 sudah 3 hari \u2014 tolong"
    e.ctl.deliver(num, text, coding="ucs2")
    rows = wait_until("stored", lambda: message_rows(e, num))
    check_eq(bytes.fromhex(rows[0][3]).decode(), text, "UCS-2 text with emoji")
    check_eq(e.sql("SELECT coding FROM sms_in WHERE number = '%s'" % num), "ucs2", "coding")


def test_alphanumeric_sender():
    e = ENVS["rx"]
    e.ctl.deliver("TELKOMSEL", "Selamat! Bonus 1GB aktif. Info *363#")
    rows = wait_until("ignored", lambda: [r for r in message_rows(e, "TELKOMSEL")
                                          if r[0] == "ignored"])
    check("alphanumeric" in rows[0][4], rows[0][4])
    check_eq(e.sql("SELECT COUNT(*) FROM outbox WHERE number LIKE '%TELKOMSEL%'"), "0",
             "no reply")


def test_three_part_send_with_reports():
    e = ENVS["rx"]
    text = ("Rapat koordinasi pendamping desa se-kecamatan diadakan hari Senin "
            "tanggal 7 Desember pukul 09.00 di aula kantor camat. Mohon membawa "
            "laporan RKP Desa, daftar hadir musyawarah desa bulan November, dan "
            "rekap aduan warga yang belum selesai. Peserta: semua pendamping desa "
            "dan pendamping lokal desa. Konfirmasi kehadiran ke koordinator "
            "kabupaten paling lambat hari Jumat. Terima kasih.")
    check(306 < len(text) <= 459, len(text))
    e.ctl.deliver(KOORD, "SIARAN SEMUA " + text)
    rows = wait_until("broadcast delivered",
                      lambda: [r for r in e.outbox(WARGA) if r[0] == "delivered"], timeout=25)
    check_eq(rows[0][2], "3", "three parts")
    sent = e.sent_to(WARGA)
    check_eq(len(sent), 3, "three CMGS")
    check_eq(sorted(s["concat"]["seq"] for s in sent), [1, 2, 3], "parts")
    check_eq(len({s["concat"]["ref"] for s in sent}), 1, "one reference")
    check(all(s["status_report"] for s in sent), "report requested on every part")
    check_eq("".join(s["text"] for s in sorted(sent, key=lambda s: s["concat"]["seq"])),
             text, "text")
    check_eq(e.sql("SELECT COUNT(*) FROM outbox_parts p JOIN outbox o ON o.id = p.outbox_id"
                   " WHERE o.number = '%s' AND p.report_status = 0" % WARGA), "3",
             "three reports matched")


def test_status_report_failed():
    e = ENVS["rx"]
    num = "+6281211110005"
    e.ctl.fail_reports(1, 0x41)
    e.ctl.deliver(num, "ADUAN sukamaju sampah menumpuk")
    rows = wait_until("outbox failed by report",
                      lambda: [r for r in e.outbox(num) if r[0] == "failed"], timeout=15)
    check("not delivered" in rows[0][3] and "65" in rows[0][3], rows[0][3])
    check_eq(rows[0][6], "report", "class")
    # final: never retried
    time.sleep(2.5)   # longer than send_retry_base doubled: a retry would show
    check_eq(len(e.sent_to(num)), 1, "not sent again")


def test_status_command():
    e = ENVS["rx"]
    out = e.cli("status")
    check("gammu" in out and " up " in out and "telkomsel" in out, out)
    j = json.loads(e.cli("status", "--format", "json"))
    m = j["modems"][0]
    check_eq((m["name"], m["state"], m["operator"]), ("gammu", "up", "telkomsel"), "modem")
    check(m["signal"] > 0, m)
    check(m["sent_today"] >= 5 and m["received_today"] >= 8, m)
    check("out_delivered" in j["queues"], j["queues"])


# ---- item 3: faults --------------------------------------------------------

def test_line_drop_reconnects_with_backoff():
    e = ENVS["drop"]
    num = "+6281211110010"
    e.ctl.drop(down_for=2.5)
    wait_until("modem down logged", lambda: "modem down" in e.read_log(), timeout=10)
    e.ctl.deliver(num, "ADUAN sukamaju saat putus")   # waits on the SIM
    wait_until("up again", lambda: e.read_log().count("modem up") >= 2, timeout=25)
    log = e.read_log()
    check("restarting the modem worker in 1 s" in log, "first backoff 1 s")
    check("restarting the modem worker in 2 s" in log, "doubled to 2 s")
    wait_until("reply sent after the drop", lambda: e.sent_to(num), timeout=15)
    check_eq(len(message_rows(e, num)), 1, "stored once")


def test_drop_during_send_not_lost_not_twice():
    e = ENVS["drop"]
    num = "+6281211110011"
    e.ctl.set_send_delay(4)
    e.ctl.deliver(num, "ADUAN sukamaju putus saat kirim")
    wait_until("send in flight", lambda: e.ctl.state()["busy"], timeout=15)
    e.ctl.drop(down_for=1)     # the send in flight is lost with the line
    e.ctl.set_send_delay(0)
    rows = wait_until("resent and sent", lambda: [r for r in e.outbox(num)
                                                  if r[0] in ("sent", "delivered")], timeout=30)
    check("maybe sent" in rows[0][3], rows[0][3])
    check_eq(rows[0][5], "1", "counted as an uncertain retry")
    check_eq(len(e.sent_to(num)), 1, "sent exactly once")


SILENT = "+6281211110012"


def kick_off_silence():
    # Started before the other tests: recovery takes ~25 s (libGammu's AT
    # init retries while the modem is still silent).
    e = ENVS["silence"]
    e.ctl.silence(seconds=8)
    e.ctl.deliver(SILENT, "ADUAN sukamaju modem diam")


def test_drop_in_a_long_sms_resumes_its_parts():
    e = ENVS["drop"]
    num = "+6281211110013"
    text = " ".join("kata%03d" % i for i in range(45))    # 359 chars: 3 parts
    e.ctl.set_send_delay(2)
    e.sql("INSERT INTO outbox (number, text, purpose, priority, state, next_at, created_at)"
          " VALUES ('%s', '%s', 'notify', 5, 'queued', 0, 0)" % (num, text))
    wait_until("part 2 in flight", lambda: len(e.sent_to(num)) == 1 and e.ctl.state()["busy"],
               timeout=20)
    e.ctl.drop(down_for=1)
    e.ctl.set_send_delay(0)
    rows = wait_until("sent", lambda: [r for r in e.outbox(num)
                                       if r[0] in ("sent", "delivered")], timeout=30)
    sent = e.sent_to(num)
    check_eq([s["concat"]["seq"] for s in sent], [1, 2, 3], "part 1 not sent again")
    check_eq(len({s["concat"]["ref"] for s in sent}), 1, "one reference: the phone joins them")
    check_eq(rows[0][2], "3", "parts")


def test_silent_modem_detected_and_recovered():
    e = ENVS["silence"]
    num = SILENT
    wait_until("modem down", lambda: "modem down" in e.read_log(), timeout=25)
    check("stopped answering" in e.read_log(), "the watchdog said why")
    wait_until("up again", lambda: e.read_log().count("modem up") >= 2, timeout=45)
    wait_until("reply sent", lambda: e.sent_to(num), timeout=15)
    check_eq(len(message_rows(e, num)), 1, "stored once")


def test_sim_full_drains():
    e = ENVS["simfull"]
    wait_until("all read", lambda: e.sql("SELECT COUNT(*) FROM sms_in WHERE is_report = 0")
               == "8", timeout=25)
    check_eq(e.ctl.counters().get("queued_sim_full"), 3, "three waited in the network")
    wait_until("SIM empty", lambda: e.ctl.state()["used"] == 0 and e.ctl.state()["pending"] == 0)
    for i in range(3):
        check_eq(len(message_rows(e, "+628129000000%d" % i)), 1, "queued message %d" % i)
    check_eq(e.sql("SELECT COUNT(*) FROM messages WHERE number = 'FILLER'"), "5", "fillers")


def test_transient_error_retried_with_backoff():
    e = ENVS["errors"]
    num = "+6281211110020"
    e.ctl.fail_sends(2, 42)      # congestion, twice
    e.ctl.deliver(num, "ADUAN sukamaju sibuk")
    rows = wait_until("sent on the third try",
                      lambda: [r for r in e.outbox(num) if r[0] in ("sent", "delivered")],
                      timeout=25)
    check_eq(rows[0][1], "3", "tries")
    tries = e.sent_to(num, ok=None)
    check_eq([t["ok"] for t in tries], [False, False, True], "two failures then ok")
    check_eq(tries[0]["cms_error"], 42, "code")
    check("retry" in e.read_log(), "logged")


def test_permanent_error_failed_at_once():
    e = ENVS["errors"]
    num = "+6281211110021"
    e.ctl.fail_sends(1, 30)      # unknown subscriber
    e.ctl.deliver(num, "ADUAN sukamaju nomor salah")
    rows = wait_until("failed", lambda: [r for r in e.outbox(num) if r[0] == "failed"],
                      timeout=15)
    check_eq((rows[0][1], rows[0][6]), ("1", "permanent"), "one try, permanent")
    check("CMS ERROR 30" in rows[0][3], rows[0][3])
    time.sleep(2.5)   # a retry (send_retry_base 1 s) would have happened by now
    check_eq(len(e.sent_to(num, ok=None)), 1, "never retried")


def test_local_error_pauses_and_alarms():
    e = ENVS["errors"]
    num = "+6281211110022"
    e.ctl.fail_sends(1, 330)     # SMSC address unknown
    e.ctl.deliver(num, "ADUAN sukamaju smsc")
    wait_until("alarm", lambda: "ALARM: gammu: sending paused" in e.read_log(), timeout=15)
    j = json.loads(e.cli("status", "--format", "json"))
    check_eq(j["modems"][0]["state"], "paused", "status shows paused")
    check("330" in j["modems"][0]["last_error"], j["modems"][0])
    rows = wait_until("sent after the pause",
                      lambda: [r for r in e.outbox(num) if r[0] in ("sent", "delivered")],
                      timeout=20)
    check_eq(rows[0][1], "1", "the local error used no try")
    check_eq([t["ok"] for t in e.sent_to(num, ok=None)], [False, True], "one failure, one ok")


# ---- item 4: two modems ----------------------------------------------------

def test_two_modems_route_by_operator():
    e = ENVS["route"]
    tsel, isat, xl = "+6281211110030", "+6285711110031", "+6281711110032"
    # Each arrives on the *other* operator's modem: the reply goes on-net.
    e.emus[1].ctl.deliver(tsel, "ADUAN sukamaju tsel")
    e.emus[0].ctl.deliver(isat, "ADUAN sukamaju isat")
    e.emus[0].ctl.deliver(xl, "ADUAN sukamaju xl")
    wait_until("three sent", lambda: e.sent_to(tsel, 0) and e.sent_to(isat, 1)
               and (e.sent_to(xl, 0) or e.sent_to(xl, 1)), timeout=20)
    check_eq(e.sent_to(tsel, 1), [], "Telkomsel number not via Indosat SIM")
    check_eq(e.sent_to(isat, 0), [], "Indosat number not via Telkomsel SIM")
    check_eq(e.outbox(tsel)[0][4], "gammu", "modem column")
    check_eq(e.outbox(isat)[0][4], "gammu1", "modem column")
    # The Indosat modem goes away: its traffic goes to the healthy one.
    e.emus[1].ctl.drop(down_for=None)
    wait_until("gammu1 down", lambda: "gammu1: modem down" in e.read_log(), timeout=10)
    isat2 = "+6285711110033"
    e.emus[0].ctl.deliver(isat2, "ADUAN sukamaju isat lagi")
    wait_until("sent through gammu", lambda: e.sent_to(isat2, 0), timeout=20)
    j = json.loads(e.cli("status", "--format", "json"))
    states = {m["name"]: (m["state"], m["operator"]) for m in j["modems"]}
    check_eq(states["gammu"], ("up", "telkomsel"), "gammu")
    check_eq(states["gammu1"][0], "down", "gammu1")


# ---- item 5: credit --------------------------------------------------------

def test_low_credit_alarm_once():
    e = ENVS["credit"]
    wait_until("credit stored", lambda: e.sql("SELECT credit FROM modems") == "12500",
               timeout=25)
    wait_until("two checks", lambda: e.read_log().count("balance: ") >= 2, timeout=20)
    alarms = e.rows("SELECT text FROM outbox WHERE number = '%s' AND purpose = 'notify'" % KOORD)
    check_eq(len(alarms), 1, "one alarm, not one per check")
    check("12500" in alarms[0][0], alarms[0][0])
    wait_until("alarm SMS sent", lambda: e.sent_to(KOORD), timeout=15)
    out = e.cli("status")
    check("Rp 12500" in out, out)
    # Topped up, then low again: a new alarm.
    e.ctl.set_ussd("*888#", "Sisa pulsa Rp 75.000")
    wait_until("credit back", lambda: e.sql("SELECT credit, credit_low FROM modems") == "75000|0",
               timeout=15)
    e.ctl.set_ussd("*888#", "Sisa pulsa Rp 5.000")
    wait_until("second alarm", lambda: len(e.rows(
        "SELECT 1 FROM outbox WHERE number = '%s' AND purpose = 'notify'" % KOORD)) == 2,
        timeout=15)


def main():
    suite = Suite("e2e-modem-at")
    try:
        for env in ENVS.values():
            env.start()
        for env in ENVS.values():
            env.wait_up()
        kick_off_silence()
        kick_off_lonely_parts()
        for t in (test_single_sms_and_reply_delivered,
                  test_part_never_comes,
                  test_multipart_out_of_order_and_duplicate,
                  test_ucs2_with_emoji,
                  test_alphanumeric_sender,
                  test_three_part_send_with_reports,
                  test_status_report_failed,
                  test_status_command,
                  test_line_drop_reconnects_with_backoff,
                  test_drop_during_send_not_lost_not_twice,
                  test_drop_in_a_long_sms_resumes_its_parts,
                  test_silent_modem_detected_and_recovered,
                  test_sim_full_drains,
                  test_transient_error_retried_with_backoff,
                  test_permanent_error_failed_at_once,
                  test_local_error_pauses_and_alarms,
                  test_two_modems_route_by_operator,
                  test_low_credit_alarm_once):
            if len(sys.argv) == 1 or any(a in t.__name__ for a in sys.argv[1:]):
                suite.run(t)
    finally:
        for env in ENVS.values():
            env.stop()
    suite.finish()


if __name__ == "__main__":
    main()
