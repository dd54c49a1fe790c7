"""Issue 18: the console's message pages through the real binary and real
HTTP. /pesan lists what came in and what goes out (keyset pages, a number
as people type it, text, dates, direction); /pesan/NOMOR is one number's
conversation both ways with each SMS's state, and a box the office writes
to it with: the row is purpose office, under the sending policy, and a
number that sent BERHENTI is refused. /siaran previews a broadcast with the
very figures of `kentongan broadcast --dry-run` and then queues what the
CLI would. /modem shows the dummy modem. Text from an SMS is escaped
everywhere; a POST without the form's token, or from a camat, changes
nothing; a camat sees none of these pages."""

import os
import re
import sys
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from console_client import Console  # noqa: E402
from console_site import PASSWORD, console_site  # noqa: E402
from harness import Suite, check, check_eq, wait_until  # noqa: E402

ANI = "+6285722220011"    # warga of Kopeng (Kec. Getasan)
DEDI = "+6285722220012"   # warga of Kopeng, sends BERHENTI
EKO = "+6285722220013"    # warga of Batur (Kec. Getasan)
SARI = "+6281211110005"   # pendamping of Kopeng
BUDI = "+6281211110002"   # pendamping of Kalisidi (Kec. Ungaran Barat)
STRANGER = "+6289900001111"  # no contact
XSS = "<script>alert(1)</script>"

gw = base = None
koord = None


def path_of(number):
    return "/pesan/" + urllib.parse.quote(number, safe="")


def count(where):
    return int(gw.sql("SELECT COUNT(*) FROM outbox WHERE " + where))


def setup():
    path = os.path.join(gw.dir, "contacts.csv")
    with open(path, "w") as f:
        f.write("number,name,role,desa\n%s,Ani,warga,Kopeng\n%s,Dedi,warga,Kopeng\n"
                "%s,Eko,warga,Batur\n%s,Sari,pendamping,Kopeng\n%s,Budi,pendamping,Kalisidi\n"
                % (ANI, DEDI, EKO, SARI, BUDI))
    gw.cli("contacts", "import", path)


def processed(number, n):
    wait_until("%d message(s) from %s processed" % (n, number), lambda: gw.sql(
        "SELECT COUNT(*) FROM messages WHERE number = '%s' AND state != 'received'"
        % number) == str(n))


def sent_reply(number):
    return wait_until("the reply to %s sent" % number, lambda: gw.sql(
        "SELECT text FROM outbox WHERE number = '%s' AND purpose = 'reply' AND state = 'sent'"
        " ORDER BY id DESC LIMIT 1" % number))


def test_inbound_listed_and_its_reply():
    gw.inject(ANI, "BANTU")
    processed(ANI, 1)
    reply = sent_reply(ANI)
    st, _, page = koord.get("/pesan")
    check_eq(st, 200, "/pesan")
    check(ANI in page and 'href="%s"' % path_of(ANI) in page, "the message and its conversation link")
    check(">BANTU<" in page, "the text")
    check(reply not in page, "the default tab is what came in")
    st, _, page = koord.get("/pesan?arah=keluar")
    check(reply in page and "balasan otomatis" in page and "terkirim" in page,
          "the reply with its purpose and state")
    st, _, page = koord.get("/pesan?arah=semua")
    check(">BANTU<" in page and reply in page, "both ways at once")


def test_nomor_as_people_type_it():
    gw.inject(EKO, "BANTU ADUAN")
    processed(EKO, 1)
    for typed in ("0857-2222-0011", "62 857 2222 0011", ANI):
        st, _, page = koord.get("/pesan?arah=semua&nomor=" + urllib.parse.quote(typed))
        check_eq(st, 200, typed)
        check(">BANTU<" in page and ANI in page, typed + ": Ani's message")
        check(EKO not in page and ">BANTU ADUAN<" not in page, typed + ": nobody else's")
    st, _, page = koord.get("/pesan?nomor=0812345678901234567890")
    check("tidak dikenali" in page, "a number that is none is said so")


