/*
 * The Kannel bearer's sending half: one asynchronous sendsms call per
 * outbox row, made only once the row's 'sending' is on disk (a crash
 * after the call must find the row 'sending', never 'queued'), within
 * the bearer's rate, and its answer recorded on the row. While smsbox
 * does not answer, the bearer is down for routing and a probe asks every
 * PROBE_EVERY seconds whether it is back.
 */
#include "gateway/loop/gateway.h"
#include "gateway/loop/kannel_int.h"
#include "gateway/rules/route.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"
#include "parser/gsm7.h"

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/dns.h>
#include <event2/event.h>
#include <event2/http.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

/* Seconds between status rows when nothing changes (under STATUS_STALE). */
#define STATUS_EVERY	30
/* Seconds between probes of an smsbox that did not answer. */
#define PROBE_EVERY	5
/* Seconds between tries to record answers the store could not take. */
#define RECORD_AGAIN	1
/* An answer's body kept for the row's error and the log. */
#define ANSWER_MAX	160

/* One sendsms call: held until its row's 'sending' is on disk, then
 * waiting for its answer, then (rarely) for the store to take it. */
struct call {
	struct kannel *k;
	long long id;
	int tries, parts;
	struct call *next, **prev;
	int link;			/* its connection, once made */
	int opening;			/* ... which was not up yet */
	struct evhttp_request *req;	/* while held */
	char *uri;			/* while held */
	unsigned long commit;		/* of its row's 'sending' */
	/* the answer to record */
	enum { ANS_ACCEPTED, ANS_FAILED, ANS_LOCAL } ans;
	long long next_at;
	char error[256];
};

static void
unlink_call(struct call *c)
{
	if ((*c->prev = c->next) != NULL)
		c->next->prev = c->prev;
}

static void
link_call(struct call **head, struct call *c)
{
	if ((c->next = *head) != NULL)
		(*head)->prev = &c->next;
	c->prev = head;
	*head = c;
}

static void
free_call(struct call *c)
{
	if (c->req != NULL)
		evhttp_request_free(c->req);
	free(c->uri);
	free(c);
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
	snprintf(ms.model, sizeof(ms.model), "kannel%s", k->conf->bulk ?
	    " bulk" : "");
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
	if (down) {
		log_warnx("%s: smsbox is not answering: %s", k->conf->section,
		    k->last_error);
		event_add(k->probe_ev, &(struct timeval){ PROBE_EVERY, 0 });
	} else {
		log_info("%s: smsbox answers again", k->conf->section);
		event_del(k->probe_ev);
		outbound_schedule(k->gw, 0);
	}
	write_status(k);
}

static void
on_probe_answer(struct evhttp_request *req, void *arg)
{
	struct kannel *k = arg;

	/* any status will do: smsbox refuses a call with no user, but it
	 * answers */
	if (req != NULL && evhttp_request_get_response_code(req) != 0)
		set_down(k, 0);
}

static void
on_probe_tick(evutil_socket_t fd, short what, void *arg)
{
	struct kannel *k = arg;
	struct evhttp_request *req;

	(void)fd;
	(void)what;
	if (!k->down || (req = evhttp_request_new(on_probe_answer, k)) == NULL)
		return;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Host",
	    evhttp_uri_get_host(k->sendsms));
	/* a failure to even make it answers through on_probe_answer(NULL)
	 * or here: the next tick asks again either way */
	(void)evhttp_make_request(k->conn, req, EVHTTP_REQ_GET,
	    evhttp_uri_get_path(k->sendsms));
}

/* Write c's answer on its row; 0, or -1 when the store could not take
 * it now (the caller keeps c and tries again). */
