"""`kentongan users`: the web console's users, against the real binary and
its SQLite file. The password goes on standard input and must never be
shown, logged or stored; a camat's kecamatan is resolved from the village
list; a changed password ends the user's sessions. Also the [console]
section's port check."""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import ROOT, Gateway, Suite, check, check_eq  # noqa: E402

VILLAGES = os.path.join(ROOT, "tests", "fixtures", "villages.csv")
PASSWORD = "kata-sandi-rahasia-1"
NEW_PASSWORD = "sandi-baru-yang-lain-2"

gw = None
said = []   # every stdout and stderr the commands printed


def users(*args, stdin=None, check=True):
    r = gw.cli("users", *args, stdin=stdin, check=check)
    said.append(r.stdout + r.stderr)
    return r


def add(name, role, password=PASSWORD, *extra, check=True):
    return users("add", name, "--role", role, *extra, "--password-stdin",
                 stdin=password + "\n", check=check)


def user_row(name):
    out = gw.sql("SELECT role, kecamatan, hash FROM users WHERE name = '%s'" % name)
    return out.split("|") if out else None


def listed():
    return {u["name"]: u for u in json.loads(users("list", "--format", "json").stdout)}


def test_add_and_list():
    r = add("koord.1", "koordinator")
    check("koord.1" in r.stdout, r.stdout)
    role, kec, h = user_row("koord.1")
    check_eq((role, kec), ("koordinator", ""), "stored")
    check(h.startswith("$argon2id$"), h)
    check(PASSWORD not in h, "the hash holds no password")
    add("admin_a", "ADMIN", "x" * 1024)     # a role in any case; the longest password
    check_eq(user_row("admin_a")[0], "admin", "role lower-cased")
    u = listed()
    check_eq(sorted(u), ["admin_a", "koord.1"], "both listed, by name")
    check_eq(u["koord.1"]["role"], "koordinator", "role")
    check(len(u["koord.1"]["created"]) == 10, u["koord.1"])
    table = users("list").stdout
    check("koord.1" in table and "admin_a" in table and "created" in table, table)


def test_camat_kecamatan():
    r = add("camat-getasan", "camat", PASSWORD, "--kecamatan", "Kec. Getasan")
    check("Getasan" in r.stdout, r.stdout)
    check_eq(user_row("camat-getasan")[:2], ["camat", "33.22.01"], "the kecamatan's code")
    u = listed()["camat-getasan"]
    check_eq((u["kecamatan"], u["kecamatan_name"]), ("33.22.01", "Getasan"), "listed")
    r = add("camat2", "camat", check=False)
    check_eq(r.returncode, 2, "a camat without --kecamatan")
    check("--kecamatan" in r.stderr, r.stderr)
    r = add("camat3", "camat", PASSWORD, "--kecamatan", "Getasn", check=False)
    check_eq(r.returncode, 1, "an unknown kecamatan")
    check("unknown kecamatan 'Getasn'; closest: Getasan (33.22.01" in r.stderr, r.stderr)
    r = add("koord2", "koordinator", PASSWORD, "--kecamatan", "Getasan", check=False)
    check_eq(r.returncode, 2, "--kecamatan for another role")
    check_eq([user_row(n) for n in ("camat2", "camat3", "koord2")], [None] * 3, "none added")


def test_refused():
    for name in ("Budi", "budi santoso", "", "a" * 64, "budi/1", "bü"):
        r = add(name, "admin", check=False)
        check_eq(r.returncode, 2, "name %r" % name)
    check("a-z" in r.stderr, r.stderr)
    r = add("pendek", "admin", "123456789", check=False)
    check_eq(r.returncode, 2, "9 characters")
    check("10 characters" in r.stderr, r.stderr)
    r = add("panjang", "admin", "x" * 1025, check=False)
    check_eq(r.returncode, 2, "1025 characters")
    r = users("add", "kosong", "--role", "admin", "--password-stdin", stdin="", check=False)
    check_eq(r.returncode, 2, "nothing on stdin")
    r = users("add", "argv", "--role", "admin", stdin=PASSWORD + "\n", check=False)
    check_eq(r.returncode, 2, "without --password-stdin")
    check("--password-stdin" in r.stderr, r.stderr)
    r = add("tamu", "superuser", check=False)
    check_eq(r.returncode, 2, "unknown role")
    check_eq(gw.sql("SELECT name FROM users WHERE name IN "
                    "('pendek','panjang','kosong','argv','tamu')"), "", "none added")
    before = user_row("koord.1")
    r = add("koord.1", "admin", NEW_PASSWORD, check=False)
    check_eq(r.returncode, 1, "a name taken")
    check("users passwd" in r.stderr, r.stderr)
    check_eq(user_row("koord.1"), before, "left as it was")


