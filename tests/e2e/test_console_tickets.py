"""Issue 18, the console's tickets: /tiket lists ADU and ASP tickets newest
first, 50 a page (keyset: the next page holds the rest, none twice), with
filters for status, village, kecamatan, dates and text; /tiket/ADU-n shows
one with its history, the SMS that filed it and the SMS its filer was
sent. The office's form moves it on through the same rule as `tickets
update` (the villager gets the same SMS); a wrong status or a long note is
shown again with its error and changes nothing; a POST without the form's
token, or by a camat, is refused and changes nothing. A camat of Getasan
sees Getasan's tickets only. Text from an SMS is shown escaped."""

import datetime
import html
import os
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_client import Console  # noqa: E402
from console_site import PASSWORD, console_site  # noqa: E402
from harness import Suite, check, check_eq, wait_until  # noqa: E402

V = "+6285722220003"       # warga of Kalisidi (Kec. Ungaran Barat, 33.22.18)
W = "+6285722220011"       # warga of Kopeng (Kec. Getasan, 33.22.01)
FLOOD = ["+62857333300%02d" % i for i in range(5)]   # warga of Batur (Getasan)
NOTE = "Tim desa cek lokasi Senin"

gw = base = None
koord = None


def tickets_on(body):
    """The tickets a page links to, in order, once each."""
    seen = []
    for name in re.findall(r'href="/tiket/((?:ADU|ASP)-\d+)"', body):
        if name not in seen:
            seen.append(name)
    return seen


def state():
    """What a refused POST must leave as it was."""
    return gw.sql("SELECT (SELECT group_concat(type || seq || status || updated_at) FROM tickets),"
                  " (SELECT COUNT(*) FROM ticket_history), (SELECT COUNT(*) FROM outbox),"
                  " (SELECT group_concat(desa) FROM records)")


def file_complaint(number, text, n):
    gw.inject(number, text)
    wait_until("ticket %d filed" % n, lambda: gw.sql("SELECT COUNT(*) FROM tickets") == str(n))
    return gw.sql("SELECT type || '-' || seq FROM tickets ORDER BY id DESC LIMIT 1")


def setup():
    global gw, base, koord
    gw, base = console_site("test_console_tickets")
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n%s,Wati,warga,Kalisidi\n%s,Ani,warga,Kopeng\n" % (V, W))
        for i, n in enumerate(FLOOD):
            f.write("%s,Warga %d,warga,Batur\n" % (n, i))
    gw.cli("contacts", "import", path)
    koord = Console(base)
    check_eq(koord.login("koord", PASSWORD)[0], 303, "koord logs in")


def test_complaint_listed_and_shown():
    check_eq(file_complaint(V, "ADUAN Kalisidi jalan rusak", 1), "ADU-1", "the first complaint")
    wait_until("its reply", lambda: gw.sql("SELECT COUNT(*) FROM outbox WHERE number = '%s'"
                                           " AND purpose = 'reply'" % V) == "1")
    status, _, body = koord.get("/tiket")
    check_eq(status, 200, "the list")
    check_eq(tickets_on(body), ["ADU-1"], "ADU-1 listed")
    for text in ("Aduan", "baru", "Kalisidi", "jalan rusak", V):
        check(text in body, "the list shows %r" % text)
    for path in ("/tiket/ADU-1", "/tiket/adu-1"):
        status, _, body = koord.get(path)
        check_eq(status, 200, path)
        for text in ("Tiket ADU-1", "jalan rusak", "Kalisidi (33.22.18.2002)", "Ungaran Barat", "Wati",
                     "ADUAN Kalisidi jalan rusak", "ADUAN diterima, tiket ADU-1", 'name="catatan"'):
            check(text in body, "%s shows %r" % (path, text))
    check_eq(koord.get("/tiket/ADU-99")[0], 404, "no such ticket")
    check_eq(koord.get("/tiket/XYZ")[0], 404, "not a ticket's name")