static int
write_answer(struct call *c)
{
	struct gateway *gw = c->k->gw;
	long long now = gw_now(gw);
	int rc;

	switch (c->ans) {
	case ANS_ACCEPTED:
		rc = store_outbox_accepted(gw->store, c->id, c->parts, now);
		break;
	case ANS_LOCAL:
		rc = store_outbox_local(gw->store, c->id, c->error, c->next_at,
		    now);
		break;
	default:
		rc = store_outbox_failed(gw->store, c->id, c->error, c->next_at,
		    now);
		break;
	}
	if (rc == 0)
		return 0;
	if (store_last_was_busy(gw->store))
		return -1;
	/* not in the state it was sent from: nothing to write */
	log_warnx("%s: outbox %lld: result not recorded: %s",
	    c->k->conf->section, c->id, store_errmsg(gw->store));
	return 0;
}

/* Record c's answer and free c, with the others of this turn of the
 * loop and what smsbox sent meanwhile (kannel_listen.c: on_flush) in
 * one transaction: a transaction for each answer, and one for the
 * answers beside one for the reports, were most of the commits of a
 * broadcast through Kannel. One the store cannot take now (another
 * process holds it) waits for it, instead of leaving the row 'sending'
 * until a restart. */
static void
record(struct call *c)
{
	struct kannel *k = c->k;

	/* in order: a row's answers are written as they came */
	c->next = NULL;
	*k->unrecorded_tail = c;
	k->unrecorded_tail = &c->next;
	if (!evtimer_pending(k->record_ev, NULL))
		event_active(k->flush_ev, EV_TIMEOUT, 0);
}

int
kannel_write_answers(struct kannel *k)
{
	struct call *c;

	for (c = k->unrecorded; c != NULL; c = c->next)
		if (write_answer(c) != 0)
			return -1;
	return 0;
}

void
kannel_answers_written(struct kannel *k)
{
	struct call *done;

	while ((done = k->unrecorded) != NULL) {
		k->unrecorded = done->next;
		free_call(done);
	}
	k->unrecorded_tail = &k->unrecorded;
}

void
kannel_answers_later(struct kannel *k)
{
	struct store *st = k->gw->store;

	if (k->unrecorded == NULL)
		return;
	if (!store_last_was_busy(st))
		log_warnx("%s: answers not recorded yet: %s", k->conf->section,
		    store_errmsg(st));
	event_add(k->record_ev, &(struct timeval){ RECORD_AGAIN, 0 });
}

