"""Consent: a number that sent BERHENTI gets nothing the gateway initiates
until it sends MULAI, whatever the office imports, and whatever was queued
for it before. The reply to its own messages, and news of its own tickets,
still go. The daemon runs on a fake clock (--now), later than the real one (the
office's commands queue at the real time, which must be due for the
daemon), against a real database and Gammu's dummy modem."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

K = "+6281211110009"      # koordinator
W = "+6285722220002"      # warga of Kalisidi: BERHENTI by day
V = "+6285722220003"      # warga of Kalisidi: BERHENTI at night, after a broadcast was held
U = "+6285722220004"      # warga of Kalisidi: never opts out

gw = None
CSV = None


def sql(q):
    return gw.sql(q)


def out_to(number, purpose=None):
    return [m for m in gw.export("messages") if m["direction"] == "out"
            and m["number"].lstrip("'") == number and (purpose is None or m["kind"] == purpose)]


def opted_out(number):
    return sql("SELECT opted_out FROM contacts WHERE number = '%s'" % number)


def berhenti(number):
    """number sends BERHENTI; returns its confirmation, once sent."""
    gw.inject(number, "BERHENTI")
    return wait_until("BERHENTI confirmed to " + number,
                      lambda: [m for m in out_to(number, "reply") if m["text"].startswith("BERHENTI")
                               and m["state"] == "sent"])[-1]


def setup():
    global CSV
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    CSV = os.path.join(gw.dir, "contacts.csv")
    with open(CSV, "w") as f:
        f.write("number,name,role,desa\n" + K + ",Citra,koordinator,\n" + W + ",Warsini,warga,Kalisidi\n" +
                V + ",Wati,warga,Kalisidi\n" + U + ",Umi,warga,Kalisidi\n")
    gw.cli("contacts", "import", CSV)


def test_reimport_keeps_berhenti():
    gw.start("--now", "2027-03-02T10:00")
    rep = berhenti(W)
    # (c) the confirmation itself goes, and says what stops and what still comes
    for word in ("berita", "pengingat", "siaran", "Balasan", "tiket", "MULAI"):
        check(word in rep["text"], "%r in %r" % (word, rep["text"]))
    check(len(rep["text"]) <= 160, "one SMS: %d" % len(rep["text"]))
    check_eq(opted_out(W), "1", "opted out")
    # the office imports its list again, and edits the contact: W stays out
    gw.cli("contacts", "import", CSV)
    check_eq(opted_out(W), "1", "after contacts import")
    gw.cli("contacts", "set", W, "--role", "warga", "--desa", "Kalisidi", "--name", "Warsini")
    check_eq(opted_out(W), "1", "after contacts set")
    out = gw.cli("broadcast", "WARGA", "Musdes RKP Senin jam 9 di balai desa").stdout
    check("2 SMS queued" in out, "V and U, not W: " + out)
    wait_until("the broadcast sent", lambda: len([m for m in out_to(U, "broadcast") + out_to(V, "broadcast")
                                                  if m["state"] == "sent"]) == 2)
    check_eq(out_to(W, "broadcast"), [], "no broadcast to W")


def test_ticket_news_still_reaches_an_opted_out_number():
    gw.inject(W, "ADUAN Kalisidi Lampu jalan mati")
    wait_until("ticket", lambda: [m for m in out_to(W, "reply") if m["text"].startswith("ADUAN diterima")
                                  and m["state"] == "sent"])
    tiket = sql("SELECT type || '-' || seq FROM tickets WHERE number = '%s'" % W)
    gw.cli("tickets", "update", tiket, "--status", "selesai", "--note", "Sudah diganti")
    wait_until("ticket news sent", lambda: [m for m in out_to(W, "ticket") if m["state"] == "sent"])


def test_held_broadcast_dropped_after_berhenti():
    gw.stop()
    gw.start("--now", "2027-03-02T22:00")
    out = gw.cli("broadcast", "WARGA", "Kerja bakti Minggu pagi").stdout
    check("2 SMS queued" in out, "V and U: " + out)
    wait_until("held", lambda: sql("SELECT COUNT(*) FROM outbox WHERE purpose = 'broadcast' AND state = 'queued' "
                                   "AND reason = 'held: quiet hours'") == "2")
    # (c) V opts out at night: the confirmation goes at once, quiet hours or not
    berhenti(V)
    gw.stop()
    gw.start("--now", "2027-03-03T06:00")
    held = "purpose = 'broadcast' AND text = 'Kerja bakti Minggu pagi'"
    wait_until("U's goes in the morning", lambda: sql("SELECT state FROM outbox WHERE %s AND number = '%s'"
                                                     % (held, U)) == "sent")
    row = wait_until("V's is dropped", lambda: sql("SELECT state, reason, tries, COALESCE(sent_at, '') FROM outbox "
                                                  "WHERE %s AND number = '%s' AND state = 'dead'" % (held, V)))
    check_eq(row, "dead|dropped: opted_out (BERHENTI)|0|", "dropped with its reason, never tried")
    check_eq(sql("SELECT COUNT(*) FROM outbox_parts p JOIN outbox o ON o.id = p.outbox_id WHERE o.number = '%s' "
                 "AND o.%s" % (V, held)), "0", "no part left for V")
    check("dropped: opted_out" in gw.read_log(), "logged")


def test_mulai_starts_again():
    gw.inject(V, "MULAI")
    wait_until("MULAI confirmed", lambda: [m for m in out_to(V, "reply") if m["text"].startswith("MULAI")])
    check_eq(opted_out(V), "0", "back in")
    gw.cli("broadcast", "WARGA", "Posyandu Rabu")
    wait_until("V gets broadcasts again", lambda: [m for m in out_to(V, "broadcast")
                                                   if m["text"] == "Posyandu Rabu" and m["state"] == "sent"])
    check_eq([m for m in out_to(W, "broadcast")], [], "W still out")


def main():
    global gw
    s = Suite("e2e-consent")
    gw = Gateway("consent", extra_kentongan="quiet_hours = 21:00-06:00\nreplies_per_hour = 100")
    setup()
    try:
        for t in (test_reimport_keeps_berhenti, test_ticket_news_still_reaches_an_opted_out_number,
                  test_held_broadcast_dropped_after_berhenti, test_mulai_starts_again):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
