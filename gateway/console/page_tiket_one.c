/*
 * page_tiket_one: "/tiket/ADU-42" (any case): one ticket, its history,
 * the SMS that filed it and what its filer was sent about it. The office
 * moves it on with the form there, through action_ticket_update as
 * `tickets update` does (the filer hears of it by SMS), or corrects its
 * village (nobody is told). A camat reads the tickets of their kecamatan
 * and changes none.
 */
#include "gateway/console/console_int.h"
#include "gateway/console/console_pick.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/tickets.h"
#include "parser/parser.h"
#include "store/store_console.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The ticket as store_console_ticket reads it. */
enum { T_ID, T_NAME, T_TYPE, T_STATUS, T_NUMBER, T_CONTACT, T_DESA,
	T_DESA_NAME, T_KEC, T_PERDES, T_ISI, T_CREATED, T_UPDATED, T_MSG_ID,
	T_MSG_TEXT, T_MSG_AT, T_NOTE, T_COLS };

struct one {
	struct creq *r;
	const char *v[T_COLS];
};

/* What the form sent back when it is shown again with an error. */
struct form {
	const char *error;
	const char *status, *catatan, *desa;
};

static int
keep_ticket(void *arg, int row, int n, const char *const *v)
{
	struct one *t = arg;
	int i;

	(void)row;
	for (i = 0; i < T_COLS && i < n; i++)
		t->v[i] = r_printf(t->r, "%s", v[i]);
	return 1;
}

/* The ticket of the path into t: 1, 0 after a 404 (none, or not the
 * camat's), -1 after a 503. */
static int
load(struct creq *r, struct one *t)
{
	char type[4];
	long long seq;
	int rc;

	memset(t, 0, sizeof(*t));
	t->r = r;
	if (parse_ticket(path_rest(r, "/tiket"), type, &seq) != 0) {
		page_error(r, 404, "Tiket tidak ditemukan (contoh: ADU-42).");
		return 0;
	}
	rc = store_console_ticket(r->gw->store, type, seq, r->role ==
	    ROLE_CAMAT ? r->user.kecamatan : "", keep_ticket, t);
	if (rc < 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return -1;
	}
	if (rc == 0) {
		page_error(r, 404, r_printf(r, "Tiket %s-%lld tidak ditemukan.",
		    type, seq));
		return 0;
	}
	return 1;
}

static const char *
state_label(const char *state)
{
	static const struct {
		const char *state, *label;
	} labels[] = {
		{ "queued", "menunggu dikirim" },
		{ "sending", "sedang dikirim" },
		{ "accepted", "diserahkan ke Kannel" },
		{ "sent", "terkirim" },
		{ "delivered", "sampai" },
		{ "failed", "gagal, akan dicoba lagi" },
		{ "dead", "gagal permanen" },
		{ "withheld", "ditahan" },
	};
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(state, labels[i].state))
			return labels[i].label;
	return state;
}

static int
history_row(void *arg, int row, int n, const char *const *v)
{
	struct creq *r = arg;

	(void)row;
	(void)n;
	h(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s%s%s%s</td></tr>",
	    v[0], v[1], r_time(r, strtoll(v[2], NULL, 10)), v[4],
	    v[4][0] ? " (" : "", v[3], v[4][0] ? ")" : "");
	return 0;
}

static int
sms_row(void *arg, int row, int n, const char *const *v)
{
	struct creq *r = arg;

	(void)n;
	if (row == 1)
		h_raw(r, "<table><thead><tr><th>Jenis</th><th>Isi</th>"
		    "<th>Dibuat</th><th>Keadaan</th><th>Terkirim</th>"
		    "<th>Sampai</th><th>Keterangan</th></tr></thead><tbody>");
	h(r, "<tr><td>%s</td><td>%s</td><td>%s</td><td%s>%s</td><td>%s</td>"
	    "<td>%s</td><td>%s</td></tr>", !strcmp(v[0], "reply") ?
	    "Balasan" : "Kabar tiket", v[2], r_time(r, strtoll(v[3], NULL,
	    10)), !strcmp(v[1], "dead") || !strcmp(v[1], "failed") ?
	    " class=\"bad\"" : "", state_label(v[1]),
	    r_time(r, strtoll(v[4], NULL, 10)),
	    r_time(r, strtoll(v[5], NULL, 10)), v[6]);
	return 0;
}

