/*
 * The Kannel bearer's listener: MO and delivery reports from smsbox,
 * each a GET behind the bearer's secret (key=). An MO is stored exactly
 * like an SMS read from a modem, and its 200 waits until that commit is
 * on disk, as a SIM delete does: smsbox acknowledges the SMS to
 * bearerbox before it calls us, so our 200 is the only receipt, and
 * with http-request-retry it asks again until it gets one.
 */
#include "gateway/loop/gateway.h"
#include "gateway/loop/kannel.h"
#include "gateway/rules/route.h"
#include "gateway/util/auth_guard.h"
#include "gateway/util/log.h"
#include "gateway/util/status.h"
#include "parser/gsm7.h"

#include <event2/buffer.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>

#include <sys/queue.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Kannel's %I is a UUID (36 characters); longer is not from Kannel. */
#define KANNEL_ID_MAX	64
/* An MO's text as Kannel joins it: 255 parts of 153 characters, 3 bytes
 * each in UTF-8 at most; the headers cap of the listener is lower. */
#define MO_TEXT_MAX	(255 * 153 * 3)
/* a request line and headers that hold MO_TEXT_MAX bytes URL-encoded */
#define MO_LINE_MAX	(MO_TEXT_MAX * 3 + 8192)

/* An MO request waiting for its commit to be on disk. */
struct parked_mo {
	struct parked_mo *next;
	struct evhttp_request *req;
	unsigned long commit;
};

/* Seconds between status rows when nothing changes (under STATUS_STALE). */
#define STATUS_EVERY	30
/* Calls to sendsms waiting for their answer; more wait in the outbox. */
#define INFLIGHT_MAX	32
/* An answer's body kept for the row's error and the log. */
#define ANSWER_MAX	160

struct kannel {
	struct gateway *gw;
	const struct kannel_config *conf;
	struct evhttp *http;
	struct auth_guard *guard;
	struct parked_mo *parked, **parked_tail;
	unsigned long mo, mo_again, dlr, dlr_unknown;	/* since start */
	/* sending */
	struct evdns_base *dns;
	struct evhttp_connection *conn;	/* links[0]: NULL until started */
	/* libevent sends a connection's next request only once the last
	 * one is answered, and smsbox takes 10-16 ms to answer a sendsms
	 * however many it has (Kannel alone: 63 calls/s on one connection,
	 * 2,125 on 32; docs/kannel.md): each call in flight has a
	 * connection of its own, kept open for the next */
	struct evhttp_connection *links[INFLIGHT_MAX];
	struct call *on_link[INFLIGHT_MAX];	/* NULL: idle */
	struct evhttp_uri *sendsms;	/* sendsms_url, parsed */
	char dlr_base[512];		/* the dlr-url up to id=: a secret of 127 characters, each %XX, fits */
	int inflight;
	double tokens, tokens_at;	/* the rate: a bucket of sends */
	long long paused_until;		/* after an authentication failure */
	char last_error[256];
	int down;			/* the last call had no answer */
	long long since;		/* of up or down */
	struct event *status_ev;	/* the status row, every STATUS_EVERY */
	unsigned long accepted, failed;	/* since start */
	struct call *calls;		/* waiting for their answer */
	struct call *dispatching;	/* inside evhttp_make_request */
	int answered_at_once;		/* ... and on_answer ran for it */
};

/* One sendsms call waiting for its answer. */
struct call {
	struct kannel *k;
	long long id;
	int tries, parts;
	struct call *next, **prev;
	int link;			/* its index in links */
};

/* A one-line answer; Kannel reads only the status, and the body of an MO
 * answer would be an SMS to the sender were the sms-service's
 * max-messages not 0: keep it empty. */
static void
reply(struct evhttp_request *req, int status, const char *reason)
{
	evhttp_send_reply(req, status, reason, NULL);
}

/* The value of key in q, or NULL. */
static const char *
param(struct evkeyvalq *q, const char *key)
{
	return evhttp_find_header(q, key);
}

