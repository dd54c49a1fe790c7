#include "gateway/ussd/ussd.h"
#include "gateway/rules/actions.h"
#include "gateway/rules/budget.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/log.h"
#include "gateway/ussd/ussd_menu.h"
#include "gateway/ussd/ussd_sessions.h"
#include "parser/parser.h"
#include "parser/phone.h"
#include "parser/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

enum { USSD_OPEN, USSD_EXPIRED, USSD_FOREIGN, USSD_ENDED };

/* What the menu's ops need to reach the store for one request. */
struct ussd_job {
	struct gateway *gw;
	const struct ussd_request *req;
	const char *number;	/* normalised */
	struct ussd_cache *cache;	/* the session's, kept across screens */
	const struct contact *contact;	/* loaded by job_caller() */
	int known;
	long long now;
	char today[16];
	struct ussd_session_row *session;
	int reading;		/* inside store_read_begin() */
	int failed;		/* a lazy lookup failed */
	unsigned long durable_at;	/* the commit the answer shows */
};

/* Open the read snapshot, the first time a screen needs the store: the
 * first screen and plain prompts never read it. */
static int
job_read(struct ussd_job *j)
{
	if (j->reading)
		return 0;
	if (store_read_begin(j->gw->store) != 0)
		return -1;
	j->reading = 1;
	return 0;
}

/* Who the caller is: from the session, or once from the store. */
static int
job_caller(struct ussd_job *j)
{
	struct ussd_cache *c = j->cache;
	int rc;

	if (c->contact == 0) {
		if (job_read(j) != 0 ||
		    (rc = store_contact_get(j->gw->store, j->number,
		    &c->c)) < 0)
			return -1;
		c->contact = rc ? 1 : 2;
	}
	j->known = c->contact == 1;
	j->contact = &c->c;
	return 0;
}

/* The keypad's village as the menu offers it. */
static void
menu_village(struct ussd_village *out, const char *code, const char *name,
    const char *kecamatan)
{
	snprintf(out->code, sizeof(out->code), "%.15s", code);
	snprintf(out->name, sizeof(out->name), "%.63s", name);
	snprintf(out->kecamatan, sizeof(out->kecamatan), "%.47s", kecamatan);
}

/* A village typed on the keypad, resolved as an SMS would be from this
 * caller (store_village_pick), remembered for the session. */
static int
op_resolve(void *arg, const char *typed, struct ussd_village *out, int max)
{
	struct ussd_job *j = arg;
	struct ussd_cache *c = j->cache;
	struct village cand[USSD_ITEMS_MAX];
	struct village_pick p = { .cand = cand, .cand_max = USSD_ITEMS_MAX };
	struct village_scope scope = { j->number, j->gw->conf->area };
	char norm[DESA_MAX];
	int rc, i;

	if (c->typed_n >= 0 && !strcmp(c->typed, typed))
		goto answer;	/* the same village, on a deeper screen */
	if (job_read(j) != 0)
		return -1;
	/* as SMS and the CLI write a village: a dotted code, or upper case */
	parse_desa(typed, norm, sizeof(norm));
	if ((rc = store_village_pick(j->gw->store, norm, &scope, &p)) < 0)
		return -1;
	c->typed_n = rc == VILLAGE_FOUND || rc == VILLAGE_AS_TYPED ? 1 :
	    rc == VILLAGE_AMBIGUOUS ? p.choices : 0;
	if (rc == VILLAGE_FOUND)
		menu_village(&c->typed_v[0], p.v.code, p.v.name,
		    p.v.kecamatan);
	else if (rc == VILLAGE_AS_TYPED)
		menu_village(&c->typed_v[0], norm, norm, "");
	for (i = 0; rc == VILLAGE_AMBIGUOUS && i < p.ncand && i < p.choices;
	    i++)
		menu_village(&c->typed_v[i], cand[i].code, cand[i].name,
		    cand[i].kecamatan);
	/* a longer answer is kept cut short, so it never matches again */
	snprintf(c->typed, sizeof(c->typed), "%s", typed);
answer:
	for (i = 0; i < c->typed_n && i < max && i < USSD_ITEMS_MAX; i++)
		out[i] = c->typed_v[i];
	return c->typed_n;
}

