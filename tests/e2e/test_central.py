"""Issue 21: the push to a central PostgreSQL 15, a private cluster started
here as an unprivileged user (tests/e2e/pg_site.py), from the real binary
with the dummy modem. Central gets every row of the exports, numbers only
as keyed hashes unless share_numbers, villagers' names never; a change
moves the row forward; central stopped, the gateway killed mid-push or a
copy of the database restored lose and repeat nothing."""

import collections
import os
import shutil
import signal
import sqlite3
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq, free_port, http_get, wait_until  # noqa: E402
import pg_site  # noqa: E402

NATIONAL = os.path.join(ROOT, "data", "villages", "wilayah-desa.csv.gz")
ANI = "+6281211110001"       # pendamping of Kopeng
DARTO = "+6285711110001"     # warga
TUTI = "+6285711110002"      # not in the contacts
pg = gw = None
ADMIN = free_port()


def central_ini(site="kec-getasan", share="no"):
    return ("[central]\nconninfo = %s\nsite = %s\ninterval = 1\nshare_numbers = %s\n"
            "warn_after = 10\n" % (pg.conninfo(), site, share))


def q(sql):
    return pg.psql(sql)


def one(sql):
    return q(sql)[0][0]


def local_counts(g):
    return {
        "in": int(g.sql("SELECT COUNT(*) FROM messages")),
        "out": int(g.sql("SELECT COUNT(*) FROM outbox")),
        "records": int(g.sql("SELECT COUNT(*) FROM records")),
        "tickets": int(g.sql("SELECT COUNT(*) FROM tickets")),
        "contacts": int(g.sql("SELECT COUNT(*) FROM contacts")),
    }


def central_counts(site):
    out = {}
    for d in ("in", "out"):
        out[d] = int(one("SELECT COUNT(*) FROM messages WHERE site = '%s' AND direction = '%s'"
                         % (site, d)))
    for t in ("records", "tickets", "contacts"):
        out[t] = int(one("SELECT COUNT(*) FROM %s WHERE site = '%s'" % (t, site)))
    return out


def caught_up(g, site):
    """Central has every row, and the gateway has nothing left to send."""
    def done():
        return (central_counts(site) == local_counts(g) and
                g.sql("SELECT COUNT(*) FROM central_changes") == "0")
    wait_until("central caught up with %s" % site, done, timeout=60)


def replies_sent(g, n):
    # replies only: the ticket's news (test_changes_move_rows_forward) goes
    # too, and counting it made "8 sent" true only between two sends
    wait_until("%d replies sent" % n, lambda: g.sql(
        "SELECT COUNT(*) FROM outbox WHERE purpose = 'reply' AND state IN ('sent','delivered')")
        == str(n), timeout=60)


def test_first_push_sends_what_was_there():
    """Rows made before [central] was configured go too, with the villages."""
    global gw
    gw = Gateway("central")
    gw.cli("villages", "import", NATIONAL)
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n"
                "%s,Ani Pendamping,pendamping,3322202003\n"
                "%s,Pak Darto,warga,3322202003\n" % (ANI, DARTO))
    gw.cli("contacts", "import", path)
    gw.start()
    gw.inject(ANI, "rapat kopeng 2/11 rkp L40 P35")
    gw.inject(DARTO, "aduan kopeng jembatan putus")
    gw.inject(TUTI, "HALO")
    replies_sent(gw, 3)
    gw.stop()
    with open(gw.config, "a") as f:
        f.write(central_ini() + "[admin]\nlisten = 127.0.0.1:%d\n" % ADMIN)
    gw.start()
    caught_up(gw, "kec-getasan")
    check_eq(one("SELECT COUNT(*) FROM villages"), "83762", "every village once")
    check_eq(q("SELECT site FROM sites"), [["kec-getasan"]], "site")
    local = [r for r in gw.export("records") if r["kind"] == "rapat"][0]
    rec = q("SELECT nomor, kind, desa, nama_desa, tanggal, jenis, laki, perempuan, state,"
            " to_char(created_at, 'YYYY-MM-DD HH24:MI:SS') FROM records WHERE kind = 'rapat'")
    check_eq(rec, [[local[k] for k in ("nomor", "kind", "desa", "nama_desa", "tanggal", "jenis",
                                        "laki", "perempuan", "state", "created_at")]],
             "the record as export records shows it")
    check_eq(local["jenis"], "RKP", "a real record")
    local = [r for r in gw.export("tickets")][0]
    tic = q("SELECT tiket, type, status, desa, isi, to_char(created_at, 'YYYY-MM-DD HH24:MI:SS')"
            " FROM tickets")[0]
    check_eq(tic, [local["tiket"], "ADU", "baru", local["desa"], local["isi"], local["created_at"]],
             "the ticket as export tickets shows it, in the site's local time")