/* The query of req decoded into q; -1 (q empty) when it cannot be. */
static int
query_of(struct evhttp_request *req, struct evkeyvalq *q)
{
	const char *query = evhttp_uri_get_query(
	    evhttp_request_get_evhttp_uri(req));

	TAILQ_INIT(q);
	if (query == NULL || evhttp_parse_query_str(query, q) != 0) {
		evhttp_clear_headers(q);
		return -1;
	}
	return 0;
}

/* Kannel's %c: 0 GSM 7-bit, 1 8-bit data, 2 UCS-2. */
static const char *
coding_name(const char *c)
{
	return c == NULL ? "gsm7" : !strcmp(c, "1") ? "8bit" :
	    !strcmp(c, "2") ? "ucs2" : "gsm7";
}

/* Store one MO; its 200 goes when the commit is on disk. */
static void
serve_mo(struct kannel *k, struct evhttp_request *req, struct evkeyvalq *q)
{
	struct gateway *gw = k->gw;
	const char *id = param(q, "id"), *from = param(q, "from"),
	    *text = param(q, "text"), *t = param(q, "time");
	char number[NUMBER_MAX], esc[200];
	struct parked_mo *p;
	struct sms_in in;
	long long mid;
	int rc;

	if (id == NULL || id[0] == '\0' || strlen(id) > KANNEL_ID_MAX ||
	    from == NULL || from[0] == '\0' || strlen(from) >= NUMBER_MAX ||
	    text == NULL || strlen(text) > MO_TEXT_MAX) {
		reply(req, 400, "Bad Request");
		return;
	}
	memset(&in, 0, sizeof(in));
	in.modem = k->conf->section;
	in.kannel_id = id;
	in.number_raw = from;
	in.sender_class = inbound_sender_class(from, number, sizeof(number));
	in.number = number;
	in.smsc_time = t != NULL ? atoll(t) : 0;
	in.received_at = gw_now(gw);
	in.coding = coding_name(param(q, "coding"));
	in.is_binary = !strcmp(in.coding, "8bit");
	in.text = text;
	in.text_len = strlen(text);
	if (store_begin(gw->store) != 0)
		goto busy;
	if ((rc = store_sms_add(gw->store, &in, &mid)) < 0 ||
	    store_commit(gw->store) != 0) {
		store_rollback(gw->store);
		goto busy;
	}
	if (rc == 0)
		k->mo_again++;
	else
		k->mo++;
	log_debug("%s: SMS %s from %s (Kannel id %s): %s", k->conf->section,
	    rc ? "stored" : "already stored", number, id,
	    log_escape(text, in.text_len, esc, sizeof(esc)));
	gw->intake_error[0] = '\0';
	if (rc > 0)
		process_schedule(gw);
	/* an id stored already may be in a commit not yet on disk: the
	 * answer waits for every commit so far */
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		reply(req, 503, "Service Unavailable");
		return;
	}
	p->req = req;
	p->commit = store_commits(gw->store);
	if (k->parked == NULL)
		k->parked_tail = &k->parked;
	*k->parked_tail = p;
	k->parked_tail = &p->next;
	store_sync_request(gw->store);
	kannel_release_durable(gw);
	return;
busy:
	/* smsbox asks again (http-request-retry): nothing is lost, and a
	 * store another process holds for a moment needs no alarm */
	if (!store_last_was_busy(gw->store)) {
		snprintf(gw->intake_error, sizeof(gw->intake_error), "%s: "
		    "cannot store SMS, left with Kannel: %s", k->conf->section,
		    store_errmsg(gw->store));
		log_alarm("%s", gw->intake_error);
	}
	reply(req, 503, "Service Unavailable");
}

/* A delivery report: %d moves the row forward only. An unknown id is
 * answered 200 too: Kannel would otherwise ask again for ever. */
