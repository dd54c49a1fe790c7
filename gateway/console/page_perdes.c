/*
 * page_perdes: "/perdes", the consultations on draft Perdes, open and
 * closed, each with its aspirations counted (the rows of `perdes list`);
 * a form that opens one (`perdes open`) and a button that closes one
 * (`perdes close`), through action_perdes_open/close. "/perdes/KODE"
 * lists a consultation's aspirations, and its CSV is `perdes export`.
 */
#include "gateway/console/console_int.h"
#include "gateway/console/page_export.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/actions.h"
#include "gateway/rules/office.h"
#include "gateway/util/clock.h"
#include "config/config.h"

#include <stdio.h>
#include <string.h>

static int
perdes_row(void *arg, int row, int n, const char *const *v)
{
	struct creq *r = arg;

	(void)n;
	if (row == 0)
		return 0;
	/* code, desa, nama_desa, title, until, state, aspirasi */
	h(r, "<tr><td><a href=\"/perdes/%s?desa=%s\">%s</a></td><td>%s %s</td>"
	    "<td>%s</td><td>%s</td><td>%s</td><td class=\"num\">%s</td><td>",
	    r_url(r, v[0]), r_url(r, v[1]), v[0], v[1], v[2], v[3], v[4],
	    !strcmp(v[5], "open") ? "dibuka" : "ditutup", v[6]);
	if (!strcmp(v[5], "open")) {
		h_raw(r, "<form method=\"post\" action=\"/perdes\">");
		h_csrf(r);
		h(r, "<input type=\"hidden\" name=\"aksi\" value=\"tutup\">"
		    "<input type=\"hidden\" name=\"kode\" value=\"%s\">"
		    "<input type=\"hidden\" name=\"desa\" value=\"%s\">"
		    "<button>Tutup</button></form>", v[0], v[1]);
	}
	h_raw(r, "</td></tr>");
	return 0;
}

static void
show(struct creq *r, const char *error)
{
	page_begin(r, "Konsultasi Perdes", "/perdes");
	h_flash(r);
	if (error != NULL)
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", error);
	h_raw(r, "<table><thead><tr><th>Kode</th><th>Desa</th><th>Judul</th>"
	    "<th>Sampai</th><th>Keadaan</th><th>Aspirasi</th><th></th></tr>"
	    "</thead><tbody>");
	if (store_export(r->gw->store, EXPORT_PERDES, NULL, perdes_row, r) != 0)
		h_raw(r, "<tr><td colspan=\"7\">Basis data tidak dapat dibaca."
		    "</td></tr>");
	h_raw(r, "</tbody></table><section><h2>Buka konsultasi</h2>"
	    "<form method=\"post\" action=\"/perdes\">");
	h_csrf(r);
	h(r, "<input type=\"hidden\" name=\"aksi\" value=\"buka\">"
	    "<label>Kode <input name=\"kode\" value=\"%s\" required></label>"
	    "<label>Desa <input name=\"desa\" value=\"%s\" required></label>"
	    "<label>Judul <input name=\"judul\" value=\"%s\" required></label>"
	    "<label>Sampai <input name=\"sampai\" value=\"%s\" "
	    "placeholder=\"2026-12-31\" required></label>"
	    "<button>Buka</button></form></section>", f_get(r, "kode"),
	    f_get(r, "desa"), f_get(r, "judul"), f_get(r, "sampai"));
	page_send(r);
}

static void
get_perdes(struct creq *r)
{
	const char *code = path_rest(r, "/perdes"), *desa = q_get(r, "desa");
	struct export_filter flt = { 0 };

	if (code[0] == '\0') {
		show(r, NULL);
		return;
	}
	flt.code = code;
	flt.desa = desa[0] ? desa : NULL;
	if (!strcmp(q_get(r, "format"), "csv")) {
		page_export(r, EXPORT_ASPIRATIONS, &flt,
		    r_printf(r, "aspirasi-%s.csv", code));
		return;
	}
	page_begin(r, r_printf(r, "Aspirasi %s", code), "/perdes");
	h(r, "<p><a href=\"/perdes/%s?desa=%s&amp;format=csv\">Unduh CSV</a>"
	    "</p>", r_url(r, code), r_url(r, desa));
	h_raw(r, "<table><thead><tr><th>Tiket</th><th>Tanggal</th>"
	    "<th>Perdes</th><th>Desa</th><th>Nama desa</th><th>Nomor</th>"
	    "<th>Isi</th><th>Status</th></tr></thead><tbody>");
	if (store_export(r->gw->store, EXPORT_ASPIRATIONS, &flt,
	    page_export_row, r) != 0)
		h_raw(r, "<tr><td colspan=\"8\">Basis data tidak dapat dibaca."
		    "</td></tr>");
	h_raw(r, "</tbody></table>");
	page_send(r);
}

static void
post_perdes(struct creq *r)
{
	const char *typed = f_get(r, "kode"), *desa = f_get(r, "desa");
	const char *title = f_get(r, "judul"), *until = f_get(r, "sampai");
	char code[32], village[DESA_MAX], why[512], day[11];
	long long t;
	int n, closed;

	if (perdes_code(typed, code, sizeof(code)) != 0) {
		show(r, r_printf(r, "'%s' is not a Perdes code (letters then "
		    "digits, e.g. PD01)", typed));
		return;
	}
	if (desa[0] != '\0' && office_village(r->gw->store, r->gw->conf->area,
	    desa, village, sizeof(village), why, sizeof(why)) == NULL) {
		show(r, why);
		return;
	}
	if (!strcmp(f_get(r, "aksi"), "tutup")) {
		if (page_begin_write(r))
			return;
		if (action_perdes_close(r->gw->store, code, desa[0] ? village :
		    NULL, r->now, &closed) < 0) {
			page_rollback(r, 503, store_errmsg(r->gw->store));
			return;
		}
	} else {
		if (desa[0] == '\0' || title[0] == '\0' || until[0] == '\0') {
			show(r, "open needs --desa, --title and --until");
			return;
		}
		if (clock_parse_office_date(until, &t, why, sizeof(why)) != 0) {
			show(r, r_printf(r, "--until: %s", why));
			return;
		}
		clock_iso_date(t, day, sizeof(day));
		if (page_begin_write(r))
			return;
		if ((n = action_perdes_open(r->gw->store, code, village, title,
		    day, r->now)) < 0) {
			page_rollback(r, 503, store_errmsg(r->gw->store));
			return;
		}
	}
	if (page_commit(r) == 0)
		page_see_other(r, "/perdes", "perdes");
}

const struct console_page page_perdes = {
	"/perdes", 1, ROLES_OFFICE, ROLES_OFFICE, get_perdes, post_perdes
};
