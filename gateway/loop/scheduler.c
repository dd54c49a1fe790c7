#include "gateway/loop/scheduler.h"
#include "config/config.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"
#include "parser/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define DIGEST_NAME "digest"

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
	char bulan[32];
	/* numbers already queued this firing (several `to` items overlap) */
	char (*seen)[NUMBER_MAX];
	int nseen, cap;
	int dry;		/* count only */
	const char *area;	/* the config's: where a village name is meant */
};

/* Fill {nama} {desa} {bulan} into the reminder's text. */
static void
fill(const char *tmpl, const char *nama, const char *desa, const char *bulan,
    char *out, size_t cap)
{
	size_t o = 0;

	for (; *tmpl && o + 1 < cap; tmpl++) {
		const char *v = NULL;
		size_t n = 0;

		if (*tmpl == '{') {
			if (!strncmp(tmpl, "{nama}", n = 6))
				v = nama;
			else if (!strncmp(tmpl, "{desa}", n = 6))
				v = desa;
			else if (!strncmp(tmpl, "{bulan}", n = 7))
				v = bulan;
		}
		if (v != NULL) {
			o += (size_t)snprintf(out + o, cap - o, "%s", v);
			if (o >= cap)
				o = cap - 1;
			tmpl += n - 1;
		} else
			out[o++] = *tmpl;
	}
	out[o] = '\0';
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
	fill(f->r->text, nama, desa, f->bulan, text, sizeof(text));
	return store_outbox_add_at(f->st, number, text, "reminder", f->now,
	    f->now) != 0;
}

/* Queue the reminder to every group its `to` names. Returns the count, or
 * -1 (an unknown group is logged and skipped). */
static int
reach(struct firing *f)
{
	char list[256], *tok, *save = NULL;
	struct recipient_query q;
	char code[16];
	time_t t = (time_t)f->now;
	struct tm tm;

	localtime_r(&t, &tm);
	snprintf(f->bulan, sizeof(f->bulan), "%s %d", reply_month_name(tm.tm_mon + 1),
	    tm.tm_year + 1900);
	snprintf(list, sizeof(list), "%s", f->r->to);
	for (tok = strtok_r(list, ",;", &save); tok; tok = strtok_r(NULL, ",;",
	    &save)) {
		static const char *const roles[] = { "pendamping", "koordinator",
		    "warga", "semua" };
		size_t i;

		while (*tok == ' ')
			tok += 1;
		for (i = strlen(tok); i > 0 && tok[i - 1] == ' '; i--)
			tok[i - 1] = '\0';
		memset(&q, 0, sizeof(q));
		for (i = 0; i < 4; i++)
			if (!strcasecmp(tok, roles[i]))
				q.role = roles[i];
		if (q.role == NULL) {
			/* a village (code or name), else a kecamatan */
			struct village_scope scope = { NULL, f->area };
			struct village_pick p = { .cand = NULL };

			if (store_village_pick(f->st, tok, &scope, &p) ==
			    VILLAGE_FOUND)
				q.desa = strcpy(code, p.v.code);
			else
				q.kecamatan = tok;
		}
		if (!strcmp(f->r->only_if, "no_report_this_month"))
			q.no_report_since = clock_month_start(f->now);
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
	int reports, fresh, waiting, withheld;
	long long day = clock_day_start(due);
	time_t t = (time_t)due;
	struct tm tm;

	localtime_r(&t, &tm);
	strftime(tanggal, sizeof(tanggal), "%d/%m/%Y", &tm);
	if (store_digest(gw->store, day, due + 1, now -
	    (long long)c->digest_waiting_days * 86400, &reports, &fresh,
	    &waiting, &withheld) != 0) {
		log_warnx("digest: %s", store_errmsg(gw->store));
		return;
	}
	snprintf(a, sizeof(a), "%d", reports);
	snprintf(b, sizeof(b), "%d", fresh);
	snprintf(w, sizeof(w), "%d", waiting);
	snprintf(d, sizeof(d), "%d", c->digest_waiting_days);
	snprintf(x, sizeof(x), "%d", withheld);
	{
		struct reply_var v[] = { { "tanggal", tanggal },
		    { "laporan", a }, { "baru", b }, { "menunggu", w },
		    { "hari", d }, { "ditahan", x } };

		if (reply_render(R_DIGEST, v, 6, text, sizeof(text)) < 0)
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