static void
serve_dlr(struct kannel *k, struct evhttp_request *req, struct evkeyvalq *q)
{
	struct gateway *gw = k->gw;
	const char *id = param(q, "id"), *status = param(q, "status");
	char *end;
	long long row;
	long bit;
	enum dlr_result r;

	row = id ? strtoll(id, &end, 10) : 0;
	if (id == NULL || *end != '\0' || row <= 0 || status == NULL ||
	    (bit = strtol(status, &end, 10)) <= 0 || bit > 31 ||
	    *end != '\0') {
		reply(req, 400, "Bad Request");
		return;
	}
	if (store_begin(gw->store) != 0) {
		reply(req, 503, "Service Unavailable");
		return;
	}
	if ((r = store_outbox_dlr(gw->store, row, k->conf->section, (int)bit,
	    gw_now(gw))) == DLR_ERROR || store_commit(gw->store) != 0) {
		store_rollback(gw->store);
		log_warnx("%s: delivery report for outbox %lld not recorded: "
		    "%s", k->conf->section, row, store_errmsg(gw->store));
		reply(req, 503, "Service Unavailable");
		return;
	}
	k->dlr++;
	if (r == DLR_UNKNOWN) {
		k->dlr_unknown++;
		log_warnx("%s: delivery report %ld for unknown outbox %lld "
		    "ignored", k->conf->section, bit, row);
	} else
		log_debug("%s: outbox %lld: delivery report %ld%s",
		    k->conf->section, row, bit, r == DLR_MOVED ? "" :
		    " (changes nothing)");
	reply(req, 200, "OK");
}

