/*
 * Outbound: hand due outbox rows to idle bearers (modems and Kannel) and
 * record the results. Each row goes to a bearer route_choose() allows
 * from one table of both; a down or paused bearer is skipped, so the
 * queue never waits on it. The end of a
 * failed send has a class (cms_errors.h) that decides what happens next.
 */
#include "gateway/loop/gateway.h"
#include "gateway/rules/cms_errors.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"
#include "gateway/rules/policy.h"
#include "gateway/rules/route.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DUE_WINDOW	64	/* due rows looked at per dispatch round */
/*
 * Seconds the hour's count of initiated SMS is carried forward between
 * reads. Counting them reads the index of the hour's rows, and a
 * broadcast through Kannel has dispatch rounds every few milliseconds: N
 * rows read about N/64 times, for each round. Rows leaving the hour stay
 * counted until the next read: a hold comes a second early at worst.
 */
#define HOUR_REREAD	1.0
#define OPTED_OUT_REASON "dropped: opted_out (BERHENTI)"

void
outbound_schedule(struct gateway *gw, int seconds)
{
	if (!gw->stopping)
		gateway_wake(gw, WORK_OUTBOUND, seconds);
}

/* The index of the modem named name, or -1. */
static int
modem_index(struct gateway *gw, const char *name)
{
	int i;

	for (i = 0; i < gw->nmodems; i++)
		if (strcmp(gw->modems[i].name, name) == 0)
			return i;
	return -1;
}

/*
 * Begin the transaction that marks row r sending, with its text in
 * *text: 0 to send it (the transaction open), 1 when it was dropped and
 * committed so (its number opted out), -1 on a store error (rolled
 * back); *text is freed but on 0. Consent is read again here: a
 * broadcast queued (or held by quiet hours) before its number sent
 * BERHENTI must not go.
 */
static int
claim(struct gateway *gw, const struct outbox_due *r, char **text, int *ref,
    int *done)
{
	int rc = 0;

	*text = NULL;
	if (store_outbox_text(gw->store, r->id, text, ref, done) != 0)
		return -1;
	if (store_begin(gw->store) != 0) {
		free(*text);
		return -1;
	}
	if (!policy_needs_consent(r->purpose) ||
	    (rc = store_contact_opted_out(gw->store, r->number)) == 0)
		return 0;
	free(*text);
	if (rc < 0 || store_outbox_hold(gw->store, r->id, 0,
	    OPTED_OUT_REASON) != 0 || store_commit(gw->store) != 0) {
		store_rollback(gw->store);
		return -1;
	}
	log_info("outbox %lld to %s: %s", r->id, r->number, OPTED_OUT_REASON);
	return 1;
}

/*
 * The Kannel rows of one dispatch round: marked 'sending' in one
 * transaction, then their calls made (each waits for that commit to be
 * on disk, as a modem's send does). A commit a row cost a broadcast
 * through Kannel a transaction per SMS.
 */
struct kannel_batch {
	int n, open;
	struct {
		int bearer, tries;
		long long id;
		const char *number;	/* the round's row's */
		char *text;
	} row[DUE_WINDOW];
};

static void
batch_drop(struct gateway *gw, struct kannel_batch *kb)
{
	int i;

	if (kb->open)
		store_rollback(gw->store);
	for (i = 0; i < kb->n; i++)
		free(kb->row[i].text);
	kb->n = kb->open = 0;
}

/* Add row r for bearer b: 0, 1 when it was dropped (its number opted
 * out), -1 on a store error (the caller drops the batch). */
static int
batch_add(struct gateway *gw, struct kannel_batch *kb, int b,
    const struct outbox_due *r, long long now)
{
	char *text = NULL;
	int ref, done, rc;

	if (!kb->open) {
		if (store_begin(gw->store) != 0)
			return -1;
		kb->open = 1;
	}
	if (store_outbox_text(gw->store, r->id, &text, &ref, &done) != 0)
		return -1;
	/* consent read again, as claim() does */
	if (policy_needs_consent(r->purpose) &&
	    (rc = store_contact_opted_out(gw->store, r->number)) != 0) {
		free(text);
		if (rc < 0 || store_outbox_hold(gw->store, r->id, 0,
		    OPTED_OUT_REASON) != 0)
			return -1;
		log_info("outbox %lld to %s: %s", r->id, r->number,
		    OPTED_OUT_REASON);
		return 1;
	}
	if (store_outbox_sending(gw->store, r->id,
	    gw->kannel_ops->name(gw, b), now) != 0) {
		free(text);
		return -1;
	}
	kb->row[kb->n].bearer = b;
	kb->row[kb->n].tries = r->tries + 1;
	kb->row[kb->n].id = r->id;
	kb->row[kb->n].number = r->number;
	kb->row[kb->n].text = text;
	kb->n++;
	return 0;
}

