/*
 * http: two evhttp listeners on the daemon's loop. The USSD endpoint
 * speaks the aggregators' contract (form POST in, "CON ..."/"END ..." text
 * out) behind a shared secret; the admin listener (another port) serves
 * /health, /status and /metrics, behind its own secret when it has one.
 * Both take an address allow list. Every handler ends in exactly one
 * evhttp_send_reply or evhttp_send_error.
 */
#include "gateway/loop/gateway.h"
#include "gateway/loop/http_int.h"
#include "gateway/util/auth_guard.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"
#include "gateway/util/status.h"
#include "gateway/ussd/ussd.h"
#include "gateway/ussd/ussd_sessions.h"

#include <event2/buffer.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/listener.h>


#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define BODY_MAX	4096
#define HEADERS_MAX	8192

/*
 * A USSD request whose write (a complaint's ticket) finds the store locked
 * by another process waits, and is asked again on the loop's retry timer
 * (gateway_retry); the loop serves other requests meanwhile. After this
 * long it gets a polite END asking the caller to try again: aggregators
 * give up on an answer after about 5 s (and the caller's phone shows a
 * network error), so 3 s leaves room for the network, while a CLI import
 * (batches of a few tens of ms, docs/operations) never comes near it; only
 * a transaction held open by hand does.
 */
#define BUSY_ANSWER_MAX	3.0

/* Latency buckets of /metrics, in seconds. */
const double http_buckets[HTTP_NBUCKETS] = { 0.001, 0.0025, 0.005, 0.01,
    0.025, 0.05, 0.1, 0.25, 1.0 };

/*
 * A listener that cannot accept (no file descriptor left) is woken again
 * at once and would spin: it pauses a moment instead, and says so at most
 * every PAUSE_LOG_EVERY seconds.
 */
#define PAUSE_USEC	250000
#define PAUSE_LOG_EVERY	10

struct pause {
	const char *what;
	struct evconnlistener *listener;
	struct event *resume_ev;
	time_t logged;
	unsigned long times;		/* since the last log line */
};

/* libevent hands the error callback the listener and evhttp's own
 * pointer, not ours: the listener finds its pause here (one daemon per
 * process: ussd, admin, console, the Kannel bearers). */
#define NPAUSES	(HTTP_SLOT_KANNEL + CONFIG_MAX_KANNELS)
static struct pause pauses[NPAUSES];

/*
 * An answer that shows a ticket number waits until the commit that made
 * the ticket is on disk: the store syncs in a thread of its own, so the
 * loop goes on serving while the answer waits (as a SIM delete does in
 * modem.c). evhttp keeps a request we have not answered even when its
 * client goes away; answering it then just frees it.
 */
struct parked {
	struct parked *next;
	struct evhttp_request *req;
	unsigned long commit;
	int status;
	double t0;
	char body[];
};

struct http_state {
	struct evhttp *ussd;
	struct evhttp *admin;
	struct event *flush_ev;		/* writes USSD sessions each second */
	struct auth_guard *guard;	/* the USSD secret's failures */
	struct auth_guard *admin_guard;	/* the admin secret's */
	struct parked *parked, **parked_tail;	/* in arrival order */
	/* requests whose write found the store busy: body is the form */
	struct parked *busy, **busy_tail;
	struct admin_route {
		struct gateway *gw;
		void (*serve)(struct evhttp_request *, void *);
	} admin_routes[4];
	struct ussd_figures fig;	/* since start */
};

/* The peer's address as text ("" if unknown). */
static const char *
peer_host(struct evhttp_request *req)
{
	char *host = NULL;
	ev_uint16_t port;

	evhttp_connection_get_peer(evhttp_request_get_connection(req), &host,
	    &port);
	return host ? host : "";
}

/* One log line for a source that failed to authenticate: at most one a
 * minute per source, with the counts since the last. */
