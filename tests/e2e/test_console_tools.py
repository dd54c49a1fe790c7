"""The console's test tools tested: console_client.py (HTTP) and browser.py
(headless Chromium). They run against a small stand-in console served by
Python's http.server, which keeps the console's contract (a login form,
a session cookie, a csrf input in every form, 303 after a POST, 429 after
five failed logins), so a fault here is a fault of the tools, not of the
console. The console itself is tested by its own tests with these tools;
make_user is checked against the real binary's `users`."""

import html
import http.server
import os
import secrets
import struct
import threading
import urllib.parse
from email.parser import BytesParser
from email.policy import HTTP

import browser  # first: it may start this test again under Debian's python3
from console_client import COOKIE, Console, csrf_of, make_user
from harness import ROOT, Gateway, Suite, check, check_eq

OUT = os.path.join(ROOT, "tests", "out", "console-tools")
USER, PASSWORD = "koord", "rahasia-sekali"


class Fake:
    """The stand-in console's state: sessions (id -> csrf), the notes
    posted, the failed logins."""

    def __init__(self):
        self.sessions = {}
        self.notes = []
        self.uploads = []
        self.failures = 0
        self.lock = threading.Lock()


def page(title, body):
    return ("<!doctype html><html lang=id><head><meta charset=utf-8>"
            "<meta name=viewport content='width=device-width'><title>%s</title></head>"
            "<body><h1>%s</h1>%s</body></html>" % (title, title, body)).encode()


LOGIN_FORM = ("<form method=post action=/login><label>Nama pengguna "
              "<input name=username required></label><label>Kata sandi "
              "<input type=password name=password required></label>"
              "<button>Masuk</button></form>")


class Handler(http.server.BaseHTTPRequestHandler):
    fake = None

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for k, v in headers:
            self.send_header(k, v)
        if body:
            self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def session(self):
        for part in (self.headers.get("Cookie") or "").split(";"):
            k, _, v = part.strip().partition("=")
            if k == COOKIE and v in self.fake.sessions:
                return v
        return None

    def form(self):
        n = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(n)
        ctype = self.headers.get("Content-Type") or ""
        if ctype.startswith("multipart/form-data"):
            msg = BytesParser(policy=HTTP).parsebytes(
                b"Content-Type: " + ctype.encode() + b"\r\n\r\n" + raw)
            return {p.get_param("name", header="content-disposition"):
                    (p.get_filename(), p.get_payload(decode=True)) if p.get_filename()
                    else p.get_payload(decode=True).decode() for p in msg.iter_parts()}
        return dict(urllib.parse.parse_qsl(raw.decode(), keep_blank_values=True))

    def do_GET(self):
        f = self.fake
        if self.path == "/login":
            return self.answer(200, page("Masuk", LOGIN_FORM))
        sid = self.session()
        if sid is None:
            return self.answer(303, headers=[("Location", "/login")])
        token = html.escape(f.sessions[sid])
        if self.path == "/":
            notes = "".join("<li>%s</li>" % html.escape(n) for n in f.notes)
            return self.answer(200, page("Hari ini", (
                "<ul id=catatan>%s</ul>"
                "<form id=catat method=post action=/catat>"
                "<input type=hidden name=csrf value=\"%s\">"
                "<textarea name=catatan required></textarea>"
                "<select name=status><option value=baru>Baru</option>"
                "<option value=diproses>Diproses</option></select>"
                "<label><input type=checkbox name=kirim value=ya> kirim SMS</label>"
                "<button type=submit>Simpan</button></form>"
                "<form id=unggah method=post action=/unggah enctype=multipart/form-data>"
                "<input value=\"%s\" type=hidden name=\"csrf\"><input type=file name=berkas>"
                "<button>Unggah</button></form>"
                "<form id=keluar method=post action=/logout>"
                "<input type=hidden name=csrf value=\"%s\"><button>Keluar</button></form>")
                % (notes, token, token, token)))
        if self.path == "/lebar":
            return self.answer(200, page("Lebar", "<div style='width:800px'>tabel lebar</div>"))
        return self.answer(404, page("Tidak ada", ""))

    def do_POST(self):
        f = self.fake
        fields = self.form()
        if self.path == "/login":
            with f.lock:
                if f.failures >= 5:
                    return self.answer(429, page("Tunggu", "Terlalu banyak percobaan."))
                if (fields.get("username"), fields.get("password")) != (USER, PASSWORD):
                    f.failures += 1
                    return self.answer(200, page("Masuk", "<p class=galat>Nama pengguna atau "
                                                 "kata sandi salah.</p>" + LOGIN_FORM))
                sid = secrets.token_hex(32)
                f.sessions[sid] = secrets.token_hex(16)
            return self.answer(303, headers=[
                ("Location", "/"),
                ("Set-Cookie", "%s=%s; HttpOnly; SameSite=Lax; Path=/" % (COOKIE, sid))])
        sid = self.session()
        if sid is None or fields.get("csrf") != f.sessions[sid]:
            return self.answer(403, page("Ditolak", "Token tidak sah."))
        if self.path == "/catat":
            f.notes.append("%s (%s%s)" % (fields["catatan"], fields.get("status"),
                                          ", kirim" if fields.get("kirim") else ""))
        elif self.path == "/unggah":
            name, data = fields["berkas"]
            f.uploads.append((name, data))
        elif self.path == "/logout":
            del f.sessions[sid]
            return self.answer(303, headers=[
                ("Location", "/login"),
                ("Set-Cookie", "%s=; Max-Age=0; HttpOnly; SameSite=Lax; Path=/" % COOKIE)])
        else:
            return self.answer(404, page("Tidak ada", ""))
        return self.answer(303, headers=[("Location", "/")])


