/*
 * page_tiket: "/tiket", the complaints (ADU) and aspirations (ASP), newest
 * first, a page at a time (keyset: ?sebelum= the last id shown), with the
 * filters of `tickets list` and a few more as GET fields. A camat sees
 * only the tickets of their kecamatan's villages, whatever is asked.
 */
#include "gateway/console/console_int.h"
#include "gateway/console/console_pick.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/tickets.h"
#include "gateway/util/clock.h"
#include "store/store_console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ISI_SHOWN	120	/* characters of isi in a row */

/* s cut after max characters (UTF-8), with an ellipsis when cut. */
static const char *
r_cut(struct creq *r, const char *s, int max)
{
	const char *p;
	int n = 0;

	for (p = s; *p; p++)
		if (((unsigned char)*p & 0xc0) != 0x80 && n++ == max)
			return r_printf(r, "%.*s…", (int)(p - s), s);
	return s;
}

struct list {
	struct creq *r;
	int shown;
	long long last_id;	/* of the last row shown: the next cursor */
};

static int
ticket_row(void *arg, int row, int n, const char *const *v)
{
	struct list *l = arg;
	struct creq *r = l->r;

	(void)n;
	if (row > PAGE_ROWS)
		return 1;	/* only says that there is a next page */
	l->shown = row;
	l->last_id = strtoll(v[0], NULL, 10);
	h(r, "<tr><td><a href=\"/tiket/%s\">%s</a></td><td>%s</td>"
	    "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
	    "<td>%s</td></tr>", v[1], v[1], !strcmp(v[2], "ADU") ? "Aduan" :
	    "Aspirasi", v[3], v[5], r_cut(r, v[6], ISI_SHOWN), v[7],
	    r_time(r, strtoll(v[8], NULL, 10)),
	    r_time(r, strtoll(v[9], NULL, 10)));
	return 0;
}

/* The filter form, keeping what was typed. */
static void
filters(struct creq *r)
{
	static const char *const statuses[] = { "baru", "diproses", "selesai",
	    "ditolak" };
	const char *status = ticket_status(q_get(r, "status"));
	size_t i;

	h_raw(r, "<form method=\"get\" action=\"/tiket\" class=\"filters\">"
	    "<label>Status <select name=\"status\"><option value=\"\">Semua"
	    "</option>");
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		h(r, "<option%s>%s</option>", status != NULL &&
		    !strcmp(status, statuses[i]) ?
		    " selected" : "", statuses[i]);
	h(r, "</select></label><label>Desa <input name=\"desa\" value=\"%s\">"
	    "</label><label>Kecamatan <input name=\"kecamatan\" value=\"%s\">"
	    "</label><label>Dari <input name=\"dari\" value=\"%s\" "
	    "placeholder=\"YYYY-MM-DD\"></label><label>Sampai <input "
	    "name=\"sampai\" value=\"%s\" placeholder=\"YYYY-MM-DD\"></label>"
	    "<label>Isi memuat <input name=\"q\" value=\"%s\"></label>"
	    "<button>Saring</button></form>", q_get(r, "desa"),
	    q_get(r, "kecamatan"), q_get(r, "dari"), q_get(r, "sampai"),
	    q_get(r, "q"));
}

/* The query's filters into f: NULL, or why one cannot be used. */
static const char *
read_filters(struct creq *r, struct console_tickets *f, char *desa,
    char *kec, char *why, size_t cap)
{
	const char *typed;
	char err[256];
	long long day;

	f->status = "";
	if ((typed = q_get(r, "status"))[0] != '\0' &&
	    (f->status = ticket_status(typed)) == NULL)
		return r_printf(r, "Status '%s' tidak dikenal (%s).", typed,
		    TICKET_STATUSES);
	f->desa = f->kec = "";
	if ((typed = q_get(r, "desa"))[0] != '\0' && (f->desa =
	    console_village(r, typed, desa, DESA_MAX, why, cap)) == NULL)
		return why;
	if ((typed = q_get(r, "kecamatan"))[0] != '\0' && (f->kec =
	    console_kecamatan(r, typed, kec, why, cap)) == NULL)
		return why;
	if ((typed = q_get(r, "dari"))[0] != '\0') {
		if (clock_parse_office_date(typed, &day, err, sizeof(err)))
			return r_printf(r, "Tanggal 'dari' tidak sah: '%s' "
			    "(YYYY-MM-DD atau d/m/yyyy).", typed);
		f->from = day;
	}
	if ((typed = q_get(r, "sampai"))[0] != '\0') {
		if (clock_parse_office_date(typed, &day, err, sizeof(err)))
			return r_printf(r, "Tanggal 'sampai' tidak sah: '%s' "
			    "(YYYY-MM-DD atau d/m/yyyy).", typed);
		/* the whole day: up to the next one's start */
		f->to = clock_day_start(day + 36 * 3600);
	}
	return NULL;
}

static void
get_tickets(struct creq *r)
{
	struct console_tickets f;
	struct list l = { r, 0, 0 };
	char desa[DESA_MAX], kec[16], why[1024];
	const char *bad;
	int rows;

	memset(&f, 0, sizeof(f));
	f.camat = r->role == ROLE_CAMAT ? r->user.kecamatan : "";
	f.q = q_get(r, "q");
	f.before = strtoll(q_get(r, "sebelum"), NULL, 10);
	bad = read_filters(r, &f, desa, kec, why, sizeof(why));
	page_begin(r, "Tiket", "/tiket");
	h_flash(r);
	filters(r);
	if (bad != NULL) {
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", bad);
		page_send(r);
		return;
	}
	h_raw(r, "<table><thead><tr><th>Tiket</th><th>Jenis</th>"
	    "<th>Status</th><th>Desa</th><th>Isi</th><th>Nomor</th>"
	    "<th>Masuk</th><th>Diperbarui</th></tr></thead><tbody>");
	rows = store_console_tickets(r->gw->store, &f, PAGE_ROWS + 1,
	    ticket_row, &l);
	h_raw(r, "</tbody></table>");
	if (rows < 0)
		h_raw(r, "<p class=\"error\" role=\"alert\">Basis data tidak "
		    "dapat dibaca. Coba lagi.</p>");
	else if (rows == 0)
		h_raw(r, "<p class=\"muted\">Tidak ada tiket.</p>");
	if (rows > PAGE_ROWS)
		h_next(r, "/tiket", "sebelum", r_printf(r, "%lld", l.last_id));
	page_send(r);
}

const struct console_page page_tiket = {
	"/tiket", 0, ROLES_ALL, 0, get_tickets, NULL
};
