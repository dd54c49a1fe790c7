"""Issue 22 items 2-4: APBDES and PANTAU by SMS through the dummy modem,
and the USSD menu's "Dana desa", against the real daemon and database.
The budget is entered with the office's own command (kentongan apbdes
import, kegiatan import); what villagers and facilitators send is stored
and answered in Indonesian, one SMS each."""

import datetime
import os
import sys
import urllib.parse
import urllib.request
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, free_port, wait_until  # noqa: E402

P = "+6281211110001"      # pendamping of Wates
Q = "+6281211110003"      # pendamping of Kalisidi (not of Wates)
K = "+6281311110001"      # koordinator
W = "+6285722220001"      # warga of Wates
W2 = "+6285722220002"     # warga of Wates
S = "+6289900000009"      # not registered
SECRET = "rahasia-desa-4242"

TZ = zoneinfo.ZoneInfo("Asia/Jakarta")
NOW = datetime.datetime.now(TZ)
YEAR = NOW.year
NAMES = ["Rabat beton jalan dusun Krajan", "Posyandu balita", "Drainase RT 03",
         "Pelatihan kader PKK", "Sumur bor dusun Ngaglik", "Jembatan kali Sipendok",
         "Lampu jalan tenaga surya", "BUMDes simpan pinjam", "Talud sungai", "Gapura desa",
         "Perpustakaan desa", "Sanitasi MCK umum"]

gw = None
USSD = None


def replies_to(*sent):
    """Send each (number, text[, inject options]) at once (the modem is
    read once a second); the reply each got, in order. Texts whose order
    matters go one call at a time."""
    last = int(gw.sql("SELECT COALESCE(MAX(id), 0) FROM messages"))
    for number, text, *opts in sent:
        gw.inject(number, text, *opts)
    out = []
    for number, text, *_ in sent:
        q = text.replace("'", "''")
        mid = wait_until("processed: " + text, lambda: gw.sql(
            "SELECT id FROM messages WHERE number = '%s' AND CAST(text AS TEXT) = '%s' AND state != 'received' "
            "AND id > %d" % (number, q, last)))
        rep = wait_until("reply to " + text, lambda: gw.sql(
            "SELECT text FROM outbox WHERE purpose = 'reply' AND message_id = %s" % mid))
        check(len(rep) <= 160 and rep.isascii(), "one GSM-7 SMS (%d chars): %s" % (len(rep), rep))
        out.append(rep)
    return out


def reply_to(number, text, *opts):
    """Send text from number; the reply it got."""
    return replies_to((number, text) + opts)[0]


def ussd(session, phone, text):
    url = "http://127.0.0.1:%d/ussd?key=%s" % (USSD, SECRET)
    data = urllib.parse.urlencode({"sessionId": session, "serviceCode": "*123*45#", "phoneNumber": phone,
                                   "networkCode": "51010", "text": text}).encode()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as r:
        body = r.read().decode()
    check(len(body) <= 182, "one USSD screen (%d chars): %s" % (len(body), body))
    return body


def setup():
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n")
        for row in ((P, "Ani", "pendamping", "3322012005"), (Q, "Budi", "pendamping", "Kalisidi"),
                    (K, "Kiki", "koordinator", ""), (W, "Wati", "warga", "3322012005"),
                    (W2, "Wawan", "warga", "3322012005")):
            f.write("%s,%s,%s,%s\n" % row)
    gw.cli("contacts", "import", path)
    path = os.path.join(gw.dir, "apbdes.csv")
    with open(path, "w") as f:
        f.write("kode_desa,tahun,pendapatan,belanja,dana_desa\n")
        f.write("3322012005,%d,1240000000,1200000000,812000000\n" % YEAR)
        f.write("3322012005,%d,900000000,900000000,700000000\n" % (YEAR - 1))
    gw.cli("apbdes", "import", path)
    path = os.path.join(gw.dir, "kegiatan.csv")
    with open(path, "w") as f:
        f.write("kode_desa,tahun,kode,nama,anggaran,sumber,mulai,selesai\n")
        for i, name in enumerate(NAMES):
            f.write("3322012005,%d,K%02d,%s,%d,%s,1/3/%d,30/6/%d\n" %
                    (YEAR, i + 1, name, 150000000 - i * 10000000, "DD" if i % 2 == 0 else "ADD", YEAR, YEAR))
    gw.cli("kegiatan", "import", path)
    gw.start()