/* Commit the batch, then make its calls; 0, or -1 (dropped). */
static int
batch_send(struct gateway *gw, struct kannel_batch *kb, double t)
{
	int i;

	if (!kb->open)
		return 0;
	if (store_commit(gw->store) != 0) {
		batch_drop(gw, kb);
		return -1;
	}
	kb->open = 0;
	for (i = 0; i < kb->n; i++) {
		gw->kannel_ops->send(gw, kb->row[i].bearer, kb->row[i].id,
		    kb->row[i].tries, kb->row[i].number, kb->row[i].text, t);
		free(kb->row[i].text);
	}
	kb->n = 0;
	return 0;
}

/* Give row r to m; returns 0, 1 when it was dropped because its number
 * opted out (m stays free), or -1 on a store error. */
static int
dispatch(struct gateway *gw, struct modem *m, const struct outbox_due *r,
    long long now)
{
	char *text;
	int ref, done, rc;

	if ((rc = claim(gw, r, &text, &ref, &done)) != 0)
		return rc;
	/* Parts of a long SMS that went out through another modem carry
	 * that SIM's number: the phone cannot join them with ours. */
	if (done > 0 && strcmp(r->modem, m->name) != 0) {
		log_warnx("%s: outbox %lld: %d part%s went out through %s, "
		    "which is not available: sending every part again",
		    m->name, r->id, done, done == 1 ? "" : "s", r->modem);
		if (store_outbox_restart(gw->store, r->id) != 0)
			goto fail_tx;
		ref = -1;
		done = 0;
	}
	/* Committed as sending before it leaves: a crash from here on is
	 * visible as a row in 'sending', retried (and marked) at start-up. */
	if (store_outbox_sending(gw->store, r->id, m->name, now) != 0 ||
	    store_commit(gw->store) != 0)
		goto fail_tx;
	m->sending_tries = r->tries + 1;
	if ((rc = gw->modem_ops->send_parts(m, r->id, r->number, text, ref,
	    done)) != 0) {
		m->sending = r->id;
		outbound_result(m, r->id, 0, 0, rc == -2 ? "out of memory" :
		    "text too long to send", -1, rc == -2 ? SEND_TRANSIENT :
		    SEND_PERMANENT);
	} else
		log_debug("%s: sending outbox %lld to %s%s", m->name, r->id,
		    r->number, done ? " (resumed)" : "");
	free(text);
	return 0;
fail_tx:
	store_rollback(gw->store);
	free(text);
	return -1;
}

/*
 * The sending policy for one initiated row: 0 to send it now, 1 when it was
 * held (quiet hours, hourly budget) or dropped (daily cap), with the
 * reason on the row; -1 on a store error. *hour is the hour's count,
 * read at the round's first row (-1 before; at most every HOUR_REREAD)
 * and carried forward: a broadcast of N read the hour N times, N² rows
 * (docs/kannel.md).
 */
static int
apply_policy(struct gateway *gw, const struct outbox_due *r, long long now,
    double mono, int *hour)
{
	struct policy_input in;
	enum policy_verdict v;
	const char *reason;
	long long until, day_start = clock_day_start(now);
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	in.now = now;
	in.minute_of_day = tm.tm_hour * 60 + tm.tm_min;
	if (*hour < 0 && (gw->hour_read_at == 0 ||
	    mono - gw->hour_read_at >= HOUR_REREAD)) {
		if (store_policy_counts(gw->store, r->number, now - 3600,
		    day_start, hour, &in.sent_to_today) != 0)
			return -1;
		gw->hour_sent = *hour;
		gw->hour_read_at = mono;
	} else {
		if (*hour < 0)
			*hour = gw->hour_sent;
		if (store_policy_today(gw->store, r->number, day_start,
		    &in.sent_to_today) != 0)
			return -1;
	}
	in.sent_last_hour = *hour;
	v = policy_check(gw->conf, &in, &until, &reason);
	if (v == POLICY_SEND) {
		/* it goes in this round, whether it is sent yet or not */
		++*hour;
		return 0;
	}
	if (store_outbox_hold(gw->store, r->id, v == POLICY_HOLD ? until : 0,
	    reason) != 0)
		return -1;
	log_info("outbox %lld to %s: %s", r->id, r->number, reason);
	return 1;
}