def test_filters_narrow_the_list():
    check_eq(file_complaint(W, "ADUAN Kopeng lampu jalan mati", 2), "ADU-2", "a complaint in Getasan")
    today = datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=7))).date()
    yesterday = today - datetime.timedelta(days=1)
    for query, want in (("", ["ADU-2", "ADU-1"]), ("?status=baru", ["ADU-2", "ADU-1"]),
                        ("?status=SELESAI", []), ("?desa=Kalisidi", ["ADU-1"]),
                        ("?desa=33.22.01.2003", ["ADU-2"]), ("?desa=kopeng", ["ADU-2"]),
                        ("?kecamatan=Getasan", ["ADU-2"]), ("?kecamatan=33.22.18", ["ADU-1"]),
                        ("?kecamatan=Ungaran+Barat&desa=Kopeng", []), ("?q=LAMPU", ["ADU-2"]),
                        ("?q=rusak&status=baru", ["ADU-1"]), ("?dari=%s" % today, ["ADU-2", "ADU-1"]),
                        ("?sampai=%s" % yesterday, []), ("?dari=%s&sampai=%s" % (today, today),
                                                          ["ADU-2", "ADU-1"]),
                        ("?dari=%s" % today.strftime("%d/%m/%Y").lstrip("0"), ["ADU-2", "ADU-1"]),
                        ("?sampai=%s" % yesterday.strftime("%d/%m/%Y"), [])):
        status, _, body = koord.get("/tiket" + query)
        check_eq(status, 200, query)
        check_eq(tickets_on(body), want, "/tiket" + query)
    for query, error in (("?status=tutup", "Status &#39;tutup&#39; tidak dikenal (baru, diproses, selesai,"
                                           " ditolak)"),
                         ("?desa=Nowhere", "Desa &#39;Nowhere&#39; tidak dikenal"),
                         ("?desa=Sukamaju", "desa bernama &#39;Sukamaju&#39;"),
                         ("?kecamatan=Atlantis", "Kecamatan &#39;Atlantis&#39; tidak dikenal"),
                         ("?dari=31/02/2026", "Tanggal &#39;dari&#39; tidak sah")):
        status, _, body = koord.get("/tiket" + query)
        check(error in body, "%s says why: %s" % (query, re.findall(r'class="error"[^<]*<', body)))
        check_eq(tickets_on(body), [], query + " lists nothing")


def test_update_like_the_cli():
    koord.get("/tiket/ADU-1")
    status, hdrs, _ = koord.post("/tiket/ADU-1", {"status": "diproses", "catatan": NOTE})
    check_eq(status, 303, "the update answered with a redirect")
    check_eq(koord.location(), "/tiket/ADU-1?ok=tiket", "back to the ticket")
    check_eq(gw.sql("SELECT status FROM tickets WHERE seq = 1 AND type = 'ADU'"), "diproses", "the status")
    check_eq(gw.sql("SELECT status || '|' || note FROM ticket_history WHERE ticket_id = 1 ORDER BY id"),
             "baru|\ndiproses|" + NOTE, "the history")
    web = gw.sql("SELECT text FROM outbox WHERE number = '%s' AND purpose = 'ticket'" % V)
    check_eq(web, "Kabar tiket ADU-1: diproses. " + NOTE, "the villager's SMS")
    gw.cli("tickets", "update", "ADU-2", "--status", "diproses", "--note", NOTE)
    cli = gw.sql("SELECT text FROM outbox WHERE number = '%s' AND purpose = 'ticket'" % W)
    check_eq(web.replace("ADU-1", "ADU-2"), cli, "the same SMS as `tickets update` queues")
    status, _, body = koord.follow()
    check_eq(status, 200, "the ticket again")
    check("Tiket diperbarui" in body, "the flash")
    check("<dt>Status</dt><dd>diproses</dd>" in body, "the new status shown")
    check(body.count(NOTE) >= 3, "the note as last note, in the history and in the SMS")
    check("Kabar tiket ADU-1: diproses." in body, "the SMS to the filer listed")
    check("Kabar tiket ADU-2" not in body, "not another ticket's news")
    wait_until("the news sent", lambda: gw.sql("SELECT state FROM outbox WHERE number = '%s' AND purpose"
                                               " = 'ticket'" % V) in ("sent", "delivered"))
    body = koord.get("/tiket/ADU-1")[2]
    check("terkirim" in body or "sampai" in body, "its delivery state shown")
    check_eq(tickets_on(koord.get("/tiket?status=Diproses")[2]), ["ADU-2", "ADU-1"], "listed as diproses")


def test_status_alone_and_village_corrected():
    koord.get("/tiket/ADU-1")
    check_eq(koord.post("/tiket/ADU-1", {"status": "selesai", "catatan": ""})[0], 303, "a status alone")
    gw.cli("tickets", "update", "ADU-2", "--status", "selesai")
    news = "SELECT text, length(text) FROM outbox WHERE number = '%s' AND purpose = 'ticket' ORDER BY id DESC LIMIT 1"
    check_eq(gw.sql(news % V), gw.sql(news % W).replace("ADU-2", "ADU-1"), "no note: as `tickets update`")
    check_eq(gw.sql("SELECT note FROM ticket_history WHERE ticket_id = 1 ORDER BY id DESC LIMIT 1"), "",
             "the note cleared, as `tickets update` does")
    before = gw.sql("SELECT COUNT(*) FROM outbox")
    koord.get("/tiket/ADU-1")
    check_eq(koord.post("/tiket/ADU-1", {"desa": "Branjang"})[0], 303, "the village corrected")
    check_eq(koord.location(), "/tiket/ADU-1?ok=tiket-desa", "its flash")
    check_eq(gw.sql("SELECT r.desa FROM records r JOIN tickets t ON t.record_id = r.id WHERE t.id = 1"),
             "33.22.18.2001", "moved to Branjang")
    check_eq(gw.sql("SELECT status || '|' || desa_was FROM ticket_history WHERE ticket_id = 1 ORDER BY id"
                    " DESC LIMIT 1"), "selesai|33.22.18.2002", "the history keeps Kalisidi")
    check_eq(gw.sql("SELECT COUNT(*) FROM outbox"), before, "nobody told")
    body = koord.follow()[2]
    check("Desa tiket diperbaiki" in body and "Kalisidi (33.22.18.2002)" in body, "the old village shown")


