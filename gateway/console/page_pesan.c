/*
 * page_pesan: /pesan, the messages that came in and the SMS that go out,
 * newest first, a tab each (arah: masuk, keluar, semua), 50 a page by
 * keyset. Filters: nomor (as people type it), q (text), dari and sampai
 * (dates). A text search without a number reads only the newest
 * PESAN_SCAN_MAX rows of each table, and says so.
 */
#include "gateway/console/console_int.h"
#include "gateway/console/pesan_show.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/clock.h"
#include "store/store_console.h"

#include <stdlib.h>
#include <string.h>

/* One list being written: its last id, for the next page's cursor. */
struct pesan_list {
	struct creq *r;
	long long last;
	int rows;
};

/* A row's first cells (when, who), and its id kept for the cursor; 1
 * for the row past the page, which only says there is a next. */
static int
row_head(struct pesan_list *l, int row, const char *id, const char *t,
    const char *number)
{
	struct creq *r = l->r;

	if (row > PAGE_ROWS)
		return 1;
	l->rows = row;
	l->last = strtoll(id, NULL, 10);
	h(r, "<tr><td>%s</td><td>", r_time(r, strtoll(t, NULL, 10)));
	h_number_link(r, number);
	return 0;
}

static int
inbound_row(void *arg, int row, int n, const char *const *v)
{
	struct pesan_list *l = arg;
	struct creq *r = l->r;

	(void)n;
	if (row_head(l, row, v[0], v[2], v[1]))
		return 1;
	h(r, "</td><td>%s</td><td>%s", v[3], pesan_in_state(v[4]));
	if (v[5][0] != '\0')
		h(r, " <small>(%s)</small>", v[5]);
	if (v[6][0] != '\0')
		h(r, "<br><small class=\"bad\">%s</small>", v[6]);
	else if (v[7][0] != '\0')
		h(r, "<br><small>%s</small>", v[7]);
	if (strcmp(v[8], "sms") != 0)
		h(r, "<br><small>lewat %s</small>", v[8]);
	h_raw(r, "</td></tr>");
	return 0;
}

/* An outbox row's state, with why it waits or failed. */
static void
h_out_state(struct creq *r, const char *state, const char *reason,
    const char *error)
{
	int bad = !strcmp(state, "dead") || !strcmp(state, "failed") ||
	    !strcmp(state, "withheld");

	h(r, "<span%s>%s</span>", bad ? " class=\"bad\"" : "",
	    pesan_out_state(state));
	if (reason[0] != '\0')
		h(r, "<br><small>%s</small>", reason);
	if (error[0] != '\0')
		h(r, "<br><small class=\"bad\">%s</small>", error);
}

static int
outbound_row(void *arg, int row, int n, const char *const *v)
{
	struct pesan_list *l = arg;
	struct creq *r = l->r;

	(void)n;
	if (row_head(l, row, v[0], v[7], v[1]))
		return 1;
	h(r, "</td><td>%s</td><td>%s</td><td>", v[2], pesan_purpose(v[3]));
	h_out_state(r, v[4], v[5], v[6]);
	h(r, "</td><td>%s</td><td>%s</td></tr>",
	    r_time(r, strtoll(v[8], NULL, 10)),
	    r_time(r, strtoll(v[9], NULL, 10)));
	return 0;
}

/* The filters' form, with what was asked kept in it. */
static void
filters(struct creq *r, const char *arah)
{
	static const struct {
		const char *value, *label;
	} tabs[] = {
		{ "masuk", "Masuk" }, { "keluar", "Keluar" },
		{ "semua", "Semua" },
	};
	size_t i;

	h_raw(r, "<form method=\"get\" action=\"/pesan\" class=\"filters\">");
	h(r, "<label>Nomor <input name=\"nomor\" value=\"%s\" "
	    "inputmode=\"tel\"></label>", q_get(r, "nomor"));
	h(r, "<label>Isi memuat <input name=\"q\" value=\"%s\" "
	    "maxlength=\"%d\"></label>", q_get(r, "q"), PESAN_TEXT_MAX);
	h(r, "<label>Dari <input type=\"date\" name=\"dari\" value=\"%s\">"
	    "</label>", q_get(r, "dari"));
	h(r, "<label>Sampai <input type=\"date\" name=\"sampai\" "
	    "value=\"%s\"></label>", q_get(r, "sampai"));
	h_raw(r, "<label>Arah <select name=\"arah\">");
	for (i = 0; i < sizeof(tabs) / sizeof(tabs[0]); i++)
		h(r, "<option value=\"%s\"%s>%s</option>", tabs[i].value,
		    strcmp(arah, tabs[i].value) ? "" : " selected",
		    tabs[i].label);
	h_raw(r, "</select></label><button>Cari</button></form>");
}

