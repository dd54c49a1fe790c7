"""Issue 16 item 8: a consultation is announced. `perdes open` queues an
SMS to the village's warga and pendamping (under the sending policy, so not
to one who opted out) with the code, title, closing date and the SMS to
send; `perdes close` thanks those who sent aspirations, with the count. A
reply about a consultation that is not open lists only the sender's
village's open ones and takes its example from them."""

import datetime
import os
import sys
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

A = "+6281211110001"      # pendamping of Wates
B = "+6281211110002"      # pendamping of Kalisidi
W = "+6285722220002"      # warga of Kalisidi
W2 = "+6285722220004"     # warga of Kalisidi
O = "+6285722220005"      # warga of Kalisidi, opted out
X = "+6285722220006"      # warga of Wates
S = "+6289900000009"      # not registered

NOW = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta"))
UNTIL = NOW + datetime.timedelta(days=30)
TITLE = "Rancangan Perdes tentang Pengelolaan Sampah dan Kebersihan Lingkungan Dusun di Desa Kalisidi"

gw = None


def outbox(purpose, like="%"):
    return [l.split("|", 2) for l in gw.sql(
        "SELECT number, state, text FROM outbox WHERE purpose = '%s' AND text LIKE '%s' ORDER BY number"
        % (purpose, like)).splitlines() if l]


def reply_to(number, text):
    """Send text from number; the reply it got."""
    gw.inject(number, text)
    q = text.replace("'", "''")
    mid = wait_until("processed: " + text, lambda: gw.sql(
        "SELECT id FROM messages WHERE number = '%s' AND CAST(text AS TEXT) = '%s' AND state != 'received' "
        "ORDER BY id DESC LIMIT 1" % (number, q)))
    return wait_until("reply to " + text, lambda: gw.sql(
        "SELECT text FROM outbox WHERE purpose = 'reply' AND message_id = %s" % mid))


def setup():
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n")
        for number, name, role, desa in ((A, "Ani", "pendamping", "Wates"), (B, "Budi", "pendamping", "Kalisidi"),
                                         (W, "Wati", "warga", "Kalisidi"), (W2, "Wawan", "warga", "Kalisidi"),
                                         (O, "Oni", "warga", "Kalisidi"), (X, "Xena", "warga", "Wates")):
            f.write("%s,%s,%s,%s\n" % (number, name, role, desa))
    gw.cli("contacts", "import", path)
    gw.sql("UPDATE contacts SET opted_out = 1 WHERE number = '%s'" % O)
    gw.start()


def test_open_announces_to_the_village():
    out = gw.cli("perdes", "open", "PD07", "--desa", "Wates", "--title", "Perdes Air Bersih",
                 "--until", UNTIL.strftime("%Y-%m-%d")).stdout
    check("announced to 2" in out, "A and X of Wates: " + out)
    out = gw.cli("perdes", "open", "pd01", "--desa", "Kalisidi", "--title", TITLE,
                 "--until", UNTIL.strftime("%Y-%m-%d")).stdout
    check("PD01 open" in out and "announced to 3" in out, "B, W, W2; not O who opted out: " + out)
    rows = outbox("announcement", "%PD01%")
    check_eq([r[0] for r in rows], sorted([B, W, W2]), "the village's pendamping and warga")
    text = rows[0][2]
    check("ketik: ASPIRASI PD01 isi usulan." in text, "the SMS to send, whole: " + text)
    check("desa Kalisidi" in text and UNTIL.strftime("%d/%m/%Y") in text, "village and closing date: " + text)
    check(len(text) <= 160 and text.isascii(), "one SMS (%d chars): %s" % (len(text), text))
    check("Rancangan Perdes tentang" in text and ".." in text, "the title, cut to fit: " + text)
    check("BERHENTI" in text, "how to stop: " + text)
    wait_until("sent under the policy", lambda: all(r[1] == "sent" for r in outbox("announcement", "%PD01%")))


def test_not_open_lists_only_the_senders_village():
    rep = reply_to(X, "ASPIRASI PD01 Mohon bak sampah")
    check("PD07" in rep and "PD01 tidak dibuka" in rep, rep)
    check("Contoh: ASPIRASI PD07 " in rep, "the example is the village's own code: " + rep)
    check(rep.count("PD01") == 1, "PD01 of Kalisidi is not offered to Wates: " + rep)
    rep = reply_to(W, "ASPIRASI PD09 usul lain")
    check("Yang dibuka di desa Anda: PD01." in rep and "Contoh: ASPIRASI PD01 " in rep, rep)
    check("PD07" not in rep, "not another village's: " + rep)
    check(len(rep) <= 160, rep)


def test_close_thanks_the_senders_with_the_count():
    for number, text in ((W, "ASPIRASI PD01 Mohon ada bank sampah di tiap dusun"),
                         (W, "ASPIRASI PD01 Jadwal angkut sampah dua kali seminggu"),
                         (W2, "ASPIRASI PD01 Denda buang sampah ke sungai")):
        check("diterima" in reply_to(number, text), text)
    out = gw.cli("perdes", "close", "PD01").stdout
    check("1 consultation closed; 2 senders of aspirations thanked" in out, out)
    rows = outbox("announcement", "%ditutup%")
    check_eq([r[0] for r in rows], sorted([W, W2]), "those who sent aspirations, once each")
    check("PD01 desa Kalisidi sudah ditutup" in rows[0][2] and "3 aspirasi" in rows[0][2], rows[0][2])
    check(len(rows[0][2]) <= 160, rows[0][2])


def test_after_close_no_code_of_another_village():
    rep = reply_to(W, "ASPIRASI PD01 terlambat")
    check("PD01 tidak dibuka" in rep and "undangan" in rep, rep)
    check("PD07" not in rep and "Contoh" not in rep, "no code the sender cannot use: " + rep)
    rep = reply_to(S, "ASPIRASI PD01 usul")
    check("PD07" not in rep and "undangan" in rep, "an unknown sender: " + rep)


def main():
    global gw
    s = Suite("e2e-perdes-announce")
    # W gets two perdes_closed replies in a few seconds: the per-error
    # window of the loop guard is not what this suite is about
    gw = Gateway("perdes-announce", extra_kentongan="error_reply_minutes = 0")
    setup()
    try:
        for t in (test_open_announces_to_the_village, test_not_open_lists_only_the_senders_village,
                  test_close_thanks_the_senders_with_the_count, test_after_close_no_code_of_another_village):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