def test_apbdes_totals():
    rep, alias, rep2, rep3 = replies_to((S, "APBDES WATES"), (S, "dana 3322012005"), (W, "ANGGARAN wates"),
                                        (W2, "Dana Desa Wates"))
    for want in ("Wates", str(YEAR), "Rp1,24 M", "Rp1,2 M", "Rp812 jt", "K01 Rabat beton", "APBDES Wates K01"):
        check(want in rep, "%r in %s" % (want, rep))
    check("K12" not in rep and rep.count(", K") >= 1 and "dll" in rep, "as many as fit, and says so: " + rep)
    check_eq(alias, rep, "the alias and the code: the same answer")
    check("Rp1,24 M" in rep2, rep2)
    check("Rp1,24 M" in rep3, "as people name the village fund: " + rep3)


def test_apbdes_one_activity_before_reports():
    rep = reply_to(S, "APBDES WATES K01")
    for want in ("K01", "Rabat beton jalan dusun Krajan", "Rp150 jt", "DD", "1/3", "30/6", "belum ada"):
        check(want in rep, "%r in %s" % (want, rep))


def test_own_village_may_be_left_out():
    mine, code, bare, stranger = replies_to((W, "APBDES"), (P, "dana k02"), (S, "APBDES"), (S, "APBDES K02"))
    check("APBDes Wates %d" % YEAR in mine and "Rp1,24 M" in mine, "a villager's own village: " + mine)
    check("K02 Posyandu balita, Wates" in code, "a facilitator's one village, with a code: " + code)
    check("desa" in bare and "APBDES" in bare, "a stranger is asked for the village: " + bare)
    check("K02" in stranger and "Rp1,24 M" not in stranger, "no village of a stranger's: " + stranger)


def test_no_budget_names_the_office():
    rep = reply_to(S, "APBDES TAJUK")
    check("Tajuk" in rep and "Getasan" in rep and str(YEAR) in rep, "says none, names the kecamatan: " + rep)
    rep = reply_to(S, "PANTAU TAJUK K01 40")
    check("Getasan" in rep, rep)
    check_eq(gw.sql("SELECT COUNT(*) FROM pantau"), "0", "nothing stored for a village with no budget")


def test_pantau_from_a_villager_stored_with_the_time_it_was_sent():
    sent = (NOW - datetime.timedelta(hours=5)).replace(microsecond=0)
    rep = reply_to(W, "PANTAU WATES K01 40 baru diratakan", "--time", sent.strftime("%Y-%m-%dT%H:%M:%S"))
    check("K01" in rep and "Rabat beton" in rep and "40%" in rep, "echoes the name and the percentage: " + rep)
    row = gw.sql("SELECT number, resmi, persen, catatan, sent_at FROM pantau ORDER BY id DESC LIMIT 1").split("|")
    check_eq(row[:4], [W, "0", "40", "baru diratakan"], "a villager's observation")
    check_eq(int(row[4]), int(sent.timestamp()), "the time the SMS was sent, not read")


def test_pantau_verified_from_the_villages_pendamping_and_a_koordinator():
    rep = reply_to(P, "PANTAU 3322012005 k 02 60%")
    check("K02" in rep and "60%" in rep and "Posyandu" in rep, rep)
    check_eq(gw.sql("SELECT resmi FROM pantau ORDER BY id DESC LIMIT 1"), "1", "the village's pendamping: verified")
    reply_to(Q, "PANTAU WATES K02 10")
    check_eq(gw.sql("SELECT resmi FROM pantau ORDER BY id DESC LIMIT 1"), "0",
             "a pendamping of another village: an observation")
    reply_to(K, "AWASI WATES K03 25 % saluran belum digali")
    check_eq(gw.sql("SELECT resmi, persen, catatan FROM pantau ORDER BY id DESC LIMIT 1"),
             "1|25|saluran belum digali", "a koordinator: verified, '25 %' read as 25")


def test_detail_shows_verified_and_the_median_of_each_numbers_latest():
    reply_to(P, "PANTAU WATES K01 70")
    reply_to(W2, "PANTAU WATES K01 20")
    reply_to(W, "PANTAU WATES K01 30 sudah dicor sebagian")   # replaces W's 40
    rep = reply_to(S, "APBDES WATES K01")
    today = "%d/%d" % (NOW.day, NOW.month)
    check("70%" in rep and today in rep, "the verified progress and its date: " + rep)
    check("2 laporan" in rep and "median 25%" in rep, "two numbers, (20+30)/2: " + rep)


