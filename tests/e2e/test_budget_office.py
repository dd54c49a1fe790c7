"""Issue 22, the office's side: the village budgets (APBDes) and their
activities come in from the office's spreadsheets (`apbdes import`,
`kegiatan import`: what Excel saves, a bad row named by its line and then
nothing imported, a key twice named by both lines, imported again
updates); `kegiatan list` filters by village, kecamatan and year;
`kegiatan import --announce` tells each village's warga and pendamping
(not one who opted out) and the running daemon sends it; `report
kegiatan` shows each activity's verified progress next to the villagers'
PANTAU (their median, how many, selisih), and the monthly report has a
section of the activities flagged. All through the real binary, PANTAU
by SMS through the dummy modem."""

import csv
import datetime
import io
import os
import sys
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402
from scenes import reply_table  # noqa: E402

P = "+6281211110001"        # pendamping of Wates
K = "+6281211110009"        # koordinator
W1 = "+6285722220001"       # warga of Wates
W2 = "+6285722220002"       # warga of Wates
W3 = "+6285722220003"       # warga of Wates
O = "+6285722220004"        # warga of Wates, opted out
T = "+6285722220005"        # warga of Tolokan
B = "+6285722220006"        # warga of Beji Lor (two words)
WATES, TOLOKAN, KOPENG, BEJI_LOR = "33.22.01.2005", "33.22.01.2004", "33.22.01.2003", "33.22.04.2002"

TODAY = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).date()
YEAR = TODAY.year
MONTH = TODAY.strftime("%Y-%m")

REPORT_COLUMNS = ["kecamatan", "kode_desa", "desa", "kegiatan", "nama", "anggaran", "progres_resmi",
                  "progres_warga", "laporan_warga", "selisih"]

gw = None


def write(name, data):
    path = os.path.join(gw.dir, name)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return path


def rows(*args):
    """A command's CSV output as dicts."""
    return list(csv.DictReader(io.StringIO(gw.cli(*args, "--format", "csv").stdout)))


def apbdes():
    return gw.sql("SELECT desa, tahun, pendapatan, belanja, dana_desa FROM apbdes ORDER BY desa, tahun")


def kegiatan():
    return gw.sql("SELECT desa, tahun, kode, nama, anggaran, sumber, mulai, selesai FROM kegiatan "
                  "ORDER BY desa, tahun, kode")


def refused(cmd, path, *lines):
    """cmd on path fails, names each of lines, and imports nothing."""
    r = gw.cli(*cmd, path, check=False)
    check_eq(r.returncode, 1, "%s refused: %s" % (path, r.stdout))
    for line in lines:
        check(line in r.stderr, "%r in: %s" % (line, r.stderr))
    check("nothing imported" in r.stderr, r.stderr)
    return r.stderr


def setup():
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    path = write("contacts.csv", "number,name,role,desa\n" + "".join(
        "%s,%s,%s,%s\n" % c for c in ((P, "Ani", "pendamping", "Wates"), (K, "Koko", "koordinator", ""),
                                       (W1, "Wati", "warga", "Wates"), (W2, "Wawan", "warga", "Wates"),
                                       (W3, "Wisnu", "warga", "Wates"), (O, "Oni", "warga", "Wates"),
                                       (T, "Tono", "warga", "Tolokan"), (B, "Bejo", "warga", BEJI_LOR))))
    gw.cli("contacts", "import", path)
    gw.sql("UPDATE contacts SET opted_out = 1 WHERE number = '%s'" % O)
    gw.start()


