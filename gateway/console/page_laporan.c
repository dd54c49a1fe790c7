/*
 * page_laporan: /laporan, the facilitators' reports newest first with the
 * filters of `records list` (and the kind), and /laporan/ID, one report
 * with the SMS that carried it, where the office counts a report that
 * waits (records accept) or withdraws one (records withdraw) through
 * rules/records_review.h. A camat sees their kecamatan's, and no forms.
 */
#include "gateway/console/console_int.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/records_review.h"
#include "gateway/rules/report.h"
#include "config/config.h"
#include "parser/parser.h"
#include "store/store_console.h"

#include <stdlib.h>
#include <string.h>

static const char *const kinds[] = { "rapat", "kader", "aduan", "aspirasi",
    NULL };
static const char *const states[] = { "counted", "not_counted", "withdrawn",
    NULL };
static const char *const flag_words[] = { "duplicate", "desa_not_assigned",
    "not_registered", NULL };

/* A state or flag as the office reads it. */
static const struct {
	const char *word, *label;
} labels[] = {
	{ "counted", "dihitung" },
	{ "not_counted", "menunggu pemeriksaan" },
	{ "withdrawn", "ditarik" },
	{ "duplicate", "mengulang laporan lain" },
	{ "desa_not_assigned", "desa bukan tugasnya" },
	{ "not_registered", "nomor belum terdaftar" },
};

static const char *
label(const char *word)
{
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(word, labels[i].word))
			return labels[i].label;
	return word;
}

/* w is "" or one of words. */
static int
allowed(const char *w, const char *const *words)
{
	for (; w[0] != '\0' && *words != NULL; words++)
		if (!strcmp(w, *words))
			return 1;
	return w[0] == '\0';
}

static const char *
kec_of(struct creq *r)
{
	return r->role == ROLE_CAMAT ? r->user.kecamatan : "";
}

/* The flags, each as words the office reads. */
static void
h_flags(struct creq *r, const char *flags)
{
	char *copy = r_printf(r, "%s", flags), *w, *save = NULL;
	const char *sep = "";

	for (w = strtok_r(copy, " ", &save); w != NULL;
	    w = strtok_r(NULL, " ", &save)) {
		h(r, "%s%s", sep, label(w));
		sep = ", ";
	}
}

/* A report's figures: who came, how many trained. */
static void
h_figures(struct creq *r, const char *const *v)
{
	if (v[LR_LAKI][0] != '\0' || v[LR_PEREMPUAN][0] != '\0')
		h(r, "L %s, P %s", v[LR_LAKI], v[LR_PEREMPUAN]);
	else if (v[LR_JUMLAH][0] != '\0')
		h(r, "%s orang", v[LR_JUMLAH]);
}

/* ---- the list ---- */

struct list {
	struct creq *r;
	const char *last;	/* the id of the last row shown */
	const char *next;	/* the cursor of the next page */
};

static int
list_row(void *arg, int row, int n, const char *const *v)
{
	struct list *l = arg;
	struct creq *r = l->r;

	(void)n;
	/* a row past the page: there is a next one, below the last shown */
	if (row > PAGE_ROWS) {
		l->next = l->last;
		return 1;
	}
	l->last = r_printf(r, "%s", v[LR_ID]);
	h(r, "<tr><td><a href=\"/laporan/%s\">R-%s</a></td><td>%s</td>"
	    "<td>%s</td><td>%s</td><td class=\"num\">", v[LR_ID], v[LR_ID],
	    v[LR_KIND], v[LR_DESA_NAME], v[LR_TANGGAL][0] ? v[LR_TANGGAL] :
	    r_date(r, strtoll(v[LR_CREATED], NULL, 10)));
	h_figures(r, v);
	h(r, "</td><td>%s%s%s</td><td>%s<br><small>%s</small></td>"
	    "<td>%s</td><td>", v[LR_JENIS], v[LR_JENIS][0] && v[LR_TEXT][0] ?
	    " · " : "", v[LR_TEXT], v[LR_NAME][0] ? v[LR_NAME] : v[LR_NUMBER],
	    v[LR_NAME][0] ? v[LR_NUMBER] : "", label(v[LR_STATE]));
	h_flags(r, v[LR_FLAGS]);
	h(r, "</td><td>%s</td></tr>", v[LR_NOTE]);
	return 0;
}

