#include "gateway/loop/scheduler.h"
#include "config/config.h"
#include "gateway/loop/gateway.h"
#include "gateway/rules/actions.h"
#include "gateway/rules/budget.h"
#include "gateway/rules/meetings.h"
#include "gateway/rules/policy.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"
#include "parser/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DIGEST_NAME "digest"
/* meetings looked at per pass: those of a few days, in practice */
#define MEETING_BATCH	64

long long
cron_latest(const struct cron *c, long long now, long long window)
{
	long long t = cron_next(c, now - window), last = -1;

	while (t != -1 && t <= now) {
		last = t;
		t = cron_next(c, t);
	}
	return last;
}

int
scheduler_check(struct config *c)
{
	struct cron cr;
	char err[160];
	int i, bad = 0;

	for (i = 0; i < c->nreminders; i++)
		if (c->reminders[i].schedule[0] &&
		    cron_parse(c->reminders[i].schedule, &cr, err,
		    sizeof(err)) != 0) {
			config_error(c,
			    config_reminder_line(&c->reminders[i], "schedule"),
			    "[reminder %s] schedule: %s", c->reminders[i].name,
			    err);
			bad++;
		}
	return bad ? -1 : 0;
}

/* Who one reminder reaches, and the text each of them gets. */
struct firing {
	struct gateway *gw;
	struct store *st;
	const struct reminder_config *r;
	long long now;
	int queued;
	char bulan[32], bulan_lalu[32];	/* "Desember 2027", "November 2027" */
	char report_month[24];		/* only_if's month, "YYYY-MM" */
	/* numbers already queued this firing (several `to` items overlap) */
	char (*seen)[NUMBER_MAX];
	int nseen, cap;
	int dry;		/* count only */
	const char *area;	/* the config's: where a village name is meant */
};

/* Fill {nama} {desa} {bulan} {bulan_lalu} into the reminder's text. */
static void
fill(const struct firing *f, const char *nama, const char *desa, char *out,
    size_t cap)
{
	const struct { const char *name; const char *value; } vars[] = {
		{ "{nama}", nama }, { "{desa}", desa },
		{ "{bulan}", f->bulan }, { "{bulan_lalu}", f->bulan_lalu },
	};
	const char *tmpl = f->r->text;
	size_t o = 0, i, n;

	for (; *tmpl && o + 1 < cap; tmpl++) {
		for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
			if (!strncmp(tmpl, vars[i].name,
			    n = strlen(vars[i].name)))
				break;
		if (*tmpl == '{' && i < sizeof(vars) / sizeof(vars[0])) {
			o += (size_t)snprintf(out + o, cap - o, "%s",
			    vars[i].value);
			if (o >= cap)
				o = cap - 1;
			tmpl += n - 1;
		} else
			out[o++] = *tmpl;
	}
	out[o] = '\0';
}

/* The months a firing at f->now names: {bulan}, {bulan_lalu}, and the
 * month whose reports only_if looks for. */
static void
name_months(struct firing *f)
{
	time_t t = (time_t)f->now;
	struct tm tm;
	int y, m, py, pm;

	localtime_r(&t, &tm);
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	py = m == 1 ? y - 1 : y;
	pm = m == 1 ? 12 : m - 1;
	snprintf(f->bulan, sizeof(f->bulan), "%s %d", reply_month_name(m), y);
	snprintf(f->bulan_lalu, sizeof(f->bulan_lalu), "%s %d",
	    reply_month_name(pm), py);
	f->report_month[0] = '\0';
	if (f->r->only == ONLY_IF_NO_REPORT_LAST_MONTH) {
		y = py;
		m = pm;
	}
	if (f->r->only != ONLY_IF_ALWAYS)
		snprintf(f->report_month, sizeof(f->report_month), "%04d-%02d",
		    y, m);
}

static int
seen_before(struct firing *f, const char *number)
{
	int i;

	for (i = 0; i < f->nseen; i++)
		if (!strcmp(f->seen[i], number))
			return 1;
	if (f->nseen == f->cap) {
		int cap = f->cap ? f->cap * 2 : 256;
		char (*s)[NUMBER_MAX] = realloc(f->seen, (size_t)cap *
		    sizeof(*s));

		if (s == NULL)
			return 0;
		f->seen = s;
		f->cap = cap;
	}
	snprintf(f->seen[f->nseen++], NUMBER_MAX, "%s", number);
	return 0;
}

static int
queue_one(void *arg, const char *number, const char *nama, const char *desa)
{
	struct firing *f = arg;
	char text[600];

	if (seen_before(f, number))
		return 0;
	f->queued++;
	if (f->dry)
		return 0;
	fill(f, nama, desa, text, sizeof(text));
	return store_outbox_add_at(f->st, number, text, "reminder", f->now,
	    f->now) != 0;
}