def test_refusals_change_nothing():
    koord.get("/tiket/ADU-1")
    was = state()
    status, _, body = koord.post("/tiket/ADU-1", {"status": "tutup", "catatan": "jangan dikirim"})
    check_eq(status, 200, "a bad status shows the form again")
    check("Status &#39;tutup&#39; tidak dikenal" in body, "with its error")
    check(">jangan dikirim</textarea>" in body, "keeping the note typed")
    check_eq(state(), was, "a bad status changes nothing")
    status, _, body = koord.post("/tiket/ADU-1", {"status": "diproses", "catatan": "x" * 301})
    check("lebih dari 300 karakter" in body, "a note STATUS could not show whole: %d" % status)
    check_eq(state(), was, "a long note changes nothing")
    status, _, body = koord.post("/tiket/ADU-1", {"desa": "Nowhere"})
    check("Desa &#39;Nowhere&#39; tidak dikenal" in body, "an unknown village")
    check_eq(state(), was, "an unknown village changes nothing")
    check_eq(koord.post("/tiket/ADU-1", {"status": "ditolak"}, csrf=False)[0], 403, "no csrf")
    check_eq(koord.post("/tiket/ADU-1", {"status": "ditolak"}, csrf="0" * 64)[0], 403, "a wrong csrf")
    check_eq(state(), was, "no token changes nothing")
    koord.get("/tiket/ADU-1")
    check_eq(koord.post("/tiket/ADU-99", {"status": "ditolak"})[0], 404, "no such ticket")
    check_eq(state(), was, "nor does a ticket that is not")


def test_camat_sees_getasan_only_and_changes_nothing():
    camat = Console(base)
    check_eq(camat.login("camat", PASSWORD)[0], 303, "camat logs in")
    status, _, body = camat.get("/tiket")
    check_eq(status, 200, "the camat's list")
    check_eq(tickets_on(body), ["ADU-2"], "Kopeng's, not Kalisidi's")
    for query in ("?kecamatan=Ungaran+Barat", "?desa=Kalisidi", "?kecamatan=33.22.18&status=selesai"):
        check_eq(tickets_on(camat.get("/tiket" + query)[2]), [], "no way out of Getasan: " + query)
    check_eq(camat.get("/tiket/ADU-1")[0], 404, "Kalisidi's ticket is not the camat's")
    status, _, body = camat.get("/tiket/ADU-2")
    check_eq(status, 200, "Kopeng's ticket")
    check('name="catatan"' not in body and 'name="desa"' not in body, "no form for a camat")
    was = state()
    check_eq(camat.post("/tiket/ADU-2", {"status": "ditolak", "catatan": "x"})[0], 403, "a camat's POST")
    check_eq(state(), was, "a camat changes nothing")


def test_script_shown_escaped():
    name = file_complaint(V, "ADUAN Kalisidi <script>alert(1)</script>", 3)
    for path in ("/tiket", "/tiket/" + name, "/tiket?q=script"):
        body = koord.get(path)[2]
        check("&lt;script&gt;alert(1)&lt;/script&gt;" in body, path + " shows it escaped")
        check("<script" not in body, path + " has no raw <script>")


def test_keyset_pages():
    for i in range(55):
        gw.inject(FLOOD[i % len(FLOOD)], "ADUAN Batur banjir nomor %d" % i)
    wait_until("55 more tickets", lambda: gw.sql("SELECT COUNT(*) FROM tickets") == "58", timeout=60)
    want = gw.sql("SELECT type || '-' || seq FROM tickets t JOIN records r ON r.id = t.record_id"
                  " WHERE r.isi LIKE '%banjir%' ORDER BY t.id DESC").splitlines()
    status, _, body = koord.get("/tiket?q=banjir&status=baru")
    first = tickets_on(body)
    check_eq(len(first), 50, "50 on the first page")
    nxt = re.search(r'<p class="pager"><a href="([^"]+)"', body)
    check(nxt, "a next page")
    path = html.unescape(nxt.group(1))
    check("q=banjir" in path and "status=baru" in path and "sebelum=" in path, "filters kept: " + path)
    body = koord.get(path)[2]
    second = tickets_on(body)
    check_eq(len(second), 5, "the rest on the second")
    check_eq(set(first) & set(second), set(), "no ticket twice")
    check_eq(first + second, want, "every one, newest first")
    check('class="pager"' not in body, "no third page")
    check_eq(len(tickets_on(koord.get("/tiket")[2])), 50, "the whole list pages too")


def main():
    s = Suite("e2e-console-tickets")
    setup()
    try:
        for t in (test_complaint_listed_and_shown, test_filters_narrow_the_list, test_update_like_the_cli,
                  test_status_alone_and_village_corrected, test_refusals_change_nothing,
                  test_camat_sees_getasan_only_and_changes_nothing, test_script_shown_escaped,
                  test_keyset_pages):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
