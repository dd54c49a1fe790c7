"""A config that cannot mislead, through the real binary: `check-config`
refuses what would silently mean something else, naming the file and the
line; `run` refuses the same before it takes the lock, starts a modem or
opens a port; the admin listener takes a secret (HTTP Basic) and an allow
list, shared with [ussd]."""

import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BIN, ROOT, Gateway, Suite, check, check_eq, free_port, wait_until  # noqa: E402

OUT = os.path.join(ROOT, "tests", "out", "config")
SECRET = "rahasia-admin-2027"
MODEM = "[gammu]\ndevice = %s/modem\nconnection = none\nmodel = dummy\n" % OUT
GOOD = "[kentongan]\ndatabase = %s/k.db\ncreate_database = yes\n" % OUT + MODEM
PLACEHOLDER = "CHANGE-THIS-to-your-own-long-random-secret"


def write(name, text):
    path = os.path.join(OUT, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def check_config(name, text):
    """check-config on text; returns (exit code, stdout + stderr)."""
    path = write(name, text)
    r = subprocess.run([BIN, "check-config", "-c", path], capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def refused(name, text, *want):
    """check-config exits 1 and prints every line of want (regexes after
    "<file>:")."""
    rc, out = check_config(name, text)
    check_eq(rc, 1, "exit code of check-config on %s: %s" % (name, out))
    check("configuration OK" not in out, out)
    path = os.path.join(OUT, name)
    for w in want:
        check(re.search("^" + re.escape(path) + w, out, re.M), "want %r in:\n%s" % (w, out))
    return out


def test_duplicates():
    refused("dup-kentongan.ini", GOOD + "\n[kentongan]\ndatabase = /tmp/other.db\n",
            r":9: duplicate section \[kentongan\]; the first is at line 1$")
    refused("dup-admin.ini", GOOD + "[admin]\nlisten = 127.0.0.1:8082\n[admin]\nlisten = 127.0.0.1:9\n",
            r":10: duplicate section \[admin\]; the first is at line 8$")
    refused("dup-key.ini", GOOD + "send_per_minute = 6\nsend_per_minute = 60\n",
            r":9: duplicate key 'send_per_minute' in \[gammu\]; first set at line 8$")


def test_unknown_keys():
    out = refused("typo.ini", GOOD.replace("create_database", "recieve_interval = 2\ncreate_database"),
                  r":3: unknown key 'recieve_interval' in \[kentongan\]; did you mean 'receive_interval'\?$")
    rc, out = check_config("far.ini", GOOD + "[admin]\nwhitelist = 127.0.0.1\n")
    check(rc == 1 and "unknown key 'whitelist' in [admin]\n" in out, out)


def test_secrets():
    ussd = "[ussd]\nlisten = 127.0.0.1:8081\nsecret = %s\n"
    refused("secret-example.ini", GOOD + ussd % "change-me",
            r":10: secret: is the documentation's example")
    refused("secret-placeholder.ini", GOOD + ussd % PLACEHOLDER,
            r":10: secret: is the documentation's example")
    out = refused("secret-short.ini", GOOD + ussd % "a",
                  r":10: secret: must be at least 16 characters$")
    check("secret is required" not in out, "one error for one mistake: " + out)
    check(" a\n" not in out and "'a'" not in out, "the secret is not echoed: " + out)
    check_eq(check_config("secret-ok.ini", GOOD + ussd % SECRET)[0], 0, "16+ characters")


def test_database_not_a_file():
    os.makedirs(os.path.join(OUT, "a-folder"), exist_ok=True)
    for db, kind in (("%s/a-folder" % OUT, "a folder"), ("/dev/null", "a device")):
        refused("db.ini", GOOD.replace("%s/k.db" % OUT, db),
                r":2: database: '%s' is %s; it must be an SQLite file$" % (re.escape(db), kind))


def test_real_lines():
    """quiet_hours used to be reported at line 0."""
    text = GOOD.replace("create_database = yes\n", "create_database = yes\n\n; sending\n"
                        "quiet_hours = 21-6\n")
    refused("quiet.ini", text, r":6: quiet_hours must be HH:MM-HH:MM or none, not '21-6'$")


def test_open_listeners_need_a_secret():
    refused("admin-open.ini", GOOD + "[admin]\nlisten = 0.0.0.0:8082\n",
            r":9: \[admin\]: listen = 0.0.0.0:8082 reaches beyond this machine")
    check_eq(check_config("admin-open-secret.ini", GOOD + "[admin]\nlisten = 0.0.0.0:8082\nsecret = %s\n"
                          % SECRET)[0], 0, "with a secret")
    check_eq(check_config("admin-loopback.ini", GOOD + "[admin]\nlisten = 127.0.0.1:8082\n")[0], 0,
             "loopback without a secret")


def test_shipped_and_documented_configs():
    """config/kentongan.ini passes; README's [ussd]/[admin] example fails
    only on its placeholder secret, and passes once it is replaced."""
    with open(os.path.join(ROOT, "config", "kentongan.ini")) as f:
        shipped = f.read()
    shipped = shipped.replace("var/", OUT + "/var/")
    rc, out = check_config("shipped.ini", shipped)
    check_eq(rc, 0, "config/kentongan.ini: " + out)
    with open(os.path.join(ROOT, "README.md")) as f:
        readme = f.read()
    blocks = re.findall(r"```ini\n(.*?)```", readme, re.S)
    check(blocks, "README has ini examples")
    for i, block in enumerate(blocks):
        if "[gammu" in block:
            continue    # a modem example alone: its keys, checked below
        text = GOOD + block
        if PLACEHOLDER in block:
            refused("readme-%d.ini" % i, text, r":\d+: secret: is the documentation's example")
            text = text.replace(PLACEHOLDER, SECRET)
        rc, out = check_config("readme-%d.ini" % i, text)
        check_eq(rc, 0, "README example %d:\n%s\n%s" % (i, block, out))
    for i, block in enumerate(b for b in blocks if "[gammu" in b):
        text = "[kentongan]\ndatabase = %s/k.db\n" % OUT + block
        rc, out = check_config("readme-modem-%d.ini" % i, text)
        check_eq(rc, 0, "README modem example %d:\n%s\n%s" % (i, block, out))


def test_run_refuses_before_touching_anything():
    """`run` checks the same: with a duplicate [admin] it exits 1 at once,
    and no lock file, database, modem folder or listener exists."""
    d = os.path.join(OUT, "run")
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    port = free_port()
    text = ("[kentongan]\ndatabase = %s/k.db\ncreate_database = yes\n"
            "[gammu]\ndevice = %s/modem\nconnection = none\nmodel = dummy\n"
            "[admin]\nlisten = 127.0.0.1:%d\n[admin]\nlisten = 127.0.0.1:%d\n"
            % (d, d, port, free_port()))
    path = os.path.join(d, "k.ini")
    with open(path, "w") as f:
        f.write(text)
    r = subprocess.run([BIN, "run", "-v", "-c", path], capture_output=True, text=True, timeout=20)
    check_eq(r.returncode, 1, "run's exit code: " + r.stderr)
    check("%s:10: duplicate section [admin]; the first is at line 8" % path in r.stderr, r.stderr)
    for word in ("listening", "modem up", "worker", "lock"):
        check(word not in r.stderr, "%r in the refused run's log: %s" % (word, r.stderr))
    check_eq(sorted(os.listdir(d)), ["k.ini"], "nothing made beside the config")
    with socket.socket() as s:
        check(s.connect_ex(("127.0.0.1", port)) != 0, "nothing listens on the admin port")


def get(port, path, password=None, user="prometheus", source="127.0.0.1"):
    """GET on the admin listener from a loopback source address (failures
    are counted per source); returns (status, headers, body)."""
    import http.client
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=10, source_address=(source, 0))
    hdrs = {}
    if password is not None:
        hdrs["Authorization"] = "Basic " + base64.b64encode(
            ("%s:%s" % (user, password)).encode()).decode()
    try:
        c.request("GET", path, headers=hdrs)
        r = c.getresponse()
        return r.status, r.headers, r.read().decode()
    finally:
        c.close()


def post_ussd(port, secret):
    body = urllib.parse.urlencode({"sessionId": "cfg-1", "serviceCode": "*123#",
                                   "phoneNumber": "+6281300000001", "text": ""}).encode()
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/ussd?key=%s" % (port, secret), body,
                                    timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


def test_admin_secret_and_allow():
    admin, ussd = free_port(), free_port()
    gw = Gateway("config-admin", extra="[admin]\nlisten = 127.0.0.1:%d\nsecret = %s\n"
                 "[ussd]\nlisten = 127.0.0.1:%d\nsecret = %s-ussd\n" % (admin, SECRET, ussd, SECRET))
    gw.start()
    try:
        # each page's failures from a source of their own: five in a row
        # from one source are refused for a while (below)
        for i, page in enumerate(("/health", "/metrics", "/status", "/nothing-here")):
            src = "127.0.0.%d" % (10 + i)
            st, hdrs, _ = get(admin, page, source=src)
            check_eq(st, 401, page + " without credentials")
            check_eq(hdrs.get("WWW-Authenticate"), 'Basic realm="kentongan"', page)
            check_eq(get(admin, page, "salah", source=src)[0], 401, page + " with a wrong secret")
            check_eq(get(admin, page, SECRET[:-1], source=src)[0], 401,
                     page + " with a prefix of the secret")
        # guessing the admin secret is slowed and logged as the USSD one is
        guesser = "127.0.0.20"
        got = [get(admin, "/status", "tebak%d" % i, source=guesser)[0] for i in range(8)]
        check_eq(got[:5], [401] * 5, "five failures answered")
        check(429 in got[5:], "then refused: %r" % got)
        check_eq(get(admin, "/status", SECRET, source=guesser)[0], 429,
                 "refused means refused, the right secret too")
        wait_until("the failures logged", lambda: "admin: from %s:" % guesser in gw.read_log(), 5)
        st, _, body = get(admin, "/health", SECRET)
        check_eq((st, body), (200, "ok\n"), "/health with the secret")
        check_eq(get(admin, "/metrics", SECRET, user="")[0], 200, "any user name")
        check_eq(get(admin, "/status", SECRET)[0], 200, "/status")
        check_eq(get(admin, "/nothing-here", SECRET)[0], 404, "404 behind the gate")
        check_eq(get(admin, "/health?key=" + SECRET)[0], 401, "admin: HTTP Basic only, no ?key=")
        check_eq(post_ussd(ussd, SECRET + "-ussd"), 200, "the USSD secret still works")
    finally:
        check_eq(gw.stop(), 0, "clean stop")
    # an allow list that does not hold 127.0.0.1 shuts both listeners
    with open(gw.config) as f:
        text = f.read()
    with open(gw.config, "w") as f:
        f.write(text.replace("secret = %s\n" % SECRET, "secret = %s\nallow = 10.9.8.7\n" % SECRET)
                .replace("-ussd\n", "-ussd\nallow = 10.9.8.7, ::1\n"))
    gw.start()
    try:
        check_eq(get(admin, "/health", SECRET)[0], 401, "admin: not on the allow list")
        check_eq(post_ussd(ussd, SECRET + "-ussd"), 401, "ussd: not on the allow list")
    finally:
        check_eq(gw.stop(), 0, "clean stop")
    with open(gw.config, "w") as f:
        f.write(text.replace("secret = %s\n" % SECRET, "secret = %s\nallow = 10.9.8.7 127.0.0.1\n"
                             % SECRET))
    gw.start()
    try:
        check_eq(get(admin, "/health", SECRET)[0], 200, "admin: on the allow list")
        check_eq(get(admin, "/health")[0], 401, "on the list, still the secret")
    finally:
        check_eq(gw.stop(), 0, "clean stop")


def main():
    shutil.rmtree(OUT, ignore_errors=True)
    os.makedirs(OUT)
    s = Suite("e2e-config")
    s.run(test_duplicates)
    s.run(test_unknown_keys)
    s.run(test_secrets)
    s.run(test_database_not_a_file)
    s.run(test_real_lines)
    s.run(test_open_listeners_need_a_secret)
    s.run(test_shipped_and_documented_configs)
    s.run(test_run_refuses_before_touching_anything)
    s.run(test_admin_secret_and_allow)
    s.finish()


if __name__ == "__main__":
    main()