fake = Fake()
base = None


def test_csrf_regex():
    check_eq(csrf_of('<input type="hidden" name="csrf" value="a1b2">'), "a1b2", "name first")
    check_eq(csrf_of('<INPUT value="z9" type=hidden name="csrf">'), "z9", "value first")
    check_eq(csrf_of('<input name="csrfx" value="no">'), None, "another name")
    check_eq(csrf_of("<p>no form</p>"), None, "no input")


def test_client_login_keeps_cookie():
    c = Console(base)
    st, _, body = c.login(USER, "salah")
    check_eq(st, 200, "a wrong password")
    check("kata sandi salah" in body and c.session is None, "error shown, no cookie")
    st, h, _ = c.login(USER, PASSWORD)
    check_eq((st, h["Location"], c.location()), (303, "/", "/"), "login answer")
    check("HttpOnly" in h.get_all("Set-Cookie")[0], "the raw Set-Cookie is there")
    check_eq(len(c.session), 64, "the session cookie kept")
    st, _, body = c.get("/")
    check_eq(st, 200, "a page with the cookie")
    check_eq(c.csrf, fake.sessions[c.session], "the page's csrf taken")


def test_client_does_not_follow():
    c = Console(base)
    st, h, _ = c.get("/")
    check_eq((st, c.location()), (303, "/login"), "no session: the redirect itself")
    st, _, body = c.follow()
    check("name=password" in body and st == 200, "follow() fetched the login form")


def test_client_post_with_and_without_csrf():
    c = Console(base)
    c.login(USER, PASSWORD)
    try:
        c.post("/catat", {"catatan": "x"})
        raise AssertionError("a post before any page with a token must not guess one")
    except AssertionError as e:
        check("no csrf" in str(e), str(e))
    c.get("/")
    before = list(fake.notes)
    check_eq(c.post("/catat", {"catatan": "bad"}, csrf="salah")[0], 403, "a wrong token")
    check_eq(c.post("/catat", {"catatan": "none"}, csrf=False)[0], 403, "no token")
    check_eq(fake.notes, before, "refused posts changed nothing")
    st, _, _ = c.post("/catat", [("catatan", "jalan <rusak> & banjir"), ("status", "diproses")])
    check_eq((st, c.location()), (303, "/"), "a good post")
    st, _, body = c.follow()
    check("jalan &lt;rusak&gt; &amp; banjir (diproses)" in body, "the note shown after follow")


def test_client_multipart_upload():
    c = Console(base)
    c.login(USER, PASSWORD)
    c.get("/")
    data = "number,name\n+6281234567890,Siti \u00c5\n".encode()
    st, _, _ = c.post_multipart("/unggah", files={"berkas": ("kontak.csv", data, "text/csv")})
    check_eq(st, 303, "upload answer")
    check_eq(fake.uploads[-1], ("kontak.csv", data), "the file arrived byte for byte")


