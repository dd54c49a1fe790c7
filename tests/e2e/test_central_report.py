"""Issue 21: the kabupaten's reports from the central PostgreSQL. A private
PostgreSQL 15 cluster; `central init` on its empty database, then again
(nothing to do). Two gateways, sites "getasan" and "tengaran", with the
village list imported, push to it every second while their facilitators
and villagers send RAPAT, KADER, ADUAN and ASPIRASI dated this month;
one complaint is closed from the office. Both also count a village of
Getasan (Wates), so one village adds up rows of two sites. Then, with a
config of nothing but [central] conninfo:

- `central report monthly` as CSV is, cell for cell, the sum of the two
  gateways' own `report monthly` CSVs, with the sites behind each row;
- --kecamatan and --kabupaten take a code or a name as the local
  --kecamatan does, and refuse what names nothing;
- `central tickets --waiting-days N` lists the open tickets of both
  sites older than N days, oldest first (aged in central by SQL)."""

import csv
import datetime
import io
import os
import subprocess
import sys
import time
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402
import pg_site  # noqa: E402

VILLAGES = os.path.join(ROOT, "tests", "fixtures", "villages.csv")
MONTH = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta")).strftime("%Y-%m")
GETASAN, TENGARAN = "33.22.01", "33.22.02"
WATES = GETASAN + ".2005"
COUNTS = ["rapat", "laki", "perempuan", "kader", "aduan_masuk", "aduan_selesai", "aspirasi",
          "rpjm", "rkp", "apb", "perdes", "sos", "eval", "kad", "lain", "menunggu"]
LOCAL_COLUMNS = ["kecamatan", "kode", "desa"] + COUNTS

# site -> (contacts: number, role, desa, name), [(number, SMS)]
SITES = {
    "getasan": (
        [("+6281311230001", "pendamping", "Batur;Kopeng", "Ani"),
         ("+6281311230002", "pendamping", "Sumogawe", "Budi"),
         ("+6281311230003", "pendamping", "Samirono", "Eko"),      # sends nothing
         ("+6285711230001", "warga", "Wates", "Yanti")],
        [("+6281311230001", "rapat batur hariini rkp L30 P25"),
         ("+6281311230001", "rapat kopeng hariini sos 12 15"),
         ("+6281311230001", "rapat tolokan hariini apb 10 10"),   # not hers: waits
         ("+6281311230002", "kader sumogawe hariini 15 posyandu balita"),
         ("+6285711230009", "aduan sumogawe jalan ke makam longsor"),
         ("+6285711230008", "aduan batur lampu jalan mati"),
         ("+6285711230001", "aspirasi pd01 mohon tempat sampah di tiap RT")]),
    "tengaran": (
        [("+6281311240001", "pendamping", TENGARAN + ".2001;Sugihan", "Dewi"),   # Duren: 3 of them
         ("+6281311240002", "pendamping", WATES, "Fajar")],
        [("+6281311240001", "rapat duren hariini rpjm 20 22"),
         ("+6281311240001", "rapat sugihan hariini eval 5 6"),
         ("+6281311240002", "rapat wates hariini perdes 8 9"),
         ("+6281311240002", "kader wates hariini 7 kader posyandu"),
         ("+6285711240009", "aduan 3322022001 jembatan bambu putus")]),
}

pg = None
gws = {}
central_ini = None


def central(*args, check_rc=True):
    r = subprocess.run([BIN, "central", "-c", central_ini] + list(args), capture_output=True, text=True)
    if check_rc and r.returncode != 0:
        raise AssertionError("central %s failed (%d): %s" % (" ".join(args), r.returncode, r.stderr))
    return r


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def monthly(*filters):
    return rows(central("report", "monthly", "--month", MONTH, "--format", "csv", *filters).stdout)


def pushed(gw, site):
    """Central has committed every change the site's file has made."""
    made = gw.sql("SELECT seq FROM sqlite_sequence WHERE name = 'central_changes'")
    got = pg.psql("SELECT last_seq FROM sites WHERE site = '%s'" % site)
    return made != "" and got == [[made]]