static void
log_guard_line(void *arg, const struct auth_guard_line *l)
{
	char lock[64] = "";

	if (l->locked_for > 0)
		snprintf(lock, sizeof(lock), "; refused for %.0f s (%u in a row)",
		    l->locked_for + 0.5, l->failures);
	log_warnx("%s: from %s: %lu failed authentication%s, %lu request%s "
	    "refused%s", (const char *)arg, l->source, l->failed, l->failed == 1 ? "" : "s",
	    l->refused, l->refused == 1 ? "" : "s", lock);
}

/* Whether the peer is on the allowlist (an empty list allows all). */
static int
allowed(struct evhttp_request *req, const char *allow)
{
	char *host = NULL, list[512], *tok, *save = NULL;
	ev_uint16_t port;

	if (allow[0] == '\0')
		return 1;
	evhttp_connection_get_peer(evhttp_request_get_connection(req), &host,
	    &port);
	if (host == NULL)
		return 0;
	snprintf(list, sizeof(list), "%s", allow);
	for (tok = strtok_r(list, " ,", &save); tok; tok = strtok_r(NULL, " ,",
	    &save))
		if (!strcmp(tok, host))
			return 1;
	return 0;
}

/* Count one USSD answer in /metrics. */
static void
account(struct http_state *h, int status, double t0)
{
	double dt = clock_mono() - t0;
	size_t i;

	h->fig.requests++;
	h->fig.by_status[status >= 100 && status < 600 ? status / 100 - 1 :
	    5]++;
	h->fig.latency_count++;
	h->fig.latency_sum += dt;
	for (i = 0; i < HTTP_NBUCKETS; i++)
		if (dt <= http_buckets[i])
			h->fig.latency_bucket[i]++;
}

void
http_reply_text(struct evhttp_request *req, int status, const char *reason,
    const char *text)
{
	struct evbuffer *b = evbuffer_new();

	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "Content-Type", "text/plain; charset=utf-8");
	if (b == NULL) {
		evhttp_send_error(req, HTTP_INTERNAL, NULL);
		return;
	}
	evbuffer_add(b, text, strlen(text));
	evhttp_send_reply(req, status, reason, b);
	evbuffer_free(b);
}

static void
answer(struct evhttp_request *req, int status, const char *text)
{
	http_reply_text(req, status, status == 200 ? "OK" : status == 400 ?
	    "Bad Request" : status == 503 ? "Service Unavailable" :
	    "Internal Server Error", text);
}

/* What guards a listener: [ussd] and [admin] alike. */
struct gate {
	const char *allow;	/* "" lets every address in */
	const char *secret;	/* "" asks for none (a loopback admin) */
	int query_key;		/* ?key= as well as HTTP Basic */
	struct auth_guard *guard;	/* NULL: failures are not counted */
};

/* 0 lets req through; else req is answered and this is its status: 429
 * while its source is refused for failing (the secret cannot be guessed
 * at the loop's speed), 401 without the secret or off the allow list. */
static int
gate_shut(struct evhttp_request *req, const struct gate *g, double now)
{
	double wait;

	if (g->guard != NULL &&
	    (wait = auth_guard_check(g->guard, peer_host(req), now)) > 0) {
		char after[16];

		snprintf(after, sizeof(after), "%.0f", wait + 0.999);
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Retry-After", after);
		http_reply_text(req, 429, "Too Many Requests",
		    "too many failed authentications: try later\n");
		return 429;
	}
	if (allowed(req, g->allow) && (g->secret[0] == '\0' ||
	    http_authorised(req, g->secret, g->query_key))) {
		if (g->guard != NULL)
			auth_guard_passed(g->guard, peer_host(req));
		return 0;
	}
	if (g->guard != NULL)
		auth_guard_failed(g->guard, peer_host(req), now);
	evhttp_add_header(evhttp_request_get_output_headers(req),
	    "WWW-Authenticate", "Basic realm=\"kentongan\"");
	http_reply_text(req, 401, "Unauthorized", "unauthorized\n");
	return 401;
}

