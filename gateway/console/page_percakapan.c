/*
 * page_percakapan: /pesan/NOMOR, one number's messages both ways, newest
 * first, each SMS out with how far it got; who the number is, if a
 * contact; and a box to write to it. What the office writes goes by
 * office_message (gateway/rules/office_sms.h): the sending policy holds
 * it like any SMS the gateway initiates, and a number that sent BERHENTI
 * is refused.
 */
#include "gateway/console/console_int.h"
#include "gateway/console/pesan_show.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/office_sms.h"
#include "store/store_console.h"

#include <event2/http.h>

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The conversation being written; where the next page starts. */
struct thread {
	struct creq *r;
	struct conversation_cursor next;
	int rows;
};

static int
thread_row(void *arg, int row, int n, const char *const *v)
{
	struct thread *t = arg;
	struct creq *r = t->r;
	int out = !strcmp(v[0], "out");

	(void)n;
	if (row > PAGE_ROWS)
		return 1;
	t->rows = row;
	t->next.t = strtoll(v[2], NULL, 10);
	t->next.dir = out;
	t->next.id = strtoll(v[1], NULL, 10);
	h(r, "<div class=\"%s\"><small>%s · %s", out ? "msg-out" : "msg-in",
	    out ? "Keluar" : "Masuk", r_time(r, t->next.t));
	if (out)
		h(r, " · %s · <strong>%s</strong>", pesan_purpose(v[5]),
		    pesan_out_state(v[4]));
	else
		h(r, " · %s%s%s", pesan_in_state(v[4]), v[5][0] ? " · " : "",
		    v[5]);
	h(r, "</small><p>%s</p>", v[3]);
	if (out && v[8][0] != '\0')
		h(r, "<small>Dikirim %s</small> ", r_time(r,
		    strtoll(v[8], NULL, 10)));
	if (out && v[9][0] != '\0')
		h(r, "<small>Sampai %s</small> ", r_time(r,
		    strtoll(v[9], NULL, 10)));
	if (v[6][0] != '\0')
		h(r, "<small class=\"%s\">%s</small> ", out &&
		    strncmp(v[6], "held", 4) ? "bad" : "muted", v[6]);
	if (v[7][0] != '\0')
		h(r, "<small class=\"%s\">%s</small>", out ? "bad" : "muted",
		    v[7]);
	h_raw(r, "</div>");
	return 0;
}

/* The cursor of ?sebelum= ("time.dir.id"), else from the newest. */
static void
read_cursor(struct creq *r, struct conversation_cursor *c)
{
	c->t = LLONG_MAX;
	c->dir = 1;
	c->id = LLONG_MAX;
	if (sscanf(q_get(r, "sebelum"), "%lld.%d.%lld", &c->t, &c->dir,
	    &c->id) != 3) {
		c->t = LLONG_MAX;
		c->dir = 1;
		c->id = LLONG_MAX;
	}
}

/* Who the number is, when it is a contact. */
static void
who(struct creq *r, const char *number, int *opted_out)
{
	struct contact c;
	struct village v;

	*opted_out = 0;
	if (store_contact_get(r->gw->store, number, &c) != 1) {
		h_raw(r, "<p class=\"muted\">Nomor ini bukan kontak.</p>");
		return;
	}
	*opted_out = c.opted_out;
	h(r, "<dl><dt>Nama</dt><dd>%s</dd><dt>Peran</dt><dd>%s</dd>",
	    c.name[0] ? c.name : "-", c.role);
	if (c.desa[0] != '\0' && store_village_get(r->gw->store, c.desa,
	    &v) == 1)
		h(r, "<dt>Desa</dt><dd>%s (%s, Kec. %s)</dd>", v.name, v.code,
		    v.kecamatan);
	else if (c.desa[0] != '\0')
		h(r, "<dt>Desa</dt><dd>%s</dd>", c.desa);
	if (c.opted_out)
		h_raw(r, "<dt>BERHENTI</dt><dd class=\"bad\">Nomor ini sudah "
		    "mengirim BERHENTI</dd>");
	h_raw(r, "</dl>");
}

