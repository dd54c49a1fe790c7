/*
 * page_bulanan: /laporan/bulanan, the camat's monthly report as `report
 * monthly` gives it (rules/report.h), a table per section with a bar
 * chart of the villages, and /laporan/bulanan.csv, one section as the
 * CLI's --format csv writes it, byte for byte. A camat gets their own
 * kecamatan whatever the query asks.
 */
#include "gateway/console/console_int.h"
#include "gateway/console/page_chart.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/report.h"
#include "config/config.h"
#include "store/csv.h"

#include <event2/buffer.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Each section's heading on the page. */
static const char *const titles[REPORT_NSECTIONS] = {
	[REPORT_DESA] = "Per desa",
	[REPORT_REVIEW] = "Menunggu pemeriksaan koordinator (laporan "
	    "RAPAT/KADER yang belum dihitung)",
	[REPORT_PERDES] = "Aspirasi per Perdes",
	[REPORT_SILENT] = "Pendamping tanpa laporan RAPAT/KADER bulan ini",
	[REPORT_KEGIATAN] = "Kegiatan APBDes dengan selisih (laporan warga "
	    "jauh dari progres resmi, atau progres resmi lama)",
};

/* What a request asks for: the month and the kecamatans it covers. */
struct month_ask {
	char month[8];
	const char *typed;		/* the kecamatan as asked ("" all) */
	struct kecamatan one;
	struct kecamatan *k;		/* one, or report_kecamatans' list */
	int nk;
	const char *kec;		/* one's code, or NULL for all */
	const char *why;		/* not understood: why */
};

/* The kecamatan asked for (a camat: theirs) into a, or a->why. Returns
 * 0, or -1 after a 503 page. */
static int
month_ask(struct creq *r, struct month_ask *a)
{
	struct kec_pick pick;
	const char *bulan = q_get(r, "bulan"), *sep = "";
	int rc, i;
	time_t t = (time_t)r->now;
	struct tm tm;

	memset(a, 0, sizeof(*a));
	localtime_r(&t, &tm);
	strftime(a->month, sizeof(a->month), "%Y-%m", &tm);
	if (bulan[0] != '\0') {
		if (!report_month_valid(bulan)) {
			a->why = "Bulan harus berbentuk TTTT-BB, mis. 2026-11.";
			return 0;
		}
		snprintf(a->month, sizeof(a->month), "%s", bulan);
	}
	a->typed = r->role == ROLE_CAMAT ? r->user.kecamatan :
	    q_get(r, "kecamatan");
	if (a->typed[0] == '\0') {
		if ((a->nk = report_kecamatans(r->gw->store, a->month,
		    r->gw->conf->area, &a->k)) < 0)
			goto fail;
		return 0;
	}
	if ((rc = report_kecamatan_pick(r->gw->store, a->typed,
	    r->gw->conf->area, &pick)) < 0)
		goto fail;
	if (rc == KEC_FOUND) {
		a->one = pick.k;
		a->k = &a->one;
		a->nk = 1;
		a->kec = a->one.code;
		return 0;
	}
	/* the names report monthly offers, in the same order */
	if (rc == KEC_AMBIGUOUS)
		a->why = r_printf(r, "Ada %d kecamatan bernama '%s'; pilih "
		    "kodenya:", pick.ncand, a->typed);
	else
		a->why = r_printf(r, "Kecamatan '%s' tidak dikenal%s", a->typed,
		    pick.ncand ? "; yang paling mirip:" : " (cari desanya di "
		    "daftar desa untuk melihat kecamatannya).");
	for (i = 0; i < pick.ncand; i++, sep = ",")
		a->why = r_printf(r, "%s%s %s (%s, %s)", a->why, sep,
		    pick.cand[i].name, pick.cand[i].code, pick.cand[i].kabupaten);
	return 0;
fail:
	page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
	return -1;
}

static void
month_done(struct month_ask *a)
{
	if (a->k != &a->one)
		free(a->k);
}

/* ---- the page ---- */

#define NCHARTS	4
#define SECTION_SHOWN	100	/* rows of a section on the page */

struct section {
	struct creq *r;
	enum report_section sec;
	int all;			/* every kecamatan: chart their totals */
	int rows;
	int ncols;
	const char **head;		/* the header, shown with the first row */
	struct chart_bar *bars[NCHARTS];	/* desa: as charted[] */
	int nbars, cap;
	const char *month;		/* YYYY-MM, for links */
};

/* The columns of the village table the charts show; "hadir" is a
 * meeting's attendance, laki + perempuan. */
static const char *const charted[NCHARTS] = { "rapat", "hadir", "kader",
    "aduan_masuk" };