/* Every request of the listener: the key first, then the path. */
static void
on_request(struct evhttp_request *req, void *arg)
{
	struct kannel *k = arg;
	const char *path = evhttp_uri_get_path(
	    evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq q;

	if (http_gate(req, "", k->conf->secret, 1, k->guard) != 0)
		return;
	if (path == NULL || (strcmp(path, "/kannel/mo") != 0 &&
	    strcmp(path, "/kannel/dlr") != 0)) {
		reply(req, 404, "Not Found");
		return;
	}
	if (query_of(req, &q) != 0) {
		reply(req, 400, "Bad Request");
		return;
	}
	if (!strcmp(path, "/kannel/mo"))
		serve_mo(k, req, &q);
	else
		serve_dlr(k, req, &q);
	evhttp_clear_headers(&q);
}

void
kannel_release_durable(struct gateway *gw)
{
	unsigned long durable;
	struct parked_mo *p;
	int i;

	for (i = 0; i < gw->nkannels; i++) {
		struct kannel *k = gw->kannels[i];

		if (k->parked == NULL)
			continue;
		durable = store_durable(gw->store, NULL, NULL);
		/* commits are counted in order: the first not durable ends it */
		while ((p = k->parked) != NULL && p->commit <= durable) {
			k->parked = p->next;
			reply(p->req, 200, "OK");
			free(p);
		}
		if (k->parked == NULL)
			k->parked_tail = &k->parked;
	}
}

static const char *
kannel_name(struct gateway *gw, int i)
{
	return gw->kannels[i]->conf->section;
}

static int
kannel_up(struct gateway *gw, int i)
{
	struct kannel *k = gw->kannels[i];

	return !k->down && k->paused_until <= gw_now(gw);
}

/* The bearer's row beside the modems': `kentongan status`, /status. */
static void
write_status(struct kannel *k)
{
	struct gateway *gw = k->gw;
	struct modem_status ms;
	long long now = gw_now(gw);

	memset(&ms, 0, sizeof(ms));
	snprintf(ms.name, sizeof(ms.name), "%s", k->conf->section);
	snprintf(ms.state, sizeof(ms.state), "%s", k->paused_until > now ?
	    "paused" : k->down ? "down" : "up");
	ms.since = k->since;
	ms.signal = -1;
	snprintf(ms.op, sizeof(ms.op), "%.15s", k->conf->op);
	snprintf(ms.model, sizeof(ms.model), "kannel");
	snprintf(ms.last_error, sizeof(ms.last_error), "%s", k->last_error);
	ms.paused_until = k->paused_until;
	ms.updated_at = now;
	if (store_modem_put(gw->store, &ms) != 0 &&
	    !store_last_was_busy(gw->store))
		log_warnx("%s: status not recorded: %s", k->conf->section,
		    store_errmsg(gw->store));
}

static void
on_status_tick(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	write_status(arg);
}

/* Up after any answer of smsbox's, down after none. */
static void
set_down(struct kannel *k, int down)
{
	if (k->down == down)
		return;
	k->down = down;
	k->since = gw_now(k->gw);
	if (down)
		log_warnx("%s: smsbox is not answering: %s", k->conf->section,
		    k->last_error);
	else
		log_info("%s: smsbox answers again", k->conf->section);
	write_status(k);
}

/* Refill the bucket to time t: send_per_second a second, a second's
 * worth at most. */
static void
refill(struct kannel *k, double t)
{
	double rate = k->conf->send_per_second;

	k->tokens += (t - k->tokens_at) * rate;
	if (k->tokens > rate)
		k->tokens = rate;
	k->tokens_at = t;
}

static unsigned
kannel_ready(struct gateway *gw, double t, double *wait)
{
	long long now = gw_now(gw);
	unsigned mask = 0;
	double w;
	int i;

	for (i = 0; i < gw->nkannels; i++) {
		struct kannel *k = gw->kannels[i];

		/* while smsbox does not answer, one call at a time asks
		 * whether it is back */
		if (k->conn == NULL || k->inflight >= INFLIGHT_MAX ||
		    (k->down && k->inflight > 0))
			continue;	/* an answer wakes the outbox */
		if (k->paused_until > now)
			w = (double)(k->paused_until - now);
		else {
			refill(k, t);
			if (k->tokens >= 1.0) {
				mask |= 1u << i;
				continue;
			}
			w = (1.0 - k->tokens) / k->conf->send_per_second;
		}
		if (*wait == 0 || w < *wait)
			*wait = w;
	}
	return mask;
}

static int
kannel_pick(struct gateway *gw, unsigned mask, const char *number)
{
	enum op op = route_op_of_number(number);
	int i, any = -1;

	for (i = 0; i < gw->nkannels; i++) {
		const char *want = gw->kannels[i]->conf->op;

		if (!(mask & (1u << i)))
			continue;
		if (want[0] == '\0') {
			if (any < 0)
				any = i;
		} else if (route_op_by_name(want) == (int)op)
			return i;
	}
	return any;
}

/* Record the end of a call on its row; a row the store cannot take
 * now stays 'sending' and is retried, marked, after a restart. */
static void
record(struct call *c, int accepted, long long next_at, const char *error)
{
	struct gateway *gw = c->k->gw;
	int rc;

	if (accepted)
		rc = store_outbox_accepted(gw->store, c->id, c->parts,
		    gw_now(gw));
	else
		rc = store_outbox_failed(gw->store, c->id, error, next_at,
		    gw_now(gw));
	if (rc != 0)
		log_warnx("%s: outbox %lld: result not recorded: %s",
		    c->k->conf->section, c->id, store_errmsg(gw->store));
	else
		store_sync_written(gw->store);
}

/* smsbox's answer (NULL: no connection, or no answer in time). */
static void
on_answer(struct evhttp_request *req, void *arg)
{
	struct call *c = arg;
	struct kannel *k = c->k;
	struct gateway *gw = k->gw;
	char body[ANSWER_MAX] = "", error[256], esc[ANSWER_MAX];
	int code = req ? evhttp_request_get_response_code(req) : 0;
	long long next_at = 0;
	size_t n;

	if (c == k->dispatching)
		k->answered_at_once = 1;
	k->inflight--;
	k->on_link[c->link] = NULL;
	if ((*c->prev = c->next) != NULL)
		c->next->prev = c->prev;
	if (req != NULL) {
		n = evbuffer_copyout(evhttp_request_get_input_buffer(req), body,
		    sizeof(body) - 1);
		body[n > 0 ? n : 0] = '\0';
		body[strcspn(body, "\r\n")] = '\0';
	}
	if (code == 202 || code == 200) {
		k->accepted++;
		k->last_error[0] = '\0';
		set_down(k, 0);
		log_info("%s: outbox %lld accepted (%d part%s)", k->conf->section,
		    c->id, c->parts, c->parts == 1 ? "" : "s");
		record(c, 1, 0, NULL);
		goto out;
	}
	log_escape(body, strlen(body), esc, sizeof(esc));
	if (code == 0)
		snprintf(error, sizeof(error), "Kannel: no answer from %.120s",
		    k->conf->sendsms_url);
	else
		snprintf(error, sizeof(error), "Kannel: HTTP %d: %s", code, esc);
	snprintf(k->last_error, sizeof(k->last_error), "%s", error);
	set_down(k, code == 0);
	k->failed++;
	/* 503 is Kannel's "try later"; no answer may be a restart */
	if (code == 0 || code >= 500)
		next_at = outbound_retry_at(gw->conf, c->tries, gw_now(gw));
	if (code == 403 && strstr(body, "Authorization failed") != NULL) {
		/* Our own configuration: every send would fail the same way,
		 * those already in flight too. The row goes back without
		 * using a try (a modem or another bearer may take it), and
		 * the bearer stops until a person looks. */
		if (k->paused_until <= gw_now(gw)) {
			k->paused_until = gw_now(gw) + gw->conf->local_error_pause;
			log_alarm("%s: sending paused for %d s: smsbox refused "
			    "the username or password (%s)", k->conf->section,
			    gw->conf->local_error_pause, esc);
			write_status(k);
		}
		if (store_outbox_local(gw->store, c->id, error, gw_now(gw)) != 0)
			log_warnx("%s: outbox %lld: result not recorded: %s",
			    k->conf->section, c->id, store_errmsg(gw->store));
		goto out;
	}
	if (code == 0) {
		/* smsbox down (restarted, being upgraded): the SMS waits for
		 * it without using a try, as one waits for a modem that is
		 * down, instead of dying after send_max_tries */
		log_warnx("%s: outbox %lld: %s; waits for smsbox",
		    k->conf->section, c->id, error);
		if (store_outbox_local(gw->store, c->id, error, next_at) != 0)
			log_warnx("%s: outbox %lld: result not recorded: %s",
			    k->conf->section, c->id, store_errmsg(gw->store));
		goto out;
	}
	log_warnx("%s: outbox %lld failed (try %d): %s; %s", k->conf->section,
	    c->id, c->tries, error, next_at ? "will retry" : "dead");
	record(c, 0, next_at, error);
out:
	free(c);
	outbound_schedule(gw, 0);
}

/* Add "&name=value" to b, value URL-encoded. */
static void
add_param(struct evbuffer *b, const char *name, const char *value)
{
	char *v = evhttp_uriencode(value, -1, 0);

	evbuffer_add_printf(b, "&%s=%s", name, v ? v : "");
	free(v);
}

static void
kannel_send(struct gateway *gw, int i, long long id, int tries,
    const char *number, const char *text, double t)
{
	struct kannel *k = gw->kannels[i];
	const struct kannel_config *c = k->conf;
	struct evbuffer *b = NULL;
	struct evhttp_request *req = NULL;
	struct call *call = NULL;
	size_t len = strlen(text);
	char dlr[600], tail[64], *uri = NULL, err[96];
	const char *why = "out of memory";
	int gsm = gsm7_septets(text, len) >= 0, parts = sms_parts(text, len);
	int rc, l;

	refill(k, t);
	k->tokens -= 1.0;
	/* smsbox drops silently what goes past its max-messages */
	if (parts > c->max_parts) {
		snprintf(err, sizeof(err), "text too long: %d parts, max_parts "
		    "is %d", parts, c->max_parts);
		log_warnx("%s: outbox %lld: %s; dead", c->section, id, err);
		record(&(struct call){ .k = k, .id = id, .tries = tries,
		    .parts = parts }, 0, 0, err);
		return;
	}
	/* one is idle: kannel_ready() counts the calls in flight */
	for (l = 0; l < INFLIGHT_MAX && k->on_link[l] != NULL; l++)
		;
	if (l == INFLIGHT_MAX) {
		why = "no connection to smsbox free";
		goto fail;
	}
	if ((call = calloc(1, sizeof(*call))) == NULL ||
	    (b = evbuffer_new()) == NULL ||
	    (req = evhttp_request_new(on_answer, call)) == NULL)
		goto fail;
	*call = (struct call){ .k = k, .id = id, .tries = tries,
	    .parts = parts, .link = l };
	evbuffer_add_printf(b, "%s?", evhttp_uri_get_path(k->sendsms));
	evbuffer_add_printf(b, "username=");
	{
		char *u = evhttp_uriencode(c->username, -1, 0);

		evbuffer_add_printf(b, "%s", u ? u : "");
		free(u);
	}
	add_param(b, "password", c->password);
	add_param(b, "to", number);
	add_param(b, "text", text);
	if (c->from[0] != '\0')
		add_param(b, "from", c->from);
	if (c->smsc[0] != '\0')
		add_param(b, "smsc", c->smsc);
	/* charset for both: a GSM text may hold é or the euro sign, which
	 * smsbox maps from UTF-8 */
	evbuffer_add_printf(b, "&coding=%d&charset=UTF-8&dlr-mask=31",
	    gsm ? 0 : 2);
	snprintf(tail, sizeof(tail), "&id=%lld&status=%%d", id);
	snprintf(dlr, sizeof(dlr), "%s%s", k->dlr_base, tail);
	add_param(b, "dlr-url", dlr);
	evbuffer_add(b, "", 1);
	if ((uri = (char *)evbuffer_pullup(b, -1)) == NULL)
		goto fail;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host",
	    evhttp_uri_get_host(k->sendsms));
	/* Linked before the call: libevent answers at once, inside
	 * evhttp_make_request, when the socket cannot even be made (EMFILE,
	 * no route), and on_answer then unlinks and frees call. */
	k->inflight++;
	k->on_link[l] = call;
	if ((call->next = k->calls) != NULL)
		k->calls->prev = &call->next;
	call->prev = &k->calls;
	k->calls = call;
	k->dispatching = call;
	k->answered_at_once = 0;
	rc = evhttp_make_request(k->links[l], req, EVHTTP_REQ_GET, uri);
	k->dispatching = NULL;
	if (k->answered_at_once) {
		/* recorded, and call freed, by on_answer */
		evbuffer_free(b);
		return;
	}
	if (rc != 0) {
		k->inflight--;
		k->on_link[l] = NULL;
		if ((*call->prev = call->next) != NULL)
			call->next->prev = call->prev;
		/* libevent frees req on some of its failures and not on
		 * others: never twice, then (a leak on a rare path) */
		req = NULL;
		why = "cannot connect to smsbox";
		goto fail;
	}
	evbuffer_free(b);
	log_debug("%s: sending outbox %lld to %s (%d part%s, %s)", c->section,
	    id, number, parts, parts == 1 ? "" : "s", gsm ? "GSM" : "UCS-2");
	return;
fail:
	if (req != NULL)
		evhttp_request_free(req);
	if (b != NULL)
		evbuffer_free(b);
	log_warnx("%s: outbox %lld: cannot make the sendsms call", c->section,
	    id);
	record(&(struct call){ .k = k, .id = id, .tries = tries,
	    .parts = parts }, 0, outbound_retry_at(gw->conf, tries,
	    gw_now(gw)), why);
	free(call);
}

