/*
 * page_rapat: "/rapat", the meetings to come and those past; a meeting
 * added (`meetings add`), moved (`meetings update`) or cancelled with a
 * reason (`meetings cancel`) through the rules of gateway/rules/
 * meetings.h, refused with the CLI's words.
 */
#include "gateway/console/console_int.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/meetings.h"
#include "gateway/rules/office.h"
#include "gateway/util/clock.h"
#include "config/config.h"
#include "store/store_console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
meeting_row(void *arg, int row, int n, const char *const *v)
{
	struct creq *r = arg;

	(void)row;
	(void)n;
	/* id, desa, name, tanggal, waktu, jenis, tempat, state, reason */
	h(r, "<tr><td>%s</td><td>%s %s</td><td>%s %s</td><td>%s</td>"
	    "<td>%s</td><td>%s%s%s</td></tr>", v[0], v[1], v[2], v[3], v[4],
	    v[5], v[6], !strcmp(v[7], "cancelled") ? "dibatalkan" :
	    "terjadwal", v[8][0] ? ": " : "", v[8]);
	return 0;
}

static void
table(struct creq *r, const char *title, const char *today, int upcoming)
{
	h(r, "<section><h2>%s</h2><table><thead><tr><th>No.</th><th>Desa</th>"
	    "<th>Waktu</th><th>Jenis</th><th>Tempat</th><th>Keadaan</th></tr>"
	    "</thead><tbody>", title);
	if (store_console_meetings(r->gw->store, today, upcoming, PAGE_ROWS,
	    meeting_row, r) < 0)
		h_raw(r, "<tr><td colspan=\"6\">Basis data tidak dapat dibaca."
		    "</td></tr>");
	h_raw(r, "</tbody></table></section>");
}

static void
form(struct creq *r, const char *aksi, const char *title, const char *fields)
{
	h(r, "<section><h2>%s</h2><form method=\"post\" action=\"/rapat\">",
	    title);
	h_csrf(r);
	h(r, "<input type=\"hidden\" name=\"aksi\" value=\"%s\">", aksi);
	h_raw(r, fields);
	h_raw(r, "<button>Kirim</button></form></section>");
}

static void
show(struct creq *r, const char *error)
{
	char today[11];

	clock_iso_date(r->now, today, sizeof(today));
	page_begin(r, "Rapat", "/rapat");
	h_flash(r);
	if (error != NULL)
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", error);
	table(r, "Akan datang", today, 1);
	form(r, "tambah", "Tambah rapat",
	    "<label>Desa <input name=\"desa\" required></label>"
	    "<label>Tanggal <input name=\"tanggal\" placeholder=\"2026-12-15\" "
	    "required></label><label>Jam <input name=\"waktu\" "
	    "placeholder=\"09:00\" required></label><label>Jenis <select "
	    "name=\"jenis\"><option>RPJM</option><option>RKP</option>"
	    "<option>APB</option><option>PERDES</option><option>SOS</option>"
	    "<option>EVAL</option><option>KAD</option><option>LAIN</option>"
	    "</select></label><label>Tempat <input name=\"tempat\"></label>");
	form(r, "ubah", "Ubah rapat",
	    "<label>No. <input name=\"id\" required></label>"
	    "<label>Tanggal <input name=\"tanggal\"></label>"
	    "<label>Jam <input name=\"waktu\"></label>"
	    "<label>Tempat <input name=\"tempat\"></label>");
	form(r, "batal", "Batalkan rapat",
	    "<label>No. <input name=\"id\" required></label>"
	    "<label>Alasan <input name=\"alasan\"></label>");
	table(r, "Sudah lewat", today, 0);
	page_send(r);
}

static void
get_rapat(struct creq *r)
{
	show(r, NULL);
}

/* A typed date as the store keeps it into out; NULL or why not. */
static const char *
date_of(struct creq *r, const char *typed, char *out)
{
	char why[256];
	long long day;

	if (clock_parse_office_date(typed, &day, why, sizeof(why)) != 0)
		return r_printf(r, "--date: %s", why);
	clock_iso_date(day, out, 11);
	return NULL;
}