def test_apbdes_import():
    # what Excel saves in an Indonesian locale: a BOM, ';', CRLF, quotes,
    # thousands shown with '.'; a village by its code without dots or by
    # its name
    excel = ("\ufeff" + '"Kode_Desa";"Tahun";"Pendapatan";"Belanja";"Dana_Desa"\r\n'
             '3322012005;%d;"1.240.000.000";1250000000;812.500.000\r\n'
             ';;;;\r\n'
             'Tolokan;%d;900000000;900.000.000;700000000\r\n' % (YEAR, YEAR))
    r = gw.cli("apbdes", "import", write("apbdes.csv", excel))
    check("2 APBDes imported" in r.stdout, r.stdout + r.stderr)
    check_eq(apbdes(), "%s|%d|900000000|900000000|700000000\n%s|%d|1240000000|1250000000|812500000"
             % (TOLOKAN, YEAR, WATES, YEAR), "stored")
    # again, one figure changed: updated, not doubled
    r = gw.cli("apbdes", "import", write("apbdes2.csv", "kode_desa,tahun,pendapatan,belanja,dana_desa\n"
                                         "33.22.01.2005,%d,1300000000,1250000000,812500000\n" % YEAR))
    check("1 APBDes imported" in r.stdout, r.stdout)
    check_eq(apbdes().splitlines()[1], "%s|%d|1300000000|1250000000|812500000" % (WATES, YEAR), "updated")
    before = apbdes()
    path = write("apbdes-bad.csv", "kode_desa,tahun,pendapatan,belanja,dana_desa\n"
                 "33.22.01.2005,%d,1,2,3\n"
                 "33.22.01.2003,%d,1.240.000.00,1,1\n"
                 "33.22.01.2003,%d,\"1,240,000\",1,1\n"
                 "33.22.01.2003,%d,-5,1,1\n"
                 "33.22.01.2003,26,1,1,1\n"
                 "Sukamaju,%d,1,1,1\n"
                 "Atlantis,%d,1,1,1\n"
                 "33.22.01.2003,%d,1,1\n" % ((YEAR,) * 4 + (YEAR,) * 3))
    refused(("apbdes", "import"), path,
            "%s:3: pendapatan '1.240.000.00' is not rupiah" % path,
            "%s:4: pendapatan '1,240,000' is not rupiah" % path,
            "%s:5: pendapatan '-5'" % path,
            "%s:6: tahun '26' is not a year" % path,
            "%s:7: " % path,
            "villages named 'SUKAMAJU'",
            "%s:8: unknown village 'ATLANTIS'" % path,
            "%s:9: too few columns" % path,
            "7 bad rows")
    check_eq(apbdes(), before, "not even the good row")
    path = write("apbdes-twice.csv", "kode_desa,tahun,pendapatan,belanja,dana_desa\n"
                 "3322012003,%d,1,1,1\n33.22.01.2004,%d,1,1,1\nKopeng,%d,2,2,2\n" % (YEAR, YEAR, YEAR))
    refused(("apbdes", "import"), path, "%s:4: %s %d is on line 2 and line 4" % (path, KOPENG, YEAR))
    check_eq(apbdes(), before, "nothing of a file with a key twice")
    r = gw.cli("apbdes", "import", write("apbdes-head.csv", "desa,tahun,pendapatan\n"), check=False)
    check(r.returncode == 1 and "expected a header kode_desa,tahun,pendapatan,belanja,dana_desa"
          in r.stderr, r.stderr)


KEGIATAN = ("kode_desa,tahun,kode,nama,anggaran,sumber,mulai,selesai\n"
            "33.22.01.2005,{y},K01,Jalan rabat beton dusun 2,150.000.000,DD,1/3/{y},30/6/{y}\n"
            "33.22.01.2005,{y},k 2,Posyandu balita,25000000, ADD ,{y}-02-01,\n"
            "33.22.01.2005,{y},K10,Sumur bor,90000000,PADes,,\n"
            "33.22.01.2004,{y},K01,Talud sungai,50000000,DD,,\n"
            "33.22.02.2001,{y},K01,Gapura desa,30000000,DD,,\n"
            "33.22.01.2005,{p},K01,Jembatan,10000000,DD,,\n").format(y=YEAR, p=YEAR - 1)