/* The store was busy: a second later, on their own. */
static void
on_record_tick(evutil_socket_t fd, short what, void *arg)
{
	struct kannel *k = arg;
	struct store *st = k->gw->store;

	(void)fd;
	(void)what;
	if (k->unrecorded == NULL)
		return;
	if (store_begin(st) != 0)
		goto again;
	if (kannel_write_answers(k) != 0 || store_commit(st) != 0) {
		store_rollback(st);
		goto again;
	}
	/* on disk soon, not at the next checkpoint */
	store_sync_request(st);
	kannel_answers_written(k);
	return;
again:
	kannel_answers_later(k);
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

		/* down: the probe, or an answer, wakes the outbox */
		if (k->conn == NULL || k->down ||
		    k->inflight >= KANNEL_INFLIGHT + KANNEL_AHEAD)
			continue;
		if (k->paused_until > now)
			w = (double)(k->paused_until - now);
		else if (intake_holds(&gw->intake, t, &w))
			;	/* intake first (rules/intake.h) */
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
kannel_room(struct gateway *gw, int i, double t)
{
	struct kannel *k = gw->kannels[i];
	int calls = KANNEL_INFLIGHT + KANNEL_AHEAD - k->inflight, sends;

	refill(k, t);
	sends = (int)k->tokens;
	return sends < calls ? sends : calls;
}

static int
kannel_up(struct gateway *gw, int i)
{
	struct kannel *k = gw->kannels[i];

	return !k->down && k->paused_until <= gw_now(gw);
}

static void
kannel_route(struct gateway *gw, int i, struct route_bearer *b, double *last)
{
	struct kannel *k = gw->kannels[i];
	int op = k->conf->op[0] ? route_op_by_name(k->conf->op) : -1;

	b->op = op < 0 ? OP_UNKNOWN : (enum op)op;
	b->healthy = kannel_up(gw, i);
	b->bulk = k->conf->bulk;
	*last = k->last_sent;
}

static const char *
kannel_name(struct gateway *gw, int i)
{
	return gw->kannels[i]->conf->section;
}

/* smsbox's answer (NULL: no connection, or no answer in time). */
static void
on_answer(struct evhttp_request *req, void *arg)
{
	struct call *c = arg;
	struct kannel *k = c->k;
	struct gateway *gw = k->gw;
	char body[ANSWER_MAX] = "", esc[ANSWER_MAX];
	int code = req ? evhttp_request_get_response_code(req) : 0;
	size_t n;

	if (c == k->dispatching)
		k->answered_at_once = 1;
	k->inflight--;
	k->busy--;
	k->opening -= c->opening;
	k->on_link[c->link] = NULL;
	unlink_call(c);
	if (code == 0)
		/* no connection or no answer: libevent closed the socket
		 * (without its close callback when the connect failed), so
		 * the next call opens one, sets NODELAY and counts as opening */
		k->link_state[c->link] = LINK_CLOSED;
	else if (k->link_state[c->link] == LINK_MADE)
		k->link_state[c->link] = LINK_UP;
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
		/* debug, not info: thousands a second would reach journald's
		 * rate limit (10,000 in 30 s), which then drops the lines that
		 * matter, ALARMs too; the row and the status keep the count */
		log_debug("%s: outbox %lld accepted (%d part%s)", k->conf->section,
		    c->id, c->parts, c->parts == 1 ? "" : "s");
		c->ans = ANS_ACCEPTED;
		goto out;
	}
	log_escape(body, strlen(body), esc, sizeof(esc));
	if (code == 0)
		snprintf(c->error, sizeof(c->error), "Kannel: no answer from "
		    "%.120s", k->conf->sendsms_url);
	else
		snprintf(c->error, sizeof(c->error), "Kannel: HTTP %d: %s",
		    code, esc);
	snprintf(k->last_error, sizeof(k->last_error), "%s", c->error);
	set_down(k, code == 0);
	k->failed++;
	/* 503 is Kannel's "try later"; no answer may be a restart */
	c->ans = ANS_FAILED;
	if (code == 0 || code >= 500)
		c->next_at = outbound_retry_at(gw->conf, c->tries, gw_now(gw));
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
		c->ans = ANS_LOCAL;
		c->next_at = gw_now(gw);
		goto out;
	}
	if (code == 0) {
		/* smsbox down (restarted, being upgraded): the SMS waits for
		 * it without using a try, as one waits for a modem that is
		 * down, instead of dying after send_max_tries */
		log_warnx("%s: outbox %lld: %s; waits for smsbox",
		    k->conf->section, c->id, c->error);
		c->ans = ANS_LOCAL;
		goto out;
	}
	log_warnx("%s: outbox %lld failed (try %d): %s; %s", k->conf->section,
	    c->id, c->tries, c->error, c->next_at ? "will retry" : "dead");
out:
	record(c);
	/* the next call, marked ahead, takes the connection now (not from
	 * inside fire(): its loop goes on) */
	if (k->dispatching == NULL)
		kannel_release_held(k, store_durable(gw->store, NULL, NULL));
	outbound_schedule(gw, 0);
}

/* A link's socket closed: the next one libevent opens is set again,
 * and counts as opening until it answers. */
static void
on_link_closed(struct evhttp_connection *conn, void *arg)
{
	(void)conn;
	*(enum link_state *)arg = LINK_CLOSED;
}

/*
 * Link l's socket sends our calls at once (TCP_NODELAY), from its first
 * call (the socket exists once libevent has begun to connect). libevent
 * leaves Nagle on, and with it smsbox answered more slowly and spent more
 * CPU on the same calls (a 10,000 broadcast: 2,353 and 2,622 SMS/s
 * without, 2,839 and 3,638 with, alternating runs); Python's asyncio, the
 * benchmark's plain client, sets it for its own.
 */
