"""Issue 17, items 2 and 6: the office reviews reports (records list,
withdraw, accept; a repeated RAPAT or KADER is flagged duplicate and not
counted twice) and hands the camat the month: every village of the
kecamatan, zeros included, with totals, checked against numbers worked
out by hand. The national village list, area 33.22 (Kabupaten Semarang),
through the real binary and database."""

import csv
import datetime
import io
import os
import sys
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

NATIONAL = os.path.join(ROOT, "data", "villages", "wilayah-desa.csv.gz")
GETASAN = "33.22.01"     # 13 villages (33.22.01.2001 Tajuk .. 2013 Nogosaren)
WATES, TOLOKAN, KOPENG, BATUR, TAJUK = ("33.22.01.2005", "33.22.01.2004", "33.22.01.2003",
                                        "33.22.01.2002", "33.22.01.2001")
KALISIDI = "33.22.18.2002"   # Kec. Ungaran Barat

P1 = "+6281211110001"    # pendamping of Wates and Tolokan
P2 = "+6281211110002"    # pendamping of Kopeng
P3 = "+6281211110003"    # a pendamping the office registers late
P4 = "+6281211110004"    # pendamping of Kalisidi (another kecamatan)
P5 = "+6281211110005"    # pendamping of Samirono: sends nothing
K = "+6281211110009"
W = "+6285722220001"     # warga of Batur

REPORT_HEAD = ["kecamatan", "kode", "desa", "rapat", "laki", "perempuan", "kader",
               "aduan_masuk", "aduan_selesai", "aspirasi"]

gw = None
NOW = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta"))
MONTH = NOW.strftime("%Y-%m")
FIRST = "1/%d" % NOW.month
PREV = NOW.replace(day=1) - datetime.timedelta(days=1)
PREV_DAY = "%d/%d/%d" % (PREV.day, PREV.month, PREV.year)
R = {}                   # name in this test -> R-n


def messages():
    return gw.export("messages")


def reply_after(number, text):
    """Send text from number; the reply it got once it was processed."""
    before = len(messages())
    gw.inject(number, text)
    wait_until("processed: " + text, lambda: [
        m for m in messages() if m["direction"] == "in" and m["number"].lstrip("'") == number
        and m["text"] == text and m["state"] != "received"])
    wait_until("reply queued", lambda: len(messages()) >= before + 2)
    out = [m for m in messages() if m["direction"] == "out" and m["number"].lstrip("'") == number]
    return out[-1]["text"]


def record(nomor):
    rows = [r for r in gw.export("records") if r["nomor"] == nomor]
    return rows[0] if rows else None


def last_record(number):
    return [r for r in gw.export("records") if r["number"].lstrip("'") == number][-1]


def report(*args):
    r = gw.cli("report", "monthly", "--month", MONTH, "--format", "csv", *args)
    return list(csv.DictReader(io.StringIO(r.stdout)))


def setup():
    out = gw.cli("villages", "import", NATIONAL).stdout
    check("83762 villages imported" in out, out)
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n"
                "081211110001,Siti Nurhaliza,pendamping,%s\n"
                "081211110002,Budi Santoso,pendamping,%s\n"
                "081211110004,Dewi Lestari,pendamping,%s\n"
                "081211110005,Eko Prasetyo,pendamping,%s\n"
                "081211110009,Citra Koordinator,koordinator,\n"
                "085722220001,Warsini,warga,%s\n" % (WATES, KOPENG, KALISIDI, "33.22.01.2008", BATUR))
    check("6 contacts imported" in gw.cli("contacts", "import", path).stdout, "contacts")
    gw.cli("contacts", "set", "081211110001", "--desa", "%s;%s" % (WATES, TOLOKAN))


