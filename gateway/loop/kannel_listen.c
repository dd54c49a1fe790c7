/*
 * The Kannel bearer's listener: MO and delivery reports from smsbox,
 * each a GET behind the bearer's secret (key=). An MO is stored exactly
 * like an SMS read from a modem, and its 200 waits until that commit is
 * on disk, as a SIM delete does: smsbox acknowledges the SMS to
 * bearerbox before it calls us, so our 200 is the only receipt, and
 * with http-request-retry it asks again until it gets one. A delivery
 * report's 200 waits the same way: smsbox forgets a report it had a 200
 * for.
 */
#include "gateway/loop/gateway.h"
#include "gateway/loop/kannel_int.h"
#include "gateway/util/auth_guard.h"
#include "gateway/rules/intake.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"

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

/* Answer req 200 once every commit so far is on disk: its own, or, for
 * an id stored already, the one that may not be there yet. */
static void
park(struct kannel *k, struct evhttp_request *req)
{
	struct gateway *gw = k->gw;
	struct parked_req *p;

	if ((p = calloc(1, sizeof(*p))) == NULL) {
		reply(req, 503, "Service Unavailable");
		return;
	}
	p->req = req;
	p->commit = store_commits(gw->store);
	*k->parked_tail = p;
	k->parked_tail = &p->next;
	store_sync_request(gw->store);
	kannel_release_parked(k, store_durable(gw->store, NULL, NULL));
}

/*
 * What smsbox sent in this turn of the loop waits for one transaction:
 * a transaction (and a WAL append) for each MO and each of the two
 * delivery reports of every SMS was most of the gateway's work at a few
 * hundred a second. Each request's 200 then waits for that commit to be
 * on disk, as before.
 */
struct pending {
	struct pending *next;
	struct evhttp_request *req;
	int is_mo;
	/* a delivery report */
	long long row;
	int bit;
	/* an MO */
	char *id, *from, *text;
	long long smsc_time;
	const char *coding;
};

static void
pending_free(struct pending *p)
{
	free(p->id);
	free(p->from);
	free(p->text);
	free(p);
}

/*
 * What smsbox sends is gathered for up to 2 ms into one transaction. It
 * sends one request at a time on each connection, so a turn of the loop
 * held one or two: a commit (a dozen pages of WAL, and their checkpoint)
 * for each MO was most of the gateway's CPU in a flood (10,000 MO: 3.1
 * CPU-s, 1.3 with the gathering; 5 ms was slower for a broadcast's
 * reports, with more of smsbox's calls waiting).
 */
#define FLUSH_GATHER_US	2000

static void
enqueue(struct kannel *k, struct pending *p)
{
	p->next = NULL;
	*k->pending_tail = p;
	k->pending_tail = &p->next;
	if (!evtimer_pending(k->flush_ev, NULL))
		event_add(k->flush_ev, &(struct timeval){ 0, FLUSH_GATHER_US });
}

/* Check an MO and queue it; its 200 goes once its commit is on disk. */
static void
serve_mo(struct kannel *k, struct evhttp_request *req, struct evkeyvalq *q)
{
	const char *id = param(q, "id"), *from = param(q, "from"),
	    *text = param(q, "text"), *t = param(q, "time");
	struct pending *p;

	if (id == NULL || id[0] == '\0' || strlen(id) > KANNEL_ID_MAX ||
	    from == NULL || from[0] == '\0' || strlen(from) >= NUMBER_MAX ||
	    text == NULL || strlen(text) > MO_TEXT_MAX) {
		reply(req, 400, "Bad Request");
		return;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    (p->id = strdup(id)) == NULL || (p->from = strdup(from)) == NULL ||
	    (p->text = strdup(text)) == NULL) {
		if (p != NULL)
			pending_free(p);
		reply(req, 503, "Service Unavailable");
		return;
	}
	intake_mo(&k->gw->intake, clock_mono());
	p->req = req;
	p->is_mo = 1;
	p->smsc_time = t != NULL ? atoll(t) : 0;
	p->coding = coding_name(param(q, "coding"));
	enqueue(k, p);
}