def test_kegiatan_import():
    r = gw.cli("kegiatan", "import", write("kegiatan.csv", KEGIATAN))
    check("6 kegiatan imported, 3 villages" in r.stdout, r.stdout + r.stderr)
    got = kegiatan().splitlines()
    check_eq(len(got), 6, "six rows")
    check("%s|%d|K01|Jalan rabat beton dusun 2|150000000|DD|%d-03-01|%d-06-30" % (WATES, YEAR, YEAR, YEAR)
          in got, got)
    check("%s|%d|K2|Posyandu balita|25000000|ADD|%d-02-01|" % (WATES, YEAR, YEAR) in got,
          "k 2 read as K2, sumber trimmed, an empty selesai: %s" % got)
    # Excel's: a BOM, ';', CRLF, a quoted name with ';', d-m-yy dates,
    # the village by name; K01 of Wates changed, nothing doubled
    excel = ("\ufeff" + "kode_desa;tahun;kode;nama;anggaran;sumber;mulai;selesai\r\n"
             'Wates;{y};K01;"Jalan rabat; beton dusun 2";175.000.000;DD;01-04-{yy};31.07.{y}\r\n'
             ";;;;;;;\r\n").format(y=YEAR, yy=YEAR % 100)
    r = gw.cli("kegiatan", "import", write("kegiatan-excel.csv", excel))
    check("1 kegiatan imported, 1 village" in r.stdout, r.stdout + r.stderr)
    check_eq(len(kegiatan().splitlines()), 6, "updated, not doubled")
    check("%s|%d|K01|Jalan rabat; beton dusun 2|175000000|DD|%d-04-01|%d-07-31" % (WATES, YEAR, YEAR, YEAR)
          in kegiatan(), kegiatan())
    before = kegiatan()
    path = write("kegiatan-bad.csv", (
        "kode_desa,tahun,kode,nama,anggaran,sumber,mulai,selesai\n"
        "33.22.01.2005,{y},K03,Baik,1,DD,,\n"
        "33.22.01.2005,{y},01K,Kode terbalik,1,DD,,\n"
        "33.22.01.2005,{y},K03,Selesai dulu,1,DD,1/8/{y},1/7/{y}\n"
        "33.22.01.2005,{y},K04,Tanggal,1,DD,31/02/{y},\n"
        "33.22.01.2005,{y},K05,Sumber,1,Dana Desa dan Alokasi Dana Desa 2026,,\n"
        "33.22.01.2005,{y},K06,,1,DD,,\n"
        "33.22.01.2005,{y},K07,Tanpa anggaran,,DD,,\n").format(y=YEAR))
    refused(("kegiatan", "import"), path,
            "%s:3: kode '01K' is not an activity code" % path,
            "%s:4: selesai %d-07-01 is before mulai %d-08-01" % (path, YEAR, YEAR),
            "%s:5: mulai '31/02/%d' is not a date" % (path, YEAR),
            "%s:6: sumber" % path, "too long",
            "%s:7: nama is empty" % path,
            "%s:8: anggaran '' is not rupiah" % path,
            "6 bad rows")
    check_eq(kegiatan(), before, "not even the good row")
    # K01 and "k 01" are one code: the second line is a mistake to show
    path = write("kegiatan-twice.csv", "kode_desa,tahun,kode,nama,anggaran,sumber\n"
                 "Kopeng,{y},K01,Satu,1,DD\nKopeng,{y},K02,Dua,1,DD\nKopeng,{y},k 01,Lagi,1,DD\n".format(y=YEAR))
    refused(("kegiatan", "import"), path, "%s:4: %s %d K01 is on line 2 and line 4" % (path, KOPENG, YEAR))
    check_eq(kegiatan(), before, "nothing of a file with a key twice")


def test_kegiatan_list_filters():
    got = rows("kegiatan", "list")
    check_eq(list(got[0].keys()), ["kecamatan", "kode_desa", "desa", "tahun", "kode", "nama", "anggaran",
                                   "sumber", "mulai", "selesai"], "the columns")
    check_eq(len(got), 6, "every year: %s" % got)
    wates = [(r["kode"], r["tahun"]) for r in rows("kegiatan", "list", "--desa", "Wates", "--tahun", str(YEAR))]
    check_eq(wates, [("K01", str(YEAR)), ("K2", str(YEAR)), ("K10", str(YEAR))],
             "Wates's year, K2 before K10")
    getasan = rows("kegiatan", "list", "--kecamatan", "Kec. Getasan")
    check_eq(sorted({r["desa"] for r in getasan}), ["Tolokan", "Wates"], "a kecamatan by name")
    check_eq({r["kecamatan"] for r in getasan}, {"Getasan"}, "its name in each row")
    check_eq([r["desa"] for r in rows("kegiatan", "list", "--kecamatan", "33.22.02")], ["Duren"], "by code")
    check_eq(len(rows("kegiatan", "list", "--tahun", str(YEAR - 1))), 1, "last year's")
    check_eq(rows("kegiatan", "list", "--desa", "Kopeng"), [], "none")
    r = gw.cli("kegiatan", "list", "--tahun", "26", check=False)
    check(r.returncode == 2 and "--tahun wants a year" in r.stderr, r.stderr)
    r = gw.cli("kegiatan", "list", "--kecamatan", "Getasn", check=False)
    check(r.returncode == 1 and "closest:" in r.stderr, r.stderr)
    r = gw.cli("kegiatan", "list", "--desa", "Sukamaju", check=False)
    check(r.returncode == 1 and "use the code" in r.stderr, r.stderr)
    table = gw.cli("kegiatan", "list", "--desa", "Tolokan").stdout
    check("Talud sungai" in table and "Gapura" not in table, table)
    # what list writes reads back as it is
    before = kegiatan()
    listed = write("listed.csv", gw.cli("kegiatan", "list", "--format", "csv").stdout)
    r = gw.cli("kegiatan", "import", listed)
    check("6 kegiatan imported" in r.stdout, r.stdout + r.stderr)
    check_eq(kegiatan(), before, "a round trip changes nothing")