static int
op_open_perdes(void *arg, const char *desa, struct ussd_item *items, int max)
{
	struct ussd_job *j = arg;
	struct perdes p[USSD_ITEMS_MAX];
	int n, i;

	if (job_read(j) != 0)
		return -1;
	if (max > USSD_ITEMS_MAX)
		max = USSD_ITEMS_MAX;
	n = store_perdes_list_open(j->gw->store, desa, j->today, p, max);
	for (i = 0; i < n; i++) {
		snprintf(items[i].code, sizeof(items[i].code), "%.15s", p[i].code);
		snprintf(items[i].title, sizeof(items[i].title), "%.63s",
		    p[i].title);
	}
	return n;
}

/* STATUS by USSD: the same action as by SMS (action_ticket_view), its
 * own words from the reply table. */
static int
op_ticket_status(void *arg, const char *typed, char *out, size_t cap)
{
	static const enum reply_id say[] = {
		[TICKET_BAD_NAME] = R_USSD_TICKET_BAD,
		[TICKET_UNKNOWN] = R_USSD_TICKET_UNKNOWN,
		[TICKET_NOT_YOURS] = R_USSD_TICKET_NOT_YOURS,
		[TICKET_SHOWN] = R_USSD_STATUS,
	};
	struct ussd_job *j = arg;
	struct ticket t;
	char name[32] = "";
	int rc;

	if (job_caller(j) != 0 || job_read(j) != 0)
		return -1;
	rc = action_ticket_view(j->gw->store, typed, j->number,
	    j->known ? j->contact->role : NULL, &t, name, sizeof(name));
	if (rc < 0)
		return -1;
	{
		struct reply_var v[] = { { "tiket", name },
			{ "status", rc == TICKET_SHOWN ? t.status : "" },
			{ "catatan", rc == TICKET_SHOWN ? t.note : "" } };

		if (reply_render(say[rc], v, 3, out, cap) < 0)
			return -1;
	}
	return 0;
}

void
ussd_end(enum reply_id id, char *out, size_t cap)
{
	if (cap < 5)
		return;
	memcpy(out, "END ", 5);
	if (reply_render(id, NULL, 0, out + 4, cap - 4) < 0)
		out[4] = '\0';
}

static int
op_meetings(void *arg, const char *desa, char *out, size_t cap)
{
	struct ussd_job *j = arg;
	struct meeting m[3];
	size_t o = 0;
	int n, i;

	if (job_read(j) != 0 ||
	    (n = store_meetings_next(j->gw->store, desa, j->today, m, 3)) < 0)
		return -1;
	if (n == 0)
		return reply_render(R_USSD_NO_MEETINGS, NULL, 0, out, cap) < 0 ?
		    -1 : 0;
	out[0] = '\0';
	for (i = 0; i < n && o < cap; i++) {
		int w = snprintf(out + o, cap - o, "%s%.5s/%.2s %s %s %s",
		    i ? "\n" : "", m[i].tanggal + 8, m[i].tanggal + 5,
		    m[i].waktu, m[i].jenis, m[i].tempat);

		if (w < 0)
			break;
		o += (size_t)w;
	}
	return 0;
}

/* The budget year a caller asks about: this year's. */
static int
job_year(const struct ussd_job *j)
{
	return (int)strtol(j->today, NULL, 10);
}

/* Dana desa: the year's totals of desa and its first activities. */
static int
op_kegiatan_list(void *arg, const char *desa, struct ussd_ctx *ctx,
    struct ussd_item *items, int max)
{
	struct ussd_job *j = arg;
	struct kegiatan k[USSD_ITEMS_MAX];
	struct apbdes a;
	int n, i, rc;

