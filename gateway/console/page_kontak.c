/*
 * page_kontak: "/kontak", the contacts: a list filtered by name or
 * number, role and village, a form that adds or changes one and a button
 * that removes one, through the very functions of `contacts set` and
 * `contacts remove` (gateway/rules/contacts.h), with their messages; and
 * "/kontak.csv", the bytes of `contacts list --format csv`.
 */
#include "gateway/console/console_int.h"
#include "gateway/console/page_export.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/contacts_csv.h"
#include "gateway/rules/office.h"
#include "config/config.h"
#include "store/store_console.h"

#include <stdlib.h>
#include <string.h>

struct list {
	struct creq *r;
	int n;
	char last[NUMBER_MAX];
};

static int
contact_row(void *arg, int row, int n, const char *const *v)
{
	struct list *l = arg;
	struct creq *r = l->r;

	(void)n;
	if (row > PAGE_ROWS)
		return 1;
	l->n = row;
	snprintf(l->last, sizeof(l->last), "%s", v[0]);
	h(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
	    "<td>%s</td><td><a href=\"/kontak?ubah=%s\">Ubah</a></td></tr>",
	    v[0], v[1], v[2], v[3], !strcmp(v[4], "1") ? "ya" : "tidak",
	    strtoll(v[5], NULL, 10) > 0 ? r_date(r, strtoll(v[5], NULL, 10)) :
	    "-", r_url(r, v[0]));
	return 0;
}

static void
select_role(struct creq *r, const char *name, const char *now, int any)
{
	static const char *const roles[] = { "pendamping", "koordinator",
	    "warga" };
	size_t i;

	h(r, "<select name=\"%s\">", name);
	if (any)
		h_raw(r, "<option value=\"\">semua</option>");
	for (i = 0; i < 3; i++)
		h(r, "<option%s>%s</option>", !strcmp(now, roles[i]) ?
		    " selected" : "", roles[i]);
	h_raw(r, "</select>");
}

/* The add or change form, filled with what was typed (or the contact). */
static void
contact_form(struct creq *r, const char *number, const char *name,
    const char *role, const char *desa)
{
	h_raw(r, "<section><h2>Tambah atau ubah kontak</h2>"
	    "<form method=\"post\" action=\"/kontak\">");
	h_csrf(r);
	h(r, "<input type=\"hidden\" name=\"aksi\" value=\"simpan\">"
	    "<label>Nomor <input name=\"nomor\" value=\"%s\" required></label>"
	    "<label>Nama <input name=\"nama\" value=\"%s\"></label>"
	    "<label>Peran ", number, name);
	select_role(r, "peran", role, 0);
	h(r, "</label><label>Desa (kode atau nama; pisahkan dengan ;) "
	    "<input name=\"desa\" value=\"%s\"></label>"
	    "<button>Simpan</button></form>", desa);
	if (number[0] != '\0') {
		h_raw(r, "<form method=\"post\" action=\"/kontak\">");
		h_csrf(r);
		h(r, "<input type=\"hidden\" name=\"aksi\" value=\"hapus\">"
		    "<input type=\"hidden\" name=\"nomor\" value=\"%s\">"
		    "<button>Hapus kontak %s</button></form>", number, number);
	}
	h_raw(r, "</section>");
}