int
http_gate(struct evhttp_request *req, const char *allow, const char *secret,
    int query_key, struct auth_guard *guard)
{
	return gate_shut(req, &(struct gate){ allow, secret, query_key, guard },
	    clock_mono());
}

/* Keep req at the end of a list, with text (an answer, or a form). */
static int
park_on(struct parked **head, struct parked ***tail,
    struct evhttp_request *req, unsigned long commit, int status,
    const char *text, double t0)
{
	size_t n = strlen(text) + 1;
	struct parked *p = malloc(sizeof(*p) + n);

	if (p == NULL)
		return -1;
	p->next = NULL;
	p->req = req;
	p->commit = commit;
	p->status = status;
	p->t0 = t0;
	memcpy(p->body, text, n);
	if (*head == NULL)
		*tail = head;
	**tail = p;
	*tail = &p->next;
	return 0;
}

static int
park(struct http_state *h, struct evhttp_request *req, unsigned long commit,
    int status, const char *text, double t0)
{
	return park_on(&h->parked, &h->parked_tail, req, commit, status, text,
	    t0);
}

void
http_release_durable(struct gateway *gw)
{
	struct http_state *h = gw->http;
	unsigned long durable;
	struct parked *p, **pp;

	if (h == NULL || h->parked == NULL)
		return;
	durable = store_durable(gw->store, NULL, NULL);
	for (pp = &h->parked; (p = *pp) != NULL;) {
		if (p->commit > durable) {
			pp = &p->next;
			continue;
		}
		*pp = p->next;
		answer(p->req, p->status, p->body);
		account(h, p->status, p->t0);
		free(p);
	}
	h->parked_tail = pp;
}

/* Stopping: what is not known to be on disk is not shown as done. The
 * ticket's SMS confirmation still goes once the store closes cleanly. */
static void
unpark_all(struct http_state *h)
{
	struct parked *p;
	char out[256];

	ussd_end(R_USSD_UNAVAILABLE, out, sizeof(out));
	while ((p = h->parked) != NULL || (p = h->busy) != NULL) {
		if (p == h->parked)
			h->parked = p->next;
		else
			h->busy = p->next;
		answer(p->req, 503, out);
		account(h, 503, p->t0);
		free(p);
	}
}

static int serve_form(struct gateway *, struct evhttp_request *,
    const char *, double);

static void
on_ussd(struct evhttp_request *req, void *arg)
{
	struct gateway *gw = arg;
	struct http_state *h = gw->http;
	struct evbuffer *in = evhttp_request_get_input_buffer(req);
	const char *path;
	char body[BODY_MAX + 1], out[256];
	double t0 = clock_mono();
	size_t n;
	int status;

	/* evhttp matched the decoded path, which a %00 cuts short. */
	if ((path = evhttp_uri_get_path(evhttp_request_get_evhttp_uri(req))) !=
	    NULL && strstr(path, "%00") != NULL) {
		http_reply_text(req, status = 404, "Not Found", "not found\n");
		goto done;
	}
	if (evhttp_request_get_command(req) != EVHTTP_REQ_POST) {
		evhttp_add_header(evhttp_request_get_output_headers(req),
		    "Allow", "POST");
		http_reply_text(req, status = 405, "Method Not Allowed",
		    "use POST\n");
		goto done;
	}
	if ((status = gate_shut(req, &(struct gate){ gw->conf->ussd_allow,
	    gw->conf->ussd_secret, 1, h->guard }, t0)) != 0)
		goto done;
	if ((n = evbuffer_get_length(in)) > BODY_MAX) {
		http_reply_text(req, status = 413, "Payload Too Large",
		    "body too large\n");
		goto done;
	}
	evbuffer_copyout(in, body, n);
	body[n] = '\0';
	/* A NUL, raw or as %00, would cut a decoded field short. */
	if (memchr(body, '\0', n) != NULL) {
		http_reply_text(req, status = 400, "Bad Request", "bad form body\n");
		goto done;
	}
	if ((status = serve_form(gw, req, body, t0)) == 0)
		return;		/* answered when its commit is on disk */
	if (status < 0) {
		if (park_on(&h->busy, &h->busy_tail, req, 0, 0, body,
		    t0) == 0)
			return;		/* http_retry_busy() answers */
		ussd_end(R_USSD_UNAVAILABLE, out, sizeof(out));
		answer(req, status = 500, out);
	}
done:
	account(h, status, t0);
}