	if (job_read(j) != 0)
		return -1;
	if (max > USSD_ITEMS_MAX)
		max = USSD_ITEMS_MAX;
	snprintf(ctx->tahun, sizeof(ctx->tahun), "%d", job_year(j));
	if ((rc = store_apbdes_get(j->gw->store, desa, job_year(j), &a)) < 0 ||
	    (n = store_kegiatan_of(j->gw->store, desa, job_year(j), k,
	    max)) < 0)
		return -1;
	if (rc == 0)
		memset(&a, 0, sizeof(a));
	budget_amount(a.pendapatan, ctx->pendapatan, sizeof(ctx->pendapatan));
	budget_amount(a.belanja, ctx->belanja, sizeof(ctx->belanja));
	budget_amount(a.dana_desa, ctx->dana_desa, sizeof(ctx->dana_desa));
	for (i = 0; i < n && i < max; i++) {
		snprintf(items[i].code, sizeof(items[i].code), "%s", k[i].kode);
		budget_short_name(k[i].nama, 12, items[i].title,
		    sizeof(items[i].title));
	}
	return n;
}

/* Dana desa: one activity, as the SMS APBDES desa kode shows it. */
static int
op_kegiatan_detail(void *arg, struct ussd_ctx *ctx)
{
	struct ussd_job *j = arg;
	struct kegiatan k;
	int rc;

	if (job_read(j) != 0 ||
	    (rc = store_kegiatan_get(j->gw->store, ctx->desa, job_year(j),
	    ctx->kegiatan, &k)) < 0)
		return -1;
	if (rc == 0)
		return 0;
	budget_short_name(k.nama, 32, ctx->nama, sizeof(ctx->nama));
	budget_amount(k.anggaran, ctx->anggaran, sizeof(ctx->anggaran));
	snprintf(ctx->sumber, sizeof(ctx->sumber), "%s", k.sumber);
	budget_day(k.mulai, ctx->mulai, sizeof(ctx->mulai));
	budget_day(k.selesai, ctx->selesai, sizeof(ctx->selesai));
	if (budget_progres_text(j->gw->store, &k, j->now, ctx->resmi,
	    sizeof(ctx->resmi), ctx->warga, sizeof(ctx->warga)) != 0)
		return -1;
	return 1;
}

/*
 * Carry out an action once per session and path: a repeated request (the
 * aggregator retries) finds the ticket made the first time.
 */
static int submit_new(struct ussd_job *, enum ussd_action,
    struct ussd_ctx *);

static int
op_submit(void *arg, enum ussd_action a, struct ussd_ctx *ctx)
{
	struct ussd_job *j = arg;
	int rc;

	/* The commit does not wait for the disk here: the answer, which
	 * shows the ticket number, does (durable_at in ussd_handle). Who
	 * the caller is decides the SMS confirmation's hourly limit. */
	if (job_caller(j) != 0)
		return -1;
	if (j->reading) {
		store_read_end(j->gw->store);
		j->reading = 0;
	}
	if (store_begin(j->gw->store) != 0)
		return -1;
	/* The session row's own id names its actions: the two can never
	 * disagree. An id used before is another session: its older actions
	 * are not this one's. */
	rc = store_ussd_action_get(j->gw->store, j->session->id,
	    j->req->text, j->session->started_at, ctx->tiket,
	    sizeof(ctx->tiket));
	if (rc != 0) {
		/* a repeat: shown once the first try's commit is on disk */
		store_rollback(j->gw->store);
		j->durable_at = j->cache->action_commit;
		return rc < 0 ? -1 : 0;
	}
	/* the action row refers to its session: write it now */
	if (store_ussd_session_put(j->gw->store, j->session) != 0 ||
	    submit_new(j, a, ctx) != 0 || store_commit(j->gw->store) != 0) {
		store_rollback(j->gw->store);
		return -1;
	}
	j->durable_at = j->cache->action_commit = store_commits(j->gw->store);
	return 0;
}

/* Queue the SMS confirmation of an action (the screen is gone once
 * closed), under the same guard as an SMS reply: an unregistered caller
 * pressing on costs credit too. Sets ctx->no_sms, and the message's note,
 * when it is withheld. 0 or -1. */
