"""Issue 17, items 1 and 7: the office keeps its contacts and types dates
as people do. `contacts set` changes only the fields given (a second
village is never dropped by a new name or role); `contacts remove` keeps
the number's messages, tickets and BERHENTI; `contacts list` filters by
role and village; `contacts import` reads what Excel saves (a byte order
mark, CRLF, ';' between cells, quotes, roles in any case) and refuses a
number written twice in one file, naming both lines. Every command that
takes a date takes YYYY-MM-DD or d/m/yyyy and refuses anything else with
the forms named. All through the real binary and a real database; the
daemon runs only for the messages and tickets a removed contact keeps."""

import csv
import io
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, wait_until  # noqa: E402

SITI = "+6281211110001"     # pendamping of Tolokan and Wates (Getasan)
BUDI = "+6281211110002"     # warga of Kopeng
RINI = "+6281211110003"     # koordinator
TOLOKAN, WATES, KOPENG, BATUR = "33.22.01.2004", "33.22.01.2005", "33.22.01.2003", "33.22.01.2002"

gw = None


def contact(number):
    """number's row in `contacts list --format json`, or None."""
    rows = json.loads(gw.cli("contacts", "list", "--format", "json").stdout)
    return next((r for r in rows if r["number"] == number), None)


def villages(number):
    return gw.sql("SELECT group_concat(desa, ';') FROM (SELECT desa FROM contact_desa "
                  "WHERE number = '%s' ORDER BY desa)" % number)


def write(name, data):
    path = os.path.join(gw.dir, name)
    with open(path, "wb") as f:
        f.write(data.encode() if isinstance(data, str) else data)
    return path


def test_set_changes_only_what_is_given():
    gw.cli("contacts", "set", SITI, "--role", "pendamping", "--desa", "Tolokan;Wates",
           "--name", "Siti")
    # the case: a new name dropped the second village
    gw.cli("contacts", "set", "081211110001", "--name", "Siti Nurhaliza")
    c = contact(SITI)
    check_eq((c["name"], c["role"], c["desa"]), ("Siti Nurhaliza", "pendamping", TOLOKAN + ";" + WATES),
             "a new name keeps both villages")
    # a role that cannot have two villages is refused, not half applied
    r = gw.cli("contacts", "set", SITI, "--role", "warga", check=False)
    check_eq(r.returncode, 1, "warga with two villages refused: " + r.stdout)
    check("only a pendamping has several villages" in r.stderr, r.stderr)
    check_eq(contact(SITI)["role"], "pendamping", "role unchanged")
    check_eq(villages(SITI), TOLOKAN + ";" + WATES, "villages unchanged")
    # one village more, one less; the rest stays
    gw.cli("contacts", "set", SITI, "--add-desa", "Kopeng")
    check_eq(villages(SITI), KOPENG + ";" + TOLOKAN + ";" + WATES, "added")
    gw.cli("contacts", "set", SITI, "--remove-desa", "Wates")
    check_eq(villages(SITI), KOPENG + ";" + TOLOKAN, "removed")
    check_eq(contact(SITI)["desa"], TOLOKAN + ";" + KOPENG, "the first village stays first")
    r = gw.cli("contacts", "set", SITI, "--remove-desa", "Batur", check=False)
    check(r.returncode == 1 and "not one of" in r.stderr, r.stderr)
    # --desa replaces the list; a role change with one village is fine
    gw.cli("contacts", "set", SITI, "--desa", "Tolokan")
    gw.cli("contacts", "set", SITI, "--role", "KOORDINATOR")
    c = contact(SITI)
    check_eq((c["name"], c["role"], c["desa"]), ("Siti Nurhaliza", "koordinator", TOLOKAN),
             "role in any case, name and village kept")
    gw.cli("contacts", "set", SITI, "--role", "pendamping", "--desa", "Tolokan;Wates")
    r = gw.cli("contacts", "set", SITI, check=False)
    check_eq(r.returncode, 2, "set with nothing to change is a usage error")
    r = gw.cli("contacts", "set", "+6281299990000", "--name", "X", check=False)
    check(r.returncode == 1 and "needs a role" in r.stderr, r.stderr)