/* The office's two forms: status and note (the filer is told), and the
 * village corrected (nobody is). */
static void
forms(struct creq *r, const struct one *t, const struct form *f)
{
	static const char *const statuses[] = { "baru", "diproses", "selesai",
	    "ditolak" };
	const char *sel = f->status ? f->status : t->v[T_STATUS];
	size_t i;

	h(r, "<section><h2>Perbarui tiket</h2><form method=\"post\" "
	    "action=\"/tiket/%s\">", t->v[T_NAME]);
	h_csrf(r);
	h_raw(r, "<label>Status <select name=\"status\">");
	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		h(r, "<option%s>%s</option>", !strcmp(sel, statuses[i]) ?
		    " selected" : "", statuses[i]);
	h(r, "</select></label><label>Catatan untuk pelapor <textarea "
	    "name=\"catatan\" maxlength=\"%d\" rows=\"3\">%s</textarea></label>"
	    "<p class=\"muted\">Pelapor (%s) dikirimi SMS berisi status dan "
	    "catatan ini; catatan paling banyak %d karakter.</p>"
	    "<button>Simpan dan kirim SMS</button></form>", TICKET_NOTE_MAX,
	    f->catatan ? f->catatan : "", t->v[T_NUMBER], TICKET_NOTE_MAX);
	h(r, "<form method=\"post\" action=\"/tiket/%s\" class=\"row\">",
	    t->v[T_NAME]);
	h_csrf(r);
	h(r, "<label>Desa yang benar <input name=\"desa\" value=\"%s\">"
	    "</label><button class=\"secondary\">Perbaiki desa</button>"
	    "<p class=\"muted\">Tanpa SMS; riwayat menyimpan desa lama.</p>"
	    "</form></section>", f->desa ? f->desa : "");
}

static void
show(struct creq *r, const struct one *t, const struct form *f)
{
	const char *const *v = t->v;

	page_begin(r, r_printf(r, "Tiket %s", v[T_NAME]), "/tiket");
	h_flash(r);
	if (f->error != NULL)
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", f->error);
	h(r, "<dl><dt>Jenis</dt><dd>%s</dd><dt>Status</dt><dd>%s</dd>"
	    "<dt>Pelapor</dt><dd>%s%s%s%s</dd><dt>Desa</dt><dd>%s (%s)%s%s</dd>",
	    !strcmp(v[T_TYPE], "ADU") ? "Aduan" : "Aspirasi", v[T_STATUS],
	    v[T_NUMBER], v[T_CONTACT][0] ? " (" : "", v[T_CONTACT],
	    v[T_CONTACT][0] ? ")" : "", v[T_DESA_NAME][0] ? v[T_DESA_NAME] :
	    v[T_DESA], v[T_DESA], v[T_KEC][0] ? ", Kec. " : "", v[T_KEC]);
	if (!strcmp(v[T_TYPE], "ASP"))
		h(r, "<dt>Perdes</dt><dd>%s</dd>", v[T_PERDES]);
	h(r, "<dt>Isi</dt><dd>%s</dd><dt>Catatan terakhir</dt><dd>%s</dd>"
	    "<dt>Masuk</dt><dd>%s</dd><dt>Diperbarui</dt><dd>%s</dd></dl>",
	    v[T_ISI], v[T_NOTE][0] ? v[T_NOTE] : "-",
	    r_time(r, strtoll(v[T_CREATED], NULL, 10)),
	    r_time(r, strtoll(v[T_UPDATED], NULL, 10)));
	if (r->role != ROLE_CAMAT)
		forms(r, t, f);
	h_raw(r, "<section><h2>Riwayat</h2><table><thead><tr><th>Status</th>"
	    "<th>Catatan</th><th>Waktu</th><th>Desa sebelumnya</th></tr>"
	    "</thead><tbody>");
	store_console_ticket_history(r->gw->store, v[T_ID], history_row, r);
	h_raw(r, "</tbody></table></section><section><h2>SMS yang membawanya"
	    "</h2>");
	if (v[T_MSG_ID][0] != '\0')
		h(r, "<p class=\"msg-in\">%s</p><p class=\"muted\">Diterima %s"
		    "</p>", v[T_MSG_TEXT],
		    r_time(r, strtoll(v[T_MSG_AT], NULL, 10)));
	else
		h_raw(r, "<p class=\"muted\">Tidak ada (tiket dari USSD atau "
		    "dimasukkan kantor).</p>");
	h_raw(r, "</section><section><h2>SMS ke pelapor</h2>");
	if (store_console_ticket_sms(r->gw->store, v[T_NUMBER], v[T_NAME],
	    v[T_MSG_ID], sms_row, r) > 0)
		h_raw(r, "</tbody></table>");
	else
		h_raw(r, "<p class=\"muted\">Belum ada.</p>");
	h_raw(r, "</section>");
	page_send(r);
}