/* The connection to smsbox's sendsms and the dlr-url's start. */
static int
sender_start(struct gateway *gw, struct kannel *k)
{
	const struct kannel_config *c = k->conf;
	const char *colon = strrchr(c->listen, ':');
	char host[64], *key;
	int port, n, i;

	if ((k->sendsms = evhttp_uri_parse(c->sendsms_url)) == NULL ||
	    evhttp_uri_get_host(k->sendsms) == NULL) {
		log_warnx("%s: sendsms_url: not a URL: %s", c->section,
		    c->sendsms_url);
		return -1;
	}
	port = evhttp_uri_get_port(k->sendsms);
	/* names resolved without blocking the loop */
	if ((k->dns = evdns_base_new(gw->base,
	    EVDNS_BASE_INITIALIZE_NAMESERVERS)) == NULL)
		return -1;
	/* each connects when it first has a call */
	for (i = 0; i < INFLIGHT_MAX; i++) {
		if ((k->links[i] = evhttp_connection_base_new(gw->base,
		    k->dns, evhttp_uri_get_host(k->sendsms),
		    (unsigned short)(port > 0 ? port : 80))) == NULL)
			return -1;
		evhttp_connection_set_timeout(k->links[i],
		    gw->conf->http_timeout);
		/* retried by the outbox, with its backoff, not by libevent */
		evhttp_connection_set_retries(k->links[i], 0);
	}
	k->conn = k->links[0];
	/* Kannel calls back where we listen; a wildcard address is
	 * reached on loopback (smsbox on another host: listen on an
	 * address it can reach) */
	snprintf(host, sizeof(host), "%.*s", (int)(colon - c->listen),
	    c->listen);
	if (host[0] == '\0' || !strcmp(host, "0.0.0.0") || !strcmp(host, "[::]"))
		snprintf(host, sizeof(host), "127.0.0.1");
	key = evhttp_uriencode(c->secret, -1, 0);
	n = key == NULL ? -1 : snprintf(k->dlr_base, sizeof(k->dlr_base),
	    "http://%s:%s/kannel/dlr?key=%s", host, colon + 1, key);
	free(key);
	/* a cut key would make every delivery report a 401 */
	if (n < 0 || (size_t)n >= sizeof(k->dlr_base)) {
		log_warnx("%s: the dlr-url with this secret is too long; "
		    "choose a shorter secret", c->section);
		return -1;
	}
	k->tokens = 1.0;
	k->since = gw_now(gw);
	if ((k->status_ev = event_new(gw->base, -1, EV_PERSIST, on_status_tick,
	    k)) == NULL)
		return -1;
	event_add(k->status_ev, &(struct timeval){ STATUS_EVERY, 0 });
	write_status(k);
	return 0;
}