static int
confirm_by_sms(struct ussd_job *j, struct ussd_ctx *ctx, long long mid,
    const char *kind, const char *reply)
{
	struct reply_request r = { .number = j->number,
	    .registered = j->known, .text = reply, .message_id = mid,
	    .now = j->now };
	const char *note = NULL;
	int queued = 1;

	if (reply[0] && (queued = action_reply(j->gw->store, j->gw->conf, &r,
	    &note)) < 0)
		return -1;
	if (queued == 0) {
		ctx->no_sms = 1;
		log_warnx("ussd: no SMS confirmation to %s: %s", j->number,
		    note);
		if (store_message_done(j->gw->store, mid, "processed", kind,
		    NULL, note, j->now) != 0)
			return -1;
	}
	return 0;
}

/* PANTAU by USSD: a message of channel ussd, the observation (the same
 * action as by SMS: budget_observe), the SMS confirmation. */
static int
submit_pantau(struct ussd_job *j, struct ussd_ctx *ctx)
{
	struct budget_obs o;
	struct kegiatan k;
	char text[700], reply[REPLY_MAX];
	long long mid;
	int rc, resmi = 0;

	snprintf(text, sizeof(text), "PANTAU %s %s %s %s", ctx->desa,
	    ctx->kegiatan, ctx->persen, ctx->isi);
	if (store_message_add_channel(j->gw->store, "ussd", j->number, text,
	    "pantau", j->now, &mid) != 0)
		return -1;
	memset(&o, 0, sizeof(o));
	o.desa = ctx->desa;
	o.tahun = job_year(j);
	o.kode = ctx->kegiatan;
	o.number = j->number;
	o.persen = atoi(ctx->persen);
	o.catatan = ctx->isi;
	o.message_id = mid;
	o.sent_at = o.now = j->now;
	/* the walk checked the activity on this request's snapshot */
	if ((rc = budget_observe(j->gw->store, &o, &k, &resmi)) != OBS_STORED)
		return -1;
	{
		struct reply_var v[] = { { "kegiatan", k.kode },
		    { "nama", k.nama }, { "desa", ctx->desa_name },
		    { "persen", ctx->persen } };

		if (reply_render(resmi ? R_OK_PANTAU_RESMI : R_OK_PANTAU_WARGA,
		    v, 4, reply, sizeof(reply)) < 0)
			reply[0] = '\0';
	}
	snprintf(ctx->tiket, sizeof(ctx->tiket), "%s", k.kode);
	if (confirm_by_sms(j, ctx, mid, "pantau", reply) != 0)
		return -1;
	return store_ussd_action_put(j->gw->store, j->session->id,
	    j->req->text, "pantau", ctx->tiket, mid, j->now);
}

/* Record the action: a message of channel ussd, the ticket, the SMS. */
static int
submit_new(struct ussd_job *j, enum ussd_action a, struct ussd_ctx *ctx)
{
	struct ticket_request q;
	char text[700], reply[REPLY_MAX];
	long long mid;
	int aduan = a == USSD_ADUAN;

	if (a == USSD_PANTAU)
		return submit_pantau(j, ctx);
	/* Stored as a message of channel ussd, like an SMS that said it. */
	snprintf(text, sizeof(text), "%s %s %s", aduan ? "ADUAN" : "ASPIRASI",
	    aduan ? ctx->desa : ctx->perdes, ctx->isi);
	if (store_message_add_channel(j->gw->store, "ussd", j->number, text,
	    aduan ? "aduan" : "aspirasi", j->now, &mid) != 0)
		return -1;
	memset(&q, 0, sizeof(q));
	q.kind = aduan ? "aduan" : "aspirasi";
	q.number = j->number;
	q.desa = ctx->desa;
	q.desa_input = ctx->desa;
	q.perdes = ctx->perdes;
	q.isi = ctx->isi;
	q.message_id = mid;
	q.now = j->now;
	if (action_ticket(j->gw->store, &q, ctx->tiket, sizeof(ctx->tiket)) != 0)
		return -1;
	{
		struct reply_var v[] = { { "tiket", ctx->tiket },
		    { "desa", ctx->desa_name }, { "perdes", ctx->perdes },
		    { "keyword", q.kind } };

		if (reply_render(aduan ? R_OK_ADUAN : R_OK_ASPIRASI, v, 4, reply,
		    sizeof(reply)) < 0)
			reply[0] = '\0';
	}
	if (confirm_by_sms(j, ctx, mid, q.kind, reply) != 0)
		return -1;
	return store_ussd_action_put(j->gw->store, j->session->id,
	    j->req->text, q.kind, ctx->tiket, mid, j->now);
}