/* Queue the reminder to every group its `to` names, each read as
 * `broadcast` reads a group (action_audience). Returns the count, or -1
 * (an unknown group is logged and skipped). */
static int
reach(struct firing *f)
{
	char list[256], *tok, *save = NULL, why[256];
	struct recipient_query q;
	struct audience a;
	size_t i;
	int rc;

	name_months(f);
	snprintf(list, sizeof(list), "%s", f->r->to);
	for (tok = strtok_r(list, ",;", &save); tok; tok = strtok_r(NULL, ",;",
	    &save)) {
		while (*tok == ' ')
			tok += 1;
		for (i = strlen(tok); i > 0 && tok[i - 1] == ' '; i--)
			tok[i - 1] = '\0';
		if ((rc = action_audience(f->st, f->area, tok, &a, why,
		    sizeof(why))) < 0)
			return -1;
		if (rc != AUDIENCE_OK) {
			log_warnx("reminder %s: %s", f->r->name, why);
			continue;
		}
		audience_query(&a, &q);
		if (f->report_month[0])
			q.no_report_month = f->report_month;
		if (store_recipients(f->st, &q, queue_one, f) < 0)
			return -1;
	}
	return f->queued;
}

/* Fire reminder r for due time `due` in one transaction with its record. */
static void
fire(struct gateway *gw, const struct reminder_config *r, long long due,
    long long now)
{
	struct firing f;

	memset(&f, 0, sizeof(f));
	f.gw = gw;
	f.st = gw->store;
	f.r = r;
	f.now = now;
	f.area = gw->conf->area;
	if (store_begin(gw->store) != 0)
		goto fail;
	if (reach(&f) < 0 ||
	    store_reminder_fired(gw->store, r->name, due, f.queued, "sent",
	    now) != 0 || store_commit(gw->store) != 0) {
		store_rollback(gw->store);
		goto fail;
	}
	log_info("reminder %s: due %lld, queued to %d", r->name, due, f.queued);
	free(f.seen);
	outbound_schedule(gw, 0);
	return;
fail:
	free(f.seen);
	/* fired later: its last due time is read again then */
	if (!retry_if_busy(gw, WORK_SCHEDULER))
		log_warnx("reminder %s: %s", r->name, store_errmsg(gw->store));
}

/* The digest for the coordinators: one SMS each. */
static void
fire_digest(struct gateway *gw, long long due, long long now)
{
	const struct config *c = gw->conf;
	struct reminder_config r;
	char text[REPLY_MAX], tanggal[16], a[16], b[16], w[16], d[16], x[16];
	char f[16];
	struct digest_figures fig;
	int changed;
	long long day = clock_day_start(due);
	time_t t = (time_t)due;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(tanggal, sizeof(tanggal), "%d/%m/%Y", &tm);
	/* a flag time alone raised (or cleared) counts as one PANTAU's */
	if (store_begin(gw->store) != 0 ||
	    (changed = budget_recheck(gw->store, now)) < 0 ||
	    store_commit(gw->store) != 0) {
		store_rollback(gw->store);
		log_warnx("digest: activities' flags not checked: %s",
		    store_errmsg(gw->store));
	} else if (changed > 0)
		log_info("digest: %d activities' flags changed with time",
		    changed);
	if (store_digest(gw->store, day, due + 1, now -
	    (long long)c->digest_waiting_days * 86400, &fig) != 0) {
		log_warnx("digest: %s", store_errmsg(gw->store));
		return;
	}
	snprintf(a, sizeof(a), "%d", fig.reports);
	snprintf(b, sizeof(b), "%d", fig.new_tickets);
	snprintf(w, sizeof(w), "%d", fig.waiting);
	snprintf(d, sizeof(d), "%d", c->digest_waiting_days);
	snprintf(x, sizeof(x), "%d", fig.withheld);
	snprintf(f, sizeof(f), "%d", fig.flagged);
	{
		struct reply_var v[] = { { "tanggal", tanggal },
		    { "laporan", a }, { "baru", b }, { "menunggu", w },
		    { "hari", d }, { "ditahan", x }, { "selisih", f } };

		if (reply_render(R_DIGEST, v, 7, text, sizeof(text)) < 0)
			return;
	}
	memset(&r, 0, sizeof(r));
	snprintf(r.name, sizeof(r.name), DIGEST_NAME);
	snprintf(r.to, sizeof(r.to), "koordinator");
	snprintf(r.text, sizeof(r.text), "%s", text);
	fire(gw, &r, due, now);
}

/*
 * One reminder: fire the latest due time since the last firing if it is
 * within the grace period; an older one is recorded as missed.
 */
