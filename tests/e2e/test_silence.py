"""Issue 16 item 3: nobody is left in silence. An automatic reply is
withheld only for an alphanumeric or short sender, for the same text sent
more than same_text_max times in an hour (an auto-responder), or for an
unregistered number past replies_per_hour; a registered contact has no
hourly cap, and the error-reply window applies to identical texts only. A
withheld reply is an outbox row in state `withheld` with its reason, shown
by `export messages`, and the coordinators' digest counts them.

Through the real binary with the shipped defaults (replies_per_hour 10,
same_text_max 3, error_reply_minutes 60) on a fake clock: the scenario runs
on 6 December 2027 in the morning, the digest at 17:00 that day."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

F = "+6281211110001"      # pendamping of Batur, catching up at month end
K = "+6281211110009"      # koordinator: gets the digest
S = "+6285700000001"      # a stranger pressing on
T = "+6285700000002"      # a stranger who mistypes twice, differently
DAY = "2027-12-06"

gw = None


def sent_at(minute, second=0):
    """An SMSC time that morning (each SMS its own: the same text at the
    same second is the same SMS read twice)."""
    return "%sT09:%02d:%02d" % (DAY, minute, second)


def replies(number):
    """The replies to number: [(state, detail, text)], oldest first."""
    return [(m["state"], m["detail"], m["text"]) for m in gw.export("messages")
            if m["direction"] == "out" and m["kind"] == "reply" and m["number"].lstrip("'") == number]


def settled(number, n):
    """Wait until n messages from number are handled."""
    wait_until("%d handled from %s" % (n, number), lambda: gw.sql(
        "SELECT COUNT(*) FROM messages WHERE number = '%s' AND state != 'received'" % number) == str(n),
        timeout=60)


def setup():
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n%s,Ani,pendamping,33.22.01.2002\n%s,Citra,koordinator,\n" % (F, K))
    gw.cli("contacts", "import", path)
    gw.start("--now", DAY + "T10:00")


def test_registered_facilitator_gets_every_reply():
    # 15 reports in an hour: more than replies_per_hour (10), all answered
    for i in range(15):
        gw.inject(F, "RAPAT 3322012002 %d/11 RKP %d 30" % (i + 1, 40 + i), "--time", sent_at(i))
    settled(F, 15)
    got = replies(F)
    check_eq(len(got), 15, "one reply each: %r" % got)
    check(all(s != "withheld" for s, _, _ in got), "none withheld: %r" % got)
    check(all("tercatat" in t for _, _, t in got), "confirmations: %r" % got)


def test_same_text_past_same_text_max_is_withheld():
    # an auto-responder (or a stuck phone): 1 + same_text_max times
    for i in range(4):
        gw.inject(F, "BANTU RAPAT", "--time", sent_at(20, i))
    settled(F, 19)
    got = replies(F)[15:]
    check_eq([s for s, _, _ in got[:3]].count("withheld"), 0, "three answered: %r" % got)
    check_eq(len(got), 4, "a row for each: %r" % got)
    check_eq(got[3][0], "withheld", "the fourth withheld")
    check("same text" in got[3][1], "with its reason: %r" % (got[3],))
    check("Format: RAPAT" in got[3][2], "the reply it would have been: %r" % (got[3],))


def test_stranger_past_replies_per_hour_is_withheld():
    for i in range(12):
        gw.inject(S, "BANTU %d" % i, "--time", sent_at(30 + i))
    settled(S, 12)
    got = replies(S)
    states = [s for s, _, _ in got]
    check_eq(len(got), 12, "a row for each message: %r" % got)
    check_eq(states.count("withheld"), 2, "replies_per_hour (10) answered, the rest withheld: %r" % states)
    check(all("replies_per_hour" in d for s, d, _ in got if s == "withheld"), "reasons: %r" % got)
    notes = gw.sql("SELECT note FROM messages WHERE number = '%s' AND note LIKE 'withheld%%'" % S)
    check_eq(len(notes.splitlines()), 2, "the messages say why too: %r" % notes)


def test_different_texts_with_the_same_error_both_answered():
    gw.inject(T, "HALO", "--time", sent_at(45))
    gw.inject(T, "APA KABAR", "--time", sent_at(46))
    settled(T, 2)
    got = replies(T)
    check_eq([s for s, _, _ in got].count("withheld"), 0, "both answered: %r" % got)
    check_eq(len(got), 2, "two replies")
    # the very same wrong text again within the hour: answered already
    gw.inject(T, "HALO", "--time", sent_at(47))
    settled(T, 3)
    got = replies(T)
    check_eq(got[-1][0], "withheld", "the same wrong text again: %r" % got)
    check("answered already" in got[-1][1], got[-1][1])


def test_alphanumeric_sender_not_answered():
    gw.inject("TELKOMSEL", "Paket internet 10GB hanya Rp10rb, ketik *363#", "--time", sent_at(50))
    settled("TELKOMSEL", 1)
    rows = [m for m in gw.export("messages") if m["number"] == "TELKOMSEL"]
    check_eq([(m["direction"], m["state"]) for m in rows], [("in", "ignored")], "stored, no reply: %r" % rows)
    check("alphanumeric" in rows[0]["detail"], rows[0]["detail"])


def test_digest_counts_withheld_replies():
    gw.stop()
    gw.start("--now", DAY + "T17:00")
    rows = wait_until("digest queued", lambda: [r for r in gw.sql(
        "SELECT number, text FROM outbox WHERE purpose = 'reminder' AND text LIKE 'Ringkasan%'").splitlines()])
    check_eq(len(rows), 1, "one digest: %r" % rows)
    number, text = rows[0].split("|", 1)
    check_eq(number, K, "to the coordinator")
    # the fourth BANTU RAPAT, two to the stranger, the second HALO
    check("4 balasan otomatis ditahan" in text, text)
    check(len(text) <= 160, "one SMS: %d" % len(text))


def main():
    global gw
    s = Suite("e2e-silence")
    gw = Gateway("silence", extra_kentongan="digest_time = 17:00")
    setup()
    try:
        for t in (test_registered_facilitator_gets_every_reply, test_same_text_past_same_text_max_is_withheld,
                  test_stranger_past_replies_per_hour_is_withheld,
                  test_different_texts_with_the_same_error_both_answered, test_alphanumeric_sender_not_answered,
                  test_digest_counts_withheld_replies):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