def test_numbers_hashed_and_villagers_unnamed():
    numbers = [ANI, DARTO, TUTI, ANI.lstrip("+"), "0" + ANI[3:]]
    for table, col in (("messages", "number"), ("records", "number"), ("tickets", "number"),
                       ("contacts", "number"), ("contacts", "id")):
        vals = [r[0] for r in q("SELECT DISTINCT %s FROM %s" % (col, table))]
        check(all(v.startswith("h") and len(v) == 33 for v in vals), (table, vals))
        check(not any(n in v for v in vals for n in numbers), (table, vals))
    names = sorted(tuple(r) for r in q("SELECT role, name FROM contacts"))
    check_eq(names, [("pendamping", "Ani Pendamping"), ("warga", "")], "names")
    # the same number is the same hash everywhere: distinct senders count
    check_eq(one("SELECT COUNT(DISTINCT number) FROM messages WHERE direction = 'in'"), "3",
             "three senders")
    check_eq(one("SELECT COUNT(*) FROM messages m JOIN contacts c ON c.number = m.number"
                 " WHERE c.role = 'pendamping' AND m.direction = 'in'"), "1", "joinable")
    key = gw.sql("SELECT length(hash_key) FROM central_state")
    check_eq(key, "32", "the key stays on the box")


def test_changes_move_rows_forward():
    tiket = gw.export("tickets")[0]["tiket"]
    v0 = int(one("SELECT version FROM tickets"))
    gw.cli("tickets", "update", tiket, "--status", "selesai", "--note", "Sudah diperbaiki")
    wait_until("the ticket closed in central",
               lambda: q("SELECT status FROM tickets") == [["selesai"]], timeout=30)
    check(int(one("SELECT version FROM tickets")) > v0, "a higher version")
    check(one("SELECT closed_at IS NOT NULL FROM tickets") == "t", "closed_at")
    gw.cli("contacts", "remove", DARTO)
    wait_until("the contact gone from central", lambda: one(
        "SELECT COUNT(*) FROM contacts") == "1", timeout=30)
    caught_up(gw, "kec-getasan")


def test_villages_imported_later_follow():
    """A list imported (or corrected) after the first push reaches central:
    the report names villages from it."""
    path = os.path.join(gw.dir, "villages.csv")
    with open(path, "w") as f:
        f.write("kode,nama,kecamatan,kabupaten,provinsi\n"
                "33.22.20.2003,Kopeng Baru,Getasan,Kabupaten Semarang,Jawa Tengah\n"
                "99.99.99.9999,Desa Uji,Kecamatan Uji,Kabupaten Uji,Provinsi Uji\n")
    gw.cli("villages", "import", path)
    wait_until("the new and the renamed village in central", lambda: q(
        "SELECT code, name FROM villages WHERE code IN ('33.22.20.2003', '99.99.99.9999')"
        " ORDER BY code") == [["33.22.20.2003", "Kopeng Baru"], ["99.99.99.9999", "Desa Uji"]],
        timeout=30)
    before = gw.sql("SELECT COUNT(*) FROM central_changes")
    gw.cli("villages", "import", path)      # the same again: nothing to send
    check_eq(gw.sql("SELECT COUNT(*) FROM central_changes"), before, "an import that changes nothing")
    caught_up(gw, "kec-getasan")


def check_config(path):
    import subprocess
    from harness import BIN
    return subprocess.run([BIN, "check-config", "-c", path], capture_output=True, text=True)


def test_check_config_says_whether_central_answers():
    """A central that cannot be reached is a warning, not an error: the
    records wait on the box."""
    out = gw.cli("check-config")
    check("central: reachable" in out.stdout and "configuration OK" in out.stdout, out.stdout)
    bad = os.path.join(gw.dir, "unreachable.ini")
    with open(gw.config) as f:
        text = f.read().replace(pg.conninfo(), "host=%s/nowhere dbname=central user=x" % gw.dir)
    with open(bad, "w") as f:
        f.write(text)
    r = check_config(bad)
    check_eq(r.returncode, 0, "still valid")
    check("warning: [central] cannot be reached now" in r.stderr and "configuration OK" in r.stdout,
          r.stderr + r.stdout)
    with open(bad, "w") as f:
        f.write(text.replace("site = kec-getasan", "site = kec getasan!"))
    r = check_config(bad)
    check(r.returncode != 0 and "[central]: site is required" in r.stderr, r.stderr)


def test_status_and_metrics_show_the_push():
    import json
    doc = json.loads(gw.cli("status", "--format", "json").stdout)
    c = doc["central"]
    check_eq((c["site"], c["backlog"], c["last_error"]), ("kec-getasan", 0, ""), "central")
    check(c["last_push_at"] > 0, c)
    check("central: site kec-getasan, 0 changes waiting" in gw.cli("status").stdout, "status")
    code, body = http_get(ADMIN, "/metrics")
    check_eq(code, 200, "/metrics")
    for line in ("kentongan_central_backlog 0", "kentongan_central_failing 0",
                 "kentongan_central_last_push_timestamp_seconds %d" % c["last_push_at"]):
        check(line in body, line)