static const char *
add(struct creq *r)
{
	const char *desa = f_get(r, "desa"), *date = f_get(r, "tanggal");
	const char *when = f_get(r, "waktu"), *type = f_get(r, "jenis");
	const char *jenis, *err;
	struct meeting m;
	char why[512];
	long long id;

	if (desa[0] == '\0')
		return "add needs --desa";
	if (!date[0] || !when[0] || !type[0])
		return "add needs --date, --time HH:MM and --type";
	memset(&m, 0, sizeof(m));
	if (office_village(r->gw->store, r->gw->conf->area, desa, m.desa,
	    sizeof(m.desa), why, sizeof(why)) == NULL)
		return r_printf(r, "%s", why);
	if ((err = date_of(r, date, m.tanggal)) != NULL)
		return err;
	if (meeting_time(when, m.waktu, sizeof(m.waktu)) != 0)
		return r_printf(r, "--time wants HH:MM, not '%s'", when);
	if ((jenis = meeting_type(type)) == NULL)
		return r_printf(r, "the type is one of " MEETING_TYPES
		    ", not '%s'", type);
	snprintf(m.jenis, sizeof(m.jenis), "%s", jenis);
	snprintf(m.tempat, sizeof(m.tempat), "%s", f_get(r, "tempat"));
	if (page_begin_write(r))
		return NULL;
	if (action_meeting_add(r->gw->store, &m, r->now, &id) < 0)
		page_rollback(r, 503, store_errmsg(r->gw->store));
	else if (page_commit(r) == 0)
		page_see_other(r, "/rapat", "rapat");
	return NULL;
}

/* Update or cancel meeting id; NULL once answered, else why not. */
static const char *
change(struct creq *r, int cancel)
{
	const char *date = f_get(r, "tanggal"), *when = f_get(r, "waktu");
	const char *place = f_get(r, "tempat"), *typed = f_get(r, "id"), *err;
	struct meeting want, m;
	struct meeting_news news;
	char why[256], *end;
	int rc;

	memset(&want, 0, sizeof(want));
	memset(&news, 0, sizeof(news));
	want.id = strtoll(typed, &end, 10);
	if (*end != '\0' || want.id <= 0)
		return r_printf(r, "'%s' is not a meeting id (the first column "
		    "of meetings list)", typed);
	if (!cancel) {
		if (!date[0] && !when[0] && !place[0])
			return "update needs --date, --time or --place";
		if (date[0] && (err = date_of(r, date, want.tanggal)) != NULL)
			return err;
		if (when[0] && meeting_time(when, want.waktu,
		    sizeof(want.waktu)) != 0)
			return r_printf(r, "--time wants HH:MM, not '%s'",
			    when);
		snprintf(want.tempat, sizeof(want.tempat), "%s", place);
	}
	if (page_begin_write(r))
		return NULL;
	rc = cancel ? action_meeting_cancel(r->gw->store, want.id,
	    f_get(r, "alasan"), r->now, &news) :
	    action_meeting_change(r->gw->store, &want, r->now, &m, &news);
	if (rc < 0) {
		page_rollback(r, 503, store_errmsg(r->gw->store));
		return NULL;
	}
	if (rc != MEET_DONE) {
		store_rollback(r->gw->store);
		return r_printf(r, "%s", meeting_refusal(want.id, rc, &news.was,
		    why, sizeof(why)));
	}
	if (page_commit(r) == 0)
		page_see_other(r, "/rapat", "rapat");
	return NULL;
}

static void
post_rapat(struct creq *r)
{
	const char *aksi = f_get(r, "aksi"), *why;

	if (!strcmp(aksi, "tambah"))
		why = add(r);
	else if (!strcmp(aksi, "ubah") || !strcmp(aksi, "batal"))
		why = change(r, !strcmp(aksi, "batal"));
	else
		why = "Aksi tidak dikenal.";
	if (why != NULL)
		show(r, why);
}

const struct console_page page_rapat = {
	"/rapat", 0, ROLES_OFFICE, ROLES_OFFICE, get_rapat, post_rapat
};