def test_list_filters_and_formats():
    gw.cli("contacts", "set", BUDI, "--role", "warga", "--desa", "Kopeng", "--name", "Budi")
    gw.cli("contacts", "set", RINI, "--role", "koordinator", "--name", "Rini, S.Pd")
    out = gw.cli("contacts", "list", "--format", "csv").stdout
    rows = list(csv.reader(io.StringIO(out)))
    check_eq(rows[0], ["number", "name", "role", "desa", "opted_out"], "the CSV header")
    siti = [r for r in rows if r[0].lstrip("'") == SITI][0]
    check_eq(siti[3], TOLOKAN + ";" + WATES, "villages joined with ;")
    check(any(r[1] == "Rini, S.Pd" for r in rows), "a comma in a name is quoted: " + out)
    only = json.loads(gw.cli("contacts", "list", "--role", "Warga", "--format", "json").stdout)
    check_eq([r["number"] for r in only], [BUDI], "--role")
    only = json.loads(gw.cli("contacts", "list", "--desa", "Wates", "--format", "json").stdout)
    check_eq([r["number"] for r in only], [SITI], "--desa by name, any of the contact's villages")
    table = gw.cli("contacts", "list", "--desa", "33.22.01.2003", "--format", "table").stdout
    check(BUDI in table and SITI not in table, table)
    r = gw.cli("contacts", "list", "--role", "lurah", check=False)
    check(r.returncode == 2 and "pendamping, koordinator or warga" in r.stderr, r.stderr)


EXCEL = ("\ufeff" + '"Number";"Name";"Role";"Desa"\r\n'
         '081211110001;"Siti; Nurhaliza";Pendamping;"Tolokan;Wates"\r\n'
         '+6285711112222;"Ani ""Bu RT""";WARGA;Kopeng\r\n'
         ';;;\r\n'
         '6281211110003;Rini;Koordinator;\r\n')


def test_import_what_excel_saves():
    path = write("excel.csv", EXCEL)
    r = gw.cli("contacts", "import", path)
    check("3 contacts imported" in r.stdout, r.stdout + r.stderr)
    c = contact(SITI)
    check_eq((c["name"], c["role"], c["desa"]), ("Siti; Nurhaliza", "pendamping", TOLOKAN + ";" + WATES),
             "a quoted ; stays in the cell")
    c = contact("+6285711112222")
    check_eq((c["name"], c["role"], c["desa"]), ('Ani "Bu RT"', "warga", KOPENG), "quotes, role upper case")
    check_eq(contact(RINI)["role"], "koordinator", "role capitalised")
    # the same with ',' and LF, no BOM; and what `contacts list` wrote
    # (its numbers guarded with ') reads back
    path = write("plain.csv", "number,name,role,desa\n081211110001,Siti Nurhaliza,pendamping,Tolokan;Wates\n")
    gw.cli("contacts", "import", path)
    check_eq(contact(SITI)["name"], "Siti Nurhaliza", "comma-separated")
    listed = write("listed.csv", gw.cli("contacts", "list").stdout)
    r = gw.cli("contacts", "import", listed)
    check("4 contacts imported" in r.stdout, r.stdout + r.stderr)
    r = gw.cli("contacts", "import", write("bad.csv", "nomor;nama\r\n1;2\r\n"), check=False)
    check(r.returncode == 1 and "expected a header number,name,role,desa" in r.stderr, r.stderr)
    r = gw.cli("contacts", "import", write("cp1252.csv", b"number,name,role\n081211110009,Jos\xe9,warga\n"),
               check=False)
    check(r.returncode == 1 and "UTF-8" in r.stderr, r.stderr)


def test_import_refuses_a_number_twice():
    before = gw.cli("contacts", "list").stdout
    # the case: a koordinator became a warga, last row winning
    path = write("twice.csv", "number;name;role;desa\r\n"
                 "081211110003;Rini;koordinator;\r\n"
                 "081211110004;Dewi;warga;Batur\r\n"
                 "+6281211110003;Rini;warga;Batur\r\n")
    r = gw.cli("contacts", "import", path, check=False)
    check_eq(r.returncode, 1, "refused")
    check("%s:4: %s is on line 2 and line 4" % (path, RINI) in r.stderr, r.stderr)
    check("nothing imported" in r.stderr, r.stderr)
    check_eq(gw.cli("contacts", "list").stdout, before, "nothing changed")
    check_eq(contact("+6281211110004"), None, "not even the good row")


def test_import_never_changes_opted_out():
    gw.sql("UPDATE contacts SET opted_out = 1 WHERE number = '%s'" % BUDI)
    path = write("budi.csv", "number,name,role,desa,opted_out\n%s,Budi Santoso,warga,Kopeng,0\n" % BUDI)
    gw.cli("contacts", "import", path)
    c = contact(BUDI)
    check_eq((c["name"], c["opted_out"]), ("Budi Santoso", "1"), "imported, still opted out")
    gw.cli("contacts", "set", BUDI, "--name", "Budi S.")
    check_eq(contact(BUDI)["opted_out"], "1", "set keeps it too")