def test_text_and_dates():
    st, _, page = koord.get("/pesan?q=aduan")
    check(">BANTU ADUAN<" in page and ">BANTU<" not in page, "q: the text contains, any case")
    check("200000 pesan terbaru" in page, "the page says how far a text search reads")
    today = gw.sql("SELECT date('now', 'localtime')")
    st, _, page = koord.get("/pesan?dari=%s&sampai=%s" % (today, today))
    check("BANTU ADUAN" in page, "today's from today to today")
    st, _, page = koord.get("/pesan?dari=2099-01-01")
    check("BANTU" not in page and "Tidak ada pesan" in page, "nothing from 2099")
    st, _, page = koord.get("/pesan?sampai=2000-01-01")
    check("BANTU" not in page, "nothing up to 2000")
    st, _, page = koord.get("/pesan?dari=kemarin")
    check("tidak sah" in page, "a date that is none is said so")


def test_keyset_pages():
    # 70 messages of one number, written as the gateway writes them
    gw.sql("INSERT INTO messages (number, number_raw, sender_class, received_at, text, state)"
           " SELECT '+6281300000001', '+6281300000001', 0, strftime('%s','now'), 'isi ' || value,"
           " 'processed' FROM generate_series(1, 70)")
    seen, path, pages = [], "/pesan?nomor=%2B6281300000001", 0
    while path:
        st, _, page = koord.get(path)
        check_eq(st, 200, path)
        seen += re.findall(r"<td>isi (\d+)</td>", page)
        m = re.search(r'<p class="pager"><a href="([^"]+)"', page)
        path = m.group(1).replace("&amp;", "&") if m else None
        pages += 1
    check_eq(pages, 2, "70 rows in pages of 50")
    check_eq(seen, [str(i) for i in range(70, 0, -1)], "every row once, newest first")


def test_conversation_both_ways_with_delivery_state():
    reply = sent_reply(ANI)
    st, _, page = koord.get(path_of(ANI))
    check_eq(st, 200, "the conversation")
    check("Ani" in page and "warga" in page and "Kopeng" in page, "who the number is")
    i_in, i_out = page.find(">BANTU<"), page.find(reply)
    check(i_in > 0 and i_out > 0, "both ways")
    check(i_out < i_in, "newest first: the reply above the message it answers")
    check("<strong>terkirim</strong>" in page, "the reply's state")
    check('name="teks"' in page, "the box to write")
    # a conversation of both ways in one second pages without losing a row
    gw.sql("INSERT INTO messages (number, number_raw, sender_class, received_at, text, state)"
           " SELECT '+6281300000002', '+6281300000002', 0, 1800000000, 'masuk ' || value,"
           " 'processed' FROM generate_series(1, 30);"
           "INSERT INTO outbox (number, text, purpose, state, next_at, created_at, sent_at)"
           " SELECT '+6281300000002', 'keluar ' || value, 'office', 'sent', 1800000000,"
           " 1800000000, 1800000000 FROM generate_series(1, 30)")
    seen, path = [], path_of("+6281300000002")
    while path:
        st, _, page = koord.get(path)
        seen += re.findall(r"<p>((?:masuk|keluar) \d+)</p>", page)
        m = re.search(r'<p class="pager"><a href="([^"]+)"', page)
        path = m.group(1).replace("&amp;", "&") if m else None
    want = ["keluar %d" % i for i in range(30, 0, -1)] + ["masuk %d" % i for i in range(30, 0, -1)]
    check_eq(seen, want, "60 rows of one second, each once, out above in")


def test_office_message_queued_under_the_policy():
    koord.get(path_of(ANI))
    st, hdrs, _ = koord.post(path_of(ANI), {"teks": "Terima kasih Bu Ani, kami cek."})
    check_eq(st, 303, "queued")
    check_eq(koord.location(), path_of(ANI) + "?ok=balas", "back to the conversation")
    check_eq(gw.sql("SELECT purpose || ' ' || priority FROM outbox WHERE number = '%s'"
                    " AND text = 'Terima kasih Bu Ani, kami cek.'" % ANI), "office 5",
             "one row to Ani, initiated: the policy holds it")
    st, _, page = koord.follow()
    check("Balasan diantrekan." in page and "Terima kasih Bu Ani" in page, "shown with the flash")
    wait_until("sent", lambda: count("number = '%s' AND purpose = 'office' AND state = 'sent'"
                                     % ANI) == 1)
    st, _, page = koord.post(path_of(ANI), {"teks": "   "})
    check("Tulis dulu" in page, "a blank text is refused")
    check_eq(count("number = '%s' AND purpose = 'office'" % ANI), 1, "nothing more queued")


