"""Issue 18, the console's reports: /laporan lists the facilitators'
reports newest first with the filters of `records list` (and the kind),
50 a page; /laporan/ID shows one with its SMS, where the office counts
or withdraws it exactly as `records accept` and `records withdraw` do;
/laporan/bulanan is `report monthly` as tables and SVG charts, its CSV
byte for byte the CLI's. A camat sees Getasan's and changes nothing.
Real daemon, real HTTP, real SQLite file."""

import csv
import datetime
import html
import io
import os
import re
import subprocess
import sys
import zoneinfo

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_client import Console  # noqa: E402
from console_site import PASSWORD, console_site  # noqa: E402
from harness import BIN, Suite, check, check_eq, wait_until  # noqa: E402

WATES, TOLOKAN, KOPENG, BATUR, SAMIRONO = ("33.22.01.2005", "33.22.01.2004", "33.22.01.2003",
                                           "33.22.01.2002", "33.22.01.2008")
DUREN = "33.22.02.2001"      # Kec. Tengaran
P1 = "+6281211110001"        # pendamping of Wates and Tolokan
P4 = "+6281211110004"        # pendamping of Duren (Tengaran)
U = "+6281299990001"         # not registered: its reports wait
XSS = "<script>alert(1)</script>"
NOW = datetime.datetime.now(zoneinfo.ZoneInfo("Asia/Jakarta"))
MONTH = NOW.strftime("%Y-%m")
FIRST = "1/%d" % NOW.month
PREV = (NOW.replace(day=1) - datetime.timedelta(days=1)).strftime("%Y-%m")

gw = base = None
R = {}                       # name in this test -> record id


def sql(q):
    return gw.sql(q)


def record_of(number, text):
    """Inject text from number; the id of the record it made."""
    n = int(sql("SELECT COUNT(*) FROM records"))
    gw.inject(number, text)
    wait_until("recorded: " + text, lambda: int(sql("SELECT COUNT(*) FROM records")) > n)
    return int(sql("SELECT MAX(id) FROM records WHERE number = '%s'" % number))


def review_state(rid):
    return sql("SELECT state, flags, review_note, reviewed_at IS NOT NULL,"
               " (SELECT COUNT(*) FROM outbox o WHERE o.number = r.number)"
               " FROM records r WHERE id = %d" % rid)


def cli_bytes(*args):
    """The CLI's standard output as bytes (CRLF kept) and its stderr."""
    r = subprocess.run([BIN, args[0], "-c", gw.config] + list(args[1:]), capture_output=True)
    return r.returncode, r.stdout, r.stderr.decode()


def listed(body):
    return [int(i) for i in re.findall(r'<tr><td><a href="/laporan/(\d+)">', body)]


def tables(body):
    """Each <table> of a page as a list of dicts (header -> cell text)."""
    out = []
    for t in re.findall(r"<table>(.*?)</table>", body, re.S):
        head = [html.unescape(x) for x in re.findall(r"<th>(.*?)</th>", t)]
        rows = []
        for tr in re.findall(r"<tr>(.*?)</tr>", t.split("</thead>")[-1], re.S):
            cells = [html.unescape(re.sub(r"<[^>]+>", "", c))
                     for c in re.findall(r"<td[^>]*>(.*?)</td>", tr, re.S)]
            rows.append(dict(zip(head, cells)))
        out.append(rows)
    return out


def koord():
    c = Console(base)
    check_eq(c.login("koord", PASSWORD)[0], 303, "koord logs in")
    return c


def setup():
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n"
                "081211110001,Siti Nurhaliza,pendamping,%s\n"
                "081211110004,Dewi Lestari,pendamping,%s\n"
                "081211110005,\"%s\",pendamping,%s\n" % (WATES, DUREN, XSS, SAMIRONO))
    gw.cli("contacts", "import", path)
    gw.cli("contacts", "set", "081211110001", "--desa", "%s;%s" % (WATES, TOLOKAN))
    R["rkp"] = record_of(P1, "RAPAT %s %s RKP 10 5" % (WATES, FIRST))
    R["kader"] = record_of(P1, "KADER %s %s 12 %s" % (TOLOKAN, FIRST, XSS))
    R["duren"] = record_of(P4, "RAPAT %s %s APB 7 8" % (DUREN, FIRST))
    R["u1"] = record_of(U, "RAPAT %s %s SOS 3 4" % (KOPENG, FIRST))
    R["u2"] = record_of(U, "RAPAT %s %s EVAL 2 2" % (BATUR, FIRST))
    R["apb"] = record_of(P1, "RAPAT %s %s APB 4 6" % (WATES, FIRST))
    R["aduan"] = record_of(P1, "ADUAN %s jalan rusak di dusun" % WATES)
    check_eq(sql("SELECT state || ' ' || flags FROM records WHERE id = %d" % R["u1"]),
             "not_counted not_registered", "an unregistered number's report waits")


