/*
 * page_modem: /modem, each modem as the daemon last wrote it (state,
 * signal, network, the SIM's credit, today's counts) and the queues'
 * depths. Read-only: pausing a modem is the CLI's.
 */
#include "gateway/console/console_int.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/clock.h"
#include "gateway/util/status.h"

#include <string.h>

static const char *
state_word(const char *state)
{
	static const struct {
		const char *state, *word;
	} w[] = {
		{ "starting", "memulai" }, { "up", "jalan" },
		{ "down", "mati" }, { "paused", "dijeda" },
	};
	size_t i;

	for (i = 0; i < sizeof(w) / sizeof(w[0]); i++)
		if (!strcmp(state, w[i].state))
			return w[i].word;
	return state;
}

/* The modems page being written, and how many modems it showed. */
struct modems {
	struct creq *r;
	int n;
};

static int
modem_card(void *arg, const struct modem_status *m)
{
	struct modems *ms = arg;
	struct creq *r = ms->r;
	int stale = status_stale(m, r->now);

	ms->n++;
	h(r, "<section><h2>%s</h2><dl><dt>Keadaan</dt><dd", m->name);
	if (stale || strcmp(m->state, "up") != 0)
		h_raw(r, " class=\"bad\"");
	h(r, " data-state=\"%s\">%s (%s) sejak %s</dd>", m->state,
	    stale ? "tidak diketahui: tidak ada kabar dari gateway" :
	    state_word(m->state), m->state, r_time(r, m->since));
	if (m->signal >= 0)
		h(r, "<dt>Sinyal</dt><dd>%d%%</dd>", m->signal);
	else
		h_raw(r, "<dt>Sinyal</dt><dd>-</dd>");
	h(r, "<dt>Operator</dt><dd>%s %s</dd>", m->op[0] ? m->op : "-",
	    m->network);
	h(r, "<dt>Perangkat</dt><dd>%s %s</dd><dt>IMEI</dt><dd>%s</dd>",
	    m->manufacturer, m->model[0] ? m->model : "-",
	    m->imei[0] ? m->imei : "-");
	if (m->last_error[0] != '\0')
		h(r, "<dt>Galat terakhir</dt><dd class=\"bad\">%s</dd>",
		    m->last_error);
	if (m->paused_until > r->now)
		h(r, "<dt>Dijeda sampai</dt><dd>%s</dd>",
		    r_time(r, m->paused_until));
	if (m->credit >= 0)
		h(r, "<dt>Pulsa</dt><dd%s>Rp %lld%s <small>(%s)</small></dd>",
		    m->credit_low ? " class=\"bad\"" : "", m->credit,
		    m->credit_low ? ", hampir habis" : "",
		    r_time(r, m->credit_at));
	else
		h_raw(r, "<dt>Pulsa</dt><dd>belum diketahui</dd>");
	if (m->credit_text[0] != '\0')
		h(r, "<dt>Jawaban operator</dt><dd>%s</dd>", m->credit_text);
	h(r, "<dt>Hari ini</dt><dd>%d bagian SMS dikirim, %d SMS diterima"
	    "</dd><dt>Diperbarui</dt><dd>%s</dd></dl></section>",
	    m->sent_today, m->received_today, r_time(r, m->updated_at));
	return 0;
}

static void
get_modem(struct creq *r)
{
	struct modems ms = { r, 0 };

	page_begin(r, "Modem", "/modem");
	if (store_modem_list(r->gw->store, clock_day_start(r->now),
	    modem_card, &ms) < 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	if (ms.n == 0)
		h_raw(r, "<p>Belum ada modem yang melapor.</p>");
	if (h_queues(r) < 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	page_send(r);
}

const struct console_page page_modem = {
	"/modem", 0, ROLES_OFFICE, 0, get_modem, NULL
};
