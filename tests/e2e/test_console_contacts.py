"""The console's Kontak (with its CSV import), Perdes, Rapat and Pengguna
pages, against the real daemon over HTTP: each change lands in the store
as the CLI's command would make it, a camat may change nothing, a POST
without its token changes nothing, and a name from outside shows as
text."""

import os
import subprocess

from console_client import Console
from console_site import PASSWORD, console_site
from harness import BIN, Suite, check, check_eq

XSS = "<script>alert(1)</script>"
gw = base = None


def office(user="koord"):
    c = Console(base)
    check_eq(c.login(user, PASSWORD)[0], 303, "login " + user)
    return c


def contact_rows(where="1"):
    return gw.sql("SELECT c.number, c.name, c.role, (SELECT group_concat(desa, ';') FROM "
                  "(SELECT desa FROM contact_desa d WHERE d.number = c.number ORDER BY desa)) "
                  "FROM contacts c WHERE %s ORDER BY c.number" % where)


def cli_bytes(*args):
    """The CLI's standard output as bytes (gw.cli's text mode turns CRLF
    into LF)."""
    return subprocess.run([BIN, args[0], "-c", gw.config] + list(args[1:]),
                          capture_output=True, check=True).stdout


def write(name, data):
    path = os.path.join(gw.dir, name)
    with open(path, "w") as f:
        f.write(data)
    return path


def test_contact_set_and_remove_as_the_cli():
    c = office()
    c.get("/kontak")
    st = c.post("/kontak", {"aksi": "simpan", "nomor": "081311110001", "nama": XSS,
                            "peran": "pendamping", "desa": "Tolokan;33.22.01.2002"})[0]
    check_eq(st, 303, c.last[2][:300])
    gw.cli("contacts", "set", "081311110002", "--name", XSS, "--role", "pendamping",
           "--desa", "Tolokan;33.22.01.2002")
    web, cli = contact_rows("number = '+6281311110001'"), contact_rows("number = '+6281311110002'")
    check_eq(web.replace("0001", "x"), cli.replace("0002", "x"), "the same row as the CLI's")
    body = c.follow()[2]
    check("&lt;script&gt;alert(1)&lt;/script&gt;" in body and XSS not in body, "escaped in the list")
    # a refusal is the CLI's message, and nothing changes
    c.post("/kontak", {"aksi": "simpan", "nomor": "081311110003", "nama": "Tanpa Peran"})
    r = gw.cli("contacts", "set", "081311110004", "--name", "Tanpa Peran", check=False)
    check(r.returncode != 0 and r.stderr.split(": ", 1)[1].strip()[:20] in c.last[2],
          "the CLI's words: %r / %s" % (r.stderr, c.last[2][-600:]))
    check_eq(contact_rows("number = '+6281311110003'"), "", "nothing added")
    check_eq(c.post("/kontak", {"aksi": "hapus", "nomor": "081311110001"})[0], 303)
    check_eq(contact_rows("number = '+6281311110001'"), "", "removed")
    # without the token, or as a camat: 403, nothing changes
    check_eq(c.post("/kontak", {"aksi": "hapus", "nomor": "081311110002"}, csrf=False)[0], 403)
    cam = office("camat")
    check_eq(cam.get("/kontak")[0], 403)
    cam.get("/")
    check_eq(cam.post("/kontak", {"aksi": "hapus", "nomor": "081311110002"})[0], 403)
    check(contact_rows("number = '+6281311110002'") != "", "still there")


def test_contacts_csv_is_the_cli_bytes():
    c = office()
    check_eq(c.get("/kontak.csv")[0], 200)
    check_eq(c.raw, cli_bytes("contacts", "list", "--format", "csv"), "byte-identical")