void
outbound_run(struct gateway *gw)
{
	/* one table: the modems, then the Kannel bearers */
	struct route_bearer rb[CONFIG_MAX_MODEMS + CONFIG_MAX_KANNELS];
	double last[CONFIG_MAX_MODEMS + CONFIG_MAX_KANNELS];
	struct outbox_due rows[DUE_WINDOW];
	long long now = gw_now(gw), due;
	double t = clock_mono(), wait = 0;
	unsigned ready = 0;
	int i, j, n, healthy = 0, nm = gw->nmodems, nb = nm + gw->nkannels;
	int hour = -1;
	int room[CONFIG_MAX_KANNELS];
	struct kannel_batch kb;

	kb.n = kb.open = 0;

	if (outbound_record_pending(gw) != 0)
		return;		/* the store is busy: nothing to send on */
	for (i = 0; i < nm; i++) {
		struct modem *m = &gw->modems[i];
		double w = 0;

		rb[i].op = (enum op)m->op;
		rb[i].healthy = modem_healthy(m, now);
		rb[i].bulk = 0;
		last[i] = m->next_send_at;
		if (m->state == MODEM_UP && m->paused_until > now)
			w = (double)(m->paused_until - now);
		else if (rb[i].healthy && !m->sending) {
			if (t >= m->next_send_at)
				ready |= 1u << i;
			else
				w = m->next_send_at - t;
		}
		if (w > 0 && (wait == 0 || w < wait))
			wait = w;
	}
	for (i = nm; i < nb; i++)
		gw->kannel_ops->route(gw, i - nm, &rb[i], &last[i]);
	for (i = 0; i < nb; i++)
		healthy += rb[i].healthy;
	if (gw->kannel_ops)
		ready |= gw->kannel_ops->ready(gw, t, &wait) << nm;
	/* what each bearer takes this round: its calls are made after */
	for (i = nm; i < nb; i++)
		room[i - nm] = (ready >> i) & 1 ?
		    gw->kannel_ops->room(gw, i - nm, t) : 0;
	if (ready) {
		if ((n = store_outbox_due(gw->store, now, rows, DUE_WINDOW)) < 0)
			goto fail;
		for (j = 0; j < n && ready; j++) {
			unsigned mask;
			int pick = -1, k, initiated;

			/* What the gateway initiates obeys the sending
			 * policy; a direct reply goes out at once. */
			initiated = strcmp(rows[j].purpose, "reply") != 0;
			if (initiated && (k = apply_policy(gw, &rows[j], now,
			    t, &hour)) != 0) {
				if (k < 0)
					goto fail;
				continue;
			}
			mask = route_choose(rb, nb, rows[j].number,
			    route_is_bulk(rows[j].purpose));
			/* A long SMS half sent stays on its modem while that
			 * modem is healthy: its parts must share a sender. */
			if (rows[j].parts_sent > 0 &&
			    (k = modem_index(gw, rows[j].modem)) >= 0 &&
			    rb[k].healthy)
				mask = 1u << k;
			/* the least recently used ready bearer of the set */
			for (i = 0; i < nb; i++)
				if ((mask & ready & (1u << i)) && (pick < 0 ||
				    last[i] < last[pick]))
					pick = i;
			if (pick < 0) {
				hour -= initiated;	/* not this round */
				continue;	/* waits for its bearers */
			}
			if (pick >= nm) {
				if (batch_add(gw, &kb, pick - nm, &rows[j],
				    now) < 0)
					goto fail;
				last[pick] = t;
				if (--room[pick - nm] <= 0)
					ready &= ~(1u << pick);
				continue;
			}
			/* a modem's row has its own transaction */
			if (batch_send(gw, &kb, t) != 0)
				goto fail;
			if ((k = dispatch(gw, &gw->modems[pick], &rows[j],
			    now)) != 0) {
				if (k < 0)
					goto fail;
				continue;	/* opted out: dropped */
			}
			ready &= ~(1u << pick);
			last[pick] = gw->modems[pick].next_send_at = t + 60.0 /
			    gw->modems[pick].conf->send_per_minute;
		}
		if (batch_send(gw, &kb, t) != 0)
			goto fail;
		if (hour >= 0)
			gw->hour_sent = hour;
		if (n == 0 && healthy &&
		    (due = store_outbox_next_due(gw->store)) > now &&
		    (wait == 0 || due - now < wait))
			wait = (double)(due - now);
	}
	if (wait > 0 && !gw->stopping)
		gateway_wake(gw, WORK_OUTBOUND, wait);
	return;
fail:
	batch_drop(gw, &kb);
	if (retry_if_busy(gw, WORK_OUTBOUND))
		return;
	log_alarm("outbox: %s", store_errmsg(gw->store));
	outbound_schedule(gw, 5);
}