static int
col_of(const struct section *s, const char *name)
{
	int i;

	for (i = 0; i < s->ncols; i++)
		if (!strcmp(s->head[i], name))
			return i;
	return -1;
}

/* A number of the row by its column's name; 0 when there is none. */
static long long
column(const struct section *s, const char *const *v, const char *name)
{
	int c = col_of(s, name);

	return c >= 0 ? strtoll(v[c], NULL, 10) : 0;
}

/* Keep a village's (one kecamatan) or a kecamatan's totals (all) for
 * the charts. */
static void
chart_keep(struct section *s, const char *const *v)
{
	int desa = col_of(s, "desa"), kode = col_of(s, "kode");
	int kecamatan = col_of(s, "kecamatan"), j;
	int total = desa >= 0 && !strcmp(v[desa], "JUMLAH") && kode >= 0 &&
	    (s->all || v[kode][0] == '\0');
	const char *label;

	if (desa < 0 || total != s->all)
		return;
	label = total ? (kecamatan >= 0 && v[kecamatan][0] ? v[kecamatan] :
	    "(di luar daftar desa)") : v[desa];
	if (s->nbars == s->cap) {
		int cap = s->cap ? s->cap * 2 : 32;

		for (j = 0; j < NCHARTS; j++) {
			struct chart_bar *b = realloc(s->bars[j],
			    (size_t)cap * sizeof(*b));

			if (b == NULL)
				return;
			s->bars[j] = b;
		}
		s->cap = cap;
	}
	for (j = 0; j < NCHARTS; j++) {
		s->bars[j][s->nbars].label = r_printf(s->r, "%s", label);
		s->bars[j][s->nbars].value = !strcmp(charted[j], "hadir") ?
		    column(s, v, "laki") + column(s, v, "perempuan") :
		    column(s, v, charted[j]);
	}
	s->nbars++;
}

static int
is_number(const char *v)
{
	return v[0] != '\0' && strspn(v, "0123456789") == strlen(v);
}

static int
section_row(void *arg, int row, int n, const char *const *v)
{
	struct section *s = arg;
	struct creq *r = s->r;
	int i;

	if (row == 0) {
		s->ncols = n;
		if ((s->head = calloc((size_t)n, sizeof(*s->head))) == NULL)
			return 1;
		for (i = 0; i < n; i++)
			s->head[i] = r_printf(r, "%s", v[i]);
		return 0;
	}
	if (s->rows++ == 0) {
		h_raw(r, "<table><thead><tr>");
		for (i = 0; i < s->ncols; i++)
			h(r, "<th>%s</th>", s->head[i]);
		h_raw(r, "</tr></thead><tbody>");
	}
	/* the page stays light: the rest is in the section's CSV (the
	 * charts still take every village) */
	if (s->rows > SECTION_SHOWN) {
		if (s->sec == REPORT_DESA)
			chart_keep(s, v);
		return 0;
	}
	h_raw(r, "<tr>");
	for (i = 0; i < n; i++) {
		if (s->all && s->sec == REPORT_DESA && !strcmp(s->head[i],
		    "kode") && v[i][0] != '\0')
			h(r, "<td><a href=\"/laporan/bulanan?kecamatan=%s&bulan="
			    "%s\">%s</a></td>", r_url(r, v[i]), r_url(r,
			    s->month), v[i]);
		else if (!strncmp(v[i], "R-", 2) && is_number(v[i] + 2))
			h(r, "<td><a href=\"/laporan/%s\">%s</a></td>", v[i] + 2,
			    v[i]);
		else
			h(r, "<td%s>%s</td>", is_number(v[i]) ?
			    " class=\"num\"" : "", v[i]);
	}
	h_raw(r, "</tr>");
	if (s->sec == REPORT_DESA)
		chart_keep(s, v);
	return 0;
}

/* The link to a section's CSV. */
static void
h_csv_link(struct creq *r, const struct month_ask *a, enum report_section s)
{
	h(r, "<p><a href=\"/laporan/bulanan.csv?bulan=%s&kecamatan=%s&bagian="
	    "%s\" download>Unduh CSV</a></p>", r_url(r, a->month),
	    r_url(r, a->kec ? a->kec : ""), report_section_name(s));
}

static void
h_charts(struct creq *r, struct section *s, const struct month_ask *a)
{
	static const char *const what[NCHARTS] = { "Rapat", "Peserta rapat "
	    "(laki-laki dan perempuan)", "Kader dilatih", "Aduan masuk" };
	int j;

	if (s->nbars == 0)
		return;
	h(r, "<h3>Grafik per %s</h3>", a->kec ? "desa" : "kecamatan");
	for (j = 0; j < NCHARTS; j++)
		h_bar_chart(r, r_printf(r, "grafik-%s", charted[j]),
		    r_printf(r, "%s per %s, %s", what[j], a->kec ? "desa" :
		    "kecamatan", a->month), s->bars[j], s->nbars);
}