def test_list_and_filters():
    c = koord()
    st, _, body = c.get("/laporan")
    check_eq(st, 200, "/laporan")
    ids = listed(body)
    check_eq(ids, sorted(R.values(), reverse=True), "every record, newest first")
    check("Siti Nurhaliza" in body and "L 10, P 5" in body and "12 orang" in body, "figures")
    check("menunggu pemeriksaan" in body and "nomor belum terdaftar" in body, "state, flag")
    check_eq(listed(c.get("/laporan?status=not_counted")[2]), [R["u2"], R["u1"]], "status")
    check_eq(listed(c.get("/laporan?tanda=not_registered")[2]), [R["u2"], R["u1"]], "flag")
    check_eq(listed(c.get("/laporan?desa=Wates")[2]), [R["aduan"], R["apb"], R["rkp"]], "desa by name")
    check_eq(listed(c.get("/laporan?desa=" + DUREN)[2]), [R["duren"]], "desa by code")
    check_eq(listed(c.get("/laporan?jenis=kader")[2]), [R["kader"]], "kind")
    check_eq(listed(c.get("/laporan?jenis=aduan")[2]), [R["aduan"]], "kind aduan")
    check_eq(listed(c.get("/laporan?bulan=" + MONTH + "&jenis=rapat&status=counted")[2]),
             [R["apb"], R["duren"], R["rkp"]], "month, kind and state")
    check_eq(listed(c.get("/laporan?bulan=" + PREV)[2]), [], "last month: none")
    # the same filters as the CLI's records list
    rc, out, _ = cli_bytes("records", "list", "--state", "not_counted", "--format", "csv")
    cli_ids = [int(r["nomor"][2:]) for r in csv.DictReader(io.StringIO(out.decode()))]
    check_eq(sorted(cli_ids, reverse=True), [R["u2"], R["u1"]], "records list agrees")
    for bad in ("bulan=2026-13", "status=hilang", "tanda=x", "jenis=pantau", "desa=Atlantis"):
        st, _, body = c.get("/laporan?" + bad)
        check('role="alert"' in body and listed(body) == [], "refused filter " + bad)


def test_detail_shows_sms_and_escapes():
    c = koord()
    st, _, body = c.get("/laporan/%d" % R["kader"])
    check_eq(st, 200, "detail")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in body, "escaped on the detail page")
    check(XSS not in body, "no raw script on the detail page")
    check("KADER %s %s 12" % (TOLOKAN, FIRST) in body, "the SMS that carried it")
    check('class="msg-out"' in body, "its reply")
    list_body = c.get("/laporan")[2]
    check("&lt;script&gt;" in list_body and XSS not in list_body, "escaped in the list")
    check_eq(c.get("/laporan/999999")[0], 404, "no such report")
    check_eq(c.get("/laporan/abc")[0], 404, "not a number")
    check('name="aksi" value="terima"' in c.get("/laporan/%d" % R["u1"])[2], "accept form")


def test_accept_like_cli():
    c = koord()
    c.get("/laporan/%d" % R["u1"])
    st, _, _ = c.post("/laporan/%d" % R["u1"], {"aksi": "terima"})
    check_eq(st, 303, "accept answers 303")
    check_eq(c.location(), "/laporan/%d?ok=laporan" % R["u1"], "back to the report")
    check("Laporan diperbarui" in c.follow()[2], "flash")
    gw.cli("records", "accept", "R-%d" % R["u2"])
    web, cli = review_state(R["u1"]), review_state(R["u2"])
    check_eq(web, cli, "the web's accept is the CLI's")
    check(web.startswith("counted|not_registered|accepted by the office|1"), web)
    # accepted again: refused, nothing changed
    before = sql("SELECT * FROM records WHERE id = %d" % R["u1"])
    st, _, body = c.post("/laporan/%d" % R["u1"], {"aksi": "terima"})
    check_eq(st, 400, "already counted")
    check("sudah dihitung" in body, body[-400:])
    check_eq(sql("SELECT * FROM records WHERE id = %d" % R["u1"]), before, "unchanged")
    st, _, body = c.post("/laporan/%d" % R["aduan"], {"aksi": "terima"})
    check_eq(st, 400, "an ADUAN is no report to count")
    check("tiket" in body, "points to its ticket")


