"""An HTTP client for the console's tests below the browser: one session's
cookie, the CSRF token of the last page, redirects seen rather than
followed. Standard library only.

    c = Console("http://127.0.0.1:%d" % port)
    status, headers, body = c.login("koord", "rahasia")   # 303, Location /
    c.get("/tiket/ADU-1")                 # keeps the page's csrf
    c.post("/tiket/ADU-1", {"status": "diproses", "catatan": "dicek"})
    c.follow()                            # GET the 303's Location
"""

import http.client
import http.cookies
import re
import urllib.parse
import uuid

CSRF_INPUT = re.compile(r'<input\b[^>]*\bname="csrf"[^>]*>', re.I)
VALUE = re.compile(r'\bvalue="([^"]*)"', re.I)
COOKIE = "kentongan_sesi"
# what a page makes the browser fetch: <link href>, <script src>, <img src>
ASSET = re.compile(r'<(link|script|img)\b[^>]*?\b(?:href|src)="([^"]*)"', re.I)


def csrf_of(html):
    """The value of the page's hidden csrf input (any attribute order),
    or None."""
    m = CSRF_INPUT.search(html)
    if not m:
        return None
    v = VALUE.search(m.group(0))
    return v.group(1) if v else None


class Console:
    """One browser-like client of the console: a cookie jar of one host,
    the token of the last HTML page, the last answer."""

    def __init__(self, base_url, timeout=30):
        u = urllib.parse.urlsplit(base_url)
        self.base = base_url.rstrip("/")
        self.host, self.port = u.hostname, u.port or 80
        self.timeout = timeout
        self.cookies = {}
        self.csrf = None
        self.last = None        # (status, headers, body) of the last request
        self.last_path = None
        self.raw = b""          # the last body's bytes (CSV downloads)

    def request(self, method, path, body=None, headers=None):
        """One request on its own connection: (status, headers, body text).
        The answer's cookies are kept (an expired or emptied one dropped);
        an HTML page's csrf replaces the token."""
        h = {"Host": "%s:%d" % (self.host, self.port)}
        if self.cookies:
            h["Cookie"] = "; ".join("%s=%s" % kv for kv in self.cookies.items())
        h.update(headers or {})
        conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            conn.request(method, path, body=body, headers=h)
            r = conn.getresponse()
            self.raw = r.read()
            status, hdrs = r.status, r.headers
        finally:
            conn.close()
        self._keep_cookies(hdrs)
        text = self.raw.decode("utf-8", errors="replace")
        if "html" in (hdrs.get("Content-Type") or ""):
            token = csrf_of(text)
            if token is not None:
                self.csrf = token
        self.last, self.last_path = (status, hdrs, text), path
        return self.last

    def _keep_cookies(self, hdrs):
        for line in hdrs.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(line)
            for name, m in jar.items():
                gone = m.value == "" or m["max-age"] in ("0", "-1") or \
                    "1970" in (m["expires"] or "")
                if gone:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = m.value

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def _token(self, csrf):
        if csrf is True:
            if self.csrf is None:
                raise AssertionError("no csrf: no page with a csrf input fetched yet")
            return self.csrf
        return csrf or None

    def post(self, path, fields=(), csrf=True, headers=None):
        """POST fields (a dict or (name, value) pairs) form-urlencoded.
        csrf: True sends the last page's token, a string sends that string,
        False or None sends none."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        token = self._token(csrf)
        if token is not None:
            pairs.append(("csrf", token))
        h = {"Content-Type": "application/x-www-form-urlencoded"}
        h.update(headers or {})
        return self.request("POST", path, urllib.parse.urlencode(pairs).encode(), h)

    def post_multipart(self, path, fields=(), files=None, csrf=True, headers=None):
        """POST multipart/form-data, as a form with a file input sends it:
        files maps a field name to (file name, bytes, content type)."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        token = self._token(csrf)
        if token is not None:
            pairs.append(("csrf", token))
        boundary = "----kentongan%s" % uuid.uuid4().hex
        out = []
        for name, value in pairs:
            out.append(('--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n'
                        % (boundary, name)).encode() + str(value).encode() + b"\r\n")
        for name, (fname, data, ctype) in (files or {}).items():
            out.append(('--%s\r\nContent-Disposition: form-data; name="%s"; filename="%s"\r\n'
                        'Content-Type: %s\r\n\r\n' % (boundary, name, fname, ctype)).encode()
                       + data + b"\r\n")
        out.append(("--%s--\r\n" % boundary).encode())
        h = {"Content-Type": "multipart/form-data; boundary=" + boundary}
        h.update(headers or {})
        return self.request("POST", path, b"".join(out), h)

    def location(self):
        """The last answer's Location as a path on this host, or None."""
        loc = self.last[1].get("Location") if self.last else None
        if loc is None:
            return None
        u = urllib.parse.urlsplit(urllib.parse.urljoin(self.base + (self.last_path or "/"), loc))
        if (u.hostname, u.port or 80) != (self.host, self.port):
            raise AssertionError("redirect off this host: %s" % loc)
        return u.path + ("?" + u.query if u.query else "")

    def follow(self):
        """GET the last redirect's Location (one step)."""
        if not self.last or self.last[0] not in (301, 302, 303, 307, 308):
            raise AssertionError("the last answer is no redirect: %r" %
                                 (self.last[0] if self.last else None,))
        return self.get(self.location())

    def login(self, user, password):
        """GET /login (for a token, if its form has one), then POST the
        form: the answer as it is (303 on success, not followed)."""
        self.get("/login")
        token = csrf_of(self.last[2])
        return self.post("/login", {"username": user, "password": password},
                         csrf=token or False)

    def first_load(self, path):
        """Bytes a browser with an empty cache fetches for path: the page
        and every stylesheet, script and image it names (all from this box;
        an outside address is an error)."""
        st, _, html = self.get(path)
        if st != 200:
            raise AssertionError("%s answered %d" % (path, st))
        total = len(self.raw)
        for _, url in ASSET.findall(html):
            if not url.startswith("/") or url.startswith("//"):
                raise AssertionError("%s loads %s from outside the box" % (path, url))
            st, _, _ = self.get(url)
            if st != 200:
                raise AssertionError("%s: %s answered %d" % (path, url, st))
            total += len(self.raw)
        self.get(path)          # the page's token back, as after a load
        return total

    @property
    def session(self):
        return self.cookies.get(COOKIE)


def make_user(gw, name, role, password, kecamatan=None):
    """Add a console user through the CLI, against gw's config; the
    password goes on standard input, as an operator types it."""
    args = ["users", "add", name, "--role", role]
    if kecamatan is not None:
        args += ["--kecamatan", kecamatan]
    args.append("--password-stdin")
    return gw.cli(*args, stdin=password + "\n")