static void
link_nodelay(struct kannel *k, int l)
{
	int fd, one = 1;

	if (k->link_state[l] != LINK_CLOSED || (fd = bufferevent_getfd(
	    evhttp_connection_get_bufferevent(k->links[l]))) < 0)
		return;
	if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0)
		k->link_state[l] = LINK_MADE;
}

/* The idle link the next call takes (-1: none may take it): one that is
 * up, else one to open while fewer than KANNEL_OPENING are opening. */
static int
free_link(const struct kannel *k)
{
	int l, cold = -1;

	if (k->busy == KANNEL_INFLIGHT)
		return -1;
	for (l = 0; l < KANNEL_INFLIGHT; l++) {
		if (k->on_link[l] != NULL)
			continue;
		if (k->link_state[l] == LINK_UP)
			return l;
		if (cold < 0)
			cold = l;
	}
	return k->opening < KANNEL_OPENING ? cold : -1;
}

/* Make held call c (its row's 'sending' is on disk). */
static void
fire(struct call *c)
{
	struct kannel *k = c->k;
	struct evhttp_request *req = c->req;
	int rc, l;

	c->req = NULL;
	/* kannel_release_held() fires only while there is one */
	if ((l = free_link(k)) < 0) {
		evhttp_request_free(req);
		k->inflight--;
		c->ans = ANS_FAILED;
		snprintf(c->error, sizeof(c->error), "no connection to smsbox "
		    "free");
		c->next_at = outbound_retry_at(k->gw->conf, c->tries,
		    gw_now(k->gw));
		record(c);
		return;
	}
	c->link = l;
	c->opening = k->link_state[l] != LINK_UP;
	k->on_link[l] = c;
	k->busy++;
	k->opening += c->opening;
	/* Linked before the call: libevent answers at once, inside
	 * evhttp_make_request, when the socket cannot even be made (EMFILE,
	 * no route), and on_answer then unlinks and records c. */
	link_call(&k->calls, c);
	k->dispatching = c;
	k->answered_at_once = 0;
	rc = evhttp_make_request(k->links[l], req, EVHTTP_REQ_GET, c->uri);
	k->dispatching = NULL;
	if (k->answered_at_once)
		return;
	if (rc != 0) {
		/* libevent frees req on some of its failures and not on
		 * others: never twice, then (a leak on a rare path) */
		unlink_call(c);
		k->inflight--;
		k->busy--;
		k->opening -= c->opening;
		k->on_link[l] = NULL;
		log_warnx("%s: outbox %lld: cannot make the sendsms call",
		    k->conf->section, c->id);
		c->ans = ANS_FAILED;
		snprintf(c->error, sizeof(c->error), "cannot connect to smsbox");
		c->next_at = outbound_retry_at(k->gw->conf, c->tries,
		    gw_now(k->gw));
		record(c);
		return;
	}
	link_nodelay(k, l);
	free(c->uri);
	c->uri = NULL;
}

void
kannel_release_held(struct kannel *k, unsigned long durable)
{
	struct call *c;

	while ((c = k->held) != NULL && c->commit <= durable &&
	    free_link(k) >= 0) {
		if ((k->held = c->next) == NULL)
			k->held_tail = &k->held;
		fire(c);
	}
}

/* The parts of every sendsms call that do not change, encoded once: a
 * broadcast through Kannel encoded the same user, password and dlr-url
 * for each SMS (a twentieth of the gateway's CPU). 0, or -1. */
