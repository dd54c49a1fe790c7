"""Issue 16 item 4: dates mean what the sender meant. HARIINI, KEMARIN, a
date without a year and the future-date check are read as of the day the
SMS was sent (its SMSC time, in the configured zone), not the day the
gateway processed it; exports show the SMSC time beside the time received.
Through the real binary: SMS injected with an SMSC time days back, as a
backlog read after an outage would be."""

import datetime
import os
import sys
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, rewind_schema, wait_until  # noqa: E402

FIXTURE = os.path.join(ROOT, "tests", "fixtures", "villages.csv")
BATUR = "33.22.01.2002"
A = "+6281211110001"      # pendamping of Batur
ZONE = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = datetime.datetime.now(ZONE)
# Sent five days ago, just after midnight in the gateway's zone (the day
# before in UTC, so a date read in the wrong zone shows).
SENT = (NOW - datetime.timedelta(days=5)).replace(hour=0, minute=30, second=0,
                                                  microsecond=0)
SENT_ARG = SENT.strftime("%Y-%m-%dT%H:%M")

gw = None


def day(d):
    return d.strftime("%Y-%m-%d")


def dm(d, year=False):
    return "%d/%d/%d" % (d.day, d.month, d.year) if year else "%d/%d" % (d.day, d.month)


def message(text):
    """The inbound message row of text, once handled."""
    def get():
        rows = [m for m in gw.export("messages") if m["direction"] == "in"
                and m["text"] == text and m["state"] != "received"]
        return rows[-1] if rows else None
    return wait_until("handled: " + text, get)


def record(msg_id):
    rows = [r for r in gw.export("records") if r["message_id"] == msg_id]
    return rows[0] if rows else None


def send_old(text):
    gw.inject(A, text, "--time", SENT_ARG)
    return message(text)


def setup():
    check("villages imported" in gw.cli("villages", "import", FIXTURE).stdout)
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n081211110001,Ani,pendamping,%s\n" % BATUR)
    gw.cli("contacts", "import", path)


def test_kemarin_is_the_day_before_sending():
    # the issue's own example: sent on 14/11, read later: a meeting on 13/11
    m = send_old("Musdes batur kemarin rpjmdes 60 45")
    check_eq(m["state"], "processed", "state")
    rec = wait_until("record", lambda: record(m["id"]))
    check_eq(rec["tanggal"], day(SENT - datetime.timedelta(days=1)), "KEMARIN")


def test_hariini_is_the_sending_day_in_the_zone():
    m = send_old("RAPAT batur hariini sos 10 12")
    rec = wait_until("record", lambda: record(m["id"]))
    check_eq(rec["tanggal"], day(SENT), "HARIINI")


def test_future_is_after_the_sending_day():
    # the day after sending had come by the time it was processed, but not
    # when it was sent: refused, as the sender would have been that day
    after = SENT + datetime.timedelta(days=1)
    m = send_old("KADER batur %s 5 posyandu" % dm(after, year=True))
    check_eq((m["state"], m["kind"]), ("rejected", ""), "refused")
    check("future_date" in m["detail"], m["detail"])
    # without a year, the same day and month is last year's
    m = send_old("KADER batur %s 5 posyandu" % dm(after))
    rec = wait_until("record", lambda: record(m["id"]))
    check_eq(rec["tanggal"], day(after.replace(year=after.year - 1)), "yearless")


def test_new_sms_still_dated_today():
    text = "RAPAT batur hariini lain 3 4"
    gw.inject(A, text)
    rec = wait_until("record", lambda: record(message(text)["id"]))
    check_eq(rec["tanggal"], day(datetime.datetime.now(ZONE)), "HARIINI now")


def test_exports_show_the_smsc_time():
    text = "RAPAT batur kemarin eval 1 1"
    m = send_old(text)
    check_eq(m["smsc_time"], SENT.strftime("%Y-%m-%d %H:%M:%S"), "messages.smsc_time")
    check(m["created_at"] > m["smsc_time"], "received after sent: %r" % m)
    rec = wait_until("record", lambda: record(m["id"]))
    check_eq(rec["smsc_time"], m["smsc_time"], "records.smsc_time")
    check_eq(rec["received_at"], m["created_at"], "records.received_at")
    out = [r for r in gw.export("messages") if r["direction"] == "out"]
    check(out and all(r["smsc_time"] == "" for r in out), "no SMSC time on replies")


def test_long_sms_takes_its_first_parts_time():
    text = ("ADUAN batur " + "jalan ke sawah longsor, mohon segera diperbaiki. " * 5).strip()
    gw.inject(A, text, "--time", SENT_ARG)
    m = message(text)
    check_eq(m["state"], "processed", "state")
    check_eq(m["smsc_time"], SENT.strftime("%Y-%m-%d %H:%M:%S"), "joined message")
    parts = gw.sql("SELECT COUNT(*) FROM sms_in WHERE message_id = %s" % m["id"])
    check(int(parts) > 1, "was multipart: %s parts" % parts)


def test_migration_fills_stored_messages():
    # A database from before the smsc_time migration (11): the
    # column is filled from the stored parts, a long SMS from its first
    # part even when a later part carries a later stamp.
    gw.stop()
    want = gw.sql("SELECT id, smsc_time FROM messages WHERE channel = 'sms' ORDER BY id")
    long_id = gw.sql("SELECT id FROM messages WHERE parts > 1")
    gw.sql("UPDATE sms_in SET smsc_time = smsc_time + 86400 WHERE message_id = %s"
           " AND concat_seq > 1" % long_id)
    version = int(gw.sql("PRAGMA user_version"))
    rewind_schema(gw, 10)
    gw.cli("export", "messages")      # opening the store migrates it
    check_eq(int(gw.sql("PRAGMA user_version")), version, "migrated")
    got = gw.sql("SELECT id, smsc_time FROM messages WHERE channel = 'sms' ORDER BY id")
    check_eq(got, want, "filled from sms_in")
    rows = want.splitlines()
    check(len(rows) >= 7 and all(r.split("|")[1] for r in rows), "every SMS had a time: " + want)
    gw.start()


def main():
    global gw
    gw = Gateway("sent_dates")
    gw.start()
    setup()
    s = Suite("e2e-sent-dates")
    for t in (test_kemarin_is_the_day_before_sending,
              test_hariini_is_the_sending_day_in_the_zone,
              test_future_is_after_the_sending_day,
              test_new_sms_still_dated_today,
              test_exports_show_the_smsc_time,
              test_long_sms_takes_its_first_parts_time,
              test_migration_fills_stored_messages):
        s.run(t)
    gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