/* The box to write to number, with text and err when a try failed. */
static void
reply_box(struct creq *r, const char *number, int e164, int opted_out,
    const char *text, const char *err)
{
	h_raw(r, "<section><h2>Kirim SMS</h2>");
	if (err != NULL)
		h(r, "<p class=\"error\" role=\"alert\">%s</p>", err);
	if (!e164) {
		h_raw(r, "<p class=\"muted\">Pengirim ini bukan nomor telepon: "
		    "tidak dapat dikirimi SMS.</p></section>");
		return;
	}
	if (opted_out) {
		h_raw(r, "<p class=\"muted\">Nomor ini sudah mengirim "
		    "BERHENTI: pesan dari kantor tidak dikirim kepadanya. "
		    "Balasan otomatis atas SMS-nya dan kabar tiketnya tetap "
		    "dikirim.</p></section>");
		return;
	}
	h(r, "<form method=\"post\" action=\"/pesan/%s\">",
	    r_url(r, number));
	h_csrf(r);
	h(r, "<label>Teks <textarea name=\"teks\" required>%s</textarea>"
	    "</label><p class=\"muted\">Dikirim menurut kebijakan "
	    "pengiriman (jam tenang, batas per jam dan per hari).</p>"
	    "<button>Kirim</button></form></section>", text);
}

/* The page of number, with the reply box's text and error. */
static void
conversation(struct creq *r, const char *number, int e164, const char *text,
    const char *err)
{
	struct thread t = { r, { 0, 0, 0 }, 0 };
	struct conversation_cursor c;
	int opted_out, n;

	read_cursor(r, &c);
	page_begin(r, r_printf(r, "Percakapan %s", number), "/pesan");
	h_flash(r);
	who(r, number, &opted_out);
	reply_box(r, number, e164, opted_out, text, err);
	h_raw(r, "<section><h2>Pesan</h2>");
	if ((n = store_console_conversation(r->gw->store, number, &c,
	    PAGE_ROWS + 1, thread_row, &t)) < 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	if (t.rows == 0)
		h_raw(r, "<p class=\"muted\">Belum ada pesan.</p>");
	h_raw(r, "</section>");
	if (n > PAGE_ROWS)
		h_next(r, r->path, "sebelum", r_printf(r, "%lld.%d.%lld",
		    t.next.t, t.next.dir, t.next.id));
	page_send(r);
}

/* The number of the path, or NULL after a 404. */
static const char *
path_number(struct creq *r, int *e164)
{
	char *raw = evhttp_uridecode(path_rest(r, "/pesan"), 0, NULL);
	const char *number = raw ? pesan_number(r, raw, e164) : NULL;

	free(raw);
	if (number == NULL)
		page_error(r, 404, "Nomor itu tidak dikenali.");
	return number;
}

static void
get_percakapan(struct creq *r)
{
	const char *number;
	int e164;

	if ((number = path_number(r, &e164)) != NULL)
		conversation(r, number, e164, "", NULL);
}

static void
post_percakapan(struct creq *r)
{
	static const char *const why[] = {
		[OFFICE_OPTED_OUT] = "Tidak dikirim: nomor ini sudah mengirim "
		    "BERHENTI. Pesan dari kantor tidak dikirim kepadanya.",
		[OFFICE_BAD_NUMBER] = "Tidak dikirim: pengirim ini bukan "
		    "nomor telepon.",
		[OFFICE_EMPTY] = "Tulis dulu teks SMS-nya.",
	};
	const char *number, *text = f_get(r, "teks");
	int e164, rc;

	if ((number = path_number(r, &e164)) == NULL)
		return;
	if (!e164) {
		conversation(r, number, e164, text, why[OFFICE_BAD_NUMBER]);
		return;
	}
	if (page_begin_write(r))
		return;
	if ((rc = office_message(r->gw->store, number, text, r->now)) < 0) {
		page_rollback(r, 503, "SMS tidak dapat diantrekan. Tidak ada "
		    "yang berubah; coba lagi.");
		return;
	}
	if (rc != OFFICE_QUEUED) {
		store_rollback(r->gw->store);
		conversation(r, number, e164, text, why[rc]);
		return;
	}
	if (page_commit(r))
		return;
	page_see_other(r, r_printf(r, "/pesan/%s", r_url(r, number)),
	    "balas");
}

const struct console_page page_percakapan = {
	"/pesan", 1, ROLES_OFFICE, ROLES_OFFICE, get_percakapan,
	post_percakapan
};