def test_passwd_ends_sessions():
    role, kec, old = user_row("camat-getasan")
    gw.sql("INSERT INTO console_sessions (id_hash, user, created_at, last_at) VALUES "
           "('aa11', 'camat-getasan', 1, 1), ('bb22', 'camat-getasan', 1, 1),"
           " ('cc33', 'koord.1', 1, 1)")
    r = users("passwd", "camat-getasan", "--password-stdin", stdin=NEW_PASSWORD + "\r\n")
    check("camat-getasan" in r.stdout, r.stdout)
    role2, kec2, new = user_row("camat-getasan")
    check_eq((role2, kec2), (role, kec), "role and kecamatan kept")
    check(new != old and new.startswith("$argon2id$"), "a new hash")
    check_eq(gw.sql("SELECT id_hash FROM console_sessions ORDER BY id_hash"), "cc33",
             "their sessions gone, another user's kept")
    r = users("passwd", "camat-getasan", "--password-stdin", stdin="pendek\n", check=False)
    check_eq(r.returncode, 2, "a short new password")
    check_eq(user_row("camat-getasan")[2], new, "unchanged")
    r = users("passwd", "nobody", "--password-stdin", stdin=NEW_PASSWORD + "\n", check=False)
    check_eq(r.returncode, 1, "no such user")


def test_remove():
    gw.sql("INSERT INTO console_sessions (id_hash, user, created_at, last_at) VALUES "
           "('dd44', 'admin_a', 1, 1)")
    users("remove", "koord.1")
    check_eq(user_row("koord.1"), None, "removed")
    check_eq(gw.sql("SELECT id_hash FROM console_sessions ORDER BY id_hash"), "dd44",
             "with their sessions, another user's kept")
    check_eq(users("remove", "koord.1", check=False).returncode, 1, "twice")
    users("remove", "admin_a")     # the last admin too: kept simple
    check_eq(gw.sql("SELECT COUNT(*) FROM console_sessions"), "0", "theirs too")
    check_eq(sorted(listed()), ["camat-getasan"], "one left")


def test_password_nowhere():
    # the daemon runs over the store once, so its log exists too
    gw.start()
    gw.stop()
    for text in said:
        check(PASSWORD not in text and NEW_PASSWORD not in text, "shown: " + text)
    for top, _, files in os.walk(gw.dir):
        for f in files:
            with open(os.path.join(top, f), "rb") as fh:
                data = fh.read()
            for pw in (PASSWORD, NEW_PASSWORD):
                check(pw.encode() not in data, "%s holds a password" % f)


def test_console_port_check():
    c = Gateway("users-config", extra="[admin]\nlisten = 127.0.0.1:8082\n"
                "[console]\nidle_minutes = 30\nlisten = 0.0.0.0:8082\n")
    with open(c.config) as f:
        lines = f.read().splitlines()
    line = lines.index("listen = 0.0.0.0:8082") + 1
    r = c.cli("check-config", check=False)
    check_eq(r.returncode, 1, "refused: " + r.stdout + r.stderr)
    want = "%s:%d: [console] and [admin] must listen on different ports" % (c.config, line)
    check(want in r.stderr, r.stderr)
    c = Gateway("users-config", extra="[admin]\nlisten = 127.0.0.1:8082\n"
                "[console]\nlisten = 127.0.0.1:8090\nsecure_cookies = yes\n")
    r = c.cli("check-config")
    check("configuration OK" in r.stdout, r.stdout)


def main():
    global gw
    gw = Gateway("users")
    gw.cli("villages", "import", VILLAGES)
    s = Suite("e2e-users")
    for t in (test_add_and_list, test_camat_kecamatan, test_refused,
              test_passwd_ends_sessions, test_remove, test_password_nowhere,
              test_console_port_check):
        s.run(t)
    s.finish()


if __name__ == "__main__":
    main()