def test_opted_out_number_refused():
    gw.inject(DEDI, "BERHENTI")
    wait_until("Dedi opted out", lambda: gw.sql(
        "SELECT opted_out FROM contacts WHERE number = '%s'" % DEDI) == "1")
    st, _, page = koord.get(path_of(DEDI))
    check("sudah mengirim BERHENTI" in page and 'name="teks"' not in page, "no box, and why")
    koord.get(path_of(ANI))     # a page with the token
    st, _, page = koord.post(path_of(DEDI), {"teks": "Halo Pak Dedi"})
    check_eq(st, 200, "the page again")
    check("Tidak dikirim" in page and "BERHENTI" in page, "refused, said clearly")
    check_eq(count("number = '%s' AND text = 'Halo Pak Dedi'" % DEDI), 0, "nothing queued")


def test_sms_text_escaped():
    gw.inject(STRANGER, XSS)
    processed(STRANGER, 1)
    for path in ("/pesan", "/pesan?q=script", path_of(STRANGER)):
        st, _, page = koord.get(path)
        check_eq(st, 200, path)
        check("&lt;script&gt;alert(1)&lt;/script&gt;" in page, path + ": shown as text")
        check("<script>" not in page, path + ": never as markup")
    st, _, page = koord.get(path_of(STRANGER))
    check("bukan kontak" in page, "an unknown number")


def test_csrf_and_camat():
    before = count("1")
    koord.get(path_of(ANI))
    for path, form in ((path_of(ANI), {"teks": "tanpa token"}),
                       ("/siaran", {"kelompok": "SEMUA", "teks": "tanpa token", "aksi": "kirim"})):
        st, _, _ = koord.post(path, form, csrf=False)
        check_eq(st, 403, path + " without a token")
        st, _, _ = koord.post(path, form, csrf="0" * 64)
        check_eq(st, 403, path + " with a wrong token")
    check_eq(count("1"), before, "nothing queued")
    camat = Console(base)
    check_eq(camat.login("camat", PASSWORD)[0], 303, "camat logs in")
    for path in ("/pesan", "/pesan?arah=keluar", path_of(ANI), "/siaran", "/modem"):
        check_eq(camat.get(path)[0], 403, "camat GET " + path)
    camat.get("/")
    for path, form in ((path_of(ANI), {"teks": "dari camat"}),
                       ("/siaran", {"kelompok": "SEMUA", "teks": "dari camat", "aksi": "kirim"})):
        check_eq(camat.post(path, form)[0], 403, "camat POST " + path)
    check_eq(count("1"), before, "nothing queued by the camat")
    st, _, page = camat.get("/")
    check('href="/pesan"' not in page, "no Pesan in the camat's navigation")


def dry_run(group, text):
    """The CLI's figures: reached, skipped, parts each, parts in all."""
    out = gw.cli("broadcast", "--dry-run", group, text).stdout
    m = re.search(r"would reach (\d+) numbers? \((\d+) skipped", out)
    p = re.search(r"(\d+) SMS parts? per message, (\d+) in all", out)
    check(m and p, out)
    return tuple(int(x) for x in m.groups() + p.groups())


def preview(group, text):
    koord.get("/siaran")
    st, _, page = koord.post("/siaran", {"kelompok": group, "teks": text, "aksi": "pratinjau"})
    check_eq(st, 200, "preview of " + group)
    m = re.search(r'id="penerima">(\d+) nomor</dd>.*id="dilewati">(\d+) nomor.*'
                  r'id="bagian">(\d+) bagian per pesan, (\d+) bagian', page, re.S)
    check(m, page)
    return tuple(int(x) for x in m.groups()), page


