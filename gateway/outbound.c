/* Outbound: hand due outbox rows to idle modems and record the results. */
#include "gateway/gateway.h"
#include "gateway/log.h"

#include <event2/event.h>

#include <stdio.h>
#include <string.h>
#include <time.h>

/* Monotonic seconds, for rate limits that must not jump with the clock. */
static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void
outbound_schedule(struct gateway *gw, int seconds)
{
	struct timeval tv = { seconds, 0 };

	if (gw->outbound_ev == NULL || gw->stopping)
		return;
	/* An earlier wake-up wins over a later one already pending. */
	if (seconds == 0 || !evtimer_pending(gw->outbound_ev, NULL))
		evtimer_add(gw->outbound_ev, &tv);
}

/* Give one due row to m; returns 1 if one was sent, 0 if none, -1 error. */
static int
dispatch_one(struct gateway *gw, struct modem *m, long long now)
{
	struct outbox_row row;
	int rc;

	if ((rc = store_outbox_next(gw->store, now, &row)) <= 0)
		return rc;
	/* Committed as sending before it leaves: a crash from here on is
	 * visible as a row in 'sending', retried once at start-up. */
	if (store_outbox_sending(gw->store, row.id, m->name, now) != 0) {
		outbox_row_free(&row);
		return -1;
	}
	m->sending_tries = row.tries + 1;
	if (modem_send(m, row.id, row.number, row.text) != 0) {
		m->sending = row.id;
		outbound_sent(m, row.id, 0, 0, "text too long to send", -1);
	} else
		log_debug("%s: sending outbox %lld to %s", m->name, row.id,
		    row.number);
	outbox_row_free(&row);
	return 1;
}

void
outbound_run(struct gateway *gw)
{
	long long now = gw_now(gw), due;
	double t = mono(), wait = 0;
	int i, idle = 0;

	for (i = 0; i < gw->nmodems; i++) {
		struct modem *m = &gw->modems[i];
		int rc;

		if (m->state != MODEM_UP || m->sending)
			continue;
		if (t < m->next_send_at) {
			if (wait == 0 || m->next_send_at - t < wait)
				wait = m->next_send_at - t;
			continue;
		}
		if ((rc = dispatch_one(gw, m, now)) < 0) {
			log_warnx("ALARM: outbox: %s", store_errmsg(gw->store));
			outbound_schedule(gw, 5);
			return;
		}
		if (rc == 0) {
			idle = 1;
			break;
		}
		m->next_send_at = t + 60.0 / m->conf->send_per_minute;
	}
	if (wait > 0) {
		struct timeval tv = { (time_t)wait, (long)((wait -
		    (time_t)wait) * 1e6) };

		evtimer_add(gw->outbound_ev, &tv);
	} else if (idle && (due = store_outbox_next_due(gw->store)) > now)
		outbound_schedule(gw, (int)(due - now));
}

void
outbound_sent(struct modem *m, long long id, int ok, int parts,
    const char *error, int code)
{
	struct gateway *gw = m->gw;
	long long now = gw_now(gw), next_at = 0;
	int tries = m->sending_tries;

	if (m->sending != id)
		log_warnx("%s: result for outbox %lld, expected %lld", m->name,
		    id, m->sending);
	m->sending = 0;
	if (ok) {
		if (store_outbox_sent(gw->store, id, parts, now) != 0)
			log_warnx("outbox %lld sent, not recorded: %s", id,
			    store_errmsg(gw->store));
		else
			log_info("%s: outbox %lld sent (%d part%s)", m->name,
			    id, parts, parts == 1 ? "" : "s");
	} else {
		if (tries < gw->conf->send_max_tries) {
			long long delay = (long long)gw->conf->send_retry_base
			    << (tries > 1 ? (tries - 1 > 20 ? 20 : tries - 1) : 0);

			next_at = now + delay;
		}
		if (store_outbox_failed(gw->store, id, error, next_at, now) != 0)
			log_warnx("outbox %lld failed, not recorded: %s", id,
			    store_errmsg(gw->store));
		log_warnx("%s: outbox %lld failed (try %d, code %d): %s; %s",
		    m->name, id, tries, code, error,
		    next_at ? "will retry" : "dead");
	}
	if (gw->stopping)
		gateway_stop_idle(gw);
	else
		outbound_schedule(gw, 0);
}

void
outbound_recover(struct gateway *gw)
{
	int dead, n = store_outbox_recover(gw->store, gw_now(gw), &dead);

	if (n < 0)
		log_warnx("outbox recovery: %s", store_errmsg(gw->store));
	else if (n > 0 || dead > 0)
		log_warnx("%d replies were being sent when the gateway stopped: "
		    "retried once (%d interrupted twice: dead)", n, dead);
}