def test_duplicate_flagged_not_counted():
    rep = reply_after(P1, "RAPAT %s %s RKP 10 5" % (WATES, FIRST))
    R["rkp"] = last_record(P1)["nomor"]
    check("tercatat" in rep, rep)
    rep = reply_after(P1, "RAPAT wates %s rkp 10 5" % FIRST)
    dup = last_record(P1)
    R["rkp_dup"] = dup["nomor"]
    check_eq((dup["state"], dup["flags"]), ("not_counted", "duplicate"), "the repeat")
    # one SMS that names the earlier report and how to withdraw it
    check(R["rkp"] in rep and "BATAL " + R["rkp"] in rep and dup["nomor"] in rep, rep)
    check("tidak dihitung" in rep, rep)
    check(len(rep) <= 160, "one SMS: %d" % len(rep))
    check_eq(record(R["rkp"])["state"], "counted", "the first still counts")
    # another type the same day is another meeting
    reply_after(P1, "RAPAT %s %s APB 7 8" % (WATES, FIRST))
    check_eq(last_record(P1)["state"], "counted", "APB the same day")
    reply_after(P1, "KADER %s %s 12 posyandu balita" % (TOLOKAN, FIRST))
    R["kader"] = last_record(P1)["nomor"]
    rep = reply_after(P1, "KADER %s %s 12 posyandu balita" % (TOLOKAN, FIRST))
    R["kader_dup"] = last_record(P1)["nomor"]
    check_eq(last_record(P1)["flags"], "duplicate", "a repeated KADER")
    check(R["kader"] in rep, rep)
    # last month's meeting of the same type is no repeat
    reply_after(P1, "RAPAT %s %s RKP 9 9" % (WATES, PREV_DAY))
    check_eq(last_record(P1)["state"], "counted", "last month")


def test_batal_earlier_counts_the_correction():
    reply_after(P1, "RAPAT %s %s SOS 4 4" % (WATES, FIRST))
    R["sos"] = last_record(P1)["nomor"]
    rep = reply_after(P1, "RAPAT %s %s SOS 6 6" % (WATES, FIRST))
    R["sos_fix"] = last_record(P1)["nomor"]
    check("BATAL " + R["sos"] in rep, rep)
    rep = reply_after(P1, "BATAL " + R["sos"])
    check(R["sos"] in rep and R["sos_fix"] in rep and "dihitung" in rep, rep)
    check_eq(record(R["sos"])["state"], "withdrawn", "the earlier")
    check_eq(record(R["sos_fix"])["state"], "counted", "the correction counts instead")


def test_duplicate_past_batal_window_asks_koordinator():
    reply_after(P4, "RAPAT %s %s KAD 2 3" % (KALISIDI, FIRST))
    first = last_record(P4)["nomor"]
    gw.sql("UPDATE records SET created_at = created_at - 25 * 3600 WHERE id = %s" % first[2:])
    rep = reply_after(P4, "RAPAT %s %s KAD 2 3" % (KALISIDI, FIRST))
    check(first in rep and "koordinator" in rep and "BATAL" not in rep, rep)
    out = gw.cli("records", "withdraw", last_record(P4)["nomor"], "--reason", "Dobel").stdout
    check("withdrawn" in out, out)


def test_flagged_village_waits_then_accepted():
    rep = reply_after(P2, "RAPAT %s %s EVAL 3 2" % (WATES, FIRST))
    R["eval"] = last_record(P2)["nomor"]
    check_eq((last_record(P2)["state"], last_record(P2)["flags"]), ("not_counted", "desa_not_assigned"),
             "a village not assigned waits for review")
    check("bukan desa tugas" in rep and "belum dihitung" in rep, rep)
    listed = gw.cli("records", "list", "--flag", "desa_not_assigned", "--format", "csv").stdout
    check(R["eval"] in listed, listed)
    out = gw.cli("records", "accept", R["eval"]).stdout
    check("counted" in out, out)
    check_eq(record(R["eval"])["state"], "counted", "accepted")
    out = gw.cli("records", "accept", R["eval"]).stdout
    check("already" in out, out)
    # one left waiting: Tajuk is not Budi's
    reply_after(P2, "RAPAT %s %s RKP 1 1" % (TAJUK, FIRST))
    R["tajuk"] = last_record(P2)["nomor"]


def test_unregistered_then_registered_and_accepted():
    rep = reply_after(P3, "RAPAT %s %s RPJM 20 20" % (KOPENG, FIRST))
    R["rpjm"] = last_record(P3)["nomor"]
    check(R["rpjm"] in rep and "belum terdaftar" in rep, rep)
    check_eq(record(R["rpjm"])["flags"], "not_registered", "flag")
    gw.cli("contacts", "set", "081211110003", "--role", "pendamping", "--desa", KOPENG,
           "--name", "Agus Wibowo")
    gw.cli("records", "accept", R["rpjm"])
    check_eq(record(R["rpjm"])["state"], "counted", "counted once registered")