def test_withdraw_like_cli():
    c = koord()
    c.get("/laporan/%d" % R["duren"])
    before = review_state(R["duren"])
    for reason in ("", "   "):
        st, _, body = c.post("/laporan/%d" % R["duren"], {"aksi": "tarik", "alasan": reason})
        check_eq(st, 400, "withdraw without a reason")
        check("alasan" in body.lower(), "says a reason is needed")
    check_eq(review_state(R["duren"]), before, "nothing changed without a reason")
    reason = "tanggal salah, kirim ulang"
    st, _, _ = c.post("/laporan/%d" % R["duren"], {"aksi": "tarik", "alasan": reason})
    check_eq(st, 303, "withdraw")
    gw.cli("records", "withdraw", "R-%d" % R["apb"], "--reason", reason)
    web, cli = review_state(R["duren"]), review_state(R["apb"])
    check_eq(web.split("|")[:4], cli.split("|")[:4], "the web's withdraw is the CLI's")
    check_eq(web.split("|")[:3], ["withdrawn", "", reason], "withdrawn with the reason")
    sms = sql("SELECT text FROM outbox WHERE number = '%s' AND purpose = 'ticket'"
              " ORDER BY id DESC LIMIT 1" % P4)
    check("R-%d" % R["duren"] in sms and "tanggal salah" in sms, sms)
    check_eq(int(web.split("|")[4]), int(before.split("|")[4]) + 1, "one SMS to the sender")
    st, _, body = c.post("/laporan/%d" % R["duren"], {"aksi": "tarik", "alasan": "lagi"})
    check_eq(st, 400, "withdrawn already")
    check_eq(review_state(R["duren"]), web, "nothing changed the second time")
    check('name="aksi"' not in c.get("/laporan/%d" % R["duren"])[2], "no form once withdrawn")


def test_csrf_required():
    c = koord()
    c.get("/laporan/%d" % R["rkp"])
    before = review_state(R["rkp"])
    check_eq(c.post("/laporan/%d" % R["rkp"], {"aksi": "tarik", "alasan": "x"},
                    csrf=False)[0], 403, "no token")
    check_eq(c.post("/laporan/%d" % R["rkp"], {"aksi": "tarik", "alasan": "x"},
                    csrf="0" * 64)[0], 403, "a wrong token")
    check_eq(review_state(R["rkp"]), before, "nothing changed")


def test_camat_sees_getasan_only():
    c = Console(base)
    check_eq(c.login("camat", PASSWORD)[0], 303, "camat logs in")
    st, _, body = c.get("/laporan")
    check_eq(st, 200, "camat's list")
    ids = listed(body)
    check(R["duren"] not in ids and R["rkp"] in ids and R["u1"] in ids, ids)
    check_eq(listed(c.get("/laporan?desa=" + DUREN)[2]), [], "Duren's hidden even asked for")
    check_eq(c.get("/laporan/%d" % R["duren"])[0], 404, "another kecamatan's report")
    st, _, body = c.get("/laporan/%d" % R["rkp"])
    check_eq(st, 200, "a Getasan report")
    check('name="aksi"' not in body, "no forms for a camat")
    before = review_state(R["rkp"])
    check_eq(c.post("/laporan/%d" % R["rkp"], {"aksi": "tarik", "alasan": "x"})[0], 403,
             "a camat may not withdraw")
    check_eq(review_state(R["rkp"]), before, "nothing changed")
    # the monthly report: Getasan whatever is asked
    st, _, body = c.get("/laporan/bulanan?kecamatan=Tengaran")
    check_eq(st, 200, "camat's month")
    check("Kecamatan Getasan (33.22.01)" in body and "Duren" not in body, "Getasan only")