def test_import_preview_then_import():
    c = office()
    c.get("/kontak/impor")
    bad = "number,name,role,desa\n081322220001,Ani,warga,Tolokan\n12,%s,warga,Tolokan\n" % XSS
    st, _, body = c.post_multipart("/kontak/impor", {"aksi": "periksa"},
                                   {"berkas": ("k.csv", bad.encode(), "text/csv")})
    check_eq(st, 200)
    cli = gw.cli("contacts", "import", write("bad.csv", bad), check=False)
    check(cli.returncode != 0 and ":3: " in cli.stderr, cli.stderr)
    why = cli.stderr.split(":3: ", 1)[1].splitlines()[0]
    check("<td class=\"num\">3</td>" in body, "line 3 named")
    check(why.replace("'", "&#39;") in body or why in body, "the CLI's words %r" % why)
    check(XSS not in body, "no raw script")
    # importing it anyway (the text posted back) writes nothing
    c.post("/kontak/impor", {"aksi": "impor", "isi": bad})
    check_eq(contact_rows("number = '+6281322220001'"), "", "nothing imported")
    good = "number;name;role;desa\n081322220001;%s;warga;Tolokan\n081311110002;Budi;koordinator;Batur\n" % XSS
    st, _, body = c.post_multipart("/kontak/impor", {"aksi": "periksa"},
                                   {"berkas": ("k.csv", good.encode(), "text/csv")})
    check("<strong>1</strong> kontak baru, <strong>1</strong> diubah" in body, body[-900:])
    check("&lt;script&gt;" in body and XSS not in body, "escaped in the preview")
    check_eq(c.post("/kontak/impor", {"aksi": "impor", "isi": good})[0], 303, c.last[2][-500:])
    web = contact_rows("number IN ('+6281322220001', '+6281311110002')")
    gw.sql("DELETE FROM contacts WHERE number IN ('+6281322220001', '+6281311110002')")
    gw.cli("contacts", "import", write("good.csv", good))
    check_eq(contact_rows("number IN ('+6281322220001', '+6281311110002')"), web,
             "the rows the CLI's import makes")
    # a malformed multipart body: 400, not a crash
    st = c.request("POST", "/kontak/impor", b"--x\r\nnonsense",
                   {"Content-Type": "multipart/form-data; boundary=x"})[0]
    check_eq(st, 400)


def test_perdes_open_close():
    c = office()
    c.get("/perdes")
    st = c.post("/perdes", {"aksi": "buka", "kode": "pd07", "desa": "Tolokan",
                            "judul": "Air bersih", "sampai": "2099-12-31"})[0]
    check_eq(st, 303, c.last[2][-400:])
    check_eq(gw.sql("SELECT code, desa, title, until, state FROM perdes WHERE code = 'PD07'"),
             "PD07|33.22.01.2004|Air bersih|2099-12-31|open")
    check(int(gw.sql("SELECT COUNT(*) FROM outbox WHERE purpose = 'announcement' "
                     "AND text LIKE '%PD07%'")) > 0, "announced")
    body = c.follow()[2]
    check("PD07" in body and "Air bersih" in body, "listed")
    c.post("/perdes", {"aksi": "buka", "kode": "07PD", "desa": "Tolokan", "judul": "x",
                       "sampai": "2099-12-31"})
    check("is not a Perdes code" in c.last[2], "the CLI's words")
    check_eq(c.post("/perdes", {"aksi": "tutup", "kode": "PD07", "desa": "33.22.01.2004"},
                    csrf="nope")[0], 403)
    check_eq(gw.sql("SELECT state FROM perdes WHERE code = 'PD07'"), "open")
    check_eq(c.post("/perdes", {"aksi": "tutup", "kode": "PD07", "desa": "33.22.01.2004"})[0], 303)
    check_eq(gw.sql("SELECT state FROM perdes WHERE code = 'PD07'"), "closed")
    check_eq(c.get("/perdes/PD07?desa=33.22.01.2004&format=csv")[0], 200)
    check_eq(c.raw, cli_bytes("perdes", "export", "PD07", "--desa", "33.22.01.2004"),
             "export byte-identical")
    cam = office("camat")
    cam.get("/")
    check_eq(cam.post("/perdes", {"aksi": "tutup", "kode": "PD07"})[0], 403)