def test_remove_keeps_messages_tickets_and_berhenti():
    gw.start()
    try:
        gw.inject(BUDI, "ADUAN Kopeng Jalan desa rusak")
        tiket = wait_until("ticket", lambda: gw.sql("SELECT type || '-' || seq FROM tickets "
                                                    "WHERE number = '%s'" % BUDI))
    finally:
        check_eq(gw.stop(), 0, "clean stop")
    r = gw.cli("contacts", "remove", "085711112222")
    check("removed" in r.stdout, r.stdout)
    r = gw.cli("contacts", "remove", BUDI)
    check_eq(contact(BUDI), None, "gone from the list")
    check_eq(gw.sql("SELECT COUNT(*) FROM contact_desa WHERE number = '%s'" % BUDI), "0", "its villages too")
    check(tiket in gw.cli("tickets", "show", tiket).stdout, "the ticket stays")
    check([m for m in gw.export("messages") if m["number"].lstrip("'") == BUDI and m["direction"] == "in"],
          "its message stays")
    r = gw.cli("contacts", "remove", BUDI, check=False)
    check(r.returncode == 1 and "no such contact" in r.stderr, r.stderr)
    # back in a later list: the BERHENTI it sent still stands
    gw.cli("contacts", "import", write("back.csv", "number,name,role,desa\n%s,Budi,warga,Kopeng\n" % BUDI))
    check_eq(contact(BUDI)["opted_out"], "1", "BERHENTI outlives a removal")


def test_office_dates():
    r = gw.cli("perdes", "open", "PD07", "--desa", "Kopeng", "--title", "Perdes Air Bersih",
               "--until", "15/12/2026")
    check("until 2026-12-15" in r.stdout, r.stdout + r.stderr)
    check_eq(gw.sql("SELECT until FROM perdes WHERE code = 'PD07'"), "2026-12-15", "stored as YYYY-MM-DD")
    r = gw.cli("meetings", "add", "--desa", "Kopeng", "--date", "5/1/2027", "--time", "19:30",
               "--type", "rkp", "--place", "Balai")
    check("2027-01-05 19:30 RKP" in r.stdout, r.stdout)
    gw.cli("meetings", "add", "--desa", "Kopeng", "--date", "2027-01-06", "--time", "9:00", "--type", "SOS")
    check_eq(gw.sql("SELECT group_concat(tanggal, ' ') FROM meetings"), "2027-01-05 2027-01-06",
             "both forms, one stored form")
    # --to is inclusive in either form: today's ticket is in, tomorrow's not
    today = gw.sql("SELECT strftime('%d/%m/%Y', 'now', 'localtime')").lstrip("0")
    iso = gw.sql("SELECT date('now', 'localtime')")
    for frm, to in ((today, today), (iso, iso), ("1/1/2020", today)):
        got = gw.cli("export", "tickets", "--from", frm, "--to", to).stdout
        check(len(list(csv.DictReader(io.StringIO(got)))) >= 1, "%s..%s: %s" % (frm, to, got))
    got = gw.cli("export", "tickets", "--from", "1/1/2020", "--to", "31/12/2020").stdout
    check_eq(len(list(csv.DictReader(io.StringIO(got)))), 0, "an empty year")
    r = gw.cli("reminders", "--now", "15/12/2026 10:00", "--format", "json")
    check(r.stdout.startswith("["), r.stdout)
    for cmd in (["perdes", "open", "PD08", "--desa", "Kopeng", "--title", "T", "--until", "15/12"],
                ["perdes", "open", "PD08", "--desa", "Kopeng", "--title", "T", "--until", "31/11/2026"],
                ["meetings", "add", "--desa", "Kopeng", "--date", "12/15/2026", "--time", "19:30",
                 "--type", "RKP"],
                ["export", "records", "--from", "2026-12-1x"],
                ["export", "records", "--to", "besok"],
                ["reminders", "--now", "15/12/2026"]):
        r = gw.cli(*cmd, check=False)
        check_eq(r.returncode, 2, " ".join(cmd))
        check("YYYY-MM-DD" in r.stderr and "d/m/yyyy" in r.stderr, "%s: %s" % (cmd, r.stderr))
    check_eq(gw.sql("SELECT COUNT(*) FROM perdes WHERE code = 'PD08'"), "0", "nothing opened")


def main():
    global gw
    s = Suite("e2e-contacts")
    gw = Gateway("contacts")
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    try:
        for t in (test_set_changes_only_what_is_given, test_list_filters_and_formats,
                  test_import_what_excel_saves, test_import_refuses_a_number_twice,
                  test_import_never_changes_opted_out, test_remove_keeps_messages_tickets_and_berhenti,
                  test_office_dates):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