def test_withdraw_tells_sender():
    reply_after(P2, "RAPAT %s %s LAIN 5 5" % (KOPENG, FIRST))
    nomor = last_record(P2)["nomor"]
    reason = "Rapat belum terjadi, salah tanggal"
    out = gw.cli("records", "withdraw", nomor, "--reason", reason).stdout
    check("withdrawn" in out and "SMS queued" in out, out)
    check_eq(record(nomor)["state"], "withdrawn", "withdrawn")
    sms = wait_until("the sender told", lambda: [
        m for m in messages() if m["direction"] == "out" and m["number"].lstrip("'") == P2
        and nomor in m["text"] and "dibatalkan koordinator" in m["text"]])
    check(reason in sms[-1]["text"] and "Kopeng" in sms[-1]["text"], sms[-1]["text"])
    rows = list(csv.DictReader(io.StringIO(gw.cli("records", "list", "--state", "withdrawn",
                                                   "--format", "csv").stdout)))
    check_eq([r["catatan"] for r in rows if r["nomor"] == nomor], [reason], "the reason kept")
    again = gw.cli("records", "withdraw", nomor, "--reason", "x").stdout
    check("already" in again, again)
    for bad, code in ((["records", "accept", nomor], 1), (["records", "accept", "R-99999"], 1),
                      (["records", "withdraw", nomor], 2), (["records", "list", "--flag", "x"], 2)):
        r = gw.cli(*bad, check=False)
        check_eq(r.returncode, code, " ".join(bad) + ": " + r.stderr)


def test_tickets_for_report():
    rep = reply_after(W, "ADUAN Batur jalan berlubang")
    tiket = [r for r in gw.export("records") if r["number"].lstrip("'") == W][-1]["tiket"]
    check(tiket in rep, rep)
    gw.cli("tickets", "update", tiket, "--status", "selesai", "--note", "Sudah ditambal")


def test_records_list_filters():
    rows = list(csv.DictReader(io.StringIO(gw.cli("records", "list", "--month", MONTH, "--state",
                                                   "not_counted", "--format", "csv").stdout)))
    check_eq(sorted(r["nomor"] for r in rows), sorted([R["rkp_dup"], R["kader_dup"], R["tajuk"]]),
             "waiting this month")
    dup = [r for r in rows if r["nomor"] == R["rkp_dup"]][0]
    check_eq((dup["mengulang"], dup["desa"], dup["nama"]), (R["rkp"], "Wates", "Siti Nurhaliza"), "repeat")
    rows = list(csv.DictReader(io.StringIO(gw.cli("records", "list", "--desa", "Wates", "--month",
                                                   PREV.strftime("%Y-%m"), "--format", "csv").stdout)))
    check_eq([(r["jenis"], r["laki"]) for r in rows], [("RKP", "9")], "Wates last month")
    r = gw.cli("records", "list", "--month", "2026-13", check=False)
    check_eq(r.returncode, 2, "a wrong month: " + r.stderr)


def test_camat_report_by_hand():
    rows = report("--kecamatan", "Getasan")
    check_eq(list(rows[0].keys())[:10], REPORT_HEAD, "the columns first")
    villages = [r for r in rows if r["desa"] != "JUMLAH"]
    check_eq(len(villages), 13, "every village of Getasan")
    check_eq([r["kode"] for r in villages], ["%s.%d" % (GETASAN, 2001 + i) for i in range(13)], "codes")
    by = {r["kode"]: r for r in villages}

    def counts(r, cols=("rapat", "laki", "perempuan", "kader", "aduan_masuk", "aduan_selesai",
                        "aspirasi", "menunggu")):
        return tuple(int(r[c]) for c in cols)
    # Worked by hand, this month:
    # Wates: RKP 10/5, APB 7/8, SOS 6/6 (the correction; 4/4 withdrawn),
    #   EVAL 3/2 (Budi's, accepted). The repeated RKP waits.
    # Tolokan: KADER 12; its repeat waits. Kopeng: RPJM 20/20 (Agus,
    #   accepted); LAIN 5/5 withdrawn. Tajuk: Budi's RKP waits.
    # Batur: one ADUAN, closed. The eight others: nothing.
    check_eq(counts(by[WATES]), (4, 26, 21, 0, 0, 0, 0, 1), "Wates")
    check_eq(tuple(int(by[WATES][c]) for c in ("rkp", "apb", "sos", "eval")), (1, 1, 1, 1), "types")
    check_eq(counts(by[TOLOKAN]), (0, 0, 0, 12, 0, 0, 0, 1), "Tolokan")
    check_eq(counts(by[KOPENG]), (1, 20, 20, 0, 0, 0, 0, 0), "Kopeng")
    check_eq(counts(by[TAJUK]), (0, 0, 0, 0, 0, 0, 0, 1), "Tajuk")
    check_eq(counts(by[BATUR]), (0, 0, 0, 0, 1, 1, 0, 0), "Batur")
    quiet = [k for k in by if k not in (WATES, TOLOKAN, KOPENG, TAJUK, BATUR)]
    check_eq(len(quiet), 8, "eight quiet villages")
    for k in quiet:
        check_eq(counts(by[k]), (0,) * 8, "zeros for " + by[k]["desa"])
    total = rows[-1]
    check_eq((total["kecamatan"], total["kode"], total["desa"]), ("Getasan", "", "JUMLAH"), "totals row")
    check_eq(counts(total), (5, 46, 41, 12, 1, 1, 0, 3), "Getasan totals")
    # the same kecamatan however it is typed
    for typed in ("Kec. Getasan", "kecamatan getasan", "33.22.01", "332201"):
        check_eq(report("--kecamatan", typed), rows, typed)