static int
uri_parts(struct kannel *k)
{
	const struct kannel_config *c = k->conf;
	char *user = evhttp_uriencode(c->username, -1, 0),
	    *pass = evhttp_uriencode(c->password, -1, 0),
	    *from = evhttp_uriencode(c->from, -1, 0),
	    *smsc = evhttp_uriencode(c->smsc, -1, 0),
	    *dlr = NULL, *status = evhttp_uriencode("&status=%d", -1, 0);
	char id[600];
	int rc = -1;

	snprintf(id, sizeof(id), "%s&id=", k->dlr_base);
	if (user == NULL || pass == NULL || from == NULL || smsc == NULL ||
	    status == NULL || (dlr = evhttp_uriencode(id, -1, 0)) == NULL)
		goto out;
	/* (the order the benchmark's plain client asks in) */
	if (asprintf(&k->uri_head, "%s?username=%s&password=%s",
	    evhttp_uri_get_path(k->sendsms), user, pass) < 0) {
		k->uri_head = NULL;
		goto out;
	}
	if (asprintf(&k->uri_from, "%s%s%s%s", c->from[0] ? "&from=" : "",
	    from, c->smsc[0] ? "&smsc=" : "", smsc) < 0) {
		k->uri_from = NULL;
		goto out;
	}
	/* the id's digits between them need no encoding */
	k->uri_dlr = dlr;
	k->uri_status = status;
	dlr = status = NULL;
	rc = 0;
out:
	free(user);
	free(pass);
	free(from);
	free(smsc);
	free(dlr);
	free(status);
	return rc;
}

/* text URL-encoded: a broadcast's, the same for each SMS, once. */
static const char *
text_encoded(struct kannel *k, const char *text)
{
	char *copy, *enc;

	if (k->text != NULL && strcmp(k->text, text) == 0)
		return k->text_enc;
	if ((copy = strdup(text)) == NULL ||
	    (enc = evhttp_uriencode(text, -1, 0)) == NULL) {
		free(copy);
		return NULL;
	}
	free(k->text);
	free(k->text_enc);
	k->text = copy;
	k->text_enc = enc;
	return enc;
}

/* The sendsms request line for c; NULL when out of memory. */
static char *
sendsms_uri(struct kannel *k, const char *number, const char *text, int gsm,
    long long id)
{
	char *to = evhttp_uriencode(number, -1, 0), *uri = NULL;
	const char *t = text_encoded(k, text);

	/* charset for both: a GSM text may hold é or the euro sign, which
	 * smsbox maps from UTF-8 */
	if (to != NULL && t != NULL && asprintf(&uri, "%s&to=%s&text=%s%s"
	    "&coding=%d&charset=UTF-8&dlr-mask=31&dlr-url=%s%lld%s",
	    k->uri_head, to, t, k->uri_from, gsm ? 0 : 2, k->uri_dlr, id,
	    k->uri_status) < 0)
		uri = NULL;
	free(to);
	return uri;
}

static void
kannel_send(struct gateway *gw, int i, long long id, int tries,
    const char *number, const char *text, double t)
{
	struct kannel *k = gw->kannels[i];
	const struct kannel_config *conf = k->conf;
	struct call *c;
	size_t len = strlen(text);
	int gsm = gsm7_septets(text, len) >= 0, parts = sms_parts(text, len);

	refill(k, t);
	k->tokens -= 1.0;
	k->last_sent = t;
	if ((c = calloc(1, sizeof(*c))) == NULL) {
		log_warnx("%s: outbox %lld: out of memory: stays 'sending', "
		    "retried at the next start", conf->section, id);
		return;
	}
	*c = (struct call){ .k = k, .id = id, .tries = tries, .parts = parts };
	/* smsbox drops silently what goes past its max-messages */
	if (parts > conf->max_parts) {
		snprintf(c->error, sizeof(c->error), "text too long: %d parts, "
		    "max_parts is %d", parts, conf->max_parts);
		log_warnx("%s: outbox %lld: %s; dead", conf->section, id,
		    c->error);
		c->ans = ANS_FAILED;
		record(c);
		return;
	}
	if ((c->uri = sendsms_uri(k, number, text, gsm, id)) == NULL ||
	    (c->req = evhttp_request_new(on_answer, c)) == NULL) {
		snprintf(c->error, sizeof(c->error), "out of memory");
		c->ans = ANS_FAILED;
		c->next_at = outbound_retry_at(gw->conf, tries, gw_now(gw));
		record(c);
		return;
	}
	evhttp_add_header(evhttp_request_get_output_headers(c->req), "Host",
	    evhttp_uri_get_host(k->sendsms));
	log_debug("%s: sending outbox %lld to %s (%d part%s, %s)",
	    conf->section, id, number, parts, parts == 1 ? "" : "s",
	    gsm ? "GSM" : "UCS-2");
	/* The call waits for the commit that marked its row 'sending':
	 * the outbox commits a row at a time, and one sync releases every
	 * call made since the last. */
	k->inflight++;
	c->commit = store_commits(gw->store);
	*k->held_tail = c;
	k->held_tail = &c->next;
	store_sync_request(gw->store);
	kannel_release_held(k, store_durable(gw->store, NULL, NULL));
}