/* A select of words, the one chosen marked. */
static void
h_select(struct creq *r, const char *name, const char *text,
    const char *const *words, const char *chosen)
{
	h(r, "<label>%s <select name=\"%s\"><option value=\"\">semua</option>",
	    text, name);
	for (; *words != NULL; words++)
		h(r, "<option value=\"%s\"%s>%s</option>", *words,
		    !strcmp(*words, chosen) ? " selected" : "", label(*words));
	h_raw(r, "</select></label>");
}

/* The typed village as a code into f->desa, or why not into *why. */
static int
pick_desa(struct creq *r, const char *typed, struct laporan_filter *f,
    const char **why)
{
	struct village_scope scope = { NULL, r->gw->conf->area };
	struct village_pick p = { .cand = NULL };
	char norm[DESA_MAX];

	f->desa = "";
	if (typed[0] == '\0')
		return 0;
	parse_desa(typed, norm, sizeof(norm));
	switch (store_village_pick(r->gw->store, norm, &scope, &p)) {
	case VILLAGE_FOUND:
		f->desa = r_printf(r, "%s", p.v.code);
		return 0;
	case VILLAGE_AS_TYPED:
		f->desa = r_printf(r, "%s", norm);
		return 0;
	case VILLAGE_AMBIGUOUS:
		*why = r_printf(r, "Ada %d desa bernama '%s': ketik kodenya "
		    "(mis. 33.22.01.2005).", p.total, typed);
		return -1;
	case VILLAGE_UNKNOWN:
		*why = r_printf(r, "Desa '%s' tidak dikenal.", typed);
		return -1;
	default:
		*why = "Basis data tidak dapat dibaca. Coba lagi.";
		return -1;
	}
}