def announcements(like):
    return [l.split("|", 2) for l in gw.sql(
        "SELECT number, state, text FROM outbox WHERE purpose = 'announcement' AND text LIKE '%s' "
        "ORDER BY number" % like).splitlines() if l]


def test_announce():
    path = write("kegiatan-announce.csv", "kode_desa,tahun,kode,nama,anggaran,sumber\n"
                 "Wates,{y},K11,Drainase,20000000,DD\nTolokan,{y},K02,Lampu jalan,5000000,ADD\n"
                 "Beji Lor,{y},K01,Sumur,1000000,DD\n".format(y=YEAR))
    r = gw.cli("kegiatan", "import", "--announce", path)
    out = r.stdout
    check("%s Wates %d: 4 kegiatan; announced to 4" % (WATES, YEAR) in out, "P, W1, W2, W3; not O: " + out)
    check("%s Tolokan %d: 2 kegiatan; announced to 1" % (TOLOKAN, YEAR) in out, out)
    check("%s Beji Lor %d: 1 kegiatan; announced to 1" % (BEJI_LOR, YEAR) in out, out)
    check("announced to 6 in all, 3 villages" in out, out)
    wates = announcements("APBDes Wates%")
    check_eq([a[0] for a in wates], sorted([P, W1, W2, W3]), "the village's pendamping and warga, once each")
    text = wates[0][2]
    check(str(YEAR) in text and "4 kegiatan" in text and "K01" in text and "PANTAU" in text, text)
    check(len(text) <= 160 and text.isascii(), "one SMS: " + text)
    check_eq([a[0] for a in announcements("APBDes Tolokan%")], [T], "Tolokan's warga")
    # a name of two words would not read as one field of the SMS to send
    beji = announcements("APBDes 3322042002 %")
    check_eq([a[0] for a in beji], [B], "Beji Lor's, by its code")
    check("PANTAU 3322042002 K01 " in beji[0][2], beji[0][2])
    kegiatan_announce = reply_table()["kegiatan_announce"]
    for a in announcements("APBDes%"):
        check(kegiatan_announce.match(a[2]), "docs/sms-format.md's kegiatan_announce: " + a[2])
    check_eq(gw.sql("SELECT COUNT(*) FROM outbox WHERE number = '%s' AND purpose = 'announcement'" % O), "0",
             "not the one who opted out")
    wait_until("the daemon sends them", lambda: all(a[1] == "sent" for a in announcements("APBDes%")),
               timeout=30)
    # without --announce nothing is queued
    n = gw.sql("SELECT COUNT(*) FROM outbox")
    gw.cli("kegiatan", "import", path)
    check_eq(gw.sql("SELECT COUNT(*) FROM outbox"), n, "no SMS without --announce")


def pantau(number, text):
    """Send a PANTAU from number and wait until it is stored."""
    n = int(gw.sql("SELECT COUNT(*) FROM pantau"))
    gw.inject(number, text)
    wait_until("stored: " + text, lambda: int(gw.sql("SELECT COUNT(*) FROM pantau")) > n)


def report(*args):
    out = gw.cli("report", "kegiatan", *args, "--format", "csv").stdout
    check_eq(out.splitlines()[0], ",".join(REPORT_COLUMNS), "the columns, exactly")
    return {(r["desa"], r["kegiatan"]): r for r in csv.DictReader(io.StringIO(out))}