def test_unknown_kecamatan():
    r = gw.cli("report", "monthly", "--month", MONTH, "--kecamatan", "Getasn", check=False)
    check(r.returncode != 0, "exit %d" % r.returncode)
    check("Getasan" in r.stderr and r.stdout == "", r.stderr + r.stdout)
    r = gw.cli("report", "monthly", "--month", MONTH, "--kecamatan", "Ungaran", check=False)
    check(r.returncode != 0 and "Ungaran Barat" in r.stderr and "Ungaran Timur" in r.stderr, r.stderr)


def test_every_kecamatan_of_the_area():
    rows = report()
    totals = [r for r in rows if r["desa"] == "JUMLAH"]
    check_eq(len(totals), 19, "the 19 kecamatan of Kabupaten Semarang")
    check_eq(len(rows) - 19, 235, "their 235 villages")
    by = {r["kecamatan"]: r for r in totals}
    check_eq((by["Getasan"]["rapat"], by["Getasan"]["laki"], by["Getasan"]["menunggu"]), ("5", "46", "3"),
             "Getasan the same")
    check_eq((by["Ungaran Barat"]["rapat"], by["Ungaran Barat"]["menunggu"]), ("1", "0"),
             "Kalisidi's KAD (its repeat withdrawn)")
    check_eq(by["Tengaran"]["rapat"], "0", "a kecamatan with nothing")


def test_sections():
    review = report("--kecamatan", "Getasan", "--section", "review")
    check_eq(sorted(r["nomor"] for r in review), sorted([R["rkp_dup"], R["kader_dup"], R["tajuk"]]), "review")
    check_eq(list(review[0].keys())[:4], ["kecamatan", "kode", "desa", "nomor"], "review columns")
    silent = report("--kecamatan", "Getasan", "--section", "silent")
    check_eq([r["name"] for r in silent], ["Eko Prasetyo"], "Samirono's facilitator sent nothing")
    perdes = gw.cli("report", "monthly", "--month", MONTH, "--format", "csv", "--section", "perdes").stdout
    check(perdes.startswith("kecamatan,kode,desa,perdes,judul,aspirasi"), perdes)
    text = gw.cli("report", "monthly", "--month", MONTH, "--kecamatan", "Getasan").stdout
    check("Kecamatan Getasan (33.22.01)" in text, text)
    check("Menunggu pemeriksaan" in text and text.split("Menunggu pemeriksaan")[1].split("\n")[0].endswith(" 3"),
          text)
    for part in ("Aspirasi per Perdes", "Pendamping tanpa laporan", "Nogosaren", "JUMLAH"):
        check(part in text, "table lacks " + part)
    r = gw.cli("report", "monthly", "--month", MONTH, "--section", "foo", check=False)
    check_eq(r.returncode, 2, "unknown section")


def main():
    global gw
    s = Suite("e2e-review")
    gw = Gateway("review", extra_kentongan="area = 33.22\nreplies_per_hour = 100\n"
                 "error_reply_minutes = 0").start()
    try:
        setup()
        for t in (test_duplicate_flagged_not_counted, test_batal_earlier_counts_the_correction,
                  test_duplicate_past_batal_window_asks_koordinator, test_flagged_village_waits_then_accepted,
                  test_unregistered_then_registered_and_accepted, test_withdraw_tells_sender,
                  test_tickets_for_report, test_records_list_filters, test_camat_report_by_hand,
                  test_unknown_kecamatan, test_every_kecamatan_of_the_area, test_sections):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