const struct kannel_ops kannel_channel = {
	.ready = kannel_ready,
	.pick = kannel_pick,
	.name = kannel_name,
	.up = kannel_up,
	.send = kannel_send,
};

int
kannel_start(struct gateway *gw)
{
	int i;

	for (i = 0; i < gw->conf->nkannels; i++) {
		const struct kannel_config *c = &gw->conf->kannels[i];
		struct kannel *k;

		if ((k = calloc(1, sizeof(*k))) == NULL)
			return -1;
		gw->kannels[gw->nkannels++] = k;
		k->gw = gw;
		k->conf = c;
		k->parked_tail = &k->parked;
		if ((k->guard = auth_guard_new()) == NULL ||
		    (k->http = http_listen(gw, c->section, c->listen,
		    EVHTTP_REQ_GET, 4096, HTTP_SLOT_KANNEL + i)) == NULL ||
		    sender_start(gw, k) != 0)
			return -1;
		/* smsbox puts the whole MO in the request line, URL-encoded
		 * (up to 9 bytes a character for an emoji): the listeners'
		 * 8 KB would refuse a long one before on_request saw it, and
		 * smsbox, retrying, would drop it in the end */
		evhttp_set_max_headers_size(k->http, MO_LINE_MAX);
		evhttp_set_gencb(k->http, on_request, k);
	}
	return 0;
}