/* The caller's own village, with its name, when registered: loaded only
 * when a screen branches on it. */
static void
caller_village(void *arg, struct ussd_caller *c)
{
	struct ussd_job *j = arg;
	struct ussd_cache *k = j->cache;
	struct village v;

	c->desa = "";
	c->desa_name = "";
	if (job_caller(j) != 0) {
		j->failed = 1;
		return;
	}
	if (!j->known || j->contact->desa[0] == '\0')
		return;
	c->desa = j->contact->desa;
	if (!k->caller_desa) {
		if (job_read(j) != 0) {
			j->failed = 1;
			return;
		}
		if (store_village_get(j->gw->store, j->contact->desa, &v) == 1)
			snprintf(k->desa_name, sizeof(k->desa_name), "%s",
			    v.name);
		else
			snprintf(k->desa_name, sizeof(k->desa_name), "%s",
			    j->contact->desa);
		k->caller_desa = 1;
	}
	c->desa_name = k->desa_name;
}

/* Fill a new (or renewed) session's row. */
static void
session_start(struct ussd_session_row *r, const struct ussd_request *req,
    const char *number, long long now)
{
	snprintf(r->number, sizeof(r->number), "%s", number);
	snprintf(r->service, sizeof(r->service), "%.31s", req->service_code);
	snprintf(r->network, sizeof(r->network), "%.15s", req->network);
	snprintf(r->state, sizeof(r->state), "open");
	r->started_at = now;
}

/*
 * The session of this request: new, continued, or over. Idle past
 * session_timeout it is over, whatever its state; ended, it takes its last
 * request again (the aggregator retries) and nothing else. Its id starts
 * a new session USSD_SESSION_MARGIN seconds later, or at once from the
 * same number with an empty text (a new call: an aggregator that recycles
 * ids sends that first).
 */
static int
session_step(struct gateway *gw, const struct ussd_request *req,
    const char *number, long long now, struct ussd_session_row **out)
{
	long long timeout = gw->conf->ussd_session_timeout;
	struct ussd_session_row *r;
	int err;

	r = ussd_sessions_get(gw->ussd_sessions, gw->store, req->session_id,
	    now - timeout - USSD_SESSION_MARGIN, &err);
	if (err)
		return -1;
	if (r == NULL) {
		if ((r = ussd_sessions_add(gw->ussd_sessions,
		    req->session_id)) == NULL)
			return -1;
		session_start(r, req, number, now);
	} else if (strcmp(r->number, number) != 0)
		return USSD_FOREIGN;
	else if (req->text[0] == '\0' && (strcmp(r->state, "open") != 0 ||
	    now - r->last_at > timeout)) {
		ussd_sessions_renew(gw->ussd_sessions, r);
		session_start(r, req, number, now);
	} else if (!strcmp(r->state, "expired") || now - r->last_at > timeout) {
		if (strcmp(r->state, "expired") != 0) {
			snprintf(r->state, sizeof(r->state), "expired");
			ussd_sessions_touch(gw->ussd_sessions, r);
		}
		return USSD_EXPIRED;
	} else if (!strcmp(r->state, "ended") && strcmp(r->last_text,
	    req->text) != 0)
		return USSD_ENDED;
	r->last_at = now;
	r->requests++;
	snprintf(r->last_text, sizeof(r->last_text), "%s", req->text);
	ussd_sessions_touch(gw->ussd_sessions, r);
	*out = r;
	return USSD_OPEN;
}