def test_siaran_preview_is_the_dry_run():
    before = count("1")
    for group, text in (("KECAMATAN:Getasan", "x" * 200), ("WARGA@Kopeng", "Musdes Kopeng"),
                        ("SEMUA", "Salam sejahtera \u263a"), ("Kalisidi", "Rapat " + XSS)):
        want = dry_run(group, text)
        got, page = preview(group, text)
        check_eq(got, want, group)
        check('name="aksi" value="kirim"' in page, group + ": a button to send it")
        check("sekarang" in page, group + ": no quiet hours in the tests")
    got, page = preview("Kalisidi", "Rapat " + XSS)
    check("&lt;script&gt;" in page and "<script>" not in page, "the text escaped in the preview")
    check_eq(got[:2], (1, 0), "Budi alone in Kalisidi")
    check_eq(dry_run("WARGA@Kopeng", "x")[:2], (1, 1), "Dedi is skipped")
    check_eq(count("1"), before, "a preview queues nothing")


def test_siaran_kirim_queues_what_the_cli_would():
    text = "Kerja bakti Minggu pagi di balai desa"
    reached = dry_run("KECAMATAN:Getasan", text)[0]
    preview("KECAMATAN:Getasan", text)
    st, _, _ = koord.post("/siaran", {"kelompok": "KECAMATAN:Getasan", "teks": text,
                                      "aksi": "kirim"})
    check_eq(st, 303, "sent")
    check_eq(koord.location(), "/siaran?ok=siaran", "with its flash")
    check("Siaran diantrekan." in koord.follow()[2], "the flash")
    rows = gw.sql("SELECT number FROM outbox WHERE text = '%s' AND purpose = 'broadcast'"
                  " ORDER BY number" % text).split()
    check_eq(len(rows), reached, "as many as the dry run said")
    check_eq(rows, sorted([ANI, EKO, SARI]), "Getasan's, Dedi left out")
    gw.cli("broadcast", "KECAMATAN:Getasan", text + " (CLI)")
    check_eq(count("text = '%s (CLI)'" % text), reached, "the CLI queues the same")


def test_siaran_errors_show_the_form():
    before = count("1")
    koord.get("/siaran")
    for group, says in (("KECAMATAN:Getasn", "tidak dikenal"), ("LURAH@Kopeng", "tidak dikenal"),
                        ("Candirejo", "tidak jelas")):
        check(gw.cli("broadcast", "--dry-run", group, "x", check=False).returncode == 1,
              group + ": the CLI refuses it too")
        for aksi in ("pratinjau", "kirim"):
            st, _, page = koord.post("/siaran", {"kelompok": group, "teks": "Halo", "aksi": aksi})
            check_eq(st, 200, group)
            check(says in page and 'name="kelompok" value="%s"' % group in page,
                  group + ": the form again with why")
    st, _, page = koord.post("/siaran", {"kelompok": "SEMUA", "teks": " ", "aksi": "kirim"})
    check("kosong" in page, "an empty text")
    check("33.22.06.2006" in koord.post("/siaran", {"kelompok": "Candirejo", "teks": "x",
                                                     "aksi": "pratinjau"})[2],
          "the villages of that name are named")
    check_eq(count("1"), before, "nothing queued")


def test_modem_page():
    st, _, page = koord.get("/modem")
    check_eq(st, 200, "/modem")
    check("<h2>gammu</h2>" in page, "the dummy modem by name")
    check('data-state="up"' in page and "jalan" in page, "up")
    check("SMS menunggu dikirim" in page and "Antrean" in page, "the queues")
    check("Hari ini" in page, "today's counts")


def main():
    global gw, base, koord
    gw, base = console_site("test_console_messages")
    suite = Suite("test_console_messages")
    try:
        setup()
        koord = Console(base)
        check_eq(koord.login("koord", PASSWORD)[0], 303, "koord logs in")
        for fn in (test_inbound_listed_and_its_reply, test_nomor_as_people_type_it,
                   test_text_and_dates, test_keyset_pages,
                   test_conversation_both_ways_with_delivery_state,
                   test_office_message_queued_under_the_policy, test_opted_out_number_refused,
                   test_sms_text_escaped, test_csrf_and_camat,
                   test_siaran_preview_is_the_dry_run, test_siaran_kirim_queues_what_the_cli_would,
                   test_siaran_errors_show_the_form, test_modem_page):
            suite.run(fn)
    finally:
        gw.stop()
    suite.finish()


if __name__ == "__main__":
    main()