/* The store's write for a part or a send's end; 0, or -1. Each write is
 * guarded by the row's state, so writing one again does nothing. */
static int
note_write(struct gateway *gw, struct modem *m, const struct send_note *n)
{
	struct store *st = gw->store;

	if (!n->is_end)
		return store_outbox_part(st, n->id, n->seq, n->total, n->ref,
		    m->name, n->mr, n->now);
	switch (n->cls) {
	case SEND_OK:
		return store_outbox_sent(st, n->id, n->parts, n->now);
	case SEND_PERMANENT:
		return store_outbox_permanent(st, n->id, n->error, n->now);
	case SEND_LOCAL:
		return store_outbox_local(st, n->id, n->error, n->now, n->now);
	case SEND_UNCERTAIN:
		return store_outbox_uncertain(st, n->id, n->error, n->now,
		    gw->conf->send_max_tries);
	default:
		if (store_outbox_failed(st, n->id, n->error, n->next_at,
		    n->now) != 0)
			return -1;
		return store_outbox_set_class(st, n->id, "transient");
	}
}

static void
note_lost(struct gateway *gw, const struct send_note *n)
{
	log_warnx("outbox %lld: %s not recorded: %s", n->id, n->is_end ?
	    "result" : "part", store_errmsg(gw->store));
}

/*
 * Record what a modem reported, or keep it, in order, while another
 * process holds the store (the modem then takes no other send): a 'sent'
 * that is never written would send the reply again after a restart.
 */
static void
note_record(struct gateway *gw, struct modem *m, const struct send_note *n)
{
	if (m->nunrecorded == 0) {
		if (note_write(gw, m, n) == 0) {
			/* On disk soon, not at the next checkpoint: a 'sent'
			 * lost in a power cut would send the reply again. */
			store_sync_written(gw->store);
			return;
		}
		if (!store_last_was_busy(gw->store)) {
			note_lost(gw, n);
			return;
		}
	}
	if (m->nunrecorded == UNRECORDED_MAX) {
		note_lost(gw, n);
		return;
	}
	m->unrecorded[m->nunrecorded++] = *n;
	gateway_retry(gw, WORK_OUTBOUND);
}

int
outbound_record_pending(struct gateway *gw)
{
	int i, wrote = 0;

	for (i = 0; i < gw->nmodems; i++) {
		struct modem *m = &gw->modems[i];

		while (m->nunrecorded > 0) {
			if (note_write(gw, m, &m->unrecorded[0]) != 0) {
				if (retry_if_busy(gw, WORK_OUTBOUND))
					goto out;
				note_lost(gw, &m->unrecorded[0]);
			} else
				wrote = 1;
			m->nunrecorded--;
			memmove(&m->unrecorded[0], &m->unrecorded[1],
			    (size_t)m->nunrecorded * sizeof(m->unrecorded[0]));
		}
	}
out:
	if (wrote)
		store_sync_written(gw->store);
	return i < gw->nmodems ? -1 : 0;
}