def test_meetings_add_update_cancel():
    c = office()
    c.get("/rapat")
    st = c.post("/rapat", {"aksi": "tambah", "desa": "Batur", "tanggal": "2099-01-10",
                           "waktu": "9:30", "jenis": "rkp", "tempat": "Balai desa"})[0]
    check_eq(st, 303, c.last[2][-400:])
    mid = gw.sql("SELECT id FROM meetings WHERE tempat = 'Balai desa'")
    check_eq(gw.sql("SELECT desa, tanggal, waktu, jenis, state FROM meetings WHERE id = %s" % mid),
             "33.22.01.2002|2099-01-10|09:30|RKP|scheduled")
    c.post("/rapat", {"aksi": "tambah", "desa": "Batur", "tanggal": "2099-01-10",
                      "waktu": "25:00", "jenis": "RKP"})
    check("--time wants HH:MM" in c.last[2], "the CLI's words")
    check_eq(c.post("/rapat", {"aksi": "ubah", "id": mid, "waktu": "10:00"})[0], 303)
    check_eq(gw.sql("SELECT waktu FROM meetings WHERE id = %s" % mid), "10:00")
    c.get("/rapat")
    c.post("/rapat", {"aksi": "ubah", "id": mid, "waktu": "10:00"})
    check("is already so" in c.last[2], "the CLI's refusal")
    check_eq(c.post("/rapat", {"aksi": "batal", "id": mid, "alasan": "hujan"})[0], 303)
    check_eq(gw.sql("SELECT state, reason FROM meetings WHERE id = %s" % mid), "cancelled|hujan")
    cam = office("camat")
    cam.get("/")
    check_eq(cam.get("/rapat")[0], 403)
    check_eq(cam.post("/rapat", {"aksi": "batal", "id": mid})[0], 403)


def test_users_page():
    k = office("koord")
    check_eq(k.get("/pengguna")[0], 403)
    check_eq(office("camat").get("/pengguna")[0], 403)
    a = office("admin")
    a.get("/pengguna")
    pw1, pw2 = "sandi-pertama-1", "sandi-kedua-22"
    check_eq(a.post("/pengguna", {"aksi": "tambah", "nama": "baru", "peran": "koordinator",
                                  "sandi": pw1, "sandi2": pw1})[0], 303, a.last[2][-400:])
    u = Console(base)
    check_eq(u.login("baru", pw1)[0], 303, "the new user logs in")
    check_eq(u.get("/kontak")[0], 200)
    a.get("/pengguna")
    check_eq(a.post("/pengguna", {"aksi": "sandi", "nama": "baru", "sandi": pw2,
                                  "sandi2": pw2})[0], 303)
    check(Console(base).login("baru", pw1)[0] != 303, "the old password fails")
    u = Console(base)
    check_eq(u.login("baru", pw2)[0], 303, "the new one works")
    a.get("/pengguna")
    a.post("/pengguna", {"aksi": "hapus", "nama": "admin"})
    check("sendiri" in a.last[2], "not themselves")
    check_eq(gw.sql("SELECT COUNT(*) FROM users WHERE name = 'admin'"), "1")
    check_eq(a.post("/pengguna", {"aksi": "hapus", "nama": "baru"})[0], 303)
    check_eq(u.get("/kontak")[0], 303, "their session ended")
    check_eq(gw.sql("SELECT COUNT(*) FROM users WHERE name = 'baru'"), "0")


def main():
    global gw, base
    s = Suite("e2e-console-contacts")
    gw, base = console_site("test_console_contacts")
    try:
        for t in (test_contact_set_and_remove_as_the_cli, test_contacts_csv_is_the_cli_bytes,
                  test_import_preview_then_import, test_perdes_open_close,
                  test_meetings_add_update_cancel, test_users_page):
            s.run(t)
    finally:
        gw.stop()
    s.finish()


if __name__ == "__main__":
    main()