void
kannel_stop(struct gateway *gw)
{
	struct parked_mo *p;
	int i, l;

	kannel_release_durable(gw);
	for (i = 0; i < gw->nkannels; i++) {
		struct kannel *k = gw->kannels[i];

		while ((p = k->parked) != NULL) {
			k->parked = p->next;
			reply(p->req, 503, "Service Unavailable");
			free(p);
		}
		if (k->http != NULL)
			evhttp_free(k->http);
		/* a call still waiting is dropped unanswered: its row stays
		 * 'sending', retried after the restart (maybe sent) */
		for (l = 0; l < INFLIGHT_MAX; l++)
			if (k->links[l] != NULL)
				evhttp_connection_free(k->links[l]);
		while (k->calls != NULL) {
			struct call *c = k->calls;

			k->calls = c->next;
			free(c);
		}
		if (k->dns != NULL)
			evdns_base_free(k->dns, 0);
		if (k->status_ev != NULL)
			event_free(k->status_ev);
		if (k->sendsms != NULL)
			evhttp_uri_free(k->sendsms);
		auth_guard_free(k->guard);
		log_info("%s: %lu SMS stored (%lu asked again), %lu delivery "
		    "reports (%lu unknown), %lu sent, %lu failed",
		    k->conf->section, k->mo, k->mo_again, k->dlr,
		    k->dlr_unknown, k->accepted, k->failed);
		free(k);
		gw->kannels[i] = NULL;
	}
	gw->nkannels = 0;
}
