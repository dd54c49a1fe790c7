"""Issue 19, item 6: upgrades. A database written by an earlier release
(tests/fixtures/release-schema-N.sql, made by make-release-fixture.py when
that release was cut) opens with this binary, is migrated in one
transaction and keeps every row; so does one rewound a few versions with
SCHEMA_UNDO. A migration that fails leaves the file byte for byte as it
was, and the error says which migration and what went wrong."""

import collections
import glob
import hashlib
import os
import re
import sqlite3
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, ROOT, Gateway, Suite, check, check_eq, rewind_schema, wait_until  # noqa: E402

FIXTURES = sorted(glob.glob(os.path.join(ROOT, "tests", "fixtures", "release-schema-*.sql")),
                  key=lambda p: int(re.search(r"-(\d+)\.sql$", p).group(1)))
NEWEST = FIXTURES[-1] if FIXTURES else None


def fixture_version(path):
    return int(re.search(r"-(\d+)\.sql$", path).group(1))


def connect(db):
    # read only, so that looking never changes what is looked at
    return sqlite3.connect("file:%s?mode=ro" % db, uri=True)


def tables(c):
    return [r[0] for r in c.execute("SELECT name FROM sqlite_schema WHERE type = 'table' "
                                    "AND name NOT LIKE 'sqlite_%' ORDER BY name")]


def columns(c, table):
    return [r[1] for r in c.execute("SELECT * FROM pragma_table_xinfo(?)", (table,))]


def rows_of(c, table, cols):
    """The rows of cols in table, as a multiset (the order of a table
    without ORDER BY is no promise)."""
    return collections.Counter(c.execute("SELECT %s FROM \"%s\"" % (
        ", ".join('"%s"' % x for x in cols), table)).fetchall())


def snapshot(db):
    """Every table's columns and rows."""
    c = connect(db)
    try:
        snap = {}
        for t in tables(c):
            cols = columns(c, t)
            snap[t] = (cols, rows_of(c, t, cols))
        return snap
    finally:
        c.close()


def rows_lost(before, db):
    """What of the snapshot `before` is not in db: a table gone, a column
    gone, or rows whose old columns changed. A table whose columns did not
    change is compared whole; one that a migration gave new columns is
    compared on the columns it had (new columns have their defaults or
    what the migration filled in)."""
    c = connect(db)
    try:
        problems = []
        have = set(tables(c))
        for t, (cols, rows) in sorted(before.items()):
            if t not in have:
                problems.append("table %s is gone (a migration that drops or renames a table "
                                "needs its own check here)" % t)
                continue
            missing = [x for x in cols if x not in columns(c, t)]
            if missing:
                problems.append("%s lost columns %s" % (t, missing))
                continue
            now = rows_of(c, t, cols)
            if now != rows:
                problems.append("%s: %d rows before, %d after; lost %s; new %s" % (
                    t, sum(rows.values()), sum(now.values()),
                    list((rows - now).elements())[:2], list((now - rows).elements())[:2]))
        return problems
    finally:
        c.close()


def shape(db):
    """The schema as this binary sees it: every object, every table's
    columns, the SQL of indexes and triggers. Not a table's CREATE text,
    which ALTER TABLE edits in place and so differs by history."""
    c = connect(db)
    try:
        objs = {}
        for typ, name, tbl, sql in c.execute("SELECT type, name, tbl_name, sql FROM sqlite_schema "
                                             "WHERE name NOT LIKE 'sqlite_%'"):
            if typ == "table":
                info = list(c.execute("SELECT name, type, \"notnull\", dflt_value, pk "
                                      "FROM pragma_table_xinfo(?)", (name,)))
                objs[name] = (typ, tbl, info)
            else:
                objs[name] = (typ, tbl, re.sub(r"\s+", " ", sql or ""))
        return objs
    finally:
        c.close()


def pragma(db, what):
    c = connect(db)
    try:
        return c.execute("PRAGMA %s" % what).fetchone()[0]
    finally:
        c.close()