def test_report_kegiatan():
    got = report()
    check_eq(len(got), 8, "this year's, every village: %s" % list(got))
    k01 = got[("Wates", "K01")]
    check_eq([k01[c] for c in REPORT_COLUMNS],
             ["Getasan", WATES, "Wates", "K01", "Jalan rabat; beton dusun 2", "175000000", "", "", "0", "tidak"],
             "before any PANTAU")
    pantau(P, "PANTAU %s K01 80 sudah dicor" % WATES)
    pantau(W1, "PANTAU Wates K01 30 baru diratakan")
    pantau(W2, "PANTAU Wates K01 40")
    pantau(W3, "PANTAU Wates K01 20")
    pantau(W3, "PANTAU Wates K01 50 ada kemajuan")    # W3's latest counts
    pantau(K, "PANTAU Wates K2 60")
    pantau(T, "PANTAU Tolokan K01 40")
    got = report("--kecamatan", "Getasan")
    k01 = got[("Wates", "K01")]
    check_eq((k01["progres_resmi"], k01["progres_warga"], k01["laporan_warga"], k01["selisih"]),
             ("80", "40", "3", "ya"), "the pendamping's 80; villagers' 30, 40, 50")
    k2 = got[("Wates", "K2")]
    check_eq((k2["progres_resmi"], k2["progres_warga"], k2["laporan_warga"], k2["selisih"]),
             ("60", "", "0", "tidak"), "a koordinator's is verified; no villager")
    tol = got[("Tolokan", "K01")]
    check_eq((tol["progres_resmi"], tol["progres_warga"], tol["laporan_warga"], tol["selisih"]),
             ("", "40", "1", "tidak"), "a villager, nothing verified, no dates")
    check(("Duren", "K01") not in got, "another kecamatan's")
    check_eq(list(report("--desa", "Tolokan")), [("Tolokan", "K01"), ("Tolokan", "K02")], "--desa")
    last = report("--tahun", str(YEAR - 1))
    check_eq(list(last), [("Wates", "K01")], "--tahun names another year")
    check_eq(last[("Wates", "K01")]["nama"], "Jembatan", "its activity")
    table = gw.cli("report", "kegiatan", "--desa", "Wates").stdout
    check("progres_resmi" in table and "Jalan rabat" in table and "ya" in table, table)
    r = gw.cli("report", "kegiatan", "--month", MONTH, check=False)
    check(r.returncode == 2 and "kegiatan takes no --month" in r.stderr, r.stderr)


def test_monthly_section():
    out = gw.cli("report", "monthly", "--month", MONTH, "--section", "kegiatan", "--format", "csv").stdout
    got = list(csv.DictReader(io.StringIO(out)))
    check_eq(out.splitlines()[0], ",".join(REPORT_COLUMNS + ["selisih_sejak"]), "report kegiatan's, and when")
    check_eq([(r["desa"], r["kegiatan"]) for r in got], [("Wates", "K01")], "only the flagged")
    check_eq((got[0]["progres_resmi"], got[0]["progres_warga"], got[0]["selisih"], got[0]["selisih_sejak"]),
             ("80", "40", "ya", TODAY.isoformat()), "flagged today")
    out = gw.cli("report", "monthly", "--month", MONTH, "--kecamatan", "Tengaran", "--section", "kegiatan",
                 "--format", "csv").stdout
    check_eq(out.splitlines(), [",".join(REPORT_COLUMNS + ["selisih_sejak"])], "not Getasan's flags")
    table = gw.cli("report", "monthly", "--month", MONTH, "--kecamatan", "Getasan").stdout
    check("Kegiatan APBDes dengan selisih" in table, table)
    section = table[table.index("Kegiatan APBDes dengan selisih"):]
    check("Jalan rabat" in section and TODAY.isoformat() in section, section)
    check("Aspirasi per Perdes" in table, "the other sections still there")
    r = gw.cli("report", "monthly", "--month", MONTH, "--section", "anggaran", check=False)
    check(r.returncode == 2 and "kegiatan" in r.stderr, r.stderr)
    # the villagers agree again: the flag goes
    pantau(P, "PANTAU Wates K01 45")
    out = gw.cli("report", "monthly", "--month", MONTH, "--section", "kegiatan", "--format", "csv").stdout
    check_eq(len(out.splitlines()), 1, "no flag once they agree: " + out)


def main():
    global gw
    s = Suite("e2e-budget-office")
    gw = Gateway("budget-office")
    setup()
    try:
        for t in (test_apbdes_import, test_kegiatan_import, test_kegiatan_list_filters, test_announce,
                  test_report_kegiatan, test_monthly_section):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
