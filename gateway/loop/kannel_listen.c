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

/* Store one MO; its 200 goes when the commit is on disk. */
static void
serve_mo(struct kannel *k, struct evhttp_request *req, struct evkeyvalq *q)
{
	struct gateway *gw = k->gw;
	const char *id = param(q, "id"), *from = param(q, "from"),
	    *text = param(q, "text"), *t = param(q, "time");
	char number[NUMBER_MAX], esc[200];
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
	park(k, req);
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
	/* a 'delivered' lost in a power cut would leave the row
	 * 'accepted' for good */
	park(k, req);
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
	auth_guard_free(k->guard);
	k->guard = NULL;
}