def test_monthly_matches_cli():
    c = koord()
    st, _, body = c.get("/laporan/bulanan?kecamatan=Getasan")
    check_eq(st, 200, "monthly")
    check("Kecamatan Getasan (33.22.01)" in body and MONTH in body, "default month is now's")
    rc, out, _ = cli_bytes("report", "monthly", "--month", MONTH, "--kecamatan", "Getasan",
                           "--format", "csv")
    want = {r["desa"]: r for r in csv.DictReader(io.StringIO(out.decode()))}
    got = {r["desa"]: r for r in tables(body)[0]}
    check_eq(len(got), len(want), "a row per village and the totals")
    for desa in ("Wates", "Tolokan", "Kopeng", "JUMLAH"):
        for col in ("rapat", "laki", "perempuan", "kader", "aduan_masuk", "menunggu"):
            check_eq(got[desa][col], want[desa][col], "%s %s" % (desa, col))
    check_eq(got["Wates"]["laki"], "10", "Wates's men: the RKP only (the APB withdrawn)")
    check_eq(got["Tolokan"]["kader"], "12", "Tolokan's cadres")
    check("<svg" in body and 'class="chart"' in body and "<title" in body, "an SVG chart")
    check("style=" not in body and "<script" not in body, "no style attribute, no script")
    check(">Wates</text>" in body, "the chart's labels")
    hadir = body[body.index('id="grafik-hadir"'):]
    hadir = hadir[:hadir.index("</svg>")]
    check("Wates: %d" % (int(want["Wates"]["laki"]) + int(want["Wates"]["perempuan"])) in hadir,
          "the attendance chart: Wates's men and women")
    # the silent section shows the facilitator's name escaped
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in body and XSS not in body,
          "escaped in the monthly report")
    # another month, all kecamatans
    st, _, body = c.get("/laporan/bulanan?bulan=" + PREV)
    check_eq(st, 200, "last month, every kecamatan")
    check(PREV in body, "its month")


def test_csv_byte_identical():
    c = koord()
    for sec in ("desa", "review", "perdes", "silent", "kegiatan"):
        st, hdrs, _ = c.get("/laporan/bulanan.csv?bulan=%s&kecamatan=33.22.01&bagian=%s"
                            % (MONTH, sec))
        check_eq(st, 200, "csv " + sec)
        check("text/csv" in hdrs.get("Content-Type"), "a CSV")
        rc, out, err = cli_bytes("report", "monthly", "--month", MONTH, "--kecamatan",
                                 "33.22.01", "--section", sec, "--format", "csv")
        check_eq(rc, 0, err)
        check_eq(c.raw, out, "section %s byte for byte" % sec)
    c.get("/laporan/bulanan.csv?bulan=" + MONTH)
    check_eq(c.raw, cli_bytes("report", "monthly", "--month", MONTH, "--format", "csv")[1],
             "every kecamatan, byte for byte")
    check(b"\r\n" in c.raw, "CRLF rows")
    check_eq(c.get("/laporan/bulanan.csv?bagian=semua")[0], 400, "an unknown section")


def test_unknown_kecamatan():
    c = koord()
    st, _, body = c.get("/laporan/bulanan?kecamatan=Getasn")
    check('role="alert"' in body and "tidak dikenal" in body, "refused")
    rc, _, err = cli_bytes("report", "monthly", "--month", MONTH, "--kecamatan", "Getasn")
    check(rc != 0 and "closest:" in err, err)
    codes = re.findall(r"\((\d\d\.\d\d\.\d\d),", err)
    check(codes, err)
    check_eq(re.findall(r"\((\d\d\.\d\d\.\d\d),", html.unescape(body)), codes,
             "the CLI's candidates, in its order")
    check_eq(c.get("/laporan/bulanan.csv?kecamatan=Getasn")[0], 400, "the CSV too")


def test_pages_of_fifty():
    for i in range(52):
        gw.inject(P1, "KADER %s %s %d latihan %d" % (WATES, FIRST, i + 1, i))
    wait_until("52 more", lambda: int(sql("SELECT COUNT(*) FROM records")) >= len(R) + 52,
               timeout=60)
    c = koord()
    first = listed(c.get("/laporan")[2])
    check_eq(len(first), 50, "50 a page")
    m = re.search(r'<p class="pager"><a href="([^"]+)"', c.last[2])
    check(m is not None, "a next link")
    rest = listed(c.get(html.unescape(m.group(1)))[2])
    everything = [int(x) for x in sql("SELECT id FROM records ORDER BY id DESC").split()]
    check_eq(first + rest, everything, "the two pages are every record, once")
    check('class="pager"' not in c.last[2], "no third page")
    # the cursor keeps the filters
    c.get("/laporan?jenis=kader")
    m = re.search(r'<p class="pager"><a href="([^"]+)"', c.last[2])
    check("jenis=kader" in html.unescape(m.group(1)), m.group(1))


def main():
    global gw, base
    suite = Suite("test_console_reports")
    gw, base = console_site("test_console_reports")
    try:
        setup()
        for t in (test_list_and_filters, test_detail_shows_sms_and_escapes,
                  test_accept_like_cli, test_withdraw_like_cli, test_csrf_required,
                  test_camat_sees_getasan_only, test_monthly_matches_cli,
                  test_csv_byte_identical, test_unknown_kecamatan, test_pages_of_fifty):
            suite.run(t)
    finally:
        gw.stop()
    suite.finish()


if __name__ == "__main__":
    main()