static void
consider(struct gateway *gw, const struct reminder_config *r,
    const struct cron *cr, long long now)
{
	long long last = store_reminder_last(gw->store, r->name), due;
	long long grace = gw->conf->reminder_grace;

	if (last < 0)
		return;
	if (last == 0)
		due = cron_latest(cr, now, grace + 60);
	else {
		due = cron_next(cr, last);
		if (due == -1 || due > now)
			return;
		due = cron_latest(cr, now, now - last);
	}
	if (due <= 0 || due <= last)
		return;
	if (now - due > grace) {
		if (store_reminder_fired(gw->store, r->name, due, 0, "missed",
		    now) != 0) {
			if (!retry_if_busy(gw, WORK_SCHEDULER))
				log_warnx("reminder %s: %s", r->name,
				    store_errmsg(gw->store));
			return;
		}
		log_warnx("reminder %s: due %lld was missed by more than the "
		    "grace period: not sent", r->name, due);
		return;
	}
	if (!strcmp(r->name, DIGEST_NAME))
		fire_digest(gw, due, now);
	else
		fire(gw, r, due, now);
}

/* The first time the sending policy lets an initiated SMS queued at now
 * go, as far as the clock decides it (quiet hours). */
static long long
first_send_time(const struct config *c, long long now)
{
	struct policy_input in = { .now = now };
	const char *reason;
	long long until;
	time_t t = (time_t)now;
	struct tm tm;

	localtime_r(&t, &tm);
	in.minute_of_day = tm.tm_hour * 60 + tm.tm_min;
	if (policy_check(c, &in, &until, &reason) == POLICY_HOLD && until > now)
		return until;
	return now;
}

/*
 * Whether meeting m's reminder goes at now. It is due a day before the
 * meeting (none for a meeting added, or changed by `meetings update`,
 * later than that: its announcement will do) and goes late only
 * while its words are true: before the meeting starts, and within
 * reminder_grace. *hari gets the day word for the time it will go out
 * (quiet hours may hold it to the morning, which can be the meeting day).
 */
static enum meeting_verdict
meeting_verdict(const struct config *c, const struct meeting *m,
    long long now, long long *due, const char **hari, const char **why)
{
	char at[32];
	long long start, send_at;

	snprintf(at, sizeof(at), "%s %s", m->tanggal, m->waktu);
	if (clock_parse_local(at, "%Y-%m-%d %H:%M", 0, &start) != 0 ||
	    clock_parse_local(at, "%Y-%m-%d %H:%M", -1, due) != 0 ||
	    m->announced_at > *due)
		return MEETING_NO_REMINDER;
	if (now < *due)
		return MEETING_NOT_DUE;
	if (now >= start) {
		*why = "the meeting had started";
		return MEETING_MISSED;
	}
	if ((send_at = first_send_time(c, now)) >= start) {
		*why = "quiet hours would hold it past the meeting's start";
		return MEETING_MISSED;
	}
	if (now - *due > c->reminder_grace) {
		*why = "late by more than reminder_grace";
		return MEETING_MISSED;
	}
	*hari = clock_day_start(send_at) == clock_day_start(start) ?
	    "hari ini" : "besok";
	return MEETING_SEND;
}

/* Send or record missed one meeting's reminder, with its state row, in
 * one transaction. */
static int
remind_meeting(struct gateway *gw, const struct meeting *m, long long now)
{
	const char *hari = "", *why = NULL;
	char name[64], text[REPLY_MAX], outcome[96];
	long long due;
	int n = 0;

	switch (meeting_verdict(gw->conf, m, now, &due, &hari, &why)) {
	case MEETING_NOT_DUE:
		return 0;
	case MEETING_NO_REMINDER:
		/* added less than a day before: its announcement will do;
		 * marked so that it is not read again every pass */
		return store_meeting_reminded(gw->store, m->id, now);
	case MEETING_SEND:
		if (action_meeting_text(gw->store, m, R_MEETING_REMINDER, hari,
		    text, sizeof(text)) < 0)
			return 0;
		snprintf(outcome, sizeof(outcome), "sent");
		break;
	case MEETING_MISSED:
		snprintf(outcome, sizeof(outcome), "missed: %s", why);
		break;
	}
	snprintf(name, sizeof(name), "meeting:%lld", m->id);
	if (store_begin(gw->store) != 0)
		return -1;
	if ((why == NULL && (n = action_meeting_send(gw->store, m, text,
	    "reminder", "reminder", now)) < 0) ||
	    store_reminder_fired(gw->store, name, due, n, outcome, now) != 0 ||
	    store_meeting_reminded(gw->store, m->id, now) != 0 ||
	    store_commit(gw->store) != 0) {
		store_rollback(gw->store);
		return -1;
	}
	if (why != NULL)
		log_warnx("reminder %s (%s %s %s): not sent: %s", name,
		    m->desa, m->tanggal, m->waktu, why);
	else {
		log_info("reminder %s (%s %s %s): queued to %d", name, m->desa,
		    m->tanggal, m->waktu, n);
		outbound_schedule(gw, 0);
	}
	return 0;
}