static void
get_ticket(struct creq *r)
{
	struct one t;
	struct form f = { NULL, NULL, NULL, NULL };

	if (load(r, &t) == 1)
		show(r, &t, &f);
}

/* A textarea's line ends as the SMS keeps them: LF, not CRLF. */
static const char *
r_lf(struct creq *r, const char *s)
{
	char *out = r_printf(r, "%s", s), *o = out;

	for (; *s; s++)
		if (!(s[0] == '\r' && s[1] == '\n'))
			*o++ = *s;
	*o = '\0';
	return out;
}

static void
post_ticket(struct creq *r)
{
	struct ticket_change c = { NULL, NULL, NULL };
	struct form f = { NULL, f_get(r, "status"), r_lf(r, f_get(r,
	    "catatan")), NULL };
	struct ticket_news news;
	struct one t;
	const char *ok = "tiket";
	char desa[DESA_MAX], why[1024];
	int rc;

	if (load(r, &t) != 1)
		return;
	if (f_has(r, "desa")) {
		f.desa = f_get(r, "desa");
		f.status = NULL;
		ok = "tiket-desa";
		if (f.desa[0] == '\0')
			f.error = "Tulis desa yang benar (nama atau kode).";
		else if ((c.desa = console_village(r, f.desa, desa,
		    sizeof(desa), why, sizeof(why))) == NULL)
			f.error = why;
	} else if ((c.status = ticket_status(f.status)) == NULL)
		f.error = r_printf(r, "Status '%s' tidak dikenal (%s).",
		    f.status, TICKET_STATUSES);
	else if (f.catatan[0] != '\0')
		c.note = f.catatan;
	if (f.error != NULL) {
		show(r, &t, &f);
		return;
	}
	if (page_begin_write(r))
		return;
	rc = action_ticket_update(r->gw->store, t.v[T_NAME], &c, r->now,
	    &news);
	if (rc == TICKET_NOTE_LONG) {
		store_rollback(r->gw->store);
		f.error = r_printf(r, "Catatan lebih dari %d karakter: STATUS "
		    "harus bisa menampilkannya utuh. Persingkat.",
		    TICKET_NOTE_MAX);
		show(r, &t, &f);
		return;
	}
	if (rc != TICKET_UPDATED) {
		page_rollback(r, rc < 0 ? 503 : 404, rc < 0 ? "Tiket tidak "
		    "dapat disimpan. Tidak ada yang berubah; coba lagi." :
		    "Tiket tidak ditemukan.");
		return;
	}
	if (page_commit(r))
		return;
	page_see_other(r, r_printf(r, "/tiket/%s", news.name), ok);
}

const struct console_page page_tiket_one = {
	"/tiket", 1, ROLES_ALL, ROLES_OFFICE, get_ticket, post_ticket
};