static void
show_list(struct creq *r, const char *error)
{
	struct list l = { r, 0, "" };
	const char *q = q_get(r, "q"), *peran = q_get(r, "peran");
	const char *desa = q_get(r, "desa"), *ubah = q_get(r, "ubah");
	const char *code = desa;
	char c[DESA_MAX], why[512];
	struct contact_full f;

	page_begin(r, "Kontak", "/kontak");
	h_flash(r);
	if (error != NULL)
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", error);
	if (desa[0] != '\0' && (code = office_village(r->gw->store,
	    r->gw->conf->area, desa, c, sizeof(c), why, sizeof(why))) == NULL) {
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", why);
		code = "\x01";	/* matches nothing */
	}
	if (r->is_post)
		contact_form(r, f_get(r, "nomor"), f_get(r, "nama"),
		    f_get(r, "peran"), f_get(r, "desa"));
	else if (ubah[0] != '\0' && store_contact_get(r->gw->store, ubah,
	    &f.c) == 1)
		contact_form(r, f.c.number, f.c.name, f.c.role, "");
	else
		contact_form(r, "", "", "warga", "");
	h(r, "<p><a href=\"/kontak/impor\">Impor CSV</a> · "
	    "<a href=\"/kontak.csv\">Unduh CSV</a></p>"
	    "<form method=\"get\" action=\"/kontak\" class=\"filter\">"
	    "<label>Cari <input name=\"q\" value=\"%s\"></label>"
	    "<label>Peran ", q);
	select_role(r, "peran", peran, 1);
	h(r, "</label><label>Desa <input name=\"desa\" value=\"%s\"></label>"
	    "<button>Saring</button></form>", desa);
	h_raw(r, "<table><thead><tr><th>Nomor</th><th>Nama</th><th>Peran</th>"
	    "<th>Desa</th><th>Berhenti</th><th>Persetujuan</th><th></th>"
	    "</tr></thead><tbody>");
	if (store_console_contacts(r->gw->store, q, peran, code,
	    q_get(r, "setelah"), PAGE_ROWS + 1, contact_row, &l) < 0)
		h_raw(r, "<tr><td colspan=\"7\">Basis data tidak dapat dibaca."
		    "</td></tr>");
	h_raw(r, "</tbody></table>");
	if (l.n == PAGE_ROWS)
		h_next(r, "/kontak", "setelah", l.last);
	page_send(r);
}

static void
get_kontak(struct creq *r)
{
	show_list(r, NULL);
}

/* The form again with why: what was typed stays. */
static void
refused(struct creq *r, const char *why)
{
	show_list(r, why);
}

static void
post_kontak(struct creq *r)
{
	char set[CONTACT_DESA_MAX][DESA_MAX];
	const char *pset[CONTACT_DESA_MAX];
	const char *aksi = f_get(r, "aksi"), *number = f_get(r, "nomor");
	const char *name = f_get(r, "nama"), *role = f_get(r, "peran");
	const char *desa = f_get(r, "desa");
	struct contact_change ch = { .desa = pset };
	struct contact_full f;
	enum contact_result rc;
	char why[512];
	const char *err;

	if (store_readonly(r->gw->store)) {
		page_error(r, 503, "Basis data hanya-baca: perubahan tidak "
		    "dapat disimpan sekarang.");
		return;
	}
	if (!strcmp(aksi, "hapus"))
		rc = contact_remove(r->gw->store, number, why, sizeof(why));
	else {
		ch.name = name[0] ? name : NULL;
		ch.role = role[0] ? role : NULL;
		ch.set_desa = desa[0] != '\0';
		if ((err = contact_villages(r->gw->store, r->gw->conf->area,
		    desa, set, pset, &ch.ndesa, why, sizeof(why))) != NULL) {
			refused(r, err);
			return;
		}
		rc = contact_set(r->gw->store, number, &ch, r->now, &f, why,
		    sizeof(why));
	}
	if (rc == CONTACT_FAILED) {
		page_error(r, 503, "Basis data sibuk atau tidak dapat ditulis. "
		    "Tidak ada yang berubah; coba lagi.");
		return;
	}
	if (rc != CONTACT_DONE) {
		refused(r, why);
		return;
	}
	page_see_other(r, "/kontak", !strcmp(aksi, "hapus") ? "kontak-hapus" :
	    "kontak");
}

static void
get_csv(struct creq *r)
{
	struct export_filter flt = { 0 };

	page_export(r, EXPORT_CONTACTS, &flt, "kontak.csv");
}

const struct console_page page_kontak = {
	"/kontak", 0, ROLES_OFFICE, ROLES_OFFICE, get_kontak, post_kontak
};
const struct console_page page_kontak_csv = {
	"/kontak.csv", 0, ROLES_OFFICE, 0, get_csv, NULL
};