def test_unknown_activity_lists_the_codes():
    rep, rep2 = replies_to((W, "PANTAU WATES K99 40"), (S, "APBDES WATES K13"))
    check("K99" in rep and "K01, K02" in rep and "PANTAU Wates K01" in rep, rep)
    check("K13" in rep2 and "K01" in rep2 and "APBDES Wates K01" in rep2, rep2)
    check_eq(gw.sql("SELECT COUNT(*) FROM pantau p JOIN kegiatan k ON k.id = p.kegiatan_id WHERE k.kode = 'K99'"),
             "0", "nothing stored")


def test_bad_input_gets_a_clear_error():
    big, code, short = replies_to((S, "PANTAU WATES K01 140"), (S, "PANTAU WATES 40 bagus"), (S, "PANTAU WATES"))
    check("140" in big and "PANTAU" in big, "the word at fault and the form: " + big)
    check("40" in code and "PANTAU" in code, code)
    check("PANTAU" in short, short)
    states = gw.sql("SELECT DISTINCT state FROM messages WHERE CAST(text AS TEXT) LIKE 'PANTAU WATES%%' "
                    "AND number = '%s'" % S)
    check_eq(states, "rejected", "stored, rejected, answered")


def test_ussd_dana_desa():
    scr = ussd("d-1", W, "")
    check("5 Dana desa" in scr, scr)
    scr = ussd("d-1", W, "5")
    check(scr.startswith("CON ") and "1 Wates" in scr, "the caller's own village first: " + scr)
    scr = ussd("d-1", W, "5*1")
    check("APBDes Wates %d" % YEAR in scr and "Rp1,24 M" in scr and "1 K01 " in scr and "3 K03 " in scr, scr)
    scr = ussd("d-1", W, "5*1*k12")
    check("K12 Sanitasi MCK umum" in scr and "1 Kirim pantauan" in scr, "beyond the three, by code: " + scr)
    scr = ussd("d-1", W, "5*1*1")
    check("K01" in scr and "Resmi: 70%" in scr and "median 25%" in scr, scr)
    scr = ussd("d-1", W, "5*1*1*1*150")
    check("1-100" in scr, scr)
    scr = ussd("d-1", W, "5*1*1*1*90*sudah selesai diaspal")
    check(scr.startswith("END ") and "K01 90%" in scr, scr)
    row = gw.sql("SELECT p.number, p.resmi, p.persen, p.catatan, m.channel FROM pantau p JOIN messages m "
                 "ON m.id = p.message_id ORDER BY p.id DESC LIMIT 1")
    check_eq(row, "%s|0|90|sudah selesai diaspal|ussd" % W, "stored as PANTAU by SMS is")
    confirm = wait_until("SMS confirmation", lambda: gw.sql(
        "SELECT text FROM outbox WHERE number = '%s' AND purpose = 'reply' AND text LIKE '%%K01%%90%%'" % W))
    check(len(confirm) <= 160, confirm)
    # the aggregator retries: stored once
    ussd("d-1", W, "5*1*1*1*90*sudah selesai diaspal")
    check_eq(gw.sql("SELECT COUNT(*) FROM pantau WHERE persen = 90"), "1", "once per session and path")
    # a stranger types the village
    scr = ussd("d-2", S, "5")
    check("Ketik kode desa" in scr, scr)
    scr = ussd("d-2", S, "5*tajuk")
    check(scr.startswith("END ") and "belum" in scr, scr)


def main():
    global gw, USSD
    USSD = free_port()
    s = Suite("e2e-budget")
    gw = Gateway("budget", extra_kentongan="replies_per_hour = 100\nerror_reply_minutes = 0\nsame_text_max = 20",
                 extra="[ussd]\nlisten = 127.0.0.1:%d\npath = /ussd\nsecret = %s\n" % (USSD, SECRET))
    setup()
    try:
        for t in (test_apbdes_totals, test_apbdes_one_activity_before_reports, test_own_village_may_be_left_out,
                  test_no_budget_names_the_office,
                  test_pantau_from_a_villager_stored_with_the_time_it_was_sent,
                  test_pantau_verified_from_the_villages_pendamping_and_a_koordinator,
                  test_detail_shows_verified_and_the_median_of_each_numbers_latest,
                  test_unknown_activity_lists_the_codes, test_bad_input_gets_a_clear_error,
                  test_ussd_dana_desa):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
