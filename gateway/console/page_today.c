/*
 * page_today: "/", what needs the office today: alarms first (what the
 * loop knows is wrong), then new tickets, this month's reports against
 * last month's, the modems and their credit, and what waits to be sent.
 * A camat sees only their kecamatan's tickets and reports.
 */
#include "gateway/console/console_int.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/clock.h"
#include "gateway/util/status.h"
#include "store/store_console.h"

#include <stdlib.h>
#include <string.h>

static const char *
kec_of(struct creq *r)
{
	return r->role == ROLE_CAMAT ? r->user.kecamatan : "";
}

static int
ticket_row(void *arg, int row, int n, const char *const *v)
{
	struct creq *r = arg;

	(void)row;
	(void)n;
	h(r, "<tr><td><a href=\"/tiket/%s\">%s</a></td><td>%s</td>"
	    "<td>%.120s</td><td>%s</td></tr>", v[0], v[0], v[1], v[2],
	    r_time(r, strtoll(v[3], NULL, 10)));
	return 0;
}

static int
kind_row(void *arg, int row, int n, const char *const *v)
{
	struct creq *r = arg;
	long long now = strtoll(v[1], NULL, 10), last = strtoll(v[2], NULL,
	    10);

	(void)row;
	(void)n;
	h(r, "<tr><td>%s</td><td class=\"num\">%lld</td>"
	    "<td class=\"num\">%lld</td><td class=\"num\">%+lld</td></tr>",
	    v[0], now, last, now - last);
	return 0;
}

struct modems_seen {
	struct creq *r;
	int n;
};

static int
modem_row(void *arg, const struct modem_status *m)
{
	struct modems_seen *s = arg;
	struct creq *r = s->r;
	int stale = status_stale(m, r->now);

	if (s->n++ == 0)
		h_raw(r, "<table><thead><tr><th>Modem</th><th>Keadaan</th>"
		    "<th>Sinyal</th><th>Pulsa</th><th>Kirim/terima hari ini"
		    "</th></tr></thead><tbody>");
	h(r, "<tr><td>%s</td><td>%s%s</td>", m->name, stale ? "tidak "
	    "diketahui" : m->state, stale ? "" : "");
	if (m->signal >= 0)
		h(r, "<td class=\"num\">%d%%</td>", m->signal);
	else
		h_raw(r, "<td>-</td>");
	if (m->credit >= 0)
		h(r, "<td class=\"num%s\">Rp %lld</td>", m->credit_low ?
		    " bad" : "", m->credit);
	else
		h_raw(r, "<td>-</td>");
	h(r, "<td class=\"num\">%d / %d</td></tr>", m->sent_today,
	    m->received_today);
	return 0;
}

static int
depth_row(void *arg, const char *name, long long n)
{
	static const struct {
		const char *name, *label;
	} labels[] = {
		{ "out_queued", "SMS menunggu dikirim" },
		{ "out_sending", "SMS sedang dikirim" },
		{ "out_failed", "SMS gagal, akan dicoba lagi" },
		{ "out_dead", "SMS gagal permanen" },
		{ "out_withheld", "Balasan ditahan (kebijakan)" },
		{ "in_unprocessed", "SMS masuk belum diproses" },
		{ "in_parts_waiting", "Potongan SMS panjang menunggu" },
	};
	struct creq *r = arg;
	size_t i;

	for (i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
		if (!strcmp(name, labels[i].name))
			h(r, "<tr><td>%s</td><td class=\"num\">%lld</td></tr>",
			    labels[i].label, n);
	return 0;
}

int
h_queues(struct creq *r)
{
	int rc;

	h_raw(r, "<section><h2>Antrean</h2><table><tbody>");
	rc = store_queue_depths(r->gw->store, depth_row, r);
	h_raw(r, "</tbody></table></section>");
	return rc;
}

/* What the loop itself knows is wrong right now. */
static void
alarms(struct creq *r, const struct console_today *t)
{
	struct gateway *gw = r->gw;
	int any = 0;

#define ALARM(...) do { \
	if (!any++) \
		h_raw(r, "<section class=\"alarms\"><h2>Peringatan</h2><ul>"); \
	h(r, "<li>" __VA_ARGS__); \
	h_raw(r, "</li>"); \
} while (0)
	if (gw->sync_error)
		ALARM("Basis data tidak dapat ditulis ke disk: tidak ada SMS "
		    "yang dihapus dari modem sampai bisa lagi.");
	if (gw->intake_error[0] != '\0')
		ALARM("SMS masuk tidak dapat disimpan: %s", gw->intake_error);
	if (gw->busy_since > 0)
		ALARM("Basis data sedang dikunci proses lain.");
	if (store_readonly(gw->store))
		ALARM("Basis data hanya-baca.");
	if (t->failed_out > 0 && r->role != ROLE_CAMAT)
		ALARM("%lld SMS keluar gagal (lihat Pesan).", t->failed_out);
#undef ALARM
	if (any)
		h_raw(r, "</ul></section>");
}

static void
get_today(struct creq *r)
{
	struct console_today t;
	long long day = clock_day_start(r->now);
	long long month = clock_month_start(r->now);
	long long last = clock_month_start(month - 1);
	struct modems_seen ms = { r, 0 };

	memset(&t, 0, sizeof(t));
	if (store_console_today(r->gw->store, day, kec_of(r), &t) != 0) {
		page_error(r, 503, "Basis data tidak dapat dibaca. Coba lagi.");
		return;
	}
	page_begin(r, "Hari ini", "/");
	h_flash(r);
	alarms(r, &t);
	h(r, "<section><h2>Tiket baru</h2><p><strong>%lld</strong> tiket "
	    "belum ditangani; %lld masuk hari ini. <a href=\"/tiket?status="
	    "baru\">Lihat semua</a></p>", t.tickets_new, t.tickets_today);
	h_raw(r, "<table><thead><tr><th>Tiket</th><th>Desa</th><th>Isi</th>"
	    "<th>Masuk</th></tr></thead><tbody>");
	store_console_new_tickets(r->gw->store, kec_of(r), 10, ticket_row, r);
	h_raw(r, "</tbody></table></section>");
	h(r, "<section><h2>Laporan bulan ini</h2><table><thead><tr>"
	    "<th>Jenis</th><th>%s</th><th>%s</th><th>Selisih</th></tr></thead>"
	    "<tbody>", r_printf(r, "%.7s", r_date(r, month)),
	    r_printf(r, "%.7s", r_date(r, last)));
	store_console_month_kinds(r->gw->store, month, last, kec_of(r),
	    kind_row, r);
	h_raw(r, "</tbody></table><p><a href=\"/laporan/bulanan\">Laporan "
	    "bulanan camat</a></p></section>");
	if (r->role != ROLE_CAMAT) {
		h_raw(r, "<section><h2>Modem</h2>");
		store_modem_list(r->gw->store, day, modem_row, &ms);
		if (ms.n == 0)
			h_raw(r, "<p>Belum ada modem yang melapor.</p>");
		else
			h_raw(r, "</tbody></table>");
		h(r, "<p>SMS diterima hari ini: %lld</p></section>",
		    t.received_today);
		h_queues(r);
	}
	page_send(r);
}

const struct console_page page_today = {
	"/", 0, ROLES_ALL, 0, get_today, NULL
};