static void
h_form(struct creq *r, const struct month_ask *a)
{
	h(r, "<form method=\"get\" action=\"/laporan/bulanan\" "
	    "class=\"filters\"><label>Bulan <input type=\"month\" name=\"bulan\""
	    " value=\"%s\"></label>", a->month);
	if (r->role != ROLE_CAMAT)
		h(r, "<label>Kecamatan <input name=\"kecamatan\" value=\"%s\">"
		    "</label>", q_get(r, "kecamatan"));
	h_raw(r, "<button>Tampilkan</button></form>");
}

static void
get_bulanan(struct creq *r)
{
	struct month_ask a;
	enum report_section s;
	int rc = 0, j;

	if (month_ask(r, &a) != 0)
		return;
	page_begin(r, "Laporan bulanan", "/laporan");
	h_form(r, &a);
	if (a.why != NULL) {
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", a.why);
		month_done(&a);
		page_send(r);
		return;
	}
	if (a.kec != NULL)
		h(r, "<h2>%s, Kecamatan %s (%s), %s</h2>", a.month, a.one.name,
		    a.one.code, a.one.kabupaten);
	else
		h(r, "<h2>%s: %d kecamatan</h2>", a.month, a.nk);
	for (s = REPORT_DESA; s < REPORT_NSECTIONS && rc == 0; s++) {
		struct section sec = { r, s, a.kec == NULL, 0, 0, NULL,
		    { NULL }, 0, 0, a.month };

		h(r, "<section><h2>%s</h2>", titles[s]);
		h_csv_link(r, &a, s);
		/* every kecamatan: their totals here, a link to each */
		if (s == REPORT_DESA && a.kec == NULL)
			rc = report_totals_rows(r->gw->store, a.month, a.k,
			    a.nk, section_row, &sec);
		else
			rc = report_section_rows(r->gw->store, s, a.month,
			    a.kec, a.k, a.nk, r->now, section_row, &sec);
		if (sec.rows == 0)
			h_raw(r, "<p>Tidak ada.</p>");
		else
			h_raw(r, "</tbody></table>");
		if (sec.rows > SECTION_SHOWN)
			h(r, "<p>%d baris pertama dari %d; semuanya ada di CSV."
			    "</p>", SECTION_SHOWN, sec.rows);
		h_charts(r, &sec, &a);
		h_raw(r, "</section>");
		for (j = 0; j < NCHARTS; j++)
			free(sec.bars[j]);
		free(sec.head);
	}
	month_done(&a);
	if (rc != 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	page_send(r);
}

/* ---- the CSV ---- */

static int
csv_row(void *arg, int row, int n, const char *const *v)
{
	(void)row;
	csv_write_row(arg, n, v);
	return 0;
}

static void
get_bulanan_csv(struct creq *r)
{
	struct month_ask a;
	enum report_section s = report_section_find(q_get(r, "bagian"));
	struct evbuffer *b;
	char *data = NULL;
	size_t len = 0;
	FILE *f;
	int rc;

	if (q_get(r, "bagian")[0] == '\0')
		s = REPORT_DESA;
	if (s == REPORT_NSECTIONS) {
		page_error(r, 400, "Bagian tidak dikenal (desa, review, perdes, "
		    "silent atau kegiatan).");
		return;
	}
	if (month_ask(r, &a) != 0)
		return;
	if (a.why != NULL) {
		page_error(r, 400, a.why);
		month_done(&a);
		return;
	}
	if ((f = open_memstream(&data, &len)) == NULL) {
		month_done(&a);
		page_error(r, 500, "Memori habis.");
		return;
	}
	rc = report_section_rows(r->gw->store, s, a.month, a.kec, a.k, a.nk,
	    r->now, csv_row, f);
	fclose(f);
	if (rc != 0 || (b = evbuffer_new()) == NULL) {
		free(data);
		month_done(&a);
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	evbuffer_add(b, data, len);
	free(data);
	page_send_csv(r, r_printf(r, "laporan-%s-%s-%s.csv", a.month,
	    a.kec ? a.kec : "semua", report_section_name(s)), b);
	evbuffer_free(b);
	month_done(&a);
}

const struct console_page page_bulanan = {
	"/laporan/bulanan", 0, ROLES_ALL, 0, get_bulanan, NULL
};
const struct console_page page_bulanan_csv = {
	"/laporan/bulanan.csv", 0, ROLES_ALL, 0, get_bulanan_csv, NULL
};