/*
 * Answer one USSD form body (NUL-terminated): the status answered, 0 when
 * the answer waits for its commit to be on disk, or -1, answering nothing,
 * when the store was busy (another process's lock) for the request's write.
 */
static int
serve_form(struct gateway *gw, struct evhttp_request *req, const char *form,
    double t0)
{
	struct ussd_request u;
	const struct form want[] = {
		{ "sessionId", &u.session_id },
		{ "serviceCode", &u.service_code },
		{ "phoneNumber", &u.phone },
		{ "networkCode", &u.network },
		{ "text", &u.text },
	};
	char body[BODY_MAX + 1], out[1024], esc[120];
	unsigned long durable_at = 0;
	size_t n = strlen(form);
	int status;

	memset(&u, 0, sizeof(u));
	/* http_parse_form decodes in place: the form stays as it came, for a
	 * request asked again */
	memcpy(body, form, n + 1);
	/* A NUL, raw or as %00, would cut a decoded field short. */
	if (n > BODY_MAX || http_parse_form(body, want, 5) != 0) {
		http_reply_text(req, 400, "Bad Request", "bad form body\n");
		return 400;
	}
	if (u.session_id == NULL || u.session_id[0] == '\0' ||
	    u.service_code == NULL || u.phone == NULL || u.text == NULL) {
		http_reply_text(req, 400, "Bad Request",
		    "sessionId, serviceCode, phoneNumber and text are required\n");
		return 400;
	}
	if (u.network == NULL)
		u.network = "";
	status = ussd_handle(gw, &u, out, sizeof(out), &durable_at);
	if (status == 500 && retry_if_busy(gw, WORK_USSD))
		return -1;
	if (log_debugging()) {
		char pesc[64];

		log_debug("ussd session from %s, text '%s': %d",
		    log_escape(u.phone, strlen(u.phone), pesc, sizeof(pesc)),
		    log_escape(u.text, strlen(u.text), esc, sizeof(esc)),
		    status);
	}
	if (durable_at != 0 &&
	    store_durable(gw->store, NULL, NULL) < durable_at) {
		if (park(gw->http, req, durable_at, status, out, t0) == 0) {
			store_sync_request(gw->store);
			return 0;	/* http_release_durable() answers */
		}
		ussd_end(R_USSD_UNAVAILABLE, out, sizeof(out));
		status = 500;
	}
	answer(req, status, out);
	return status;
}

void
http_retry_busy(struct gateway *gw)
{
	struct http_state *h = gw->http;
	struct parked *p;
	char out[256];
	int status;

	/* in arrival order: when the first is not yet due for the polite
	 * END, none after it is */
	while (h != NULL && (p = h->busy) != NULL) {
		if (clock_mono() - p->t0 >= BUSY_ANSWER_MAX) {
			ussd_end(R_USSD_BUSY, out, sizeof(out));
			answer(p->req, status = 200, out);
			log_warnx("ussd: the database stayed locked for %.0f s: "
			    "the caller was asked to try again",
			    BUSY_ANSWER_MAX);
		} else if ((status = serve_form(gw, p->req, p->body,
		    p->t0)) < 0)
			return;	/* still busy: asked again (gateway_retry) */
		h->busy = p->next;
		if (status > 0)
			account(h, status, p->t0);
		free(p);
	}
}

/* Anything but the configured path. */
static void
on_other(struct evhttp_request *req, void *arg)
{
	(void)arg;
	http_reply_text(req, 404, "Not Found", "not found\n");
}

const struct ussd_figures *
http_ussd_figures(struct gateway *gw)
{
	return &gw->http->fig;
}

