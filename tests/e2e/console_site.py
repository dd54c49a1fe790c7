"""A gateway with its console on a free loopback port, the test villages
and contacts, and one user of each role: what every console test starts
from.

    gw, base = console_site("test_console_x")
    c = Console(base); c.login("koord", PASSWORD)
    ...
    gw.stop()
"""

import os

from console_client import make_user
from harness import ROOT, Gateway, free_port

PASSWORD = "kata-sandi-uji-123"
# one of each role; the camat is Getasan's (33.22.01 in the fixture)
USERS = (("admin", "admin", None), ("koord", "koordinator", None),
         ("camat", "camat", "Getasan"))
VILLAGES = os.path.join(ROOT, "tests", "fixtures", "villages.csv")


def console_site(name, extra_kentongan="", extra="", now=None, users=USERS,
                 secure_cookies=False):
    """Start a gateway (args now: `run --now` time) with [console] on a
    free port; returns (gw, base_url)."""
    port = free_port()
    gw = Gateway(name, extra_kentongan=extra_kentongan,
                 extra="[console]\nlisten = 127.0.0.1:%d\nsecure_cookies = %s\n%s"
                 % (port, "yes" if secure_cookies else "no", extra))
    gw.cli("villages", "import", VILLAGES)
    for user, role, kec in users:
        make_user(gw, user, role, PASSWORD, kecamatan=kec)
    gw.start(*(("--now", now) if now else ()))
    return gw, "http://127.0.0.1:%d" % port