int
ussd_handle(struct gateway *gw, const struct ussd_request *req, char *out,
    size_t cap, unsigned long *durable_at)
{
	struct ussd_ops ops = { NULL, op_resolve, op_open_perdes,
	    op_ticket_status, op_meetings, op_submit, op_kegiatan_list,
	    op_kegiatan_detail };
	struct ussd_session_row *session = NULL;
	struct ussd_caller caller;
	struct ussd_job j;
	enum ussd_action done;
	char number[NUMBER_MAX];
	time_t now = gw_now(gw);
	struct tm tm;
	int rc;

	*durable_at = 0;
	if (phone_normalize(req->phone, number, sizeof(number)) != PHONE_E164) {
		snprintf(out, cap, "invalid phoneNumber\n");
		return 400;
	}
	/* Refused whole, never cut: a cut id would name another session. */
	if (strlen(req->session_id) > USSD_SESSION_ID_MAX) {
		snprintf(out, cap, "sessionId longer than %d characters\n",
		    USSD_SESSION_ID_MAX);
		return 400;
	}
	if (strlen(req->text) > USSD_TEXT_MAX) {
		snprintf(out, cap, "text longer than %d characters\n",
		    USSD_TEXT_MAX);
		return 400;
	}
	memset(&j, 0, sizeof(j));
	j.gw = gw;
	j.req = req;
	j.number = number;
	j.now = now;
	localtime_r(&now, &tm);
	strftime(j.today, sizeof(j.today), "%Y-%m-%d", &tm);
	ops.arg = &j;
	if ((rc = session_step(gw, req, number, now, &session)) < 0)
		goto fail;
	if (rc == USSD_FOREIGN) {
		snprintf(out, cap, "sessionId belongs to another number\n");
		return 400;
	}
	if (rc == USSD_EXPIRED || rc == USSD_ENDED) {
		ussd_end(rc == USSD_EXPIRED ? R_USSD_EXPIRED : R_USSD_ENDED, out,
		    cap);
		return 200;
	}
	j.session = session;
	j.cache = ussd_sessions_cache(session);
	/* One read snapshot for the screen's lookups, opened by the first
	 * that needs it; an action ends it and writes in its own
	 * transaction. */
	memset(&caller, 0, sizeof(caller));
	caller.number = number;
	caller.load = caller_village;
	caller.load_arg = &j;
	rc = ussd_respond(&ops, &caller, req->text, out, cap, &done);
	if (j.reading)
		store_read_end(gw->store);
	j.reading = 0;
	if (rc < 0 || j.failed)
		goto fail;
	if (!strncmp(out, "END", 3))
		snprintf(session->state, sizeof(session->state), "ended");
	if (done != USSD_NONE) {
		*durable_at = j.durable_at;
		outbound_schedule(gw, 0);
	}
	return 200;
fail:
	if (j.reading)
		store_read_end(gw->store);
	/* busy: http.c asks again in a moment, quietly */
	if (!store_last_was_busy(gw->store))
		log_warnx("ussd: %s", store_errmsg(gw->store));
	ussd_end(R_USSD_UNAVAILABLE, out, cap);
	return 500;
}

/* Sessions deleted from the store in one tick: at most a few ms of the
 * loop; more than the busiest aggregator opens in a second. */
#define PURGE_BATCH	256

void
ussd_tick(struct gateway *gw)
{
	long long keep = gw->conf->ussd_session_timeout + USSD_SESSION_MARGIN;
	time_t now = gw_now(gw);

	/* A CLI transaction holding the lock: both are done next second. */
	if (ussd_sessions_flush(gw->ussd_sessions, gw->store, now, keep) != 0) {
		if (!store_last_was_busy(gw->store))
			log_warnx("ussd sessions not saved: %s",
			    store_errmsg(gw->store));
		return;
	}
	if (store_ussd_sessions_purge(gw->store, now - keep, PURGE_BATCH) < 0 &&
	    !store_last_was_busy(gw->store))
		log_warnx("ussd sessions not deleted: %s",
		    store_errmsg(gw->store));
}