/* The admin pages; NULL is every other path. */
static const struct {
	const char *path;
	void (*serve)(struct evhttp_request *, void *);
} admin_pages[] = {
	{ "/health", http_admin_health },
	{ "/metrics", http_admin_metrics },
	{ "/status", http_admin_status },
	{ NULL, on_other },
};

_Static_assert(sizeof(admin_pages) / sizeof(admin_pages[0]) ==
    sizeof(((struct http_state *)0)->admin_routes) /
    sizeof(struct admin_route), "one route per admin page");

/* Every admin page, 404 included, behind [admin]'s allow and secret. */
static void
on_admin(struct evhttp_request *req, void *arg)
{
	const struct admin_route *r = arg;
	const struct config *c = r->gw->conf;

	if (gate_shut(req, &(struct gate){ c->admin_allow, c->admin_secret,
	    0, r->gw->http->admin_guard }, clock_mono()) == 0)
		r->serve(req, r->gw);
}

static void
on_resume(evutil_socket_t fd, short what, void *arg)
{
	struct pause *p = arg;

	(void)fd;
	(void)what;
	evconnlistener_enable(p->listener);
}

/* accept() failed for another reason than EAGAIN or EINTR. */
static void
on_accept_error(struct evconnlistener *l, void *arg)
{
	struct pause *p = &pauses[0];
	int i;

	for (i = 0; i < NPAUSES; i++)
		if (pauses[i].listener == l)
			p = &pauses[i];
	struct timeval pause = { 0, PAUSE_USEC };
	int err = EVUTIL_SOCKET_ERROR();
	time_t now = time(NULL);

	(void)arg;
	p->times++;
	if (now - p->logged >= PAUSE_LOG_EVERY) {
		log_warnx("%s: cannot accept a connection: %s%s; new "
		    "connections wait (%lu time%s)", p->what, strerror(err),
		    err == EMFILE || err == ENFILE ? " (no file descriptor "
		    "left)" : "", p->times, p->times == 1 ? "" : "s");
		p->logged = now;
		p->times = 0;
	}
	if (p->resume_ev != NULL) {
		evconnlistener_disable(l);
		event_add(p->resume_ev, &pause);
	}
}

/* Bind host:port; NULL after logging why. */
static struct evhttp *
listen_on(struct gateway *gw, const char *what, const char *hostport,
    int methods, struct pause *p)
{
	return http_listen(gw, what, hostport, methods, BODY_MAX, p - pauses);
}

struct evhttp *
http_listen(struct gateway *gw, const char *what, const char *hostport,
    int methods, size_t body_max, int slot)
{
	struct pause *p = &pauses[slot];
	struct evhttp *h;
	struct evhttp_bound_socket *bound;
	char host[64];
	const char *colon = strrchr(hostport, ':');
	int port = colon ? atoi(colon + 1) : 0;

	snprintf(host, sizeof(host), "%.*s", colon ? (int)(colon - hostport) :
	    0, hostport);
	if ((h = evhttp_new(gw->base)) == NULL)
		return NULL;
	evhttp_set_max_body_size(h, body_max);
	evhttp_set_max_headers_size(h, HEADERS_MAX);
	evhttp_set_timeout(h, gw->conf->http_timeout);
	evhttp_set_allowed_methods(h, methods);
	if ((bound = evhttp_bind_socket_with_handle(h, host,
	    (ev_uint16_t)port)) == NULL) {
		log_warnx("%s: cannot listen on %s", what, hostport);
		evhttp_free(h);
		return NULL;
	}
	p->what = what;
	p->listener = evhttp_bound_socket_get_listener(bound);
	p->resume_ev = evtimer_new(gw->base, on_resume, p);
	evconnlistener_set_error_cb(p->listener, on_accept_error);
	log_info("%s listening on %s", what, hostport);
	return h;
}

static const struct timeval one_second = { 1, 0 };

