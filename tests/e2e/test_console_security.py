"""Issue 18 items 1-3: the console is safe on the office network.

Through the real daemon over loopback: every page but /login and the style
sheet needs a session (a browser is sent to /login, a POST refused); the
session cookie is HttpOnly, SameSite=Lax, Path=/, Secure when configured,
a fresh id at each login, and only its hash is stored; sessions end when
idle or too old and at logout; a POST without the session's token, or from
another origin, gets 403 and changes nothing; every answer carries the
security headers; failed logins are logged (never the password) and, after
five within 15 minutes, refused per user and per address; logins checked
all at once all get an answer; a camat changes nothing; an SMS whose text
is a script shows as text on the day's page."""

import hashlib
import os
import re
import sys
import threading

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_client import Console, make_user  # noqa: E402
from console_site import PASSWORD, console_site  # noqa: E402
from harness import Suite, check, check_eq, wait_until  # noqa: E402

gw = base = None
XSS = "<script>alert(1)</script>"
PEND = "+6281211110002"


def sessions():
    return int(gw.sql("SELECT COUNT(*) FROM console_sessions"))


def koord():
    c = Console(base)
    status, headers, _ = c.login("koord", PASSWORD)
    check_eq(status, 303, "login")
    return c


def test_pages_need_a_session():
    c = Console(base)
    for path in ("/", "/tiket", "/pesan", "/laporan", "/kontak", "/tidak-ada"):
        status, headers, _ = c.get(path)
        check_eq(status, 303, path)
        check_eq(headers.get("Location"), "/login", path)
    status, _, body = c.get("/login")
    check_eq(status, 200, "/login")
    check('name="username"' in body and 'name="password"' in body, "the form")
    status, headers, _ = c.get("/static/style.css")
    check_eq(status, 200, "style sheet without a session")
    check(headers.get("Content-Type").startswith("text/css"), "css type")
    n = sessions()
    status, _, _ = c.post("/logout", {}, csrf="0" * 64)
    check_eq(status, 403, "a POST without a session")
    check_eq(sessions(), n, "nothing changed")


def test_security_headers_on_every_answer():
    c = koord()
    for path in ("/", "/login", "/static/style.css", "/tidak-ada"):
        _, h, _ = c.get(path)
        csp = h.get("Content-Security-Policy") or ""
        check("default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path + csp)
        check("unsafe-inline" not in csp, "no inline script allowed")
        check_eq(h.get("X-Content-Type-Options"), "nosniff", path)
        check_eq(h.get("Referrer-Policy"), "same-origin", path)
    _, _, body = c.get("/")
    check("<script" not in body.lower() and " style=" not in body, "no script, no inline style")


def test_cookie_flags_and_only_a_hash_stored():
    c = Console(base)
    status, headers, _ = c.login("koord", PASSWORD)
    check_eq(status, 303, "login")
    check_eq(headers.get("Location"), "/", "to the day's page")
    cookie = headers.get("Set-Cookie")
    check(re.match(r"kentongan_sesi=[0-9a-f]{64};", cookie), cookie)
    for flag in ("HttpOnly", "SameSite=Lax", "Path=/"):
        check(flag in cookie, flag + " in " + cookie)
    check("Secure" not in cookie, "Secure only when configured")
    sid = c.session
    stored = gw.sql("SELECT id_hash FROM console_sessions").split()
    check(sid not in stored, "the id itself is not stored")
    check(hashlib.blake2b(bytes.fromhex(sid), digest_size=32).hexdigest() in stored,
          "its hash is")


def test_failed_login_sets_no_cookie():
    c = Console(base)
    status, headers, body = c.login("koord", "salah-" + PASSWORD)
    check_eq(status, 200, "the form again")
    check(headers.get("Set-Cookie") is None, "no cookie")
    check("salah" in body.lower(), "says it was wrong")
    status, headers, _ = c.login("tidak-ada", PASSWORD)
    check(headers.get("Set-Cookie") is None, "no cookie for an unknown user")
    wait_until("failed login logged", lambda: "failed login as 'koord'" in gw.read_log())
    check("salah-" + PASSWORD not in gw.read_log(), "the password is never logged")
    check(PASSWORD not in gw.read_log(), "nor the right one")
    koord()     # a good login forgets the address's failures


def test_new_id_at_each_login_and_the_old_one_ends():
    c = koord()
    old = c.session
    check_eq(c.get("/")[0], 200, "logged in")
    status, headers, _ = c.login("koord", PASSWORD)
    check_eq(status, 303, "again")
    check(c.session != old, "a new id")
    stale = Console(base)
    stale.cookies["kentongan_sesi"] = old
    check_eq(stale.get("/")[0], 303, "the old id opens nothing")
    check_eq(c.get("/")[0], 200, "the new one does")


def test_csrf_and_origin():
    c = koord()
    other = koord()
    other.get("/")
    c.get("/")
    n = sessions()
    check_eq(c.post("/logout", {}, csrf=False)[0], 403, "no token")
    check_eq(c.post("/logout", {}, csrf="a" * 64)[0], 403, "a wrong token")
    check_eq(c.post("/logout", {}, csrf=other.csrf)[0], 403, "another session's token")
    check_eq(c.post("/logout", {}, headers={"Origin": "http://evil.example"})[0], 403,
             "another origin")
    check_eq(sessions(), n, "nothing changed")
    check_eq(c.get("/")[0], 200, "still logged in")
    c.get("/")
    status, headers, _ = c.post("/logout", {}, headers={"Origin": base})
    check_eq(status, 303, "logout with the token and our origin")
    check("Max-Age=0" in headers.get("Set-Cookie"), "the cookie is cleared")
    check_eq(sessions(), n - 1, "the session is gone")
    check_eq(c.get("/")[0], 303, "logged out")


def test_idle_and_absolute_expiry():
    c = koord()
    h = hashlib.blake2b(bytes.fromhex(c.session), digest_size=32).hexdigest()
    gw.sql("UPDATE console_sessions SET last_at = last_at - 61 * 60 WHERE id_hash = '%s'" % h)
    check_eq(c.get("/")[0], 303, "idle past idle_minutes (60)")
    check_eq(gw.sql("SELECT COUNT(*) FROM console_sessions WHERE id_hash = '%s'" % h), "0",
             "and forgotten")
    c = koord()
    h = hashlib.blake2b(bytes.fromhex(c.session), digest_size=32).hexdigest()
    gw.sql("UPDATE console_sessions SET created_at = created_at - 12 * 3600 WHERE id_hash = '%s'"
           % h)
    check_eq(c.get("/")[0], 303, "older than session_hours (12), though just used")


def test_camat_changes_nothing():
    c = Console(base)
    check_eq(c.login("camat", PASSWORD)[0], 303, "camat login")
    status, _, body = c.get("/")
    check_eq(status, 200, "the day's page")
    check('href="/kontak"' not in body and 'href="/siaran"' not in body, "no office pages in nav")
    for path in ("/kontak", "/siaran", "/pesan", "/pengguna"):
        check_eq(c.get(path)[0], 403, path)
    check_eq(c.post("/siaran", {"kelompok": "SEMUA", "teks": "x", "aksi": "kirim"})[0], 403,
             "a camat's POST")


def test_script_in_an_sms_is_text():
    gw.inject(PEND, "ADUAN Kalisidi " + XSS)
    wait_until("ticket", lambda: gw.sql("SELECT COUNT(*) FROM tickets") != "0")
    c = koord()
    _, _, body = c.get("/")
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in body, "shown escaped")
    check(XSS not in body, "never as markup")


