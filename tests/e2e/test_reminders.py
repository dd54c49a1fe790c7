"""Issue 7: the gateway speaks first: reminders on schedule and once,
meeting announcements, the digest, broadcasts, the sending policy and the
loop guard. The daemon runs on a fake clock (--now) against a real
database and Gammu's dummy modem. Its dates must stay ahead of the real
clock: office commands (broadcast, meetings add) queue at real time, and a
row queued after the daemon's fake now is never due (the suite broke when
the real date reached 2026-12-02 22:00 WIB; it now runs in December 2027)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

A = "+6281211110001"      # pendamping of Wates, reported this month
B = "+6281211110002"      # pendamping of Kalisidi, silent
K = "+6281211110009"      # koordinator
W = "+6285722220002"      # warga of Kalisidi, opted out
V = "+6285722220003"      # warga of Kalisidi
BOT = "+6281999999999"    # an auto-responder



def shipped_reminder():
    """The monthly reminder as config/kentongan.ini ships it: the test runs
    what an operator gets."""
    with open(os.path.join(ROOT, "config", "kentongan.ini")) as f:
        text = f.read()
    start = text.index("[reminder laporan-bulanan]")
    end = text.find("\n[", start + 1)
    return text[start:end if end > 0 else len(text)]


CONFIG = shipped_reminder() + """
[reminder pagi]
schedule = 0 7 * * *
to = koordinator, Kalisidi
text = Selamat pagi {nama} ({desa}).
"""

gw = None


def sql(q):
    return gw.sql(q)


def outbox(purpose):
    return [l.split("|") for l in sql("SELECT number, state, COALESCE(reason,''), text FROM outbox "
                                      "WHERE purpose = '%s' ORDER BY id" % purpose).splitlines() if l]


def setup():
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n" + A + ",Ani,pendamping,3322012005\n" + B +
                ",Budi,pendamping,Kalisidi\n" + K + ",Citra,koordinator,\n" + W + ",Warsini,warga,Kalisidi\n" +
                V + ",Wati,warga,Kalisidi\n")
    gw.cli("contacts", "import", path)
    sql("UPDATE contacts SET opted_out = 1 WHERE number = '%s'" % W)
    # A reported a November meeting in November (a fixture row: the daemon
    # is not running yet on that date); B reported only a meeting of 1
    # December, which is not November's report
    sql("INSERT INTO records (kind, number, desa, tanggal, jenis, laki, perempuan, state, created_at) "
        "VALUES ('rapat', '%s', '33.22.01.2005', '2027-11-28', 'RKP', 5, 5, 'counted', "
        "strftime('%%s', '2027-11-28 20:30:00'))" % A)
    sql("INSERT INTO records (kind, number, desa, tanggal, jenis, laki, perempuan, state, created_at) "
        "VALUES ('rapat', '%s', '33.22.18.2002', '2027-12-01', 'RKP', 5, 5, 'counted', "
        "strftime('%%s', '2027-12-01 00:30:00'))" % B)


def test_monthly_reminder_once_with_only_if():
    gw.start("--now", "2027-12-01T08:00")
    rows = wait_until("reminder queued", lambda: outbox("reminder"))
    nums = sorted(r[0] for r in rows if "RAPAT/KADER" in r[3])
    check_eq(nums, [B], "only the pendamping without a November report (A sent one; W opted out)")
    text = [r[3] for r in rows if r[0] == B][0]
    check("Yth Budi" in text and "bulan November 2027" in text, "asks for last month: " + text)
    check("Desember" not in text, "not the month it is sent in: " + text)
    wait_until("sent (08:00 is not quiet)", lambda: outbox("reminder")[0][1] == "sent")
    # the daily 07:00 reminder was an hour ago: within the 6 h grace, once
    pagi = [r for r in rows if "Selamat pagi" in r[3]]
    check_eq(sorted(r[0] for r in pagi), sorted([K, B, V]), "koordinator and Kalisidi, not opted out")
    check("Selamat pagi Wati (Kalisidi)" in [r[3] for r in pagi if r[0] == V][0], "desa name")


def test_restart_does_not_fire_again():
    n = len(outbox("reminder"))
    gw.stop()
    gw.start("--now", "2027-12-01T08:10")
    wait_until("scheduler ran", lambda: gw.read_log().count("clock set to") >= 2)
    import time
    time.sleep(1.5)   # one scheduler pass happens at start; nothing must come of it
    check_eq(len(outbox("reminder")), n, "nothing fired twice")
    check_eq(sql("SELECT outcome FROM reminder_state WHERE name = 'laporan-bulanan'"), "sent", "state")


def test_missed_outside_grace_not_sent():
    n = len(outbox("reminder"))
    gw.stop()
    gw.start("--now", "2027-12-02T14:00")
    wait_until("missed logged", lambda: "was missed" in gw.read_log())
    check_eq(len(outbox("reminder")), n, "07:00 was 7 h ago: outside the grace, not sent")
    check_eq(sql("SELECT outcome, datetime(last_due, 'unixepoch', 'localtime') FROM reminder_state "
                 "WHERE name = 'pagi'"), "missed|2027-12-02 07:00:00", "recorded as missed")


def test_reminders_command():
    out = gw.cli("reminders", "--now", "2027-12-02T14:00").stdout
    lines = {l.split()[0]: l for l in out.splitlines()[1:]}
    check("2028-01-01 08:00" in lines["laporan-bulanan"], out)
    check("2027-12-03 07:00" in lines["pagi"], out)
    check(lines["pagi"].rstrip().endswith(" 3"), "pagi reaches 3 now: " + out)
    check("digest" in lines, out)


def test_loop_guard_against_an_auto_responder():
    before = len([m for m in gw.export("messages") if m["direction"] == "out" and m["number"].lstrip("'") == BOT])
    for i in range(5):
        gw.inject(BOT, "Maaf, nomor yang Anda tuju sedang tidak aktif.", "--time", "2027-12-02T13:0%d:00" % i)
    wait_until("all five processed", lambda: sql("SELECT COUNT(*) FROM messages WHERE number = '%s' AND "
                                                "state != 'received'" % BOT) == "5")
    after = [m for m in gw.export("messages") if m["direction"] == "out" and m["number"].lstrip("'") == BOT]
    check_eq(len([m for m in after if m["state"] != "withheld"]) - before, 1,
             "one reply to five identical messages")
    check_eq(len([m for m in after if m["state"] == "withheld" and "withheld" in m["detail"]]), 4,
             "four withheld, each a row with its reason: %r" % after)
    notes = sql("SELECT note FROM messages WHERE number = '%s' ORDER BY id" % BOT).splitlines()
    check(sum("withheld" in n for n in notes) == 4, "four held back: %r" % notes)
    check("no reply to %s: withheld" % BOT in gw.read_log(), "logged")


def test_quiet_hours_hold_initiated_not_replies():
    gw.stop()
    gw.start("--now", "2027-12-02T22:00")
    out = gw.cli("broadcast", "WARGA", "Kerja bakti Minggu pagi").stdout
    check("1 SMS queued" in out, "W opted out: one warga left: " + out)
    wait_until("held", lambda: [r for r in outbox("broadcast") if "held: quiet hours" in r[2]])
    check_eq(sql("SELECT state, datetime(next_at, 'unixepoch', 'localtime') FROM outbox WHERE purpose = "
                 "'broadcast'"), "queued|2027-12-03 06:00:00", "held until morning")
    gw.inject(V, "BANTU")
    wait_until("a direct reply goes out at night", lambda: [m for m in gw.export("messages") if m["direction"] == "out"
                                                            and m["kind"] == "reply" and m["number"].lstrip("'") == V
                                                            and m["state"] == "sent"])


def test_morning_daily_cap_and_broadcast_confirmation():
    gw.stop()
    gw.start("--now", "2027-12-03T06:00")
    wait_until("the held broadcast goes in the morning",
               lambda: outbox("broadcast") and outbox("broadcast")[0][1] == "sent")
    # daily_cap = 3: V got the broadcast; two more go, the third is dropped
    for t in ("Pengumuman satu", "Pengumuman dua", "Pengumuman tiga"):
        gw.cli("broadcast", "3322182002", t)
    wait_until("settled", lambda: sql("SELECT COUNT(*) FROM outbox WHERE purpose = 'broadcast' AND "
                                      "state IN ('queued','sending')") == "0")
    to_v = [r for r in outbox("broadcast") if r[0] == V]
    states = [r[1] for r in to_v]
    check_eq(states.count("sent"), 3, "three a day to one number: %r" % to_v)
    dropped = [r for r in to_v if r[1] == "dead"]
    check(len(dropped) == 1 and "daily cap" in dropped[0][2], "the fourth dropped with a reason: %r" % to_v)
    # SIARAN from the coordinator: a confirmation says how many
    gw.inject(K, "SIARAN PENDAMPING Rapat koordinasi Jumat jam 9")
    wait_until("confirmation", lambda: [m for m in gw.export("messages") if m["direction"] == "out"
                                        and m["number"].lstrip("'") == K and "2" in m["text"]
                                        and m["kind"] == "reply"])
    gw.inject(V, "SIARAN SEMUA iklan")
    wait_until("refused", lambda: [m for m in gw.export("messages") if m["direction"] == "out"
                                   and m["number"].lstrip("'") == V and "koordinator" in m["text"]])


def test_meeting_announcement_and_reminder():
    out = gw.cli("meetings", "add", "--desa", "Kalisidi", "--date", "2027-12-20", "--time", "09:00",
                 "--type", "RKP", "--place", "Balai Desa").stdout
    check("announced to 2" in out, "B and V (W opted out): " + out)
    ann = outbox("announcement")
    check_eq(sorted(r[0] for r in ann), sorted([B, V]), "announced")
    check("RKP" in ann[0][3] and "Kalisidi" in ann[0][3] and "09:00" in ann[0][3], ann[0][3])
    # the reminder is the scheduler's, the day before (test_meeting_reminders)
    check_eq(sql("SELECT COUNT(*) FROM outbox WHERE text LIKE 'Pengingat%'"), "0", "not queued in advance")


def test_digest():
    gw.stop()
    gw.start("--now", "2027-12-03T17:00")
    # (the start at 22:00 on 2 December sent that day's digest late,
    # within the grace period; this is 3 December's)
    rows = wait_until("digest queued", lambda: [r for r in outbox("reminder")
                                                if r[3].startswith("Ringkasan 03/12/2027")])
    check_eq([r[0] for r in rows], [K], "to the coordinator, once")
    check("tiket" in rows[0][3], rows[0][3])
    check(rows[0][3].endswith(", 0 kegiatan APBDes selisih."), "the budget flags counted: " + rows[0][3])


def main():
    global gw
    s = Suite("e2e-reminders")
    gw = Gateway("reminders", extra_kentongan="daily_cap = 3\nquiet_hours = 21:00-06:00\nreplies_per_hour = 100", extra=CONFIG)
    setup()
    try:
        for t in (test_monthly_reminder_once_with_only_if, test_restart_does_not_fire_again,
                  test_missed_outside_grace_not_sent, test_reminders_command,
                  test_loop_guard_against_an_auto_responder, test_quiet_hours_hold_initiated_not_replies,
                  test_morning_daily_cap_and_broadcast_confirmation, test_meeting_announcement_and_reminder,
                  test_digest):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