/* Write the USSD sessions that changed; forget those past their time. */
static void
flush_sessions(struct gateway *gw)
{
	if (gw->ussd_sessions != NULL)
		ussd_tick(gw);
}

void
http_guard_report(struct auth_guard *guard, const char *what, int final)
{
	if (guard != NULL)
		auth_guard_report(guard, clock_mono(), final, log_guard_line,
		    (void *)what);
}

/* The log lines of both listeners' failed authentications (final: all
 * that are left, at stop). */
static void
report_guards(struct http_state *h, int final)
{
	http_guard_report(h->guard, "ussd", final);
	http_guard_report(h->admin_guard, "admin", final);
}

static void
on_flush(evutil_socket_t fd, short what, void *arg)
{
	struct gateway *gw = arg;

	(void)fd;
	(void)what;
	flush_sessions(gw);
	report_guards(gw->http, 0);
}

int
http_start(struct gateway *gw)
{
	struct http_state *h;
	size_t i;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return -1;
	gw->http = h;
	if (gw->conf->ussd_enabled) {
		/* Every method reaches the handler, which answers 405 itself
		 * with an Allow header. */
		h->ussd = listen_on(gw, "ussd", gw->conf->ussd_listen,
		    EVHTTP_REQ_GET | EVHTTP_REQ_POST | EVHTTP_REQ_HEAD |
		    EVHTTP_REQ_PUT | EVHTTP_REQ_DELETE | EVHTTP_REQ_OPTIONS |
		    EVHTTP_REQ_PATCH, &pauses[0]);
		if (h->ussd == NULL)
			return -1;
		evhttp_set_cb(h->ussd, gw->conf->ussd_path, on_ussd, gw);
		evhttp_set_gencb(h->ussd, on_other, gw);
		if ((gw->ussd_sessions = ussd_sessions_new()) == NULL ||
		    (h->guard = auth_guard_new()) == NULL)
			return -1;
	}
	if (gw->conf->admin_enabled) {
		h->admin = listen_on(gw, "admin", gw->conf->admin_listen,
		    EVHTTP_REQ_GET | EVHTTP_REQ_HEAD, &pauses[1]);
		if (h->admin == NULL)
			return -1;
		for (i = 0; i < sizeof(admin_pages) / sizeof(admin_pages[0]);
		    i++) {
			struct admin_route *r = &h->admin_routes[i];

			r->gw = gw;
			r->serve = admin_pages[i].serve;
			if (admin_pages[i].path != NULL)
				evhttp_set_cb(h->admin, admin_pages[i].path,
				    on_admin, r);
			else
				evhttp_set_gencb(h->admin, on_admin, r);
		}
		/* the admin secret is slowed and logged like the USSD one */
		if ((h->admin_guard = auth_guard_new()) == NULL)
			return -1;
	}
	/* each second: USSD sessions written and expired, failed
	 * authentications logged */
	if (h->ussd != NULL || h->admin != NULL) {
		if ((h->flush_ev = event_new(gw->base, -1, EV_PERSIST, on_flush,
		    gw)) == NULL)
			return -1;
		event_add(h->flush_ev, &one_second);
	}
	return 0;
}

void
http_stop(struct gateway *gw)
{
	int i;

	if (gw->http == NULL)
		return;
	unpark_all(gw->http);
	if (gw->http->ussd)
		evhttp_free(gw->http->ussd);
	if (gw->http->admin)
		evhttp_free(gw->http->admin);
	if (gw->http->flush_ev)
		event_free(gw->http->flush_ev);
	for (i = 0; i < NPAUSES; i++) {
		if (pauses[i].resume_ev != NULL)
			event_free(pauses[i].resume_ev);
		memset(&pauses[i], 0, sizeof(pauses[i]));
	}
	flush_sessions(gw);
	report_guards(gw->http, 1);
	auth_guard_free(gw->http->guard);
	auth_guard_free(gw->http->admin_guard);
	ussd_sessions_free(gw->ussd_sessions);
	gw->ussd_sessions = NULL;
	free(gw->http);
	gw->http = NULL;
}