/* The outbox id of a dlr-url as we wrote it: digits only, no sign, no
 * blank, and short enough for a long long (strtoll would make a longer
 * one LLONG_MAX); else -1. */
static long long
outbox_id(const char *s)
{
	size_t n = s != NULL ? strlen(s) : 0;

	if (n == 0 || n > 18 || strspn(s, "0123456789") != n)
		return -1;
	return strtoll(s, NULL, 10);
}

/* A delivery report: %d moves the row forward only. An unknown id is
 * answered 200 too: Kannel would otherwise ask again for ever. */
static void
serve_dlr(struct kannel *k, struct evhttp_request *req, struct evkeyvalq *q)
{
	const char *id = param(q, "id"), *status = param(q, "status");
	struct pending *p;
	char *end;
	long long row;
	long bit;

	row = outbox_id(id);
	if (row <= 0 || status == NULL ||
	    (bit = strtol(status, &end, 10)) <= 0 || bit > 31 ||
	    *end != '\0') {
		reply(req, 400, "Bad Request");
		return;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL) {
		reply(req, 503, "Service Unavailable");
		return;
	}
	p->req = req;
	p->row = row;
	p->bit = (int)bit;
	enqueue(k, p);
}

/* Store one MO in the open transaction; 1 stored, 0 there already, -1. */
static int
write_mo(struct kannel *k, struct pending *p)
{
	struct gateway *gw = k->gw;
	char number[NUMBER_MAX], esc[200];
	struct sms_in in;
	long long mid;
	int rc;

	memset(&in, 0, sizeof(in));
	in.modem = k->conf->section;
	in.kannel_id = p->id;
	in.number_raw = p->from;
	in.sender_class = inbound_sender_class(p->from, number,
	    sizeof(number));
	in.number = number;
	in.smsc_time = p->smsc_time;
	in.received_at = gw_now(gw);
	in.coding = p->coding;
	in.is_binary = !strcmp(in.coding, "8bit");
	in.text = p->text;
	in.text_len = strlen(p->text);
	if ((rc = store_sms_add(gw->store, &in, &mid)) < 0)
		return -1;
	if (rc == 0)
		k->mo_again++;
	else
		k->mo++;
	log_debug("%s: SMS %s from %s (Kannel id %s): %s", k->conf->section,
	    rc ? "stored" : "already stored", number, p->id,
	    log_escape(p->text, in.text_len, esc, sizeof(esc)));
	return rc;
}

/* Apply one delivery report in the open transaction; 0, or -1. */
static int
write_dlr(struct kannel *k, struct pending *p)
{
	struct gateway *gw = k->gw;
	enum dlr_result r = store_outbox_dlr(gw->store, p->row,
	    k->conf->section, p->bit, gw_now(gw));

	if (r == DLR_ERROR)
		return -1;
	k->dlr++;
	if (r == DLR_UNKNOWN) {
		k->dlr_unknown++;
		log_warnx("%s: delivery report %d for unknown outbox %lld "
		    "ignored", k->conf->section, p->bit, p->row);
	} else
		log_debug("%s: outbox %lld: delivery report %d%s",
		    k->conf->section, p->row, p->bit, r == DLR_MOVED ? "" :
		    " (changes nothing)");
	return 0;
}

/* Write what is queued in one transaction, then park each request for
 * its 200. A store that cannot take them answers 503: smsbox asks again
 * (http-request-retry), and the id makes that a no-op. */