def test_central_down_then_back():
    """The gateway keeps answering; nothing is lost or doubled."""
    pg.stop()
    for i in range(5):
        gw.inject("+62857222200%02d" % i, "aduan kopeng lampu jalan mati %d" % i)
    replies_sent(gw, 3 + 5)
    wait_until("status says central fails", lambda: "failing for" in gw.cli("status").stdout,
               timeout=30)
    check("central:" in gw.read_log() and "records wait" in gw.read_log(), "logged")
    waiting = int(gw.sql("SELECT COUNT(*) FROM central_changes"))
    check(waiting >= 10, waiting)
    # warn_after = 10: one ALARM, not one a failure
    wait_until("the ALARM after warn_after", lambda: "ALARM: central: nothing pushed for"
               in gw.read_log(), timeout=40)
    time.sleep(3)
    check_eq(gw.read_log().count("ALARM: central: nothing pushed"), 1, "once")
    pg.start()
    caught_up(gw, "kec-getasan")
    check("pushing again" in gw.read_log(), "back")


def test_killed_mid_push_repeats_nothing():
    """A backlog of 20,000 rows, the gateway killed while it goes."""
    gw.stop()
    db = sqlite3.connect(gw.db)
    db.execute("PRAGMA busy_timeout = 5000")
    db.executemany("INSERT INTO outbox (number, text, purpose, priority, state, next_at,"
                   " created_at) VALUES (?, ?, 'broadcast', 0, 'dead', 0, ?)",
                   [("+628133%07d" % i, "Siaran %d" % i, 1796000000 + i) for i in range(20000)])
    db.commit()
    db.close()
    # written with the gateway stopped: the triggers captured them too
    check(int(gw.sql("SELECT COUNT(*) FROM central_changes")) >= 20000, "captured")
    gw.start()
    wait_until("part of the backlog pushed", lambda: 0 < int(one(
        "SELECT COUNT(*) FROM messages WHERE direction = 'out'")) < 20000, timeout=60)
    gw.proc.send_signal(signal.SIGKILL)
    gw.proc.wait()
    gw.proc = None
    gw.logf.close()
    gw.start()
    caught_up(gw, "kec-getasan")
    check_eq(one("SELECT COUNT(*) FROM messages WHERE text LIKE 'Siaran %'"), "20000", "once each")


def test_restored_copy_is_sent_again():
    """A copy of the database restored: central had seen more of the site,
    so every row goes again, numbered after what central saw."""
    gw.stop()
    copy = gw.db + ".copy"
    shutil.copy(gw.db, copy)
    gw.start()
    gw.inject("+6285722229999", "aduan kopeng sumur kering")
    wait_until("its reply sent", lambda: gw.sql(
        "SELECT COUNT(*) FROM outbox WHERE number = '+6285722229999' AND state = 'sent'") == "1",
        timeout=60)
    caught_up(gw, "kec-getasan")
    seen = int(one("SELECT last_seq FROM sites"))
    gw.stop()
    for ext in ("-wal", "-shm"):
        if os.path.exists(gw.db + ext):
            os.remove(gw.db + ext)
    shutil.copy(copy, gw.db)
    gw.start()
    wait_until("reseeded", lambda: "every row is sent again" in gw.read_log(), timeout=30)
    wait_until("pushed past it", lambda: int(one("SELECT last_seq FROM sites")) > seen, timeout=60)
    wait_until("nothing waits", lambda: gw.sql("SELECT COUNT(*) FROM central_changes") == "0",
               timeout=60)
    # the copy's rows carry versions past what central had
    check_eq(one("SELECT COUNT(*) FROM tickets WHERE version <= %d" % seen), "1",
             "only the ticket the copy lacks keeps its old version")


def main():
    global pg
    s = Suite("e2e-central")
    if not pg_site.available():
        print("note: postgresql-15 is not installed (make test-deps installs it)")
        s.run(lambda: check(False, "postgresql-15 missing"))
        s.finish()
    pg = pg_site.PgCluster("central").start()
    try:
        pg.createdb()
        for t in (test_first_push_sends_what_was_there, test_numbers_hashed_and_villagers_unnamed,
                  test_changes_move_rows_forward, test_villages_imported_later_follow,
                  test_check_config_says_whether_central_answers,
                  test_status_and_metrics_show_the_push,
                  test_central_down_then_back, test_killed_mid_push_repeats_nothing,
                  test_restored_copy_is_sent_again):
            s.run(t)
    finally:
        if gw is not None:
            gw.stop()
        pg.destroy()
    s.finish()


if __name__ == "__main__":
    main()