def test_client_logout_drops_cookie():
    c = Console(base)
    c.login(USER, PASSWORD)
    c.get("/")
    st, _, _ = c.post("/logout")
    check_eq(st, 303, "logout")
    check(c.session is None and COOKIE not in c.cookies, "the emptied cookie is dropped")
    check_eq(c.get("/")[0], 303, "logged out")


def test_browser_desktop():
    with browser.Browser(name="tools-desktop") as b:
        check_eq(b.driver.execute_script("return [innerWidth, innerHeight]"), [1280, 900],
                 "desktop viewport")
        b.login(base, USER, PASSWORD)
        check(b.url.endswith("/") and b.find("h1").text == "Hari ini", "logged in: " + b.url)
        b.fill_and_submit("form#catat", {"catatan": "dari peramban", "status": "Diproses",
                                         "kirim": True})
        check_eq(b.find("#catatan li:last-child").text, "dari peramban (diproses, kirim)",
                 "the form's fields all arrived")
        csv_path = os.path.join(OUT, "kontak.csv")
        with open(csv_path, "w") as f:
            f.write("number,name\n+6281200000001,Budi\n")
        b.fill_and_submit("form#unggah", {"berkas": csv_path})
        check_eq(fake.uploads[-1], ("kontak.csv", b"number,name\n+6281200000001,Budi\n"),
                 "the browser uploaded the file")
        png = b.screenshot(os.path.join(OUT, "desktop.png"))
        check_eq(png_size(png), (1280, 900), "the screenshot's size")


def test_browser_phone_and_failed_login():
    with browser.Browser(phone=True, name="tools-phone") as b:
        b.login(base, USER, "salah")
        check_eq(b.driver.execute_script("return innerWidth"), 360, "phone viewport")
        check(b.url.endswith("/login") and "kata sandi salah" in b.text(),
              "a failed login shows the form again")
        b.login(base, USER, PASSWORD)
        check(not b.overflows(), "the home page fits 360 pixels")
        b.get(base + "/lebar")
        check(b.overflows(), "an 800-pixel table does not fit")
        check_eq(png_size(b.screenshot(os.path.join(OUT, "phone.png")))[0], 360, "phone png")


def test_browser_quits_when_a_test_fails():
    b = browser.Browser(name="tools-failing", failure_dir=OUT)
    try:
        with b:
            b.get(base + "/login")
            service = b.driver.service
            raise RuntimeError("the test failed")
    except RuntimeError:
        pass
    check(b.driver is None, "the driver is gone")
    check(service.process.poll() is not None, "chromedriver has exited")
    check(os.path.getsize(os.path.join(OUT, "tools-failing.png")) > 0 and
          "name=\"password\"" in open(os.path.join(OUT, "tools-failing.html")).read(),
          "the failed page was kept")


def test_login_lockout():
    # last: it uses the stand-in's five failures up
    c = Console(base)
    for _ in range(5 - fake.failures):
        check_eq(c.login(USER, "salah")[0], 200, "a failure")
    check_eq(c.login(USER, PASSWORD)[0], 429, "locked out")


def test_make_user():
    gw = Gateway("console-tools")
    gw.cli("villages", "import", os.path.join(ROOT, "tests", "fixtures", "villages.csv"))
    r = make_user(gw, "camat1", "camat", "kata sandi panjang", kecamatan="Getasan")
    listed = gw.cli("users", "list").stdout
    check("camat1" in listed and "camat" in listed and "Getasan" in listed, listed)
    check("kata sandi panjang" not in listed + r.stdout + r.stderr, "the password never shown")


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    check(head[:8] == b"\x89PNG\r\n\x1a\n", "a PNG file")
    return struct.unpack(">II", head[16:24])


def main():
    global base
    os.makedirs(OUT, exist_ok=True)
    Handler.fake = fake
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    base = "http://127.0.0.1:%d" % srv.server_port
    s = Suite("e2e-console-tools")
    try:
        for t in (test_csrf_regex, test_client_login_keeps_cookie, test_client_does_not_follow,
                  test_client_post_with_and_without_csrf, test_client_multipart_upload,
                  test_client_logout_drops_cookie, test_browser_desktop,
                  test_browser_phone_and_failed_login, test_browser_quits_when_a_test_fails,
                  test_login_lockout, test_make_user):
            s.run(t)
    finally:
        srv.shutdown()
    s.finish()


if __name__ == "__main__":
    main()