/* The reminders of the meetings from the office (`meetings add`). */
static void
remind_meetings(struct gateway *gw, long long now)
{
	struct meeting m[MEETING_BATCH];
	char from[16], to[16];
	time_t t;
	struct tm tm;
	int i, n;

	/* a reminder is due a day before; one older than the longest
	 * reminder_grace (a week) is of no interest */
	t = (time_t)(now - 8 * 86400);
	localtime_r(&t, &tm);
	strftime(from, sizeof(from), "%Y-%m-%d", &tm);
	t = (time_t)(now + 2 * 86400);
	localtime_r(&t, &tm);
	strftime(to, sizeof(to), "%Y-%m-%d", &tm);
	if ((n = store_meetings_to_remind(gw->store, from, to, m,
	    MEETING_BATCH)) < 0)
		goto fail;
	for (i = 0; i < n; i++)
		if (remind_meeting(gw, &m[i], now) != 0)
			goto fail;
	return;
fail:
	if (!retry_if_busy(gw, WORK_SCHEDULER))
		log_warnx("meeting reminders: %s", store_errmsg(gw->store));
}

void
scheduler_run(struct gateway *gw)
{
	const struct config *c = gw->conf;
	struct cron cr;
	char err[128];
	long long now = gw_now(gw);
	int i;

	for (i = 0; i < c->nreminders; i++)
		if (cron_parse(c->reminders[i].schedule, &cr, err,
		    sizeof(err)) == 0)
			consider(gw, &c->reminders[i], &cr, now);
	if (c->digest_minute >= 0) {
		struct reminder_config r;
		char expr[32];

		memset(&r, 0, sizeof(r));
		snprintf(r.name, sizeof(r.name), DIGEST_NAME);
		snprintf(expr, sizeof(expr), "%d %d * * *", c->digest_minute % 60,
		    c->digest_minute / 60);
		if (cron_parse(expr, &cr, err, sizeof(err)) == 0)
			consider(gw, &r, &cr, now);
	}
	remind_meetings(gw, now);
}

int
scheduler_list(struct store *st, const struct config *c, long long now,
    export_row_fn row, void *arg)
{
	static const char *const cols[] = { "reminder", "next_due",
	    "last_due", "recipients_now", "error" };
	struct cron cr;
	char err[128], next[32], lastbuf[32], reached[16];
	int i, n = 0;

	if (row(arg, n++, 5, cols) != 0)
		return -1;
	for (i = 0; i < c->nreminders + (c->digest_minute >= 0); i++) {
		struct reminder_config r, *rp = &r;
		struct firing f;
		long long t, last;
		const char *v[5];
		time_t tt;
		struct tm tm;

		if (i < c->nreminders)
			rp = (struct reminder_config *)&c->reminders[i];
		else {
			memset(&r, 0, sizeof(r));
			snprintf(r.name, sizeof(r.name), DIGEST_NAME);
			snprintf(r.to, sizeof(r.to), "koordinator");
			snprintf(r.schedule, sizeof(r.schedule), "%d %d * * *",
			    c->digest_minute % 60, c->digest_minute / 60);
		}
		v[0] = rp->name;
		v[1] = v[2] = v[3] = v[4] = "";
		if (cron_parse(rp->schedule, &cr, err, sizeof(err)) != 0) {
			v[4] = err;
			if (row(arg, n++, 5, v) != 0)
				return -1;
			continue;
		}
		t = cron_next(&cr, now);
		tt = (time_t)t;
		localtime_r(&tt, &tm);
		if (t < 0)
			snprintf(next, sizeof(next), "never");
		else
			strftime(next, sizeof(next), "%Y-%m-%d %H:%M", &tm);
		last = store_reminder_last(st, rp->name);
		tt = (time_t)last;
		localtime_r(&tt, &tm);
		if (last <= 0)
			snprintf(lastbuf, sizeof(lastbuf), "-");
		else
			strftime(lastbuf, sizeof(lastbuf), "%Y-%m-%d %H:%M", &tm);
		memset(&f, 0, sizeof(f));
		f.st = st;
		f.r = rp;
		f.now = now;
		f.dry = 1;
		f.area = c->area;
		v[1] = next;
		v[2] = lastbuf;
		if (reach(&f) < 0)
			v[4] = store_errmsg(st);
		else {
			snprintf(reached, sizeof(reached), "%d", f.queued);
			v[3] = reached;
		}
		free(f.seen);
		if (row(arg, n++, 5, v) != 0)
			return -1;
	}
	return 0;
}