static void
get_list(struct creq *r)
{
	struct laporan_filter f = { .kec = kec_of(r) };
	struct list l = { r, NULL, NULL };
	const char *typed = q_get(r, "desa"), *why = NULL;
	long long before = strtoll(q_get(r, "sebelum"), NULL, 10);

	f.month = q_get(r, "bulan");
	f.flag = q_get(r, "tanda");
	f.state = q_get(r, "status");
	f.kind = q_get(r, "jenis");
	if (f.month[0] != '\0' && !report_month_valid(f.month))
		why = "Bulan harus berbentuk TTTT-BB, mis. 2026-11.";
	else if (!allowed(f.flag, flag_words) || !allowed(f.state, states) ||
	    !allowed(f.kind, kinds))
		why = "Saringan tidak dikenal.";
	else
		pick_desa(r, typed, &f, &why);
	page_begin(r, "Laporan", "/laporan");
	h_flash(r);
	h(r, "<form method=\"get\" action=\"/laporan\" class=\"filters\">"
	    "<label>Desa <input name=\"desa\" value=\"%s\"></label>"
	    "<label>Bulan <input type=\"month\" name=\"bulan\" value=\"%s\">"
	    "</label>", typed, f.month);
	h_select(r, "jenis", "Jenis", kinds, f.kind);
	h_select(r, "status", "Keadaan", states, f.state);
	h_select(r, "tanda", "Tanda", flag_words, f.flag);
	h_raw(r, "<button>Saring</button></form><p><a href=\"/laporan/bulanan"
	    "\">Laporan bulanan camat</a></p>");
	if (why != NULL) {
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", why);
		page_send(r);
		return;
	}
	h_raw(r, "<table><thead><tr><th>Nomor</th><th>Jenis</th><th>Desa</th>"
	    "<th>Tanggal</th><th>Angka</th><th>Jenis rapat / topik</th>"
	    "<th>Pengirim</th><th>Keadaan</th><th>Tanda</th>"
	    "<th>Catatan pemeriksaan</th></tr></thead><tbody>");
	if (store_console_laporan(r->gw->store, &f, before, PAGE_ROWS + 1,
	    list_row, &l) < 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	h_raw(r, "</tbody></table>");
	h_next(r, "/laporan", "sebelum", l.next);
	page_send(r);
}

/* ---- one report ---- */

struct one {
	struct creq *r;
	int found;
};

static void
h_item(struct creq *r, const char *term, const char *value)
{
	if (value[0] != '\0')
		h(r, "<dt>%s</dt><dd>%s</dd>", term, value);
}

/* The office's forms: count a report that waits, withdraw one that is
 * not withdrawn; only for RAPAT and KADER. */
static void
h_review_forms(struct creq *r, const char *const *v)
{
	if (r->role == ROLE_CAMAT || (strcmp(v[LR_KIND], "rapat") &&
	    strcmp(v[LR_KIND], "kader")))
		return;
	h_raw(r, "<section><h2>Pemeriksaan</h2>");
	if (!strcmp(v[LR_STATE], "not_counted")) {
		h(r, "<form method=\"post\" action=\"/laporan/%s\">", v[LR_ID]);
		h_csrf(r);
		h_raw(r, "<input type=\"hidden\" name=\"aksi\" value=\"terima\">"
		    "<button>Hitung laporan ini</button></form>");
	}
	if (strcmp(v[LR_STATE], "withdrawn")) {
		h(r, "<form method=\"post\" action=\"/laporan/%s\">", v[LR_ID]);
		h_csrf(r);
		h_raw(r, "<input type=\"hidden\" name=\"aksi\" value=\"tarik\">"
		    "<label>Alasan (dikirim ke pelapor lewat SMS) <textarea "
		    "name=\"alasan\" required maxlength=\"250\"></textarea>"
		    "</label><button class=\"secondary\">Tarik laporan</button>"
		    "</form>");
	}
	h_raw(r, "</section>");
}

static int
one_row(void *arg, int row, int n, const char *const *v)
{
	struct one *o = arg;
	struct creq *r = o->r;

	(void)row;
	(void)n;
	o->found = 1;
	h(r, "<dl><dt>Jenis</dt><dd>%s</dd><dt>Keadaan</dt><dd>%s</dd>",
	    v[LR_KIND], label(v[LR_STATE]));
	if (v[LR_FLAGS][0] != '\0') {
		h_raw(r, "<dt>Tanda</dt><dd>");
		h_flags(r, v[LR_FLAGS]);
		h_raw(r, "</dd>");
	}
	if (v[LD_DUPLICATE_OF][0] != '\0')
		h(r, "<dt>Mengulang</dt><dd><a href=\"/laporan/%s\">R-%s</a>"
		    "</dd>", v[LD_DUPLICATE_OF], v[LD_DUPLICATE_OF]);
	h_item(r, "Catatan pemeriksaan", v[LR_NOTE]);
	h_item(r, "Diperiksa", r_time(r, strtoll(v[LD_REVIEWED_AT], NULL,
	    10)));
	h(r, "<dt>Desa</dt><dd>%s (%s)</dd>", v[LR_DESA_NAME], v[LR_DESA]);
	h_item(r, "Desa seperti diketik", v[LD_DESA_INPUT]);
	h_item(r, "Tanggal", v[LR_TANGGAL]);
	h_item(r, "Jenis rapat", v[LR_JENIS]);
	h_item(r, "Laki-laki", v[LR_LAKI]);
	h_item(r, "Perempuan", v[LR_PEREMPUAN]);
	h_item(r, "Jumlah kader", v[LR_JUMLAH]);
	h_item(r, "Topik", v[LD_TOPIK]);
	h_item(r, "Catatan", v[LD_CATATAN]);
	h_item(r, "Isi", v[LD_ISI]);
	h_item(r, "Perdes", v[LD_PERDES]);
	if (v[LD_TICKET][0] != '\0')
		h(r, "<dt>Tiket</dt><dd><a href=\"/tiket/%s\">%s</a></dd>",
		    v[LD_TICKET], v[LD_TICKET]);
	h(r, "<dt>Pengirim</dt><dd>%s %s</dd><dt>Dicatat</dt><dd>%s</dd>"
	    "</dl>", v[LR_NAME], v[LR_NUMBER], r_time(r, strtoll(v[LR_CREATED],
	    NULL, 10)));
	h_raw(r, "<section><h2>SMS</h2>");
	if (v[LD_SMS][0] != '\0')
		h(r, "<p class=\"msg-in\">%s<br><small>diterima %s%s%s</small>"
		    "</p>", v[LD_SMS], r_time(r, strtoll(v[LD_RECEIVED_AT], NULL,
		    10)), v[LD_SMSC_TIME][0] ? ", dikirim " : "",
		    r_time(r, strtoll(v[LD_SMSC_TIME], NULL, 10)));
	if (v[LD_REPLY][0] != '\0')
		h(r, "<p class=\"msg-out\">%s<br><small>balasan, %s</small></p>",
		    v[LD_REPLY], v[LD_REPLY_STATE]);
	h_raw(r, "</section>");
	h_review_forms(r, v);
	return 0;
}

static void
get_one(struct creq *r, long long id)
{
	struct one o = { r, 0 };

	page_begin(r, r_printf(r, "Laporan R-%lld", id), "/laporan");
	h_flash(r);
	if (store_console_laporan_one(r->gw->store, id, kec_of(r), one_row,
	    &o) < 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	if (!o.found) {
		page_error(r, 404, "Laporan itu tidak ada.");
		return;
	}
	h_raw(r, "<p><a href=\"/laporan\">&larr; Semua laporan</a></p>");
	page_send(r);
}

/* The report's number in the path, or 0. */
static long long
path_id(struct creq *r)
{
	long long id;

	return record_number(path_rest(r, "/laporan"), &id) == 0 ? id : 0;
}

static void
get_laporan(struct creq *r)
{
	long long id;

	if (!strcmp(r->path, "/laporan")) {
		get_list(r);
		return;
	}
	if ((id = path_id(r)) <= 0) {
		page_error(r, 404, "Halaman tidak ada.");
		return;
	}
	get_one(r, id);
}

/* Why a review did nothing, for the office. */
static const char *
refusal(struct creq *r, long long id, int rc, const struct review_result *res)
{
	switch (rc) {
	case REVIEW_UNKNOWN:
		return r_printf(r, "Laporan R-%lld tidak ada.", id);
	case REVIEW_NOT_REPORT:
		return r_printf(r, "R-%lld adalah %s, bukan laporan RAPAT atau "
		    "KADER: tangani lewat tiketnya.", id, res->r.kind);
	case REVIEW_WAS_WITHDRAWN:
		return r_printf(r, "R-%lld sudah ditarik (%s); laporan yang "
		    "ditarik tidak dihitung lagi.", id, res->r.review_note);
	case REVIEW_ALREADY:
		return r_printf(r, "R-%lld sudah %s; tidak ada yang diubah.", id,
		    label(res->r.state));
	default:
		return "Tidak ada yang diubah.";
	}
}

static void
post_laporan(struct creq *r)
{
	struct review_result res;
	const char *aksi = f_get(r, "aksi"), *alasan = f_get(r, "alasan");
	long long id = path_id(r);
	int tarik = !strcmp(aksi, "tarik"), rc;

	if (id <= 0 || (!tarik && strcmp(aksi, "terima"))) {
		page_error(r, 400, "Permintaan tidak dikenal.");
		return;
	}
	alasan += strspn(alasan, " \t\r\n");
	if (tarik && alasan[0] == '\0') {
		page_error(r, 400, "Tulis alasannya: pelapor diberi tahu "
		    "lewat SMS mengapa laporannya ditarik. Tidak ada yang "
		    "diubah.");
		return;
	}
	if (page_begin_write(r))
		return;
	rc = tarik ? action_record_office_withdraw(r->gw->store, id, alasan,
	    r->now, &res) : action_record_accept(r->gw->store, id, r->now,
	    &res);
	if (rc < 0) {
		page_rollback(r, 503, "Basis data gagal; tidak ada yang "
		    "diubah. Coba lagi.");
		return;
	}
	/* a repeat is flagged duplicate, as the CLI leaves it: kept */
	if (rc != REVIEW_DONE && rc != REVIEW_REPEATS) {
		page_rollback(r, rc == REVIEW_UNKNOWN ? 404 : 400,
		    refusal(r, id, rc, &res));
		return;
	}
	if (page_commit(r))
		return;
	page_see_other(r, r_printf(r, "/laporan/%lld", id),
	    rc == REVIEW_REPEATS ? "laporan-ulang" : "laporan");
}

const struct console_page page_laporan = {
	"/laporan", 1, ROLES_ALL, ROLES_OFFICE, get_laporan, post_laporan
};