def digest(gw):
    """The file's bytes after a checkpoint: whatever a command committed,
    even if it is still only in the WAL, is then in the file."""
    gw.sql("PRAGMA wal_checkpoint(TRUNCATE)")
    with open(gw.db, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def load(gw, sql_path):
    """A fresh file from the dump. The gateway's own files are always in
    WAL mode (store_open sets it before migrating), so this one is too:
    the failure test then sees the bytes a real installation has."""
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(gw.db + suffix):
            os.unlink(gw.db + suffix)
    with open(sql_path) as f:
        subprocess.run(["sqlite3", "-bail", gw.db], stdin=f, check=True)
    gw.sql("PRAGMA journal_mode=WAL")


FRESH = {}


def fresh():
    """user_version and shape of a database this binary makes new."""
    if not FRESH:
        gw = Gateway("upgrade-fresh")
        gw.cli("status")
        FRESH["version"] = pragma(gw.db, "user_version")
        FRESH["shape"] = shape(gw.db)
    return FRESH["version"], FRESH["shape"]


def replies_after(gw, first, n):
    """The texts of the replies queued after outbox row first, once there
    are n of them."""
    rows = gw.sql("SELECT text FROM outbox WHERE id > %d AND purpose = 'reply' ORDER BY id"
                  % first).splitlines()
    return rows if len(rows) >= n else None


def upgrade_keeps(gw, before, what):
    """Open gw's database with a real command; it must end at this
    binary's version, in this binary's shape, with every row of before."""
    version, want_shape = fresh()
    r = gw.cli("status", check=False)
    check_eq(r.returncode, 0, "%s: kentongan status (%s)" % (what, r.stderr.strip()))
    check_eq(pragma(gw.db, "user_version"), version, what + ": user_version")
    check_eq(pragma(gw.db, "quick_check"), "ok", what + ": quick_check")
    lost = rows_lost(before, gw.db)
    check(not lost, "%s: rows not kept:\n  %s" % (what, "\n  ".join(lost)))
    got = shape(gw.db)
    diff = sorted(n for n in set(got) | set(want_shape) if got.get(n) != want_shape.get(n))
    check(not diff, "%s: schema differs from a new database's in %s" % (what, diff))


def test_fixtures_are_there():
    """At least one release's fixture, none from a schema newer than the
    binary (a fixture from another branch)."""
    version, _ = fresh()
    check(FIXTURES, "no tests/fixtures/release-schema-*.sql: run make-release-fixture.py")
    for path in FIXTURES:
        check(fixture_version(path) <= version,
              "%s is newer than this binary's schema %d" % (os.path.basename(path), version))
    if fixture_version(NEWEST) < version:
        print("note: no fixture of schema %d yet; cut at the next release "
              "(docs/reliability.md, Upgrades)" % version)


def test_release_fixtures_upgrade():
    """Each committed release's database opens with this binary and keeps
    every row; the daemon then runs on it: a ticket of the old release is
    found by STATUS, and a new complaint continues its numbering."""
    for path in FIXTURES:
        what = os.path.basename(path)
        gw = Gateway("upgrade-%d" % fixture_version(path))
        load(gw, path)
        check_eq(pragma(gw.db, "user_version"), fixture_version(path), what + ": loaded")
        before = snapshot(gw.db)
        check(all(rows for _, rows in before.values()),
              "%s: empty tables %s" % (what, [t for t, (_, r) in before.items() if not r]))
        upgrade_keeps(gw, before, what)

        filer, seq, note = gw.sql(
            "SELECT t.number, t.seq, (SELECT note FROM ticket_history h WHERE h.ticket_id = t.id "
            "ORDER BY h.id DESC LIMIT 1) FROM tickets t WHERE t.type = 'ADU' "
            "ORDER BY t.seq LIMIT 1").split("|")
        last = int(gw.sql("SELECT MAX(seq) FROM tickets WHERE type = 'ADU'"))
        desa = gw.sql("SELECT code FROM villages ORDER BY code LIMIT 1")
        first = int(gw.sql("SELECT MAX(id) FROM outbox"))
        gw.start()
        try:
            gw.inject(filer, "STATUS ADU-%s" % seq)
            gw.inject(filer, "ADUAN %s Gorong-gorong tersumbat setelah upgrade" % desa)
            replies = wait_until("two replies", lambda: replies_after(gw, first, 2))
        finally:
            check_eq(gw.stop(), 0, "clean stop")
        check(("ADU-%s" % seq) in replies[0] and note in replies[0],
              "%s: STATUS of an old ticket: %r" % (what, replies[0]))
        check(("tiket ADU-%d" % (last + 1)) in replies[1],
              "%s: numbering goes on from ADU-%d: %r" % (what, last, replies[1]))


def test_older_schemas_upgrade():
    """The newest fixture rewound to older versions (SCHEMA_UNDO) migrates
    up keeping its rows. From 7, migration 8 builds row_counts and
    modem_days from the rows: they must equal what the triggers kept."""
    gw = Gateway("upgrade-older")
    for version in (16, 15, 10, 7):
        load(gw, NEWEST)
        kept = snapshot(gw.db)
        rewind_schema(gw, version)
        check_eq(pragma(gw.db, "user_version"), version, "rewound")
        before = snapshot(gw.db)
        upgrade_keeps(gw, before, "from version %d" % version)
        if version < 8:
            for t in ("row_counts", "modem_days"):
                rows = kept[t][1]
                after = snapshot(gw.db)[t][1]
                if t == "row_counts":
                    # a count that went back to 0 stays a row; migration 8
                    # writes none for it
                    rows = collections.Counter({r: k for r, k in rows.items() if r[-1] != 0})
                else:
                    # columns added after the fixture's release (20:
                    # failed) start at 0
                    n = len(next(iter(rows)))
                    check(all(set(r[n:]) <= {0} for r in after), after)
                    after = collections.Counter({r[:n]: k for r, k in after.items()})
                check_eq(after, rows, "%s rebuilt from the rows" % t)


def test_failed_migration_leaves_the_file():
    """A database at 16 with an index that migration 18 makes (as a
    hand-made fix or a half-restored file would leave it): 17 runs, 18
    runs its first statements and fails on its last. Nothing of either is
    kept: the file is byte for byte the same, still at 16, for the CLI
    and for the daemon, and the error names migration 18 and the index.
    Dropping the stray index lets the upgrade through with every row."""
    gw = Gateway("upgrade-fails")
    load(gw, NEWEST)
    rewind_schema(gw, 16)
    gw.sql("CREATE INDEX records_by_created ON records(created_at)")
    before = snapshot(gw.db)
    dump = gw.sql(".dump")
    want = digest(gw)
    version, _ = fresh()

    error = ("upgrading the schema from version 16 to %d failed in migration 18: index "
             "records_by_created already exists; the database was left at version 16, "
             "unchanged" % version)
    r = gw.cli("status", check=False)
    check_eq(r.returncode, 1, "status refused: " + r.stdout)
    check(error in r.stderr, r.stderr)
    check_eq(digest(gw), want, "the file's bytes after status")
    run = subprocess.run([BIN, "run", "-c", gw.config], capture_output=True, text=True,
                         timeout=30)
    check_eq(run.returncode, 1, "the daemon's exit")
    check(error in run.stderr, run.stderr)
    check("Sanitizer" not in r.stderr + run.stderr, r.stderr + run.stderr)
    check_eq(digest(gw), want, "the file's bytes after run")
    check_eq(pragma(gw.db, "user_version"), 16, "user_version")
    check_eq(gw.sql(".dump"), dump, "the database as SQLite reads it")
    check_eq(gw.sql("SELECT COUNT(*) FROM sqlite_schema WHERE name IN "
                    "('tickets_by_status', 'tickets_by_created')"), "0",
             "neither 17's index nor 18's first")

    gw.sql("DROP INDEX records_by_created")
    upgrade_keeps(gw, before, "after the fix")


def test_newer_file_refused():
    """A file an upgraded binary has written, opened by this one (a
    downgrade): refused with both versions named, and left as it was."""
    version, _ = fresh()
    gw = Gateway("upgrade-newer")
    load(gw, NEWEST)
    gw.sql("PRAGMA user_version = %d" % (version + 1))
    want = digest(gw)
    r = gw.cli("status", check=False)
    check_eq(r.returncode, 1, "status refused: " + r.stdout)
    check("database schema version %d is newer than this program (%d)" % (version + 1, version)
          in r.stderr, r.stderr)
    check_eq(digest(gw), want, "the file's bytes")


def main():
    s = Suite("e2e-upgrade")
    s.run(test_fixtures_are_there)
    if FIXTURES:
        s.run(test_release_fixtures_upgrade)
        s.run(test_older_schemas_upgrade)
        s.run(test_failed_migration_leaves_the_file)
        s.run(test_newer_file_refused)
    s.finish()


if __name__ == "__main__":
    main()