def settle(gw, site):
    wait_until("outbox settled at " + site, lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE state IN ('queued', 'sending')") == "0", timeout=30)
    wait_until("pushed from " + site, lambda: pushed(gw, site), timeout=30)


def setup():
    global pg, central_ini
    pg = pg_site.PgCluster("creport").start()
    pg.createdb()
    central_ini = os.path.join(ROOT, "tests", "out", "central-report.ini")
    os.makedirs(os.path.dirname(central_ini), exist_ok=True)
    with open(central_ini, "w") as f:
        f.write("[central]\nconninfo = %s\n" % pg.conninfo())


def test_init_on_an_empty_database():
    r = central("report", "monthly", "--month", MONTH, check_rc=False)
    check_eq((r.returncode, r.stderr), (1, "kentongan: central: no central schema in this database "
                                           "(kentongan central init makes it)\n"), "before init")
    out = central("init").stdout
    check_eq(out, "central schema: version 0 before, 1 after\n", "first init")
    check_eq(pg.psql("SELECT MAX(version) FROM central_schema"), [["1"]], "version kept")
    r = central("init")
    check_eq(r.stdout, "central schema: version 1 before, 1 after (nothing to do)\n", "again")
    check_eq(r.stderr, "", "no notice from the second run")
    check_eq(pg.psql("SELECT COUNT(*) FROM central_schema"), [["1"]], "one step, once")


def test_two_sites_push():
    until = (datetime.date.today() + datetime.timedelta(days=30)).strftime("%Y-%m-%d")
    for site, (contacts, sms) in SITES.items():
        gw = Gateway("central-report-" + site, extra="[central]\nconninfo = %s\nsite = %s\ninterval = 1\n"
                     % (pg.conninfo(), site))
        gws[site] = gw
        gw.cli("villages", "import", VILLAGES)
        for number, role, desa, name in contacts:
            gw.cli("contacts", "set", number, "--role", role, "--desa", desa, "--name", name)
        if site == "getasan":
            gw.cli("perdes", "open", "PD01", "--desa", "Wates", "--title", "Sampah", "--until", until)
        gw.start()
        for number, text in sms:
            gw.inject(number, text)
        wait_until("read at " + site, lambda: gw.sql(
            "SELECT COUNT(*) FROM messages WHERE state NOT IN ('received')") == str(len(sms)))
    g = gws["getasan"]
    g.cli("tickets", "update", "ADU-1", "--status", "selesai", "--note", "sudah dibersihkan")
    closed = int(g.sql("SELECT MAX(at) FROM ticket_history"))
    # a word of thanks a second later closes nothing again
    wait_until("the next second", lambda: time.time() >= closed + 1)
    g.cli("tickets", "update", "ADU-1", "--note", "terima kasih")
    for site, gw in gws.items():
        settle(gw, site)
    check_eq(pg.psql("SELECT closed_at FROM tickets WHERE site = 'getasan' AND tiket = 'ADU-1'"),
             [[g.sql("SELECT datetime(%d, 'unixepoch', 'localtime')" % closed)]], "closed_at: the change to selesai")
    check_eq(pg.psql("SELECT site, COUNT(*) FROM tickets GROUP BY site ORDER BY site"),
             [["getasan", "3"], ["tengaran", "1"]], "tickets in central")
    check_eq(pg.psql("SELECT site FROM sites ORDER BY site"), [["getasan"], ["tengaran"]],
             "both sites")
    check_eq(pg.psql("SELECT COUNT(*) FROM villages"), [["255"]], "the list, once")


def local_sum():
    """The two gateways' own monthly CSVs, added up cell by cell."""
    total = {}
    for gw in gws.values():
        for r in rows(gw.cli("report", "monthly", "--month", MONTH, "--format", "csv").stdout):
            key = (r["kecamatan"], r["kode"], r["desa"])
            t = total.setdefault(key, dict(r, **{c: 0 for c in COUNTS}))
            for c in COUNTS:
                t[c] += int(r[c])
    return {k: {c: str(v) for c, v in t.items()} for k, t in total.items()}


def test_monthly_is_the_sum_of_the_sites():
    got = monthly()
    want = local_sum()
    check_eq(list(got[0].keys()), LOCAL_COLUMNS + ["sites"], "the local columns, then sites")
    check_eq({(r["kecamatan"], r["kode"], r["desa"]): {c: r[c] for c in LOCAL_COLUMNS} for r in got},
             want, "central = getasan + tengaran")
    check_eq(len(got), len(want), "no row twice")
    # the order: each kecamatan's villages by code, then its JUMLAH
    check_eq([r["kode"] for r in got if r["kecamatan"] == "Getasan"],
             ["%s.%04d" % (GETASAN, 2000 + i) for i in range(1, 14)] + [""], "Getasan's rows")
    check_eq([r["desa"] for r in got if r["kode"] == ""], ["JUMLAH", "JUMLAH"], "one JUMLAH each")
    by = {r["kode"] or r["kecamatan"] + " JUMLAH": r for r in got}
    wates = by[WATES]
    check_eq((wates["rapat"], wates["kader"], wates["aspirasi"], wates["sites"]),
             ("1", "7", "1", "getasan;tengaran"), "Wates: both sites")
    check_eq(by[GETASAN + ".2008"]["sites"], "getasan", "Samirono: an assigned facilitator only")
    check_eq(by[GETASAN + ".2001"]["sites"], "", "Tajuk: nothing")
    jg = by["Getasan JUMLAH"]
    check_eq([jg[c] for c in ("rapat", "laki", "perempuan", "kader", "aduan_masuk", "aduan_selesai",
                              "aspirasi", "menunggu", "sites")],
             ["3", "50", "49", "22", "2", "1", "1", "1", "getasan;tengaran"], "Getasan's JUMLAH")
    jt = by["Tengaran JUMLAH"]
    check_eq([jt[c] for c in ("rapat", "laki", "perempuan", "rpjm", "eval", "aduan_masuk", "sites")],
             ["2", "25", "28", "1", "1", "1", "tengaran"], "Tengaran's JUMLAH")
    table = central("report", "monthly", "--month", MONTH).stdout
    check(table.startswith("Laporan bulanan %s: 2 kecamatan, semua site\n" % MONTH), table)
    check("getasan;tengaran" in table, table)


def test_filters():
    every = monthly()
    getasan = [r for r in every if r["kecamatan"] == "Getasan"]
    tengaran = [r for r in every if r["kecamatan"] == "Tengaran"]
    for typed in ("Getasan", "kec. getasan", "33.22.01", "332201"):
        check_eq(monthly("--kecamatan", typed), getasan, "--kecamatan " + typed)
    check_eq(monthly("--kecamatan", "Tengaran", "--kabupaten", "33.22"), tengaran, "both filters")
    for typed in ("Kabupaten Semarang", "kab semarang", "semarang", "33.22", "3322"):
        check_eq(monthly("--kabupaten", typed), every, "--kabupaten " + typed)
    check_eq(monthly("--kabupaten", "Karo"), [], "a kabupaten with nothing sent")
    # asked for by name, a kecamatan is shown with nothing sent, as locally
    bancak = monthly("--kecamatan", "Bancak")
    check_eq(len(bancak), 10, "Bancak's 9 villages and JUMLAH")
    check(all(r[c] == "0" for r in bancak for c in COUNTS), "Bancak: zeros")
    r = central("report", "monthly", "--month", MONTH, "--kecamatan", "Getasn", check_rc=False)
    check_eq(r.returncode, 1, "unknown kecamatan")
    check("unknown kecamatan 'Getasn'; closest: Getasan (33.22.01" in r.stderr, r.stderr)
    r = central("report", "monthly", "--month", MONTH, "--kabupaten", "Atlantis", check_rc=False)
    check((r.returncode, "unknown kabupaten 'Atlantis'" in r.stderr) == (1, True), r.stderr)
    r = central("report", "monthly", "--month", MONTH, "--kabupaten", "12.06", "--kecamatan", "Getasan",
                check_rc=False)
    check((r.returncode, "not in kabupaten 12.06" in r.stderr) == (1, True), r.stderr)
    # a name a Kabupaten and a Kota share: "Kab." says which
    pg.psql("INSERT INTO villages VALUES ('33.74.01.1001', 'Pekunden', 'Semarang Tengah',"
            " 'Kota Semarang', 'Jawa Tengah')")
    r = central("report", "monthly", "--month", MONTH, "--kabupaten", "semarang", check_rc=False)
    check_eq((r.returncode, r.stderr), (1, "kentongan: 2 kabupaten are named 'semarang': Kabupaten Semarang"
                                           " (33.22), Kota Semarang (33.74); use the code\n"), "ambiguous")
    check_eq(monthly("--kabupaten", "Kab. Semarang"), every, "Kab. names the Kabupaten")
    check_eq(monthly("--kabupaten", "kota semarang"), [], "and Kota the Kota")
    r = central("report", "monthly", "--month", "2026-13", check_rc=False)
    check_eq(r.returncode, 2, "a month that is none")


def test_tickets_waiting():
    for gw in gws.values():
        gw.stop()
    # aged in central: the gateways opened them just now
    for site, tiket, days in (("getasan", "ADU-2", 20), ("tengaran", "ADU-1", 10),
                              ("getasan", "ADU-1", 30)):    # selesai: never listed
        pg.psql("UPDATE tickets SET created_at = created_at - interval '%d days'"
                " WHERE site = '%s' AND tiket = '%s'" % (days, site, tiket))
    got = rows(central("tickets", "--waiting-days", "7", "--format", "csv").stdout)
    check_eq([(r["site"], r["tiket"], r["status"], r["kecamatan"], r["desa"], r["nama_desa"],
               r["hari_menunggu"], r["isi"]) for r in got],
             [("getasan", "ADU-2", "baru", "Getasan", GETASAN + ".2002", "Batur", "20",
               "lampu jalan mati"),
              ("tengaran", "ADU-1", "baru", "Tengaran", TENGARAN + ".2001", "Duren", "10",
               "jembatan bambu putus")], "older than 7 days, oldest first")
    check_eq(len(rows(central("tickets", "--waiting-days", "15", "--format", "csv").stdout)), 1, "15 days")
    # every open ticket, the fresh aspiration too
    check_eq(len(rows(central("tickets", "--waiting-days", "0", "--format", "csv").stdout)), 3, "0 days")
    r = central("tickets", "--waiting-days", "x", check_rc=False)
    check_eq(r.returncode, 2, "not a number")


if __name__ == "__main__":
    s = Suite("central_report")
    if not pg_site.available():
        print("skip: no PostgreSQL 15 (postgresql-15)")
        s.finish()
    setup()
    try:
        for t in (test_init_on_an_empty_database, test_two_sites_push, test_monthly_is_the_sum_of_the_sites,
                  test_filters, test_tickets_waiting):
            s.run(t)
    finally:
        for g in gws.values():
            g.stop()
        pg.destroy()
    s.finish()