int
kannel_sender_start(struct kannel *k)
{
	struct gateway *gw = k->gw;
	const struct kannel_config *c = k->conf;
	const char *colon = strrchr(c->listen, ':');
	char host[64], *key;
	int port, n, i;

	k->held_tail = &k->held;
	k->unrecorded_tail = &k->unrecorded;
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
	for (i = 0; i < KANNEL_INFLIGHT; i++) {
		if ((k->links[i] = evhttp_connection_base_new(gw->base, k->dns,
		    evhttp_uri_get_host(k->sendsms), (unsigned short)(port > 0 ?
		    port : 80))) == NULL)
			return -1;
		evhttp_connection_set_timeout(k->links[i],
		    gw->conf->http_timeout);
		/* retried by the outbox, with its backoff, not by libevent */
		evhttp_connection_set_retries(k->links[i], 0);
		evhttp_connection_set_closecb(k->links[i], on_link_closed,
		    &k->link_state[i]);
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
	if (uri_parts(k) != 0)
		return -1;
	k->tokens = 1.0;
	k->tokens_at = clock_mono();
	k->since = gw_now(gw);
	if ((k->status_ev = event_new(gw->base, -1, EV_PERSIST, on_status_tick,
	    k)) == NULL ||
	    (k->probe_ev = event_new(gw->base, -1, EV_PERSIST, on_probe_tick,
	    k)) == NULL ||
	    (k->record_ev = event_new(gw->base, -1, 0, on_record_tick,
	    k)) == NULL)
		return -1;
	event_add(k->status_ev, &(struct timeval){ STATUS_EVERY, 0 });
	write_status(k);
	return 0;
}

void
kannel_sender_stop(struct kannel *k)
{
	struct call *c;
	int i;

	/* A call held or still waiting is dropped: its row stays
	 * 'sending', retried (marked) after the restart; one held was
	 * never made. An answer not yet recorded gets a last try. */
	for (i = 0; i < KANNEL_INFLIGHT; i++)
		if (k->links[i] != NULL)
			evhttp_connection_free(k->links[i]);
	k->conn = NULL;
	while ((c = k->calls) != NULL) {
		unlink_call(c);
		free_call(c);	/* its req went with the connection */
	}
	while ((c = k->held) != NULL) {
		k->held = c->next;
		free_call(c);
	}
	k->held_tail = &k->held;
	/* a last try, each on its own */
	while ((c = k->unrecorded) != NULL) {
		k->unrecorded = c->next;
		(void)write_answer(c);
		free_call(c);
	}
	k->unrecorded_tail = &k->unrecorded;
	if (k->dns != NULL)
		evdns_base_free(k->dns, 0);
	if (k->status_ev != NULL)
		event_free(k->status_ev);
	if (k->probe_ev != NULL)
		event_free(k->probe_ev);
	if (k->record_ev != NULL)
		event_free(k->record_ev);
	if (k->sendsms != NULL)
		evhttp_uri_free(k->sendsms);
	free(k->uri_head);
	free(k->uri_from);
	free(k->uri_dlr);
	free(k->uri_status);
	free(k->text);
	free(k->text_enc);
}

const struct kannel_ops kannel_channel = {
	.ready = kannel_ready,
	.room = kannel_room,
	.route = kannel_route,
	.name = kannel_name,
	.up = kannel_up,
	.send = kannel_send,
};