def test_many_logins_at_once_all_answered():
    results = []

    def one():
        c = Console(base, timeout=60)
        results.append(c.login("koord", PASSWORD)[0])

    ts = [threading.Thread(target=one) for _ in range(12)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    check_eq(len(results), 12, "every login answered")
    check(set(results) <= {303, 503}, results)
    check(results.count(303) >= 2, "most get in: %r" % results)


def test_lockout_per_user_and_per_address():
    make_user(gw, "korban", "koordinator", PASSWORD)
    c = Console(base)
    for _ in range(5):
        check_eq(c.login("korban", "salah")[0], 200, "a wrong password")
    status, _, body = c.login("korban", PASSWORD)
    check_eq(status, 429, "the sixth try waits, even with the right password")
    check("menit" in body, "says how long")
    check(c.session is None, "no session")
    wait_until("refusal logged", lambda: "login as 'korban'" in gw.read_log() and
               "too many failures" in gw.read_log())
    # the address is locked too: another user from it waits
    check_eq(Console(base).login("koord", PASSWORD)[0], 429, "the address waits")


def main():
    global gw, base
    s = Suite("console_security")
    gw, base = console_site("test_console_security")
    try:
        gw.cli("contacts", "set", PEND, "--role", "pendamping", "--desa", "Kalisidi",
               "--name", "Budi")
        for t in (test_pages_need_a_session, test_security_headers_on_every_answer,
                  test_cookie_flags_and_only_a_hash_stored, test_failed_login_sets_no_cookie,
                  test_new_id_at_each_login_and_the_old_one_ends, test_csrf_and_origin,
                  test_idle_and_absolute_expiry, test_camat_changes_nothing,
                  test_script_in_an_sms_is_text, test_many_logins_at_once_all_answered,
                  test_lockout_per_user_and_per_address):
            s.run(t)
    finally:
        gw.stop()
    # secure_cookies = yes: the cookie says Secure
    g2, b2 = console_site("test_console_security_secure", secure_cookies=True,
                          users=(("koord", "koordinator", None),))
    try:
        def test_secure_cookie():
            _, headers, _ = Console(b2).login("koord", PASSWORD)
            check("; Secure" in headers.get("Set-Cookie"), headers.get("Set-Cookie"))
        s.run(test_secure_cookie)
    finally:
        g2.stop()
    s.finish()


if __name__ == "__main__":
    main()
