"""Issue 16 item 7: a meeting's reminder says only what is true when it goes
out. `meetings add` announces at once; the scheduler sends the reminder a
day before, late (after downtime) only within reminder_grace and before the
meeting starts, with "besok" or "hari ini" as the day it goes out makes
true; one it cannot send is recorded missed with its reason. The daemon runs
on a fake clock in December 2027, ahead of the real one (the office CLI
stamps its rows with the real time)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

P = "+6281211110002"      # pendamping of Kalisidi
V = "+6285722220003"      # warga of Kalisidi

gw = None


def reminders(day):
    """The reminders about the meeting of day (dd/mm): number, text, when due."""
    return [l.split("|") for l in gw.sql(
        "SELECT number, text, datetime(next_at, 'unixepoch', 'localtime') FROM outbox "
        "WHERE purpose = 'reminder' AND text LIKE 'Pengingat%%%s%%' ORDER BY number" % day).splitlines() if l]


def state(meeting_id):
    return gw.sql("SELECT outcome, recipients FROM reminder_state WHERE name = 'meeting:%d'" % meeting_id)


def setup():
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n%s,Budi,pendamping,Kalisidi\n%s,Wati,warga,Kalisidi\n" % (P, V))
    gw.cli("contacts", "import", path)
    for date in ("2027-12-20", "2027-12-22", "2027-12-24"):
        out = gw.cli("meetings", "add", "--desa", "Kalisidi", "--date", date, "--time", "19:30",
                     "--type", "RKP", "--place", "Balai Desa").stdout
        check("announced to 2" in out, out)
    check_eq(gw.sql("SELECT COUNT(*) FROM outbox WHERE purpose = 'reminder'"), "0",
             "nothing queued in advance: the words are chosen when it goes")


def test_on_time_says_besok():
    gw.start("--now", "2027-12-19T19:30")
    rows = wait_until("reminder of 20/12", lambda: reminders("20/12"))
    check_eq([r[0] for r in rows], [P, V], "the village's pendamping and warga")
    check_eq(rows[0][1], "Pengingat: besok musyawarah RKP desa Kalisidi, 20/12 jam 19:30 di Balai Desa.", "text")
    wait_until("state row", lambda: state(1) == "sent|2")


def test_missed_overnight_not_sent_in_the_morning():
    # down from before 19:30 on the 21st until 08:00 on the 22nd, the
    # meeting day: 12.5 h late, past the 6 h grace. The old gateway sent
    # "besok" that morning.
    gw.stop()
    gw.start("--now", "2027-12-22T08:00")
    wait_until("missed recorded", lambda: state(2).startswith("missed"))
    check_eq(state(2), "missed: late by more than reminder_grace|0", "the reason is in reminder_state")
    check_eq(reminders("22/12"), [], "no reminder about the 22nd")
    check("meeting:2 (33.22.18.2002 2027-12-22 19:30): not sent: late by more than reminder_grace"
          in gw.read_log(), "the log says why")


def test_late_after_midnight_says_hari_ini():
    # due 19:30 on the 23rd, back at 00:30 on the 24th: within the grace,
    # held by quiet hours until 06:00 of the meeting day
    gw.stop()
    gw.start("--now", "2027-12-24T00:30")
    rows = wait_until("reminder of 24/12", lambda: reminders("24/12"))
    check_eq(len(rows), 2, "to both")
    check(rows[0][1].startswith("Pengingat: hari ini musyawarah RKP"), "not 'besok' on the day: " + rows[0][1])
    wait_until("held for the morning", lambda: reminders("24/12")[0][2] == "2027-12-24 06:00:00")
    check_eq(state(3), "sent|2", "state")


def main():
    global gw
    s = Suite("e2e-meeting-reminders")
    gw = Gateway("meeting-reminders", extra_kentongan="quiet_hours = 21:00-06:00\ndigest_time = none")
    setup()
    try:
        for t in (test_on_time_says_besok, test_missed_overnight_not_sent_in_the_morning,
                  test_late_after_midnight_says_hari_ini):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