static void
on_flush(evutil_socket_t fd, short what, void *arg)
{
	struct kannel *k = arg;
	struct gateway *gw = k->gw;
	struct pending *p, *list = k->pending;
	int stored = 0, rc;

	(void)fd;
	(void)what;
	k->pending = NULL;
	k->pending_tail = &k->pending;
	if (list == NULL && k->unrecorded == NULL)
		return;
	if (store_begin(gw->store) != 0)
		goto busy;
	/* sendsms's answers first: a report may follow its 202 */
	if (kannel_write_answers(k) != 0) {
		store_rollback(gw->store);
		goto busy;
	}
	for (p = list; p != NULL; p = p->next) {
		rc = p->is_mo ? write_mo(k, p) : write_dlr(k, p);
		if (rc < 0) {
			if (!p->is_mo)
				log_warnx("%s: delivery report for outbox %lld "
				    "not recorded: %s", k->conf->section,
				    p->row, store_errmsg(gw->store));
			store_rollback(gw->store);
			goto busy;
		}
		stored += p->is_mo && rc > 0;
	}
	if (store_commit(gw->store) != 0) {
		store_rollback(gw->store);
		goto busy;
	}
	if (k->unrecorded != NULL) {
		kannel_answers_written(k);
		if (list == NULL)	/* nothing to park: on disk soon */
			store_sync_request(gw->store);
	}
	gw->intake_error[0] = '\0';
	if (stored > 0)
		process_schedule(gw);
	while ((p = list) != NULL) {
		list = p->next;
		park(k, p->req);
		pending_free(p);
	}
	return;
busy:
	kannel_answers_later(k);
	/* nothing is lost, and a store another process holds for a moment
	 * needs no alarm */
	if (list != NULL && !store_last_was_busy(gw->store)) {
		snprintf(gw->intake_error, sizeof(gw->intake_error), "%s: "
		    "cannot store SMS, left with Kannel: %s", k->conf->section,
		    store_errmsg(gw->store));
		log_alarm("%s", gw->intake_error);
	}
	while ((p = list) != NULL) {
		list = p->next;
		reply(p->req, 503, "Service Unavailable");
		pending_free(p);
	}
}

/* Every request of the listener: the key first, then the path. */
static void
on_request(struct evhttp_request *req, void *arg)
{
	struct kannel *k = arg;
	const char *path = evhttp_uri_get_path(
	    evhttp_request_get_evhttp_uri(req));
	struct evkeyvalq q;

	if (http_gate(req, "", k->conf->secret, 1, k->guard) != 0) {
		/* a wrong key in smsbox's get-url loses every MO once its
		 * retries end: said in our log, not only in smsbox's */
		http_guard_report(k->guard, k->conf->section, 0);
		return;
	}
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
kannel_release_parked(struct kannel *k, unsigned long durable)
{
	struct parked_req *p;

	/* commits are counted in order: the first not durable ends it */
	while ((p = k->parked) != NULL && p->commit <= durable) {
		if ((k->parked = p->next) == NULL)
			k->parked_tail = &k->parked;
		reply(p->req, 200, "OK");
		free(p);
	}
}

int
kannel_listen_start(struct kannel *k, int slot)
{
	k->parked_tail = &k->parked;
	k->pending_tail = &k->pending;
	if ((k->flush_ev = event_new(k->gw->base, -1, 0, on_flush, k)) == NULL)
		return -1;
	if ((k->guard = auth_guard_new()) == NULL ||
	    (k->http = http_listen(k->gw, k->conf->section, k->conf->listen,
	    EVHTTP_REQ_GET, 4096, slot)) == NULL)
		return -1;
	/* smsbox puts the whole MO in the request line, URL-encoded (up to
	 * 9 bytes a character for an emoji): the listeners' 8 KB would
	 * refuse a long one before on_request saw it, and smsbox, retrying,
	 * would drop it in the end */
	evhttp_set_max_headers_size(k->http, MO_LINE_MAX);
	evhttp_set_gencb(k->http, on_request, k);
	return 0;
}

/* What is parked is answered 503, as it may not be on disk: smsbox asks
 * again, and the id makes it a no-op. */
void
kannel_listen_stop(struct kannel *k)
{
	struct parked_req *p;

	/* what is queued is written, then answered with the rest */
	on_flush(-1, 0, k);
	if (k->flush_ev != NULL)
		event_free(k->flush_ev);
	k->flush_ev = NULL;
	kannel_release_parked(k, store_durable(k->gw->store, NULL, NULL));
	while ((p = k->parked) != NULL) {
		k->parked = p->next;
		reply(p->req, 503, "Service Unavailable");
		free(p);
	}
	k->parked_tail = &k->parked;
	if (k->http != NULL)
		evhttp_free(k->http);
	k->http = NULL;
	http_guard_report(k->guard, k->conf->section, 1);
	auth_guard_free(k->guard);
	k->guard = NULL;
}