/* The filter the query asks for, or a message saying what is wrong. */
static const char *
read_filter(struct creq *r, struct pesan_filter *f)
{
	const char *nomor = q_get(r, "nomor"), *dari = q_get(r, "dari"),
	    *sampai = q_get(r, "sampai");
	char err[160];

	memset(f, 0, sizeof(*f));
	f->number = "";
	f->text = q_get(r, "q");
	f->limit = PAGE_ROWS + 1;
	if (nomor[0] != '\0' && (f->number = pesan_number(r, nomor,
	    NULL)) == NULL)
		return "Nomor itu tidak dikenali.";
	if (strlen(f->text) > PESAN_TEXT_MAX)
		return r_printf(r, "Teks yang dicari terlalu panjang (paling "
		    "banyak %d huruf).", PESAN_TEXT_MAX);
	if (dari[0] != '\0' && clock_parse_office_date(dari, &f->from, err,
	    sizeof(err)) != 0)
		return "Tanggal 'dari' tidak sah: tulis YYYY-MM-DD.";
	if (sampai[0] != '\0') {
		if (clock_parse_office_date(sampai, &f->to, err,
		    sizeof(err)) != 0)
			return "Tanggal 'sampai' tidak sah: tulis YYYY-MM-DD.";
		f->to = clock_day_start(f->to + 36 * 3600);	/* the day after */
	}
	return NULL;
}

/* One direction's table and its next page link (cursor field). */
static int
one_list(struct creq *r, const struct pesan_filter *base, int out,
    const char *field)
{
	struct pesan_filter f = *base;
	struct pesan_list l = { r, 0, 0 };
	int n;

	f.cursor = strtoll(q_get(r, field), NULL, 10);
	if (f.cursor < 0)
		f.cursor = 0;
	if (out)
		h_raw(r, "<table><thead><tr><th>Dibuat</th><th>Nomor</th>"
		    "<th>Isi</th><th>Jenis</th><th>Keadaan</th>"
		    "<th>Dikirim</th><th>Sampai</th></tr></thead><tbody>");
	else
		h_raw(r, "<table><thead><tr><th>Diterima</th><th>Nomor</th>"
		    "<th>Isi</th><th>Keadaan</th></tr></thead><tbody>");
	n = out ? store_console_outbound(r->gw->store, &f, outbound_row, &l) :
	    store_console_inbound(r->gw->store, &f, inbound_row, &l);
	h_raw(r, "</tbody></table>");
	if (n < 0)
		return -1;
	if (l.rows == 0)
		h_raw(r, "<p class=\"muted\">Tidak ada pesan.</p>");
	if (n > PAGE_ROWS)
		h_next(r, "/pesan", field, r_printf(r, "%lld", l.last));
	return 0;
}

static void
get_pesan(struct creq *r)
{
	const char *arah = q_get(r, "arah"), *bad;
	struct pesan_filter f;
	int in, out, rc = 0;

	if (strcmp(arah, "keluar") && strcmp(arah, "semua"))
		arah = "masuk";
	in = strcmp(arah, "keluar") != 0;
	out = strcmp(arah, "masuk") != 0;
	bad = read_filter(r, &f);
	page_begin(r, "Pesan", "/pesan");
	h_flash(r);
	filters(r, arah);
	if (bad != NULL) {
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", bad);
		page_send(r);
		return;
	}
	if (f.text[0] != '\0' && f.number[0] == '\0')
		h(r, "<p class=\"muted\">Pencarian isi tanpa nomor hanya "
		    "memeriksa %d pesan terbaru tiap arah; isi nomor untuk "
		    "mencari di semua pesannya.</p>", PESAN_SCAN_MAX);
	if (in) {
		h_raw(r, "<section><h2>Masuk</h2>");
		rc |= one_list(r, &f, 0, "sebelum");
		h_raw(r, "</section>");
	}
	if (out && rc == 0) {
		h_raw(r, "<section><h2>Keluar</h2>");
		rc |= one_list(r, &f, 1, "sebelum_keluar");
		h_raw(r, "</section>");
	}
	if (rc != 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	page_send(r);
}

const struct console_page page_pesan = {
	"/pesan", 0, ROLES_OFFICE, 0, get_pesan, NULL
};