void
outbound_part(struct modem *m, long long id, int seq, int total, int ref,
    int mr)
{
	struct send_note n;

	m->sending_resume = seq;
	memset(&n, 0, sizeof(n));
	n.id = id;
	n.seq = seq;
	n.total = total;
	n.ref = ref;
	n.mr = mr;
	n.now = gw_now(m->gw);
	note_record(m->gw, m, &n);
	log_debug("%s: outbox %lld part %d/%d accepted, MR %d", m->name, id,
	    seq, total, mr);
}

/* A transient failure's next try: send_retry_base doubling, or 0 (dead)
 * after send_max_tries. */
long long
outbound_retry_at(const struct config *c, int tries, long long now)
{
	int shift = tries > 1 ? (tries - 1 > 20 ? 20 : tries - 1) : 0;

	if (tries >= c->send_max_tries)
		return 0;
	return now + ((long long)c->send_retry_base << shift);
}

void
outbound_result(struct modem *m, long long id, int ok, int parts,
    const char *error, int code, int cls)
{
	struct gateway *gw = m->gw;
	int tries = m->sending_tries;
	struct send_note n;

	if (m->sending != id)
		log_warnx("%s: result for outbox %lld, expected %lld", m->name,
		    id, m->sending);
	m->sending = 0;
	memset(&n, 0, sizeof(n));
	n.id = id;
	n.is_end = 1;
	n.cls = ok ? SEND_OK : cls;
	n.parts = parts;
	n.now = gw_now(gw);
	snprintf(n.error, sizeof(n.error), "%s", error ? error : "");
	switch (n.cls) {
	case SEND_OK:
		log_info("%s: outbox %lld sent (%d part%s)", m->name, id,
		    parts, parts == 1 ? "" : "s");
		break;
	case SEND_PERMANENT:
		log_warnx("%s: outbox %lld failed for good (code %d): %s",
		    m->name, id, code, error);
		break;
	case SEND_LOCAL:
		/* Our SIM, PIN, SMSC or PDU: every send on this modem would
		 * fail the same way. Give the row back without using a try
		 * (another modem may take it) and stop this modem for a
		 * while; a person must look. */
		m->paused_until = n.now + gw->conf->local_error_pause;
		snprintf(m->last_error, sizeof(m->last_error), "%s", error);
		log_alarm("%s: sending paused for %d s: %s (code %d)",
		    m->name, gw->conf->local_error_pause, error, code);
		gw->modem_ops->write_status(m);
		break;
	case SEND_UNCERTAIN:
		log_warnx("%s: outbox %lld may have been sent (%d part%s "
		    "confirmed): %s", m->name, id, parts, parts == 1 ? "" : "s",
		    error);
		break;
	default:
		n.next_at = outbound_retry_at(gw->conf, tries, n.now);
		log_warnx("%s: outbox %lld failed (try %d, code %d): %s; %s",
		    m->name, id, tries, code, error,
		    n.next_at ? "will retry" : "dead");
		break;
	}
	note_record(gw, m, &n);
	outbound_schedule(gw, 0);
}

const char *
outbound_status_report(struct gateway *gw, const struct message *msg)
{
	static char note[256];
	struct report_match r;
	int rc = store_report_apply(gw->store, msg->id, gw_now(gw), &r);

	if (rc < 0)
		return NULL;
	if (rc == 0) {
		snprintf(note, sizeof(note), "status report: no matching "
		    "outbox row");
		log_info("message %lld: status report from %s matches no "
		    "sent part", msg->id, msg->number);
		return note;
	}
	snprintf(note, sizeof(note), "status report: outbox %lld part %d "
	    "(MR %d on %s): TP-Status %d, %s; outbox %s", r.outbox_id, r.seq,
	    r.mr, r.modem, r.status, r.status < 0x20 ? "delivered" :
	    r.status < 0x40 ? "still trying" : "not delivered", r.state);
	log_info("%s", note);
	return note;
}

void
outbound_recover(struct gateway *gw)
{
	int dead, n = store_outbox_recover(gw->store, gw_now(gw),
	    gw->conf->send_max_tries, &dead);

	if (n < 0)
		log_warnx("outbox recovery: %s", store_errmsg(gw->store));
	else if (n > 0 || dead > 0)
		log_warnx("%d replies were being sent when the gateway stopped: "
		    "retried, marked (%d interrupted too often: dead)", n, dead);
}
