/*
 * What the Kannel bearer's two halves share: kannel_listen.c (what
 * smsbox calls: MO and delivery reports) and kannel_send.c (what we
 * call: sendsms, the rate, the probe while smsbox does not answer).
 */
#ifndef KENTONGAN_KANNEL_INT_H
#define KENTONGAN_KANNEL_INT_H

#include "config/config.h"

#include <event2/event.h>

struct evhttp;
struct evhttp_request;
struct evhttp_connection;
struct evhttp_uri;
struct evdns_base;
struct auth_guard;
struct gateway;

/* A request of smsbox's (an MO, a delivery report) whose 200 waits for
 * its commit to be on disk. */
struct parked_req {
	struct parked_req *next;
	struct evhttp_request *req;
	unsigned long commit;
};

struct call;
struct pending;

/* Calls to sendsms held or waiting for their answer; more wait in the
 * outbox. Each waiting one has a connection of its own: libevent sends a
 * connection's next request only once the last is answered, and smsbox
 * takes 10-16 ms to answer a sendsms however many it has (Kannel alone:
 * 63 calls/s on one connection, 2,125 on 32; docs/kannel.md). */
#define KANNEL_INFLIGHT	64
/* Calls whose rows are marked 'sending' ahead of a free connection: an
 * answer makes the next call at once, instead of after a dispatch round
 * and a sync of its own (a few ms on each 10-16 ms call). A crash leaves
 * them 'sending', retried and marked at the start, like a held call. */
#define KANNEL_AHEAD	KANNEL_INFLIGHT
/* Connections being opened at once. smsbox listens with a backlog of 10
 * (gwlib's make_server_socket): 64 connects at once overflowed it, the
 * kernel dropped the SYNs beyond it, and those links came up only when
 * their SYN was sent again a second later, so a broadcast's first second
 * went on 11 links at 400-1,300 SMS/s (ss; TcpExtListenOverflows). */
#define KANNEL_OPENING	8

/* A link's socket: none, connecting (NODELAY set), or known to be up
 * (an answer came through it). */
enum link_state { LINK_CLOSED, LINK_MADE, LINK_UP };


struct kannel {
	struct gateway *gw;
	const struct kannel_config *conf;
	/* listening */
	struct evhttp *http;
	struct auth_guard *guard;
	struct parked_req *parked, **parked_tail;
	struct pending *pending, **pending_tail;	/* for one transaction */
	struct event *flush_ev;
	unsigned long mo, mo_again, dlr, dlr_unknown;	/* since start */
	/* sending */
	struct evdns_base *dns;
	struct evhttp_connection *conn;	/* links[0]: the probe's */
	struct evhttp_connection *links[KANNEL_INFLIGHT];	/* kept open */
	struct call *on_link[KANNEL_INFLIGHT];	/* NULL: idle */
	enum link_state link_state[KANNEL_INFLIGHT];
	int opening;			/* calls on links not up yet */
	struct evhttp_uri *sendsms;	/* sendsms_url, parsed */
	char dlr_base[512];		/* the dlr-url up to id=: a secret of 127 characters, each %XX, fits */
	/* a sendsms call's parts that do not change, URL-encoded once
	 * (kannel_send.c: sendsms_uri) */
	char *uri_head;			/* path?username=..&password=.. */
	char *uri_from;			/* &from=..&smsc=.., or "" */
	char *uri_dlr, *uri_status;	/* the dlr-url before its id, after */
	char *text, *text_enc;		/* the last text and its encoding */
	int inflight;			/* calls held or waiting */
	int busy;			/* links with a call */
	double tokens, tokens_at;	/* the rate: a bucket of sends */
	double last_sent;		/* monotonic: routing's LRU */
	long long paused_until;		/* after an authentication failure */
	char last_error[256];
	int down;			/* the last call had no answer */
	long long since;		/* of up or down */
	struct event *status_ev;	/* the status row, every STATUS_EVERY */
	struct event *probe_ev;		/* while down */
	struct event *record_ev;	/* while results wait for the store */
	unsigned long accepted, failed;	/* since start */
	struct call *calls;		/* waiting for their answer */
	struct call *held, **held_tail;	/* waiting for 'sending' on disk */
	struct call *unrecorded, **unrecorded_tail;	/* answered; the store was busy */
	struct call *dispatching;	/* inside evhttp_make_request */
	int answered_at_once;		/* ... and on_answer ran for it */
};

/* kannel_listen.c */
int kannel_listen_start(struct kannel *, int slot);
void kannel_listen_stop(struct kannel *);
void kannel_release_parked(struct kannel *, unsigned long durable);

/* kannel_send.c */
int kannel_sender_start(struct kannel *);
void kannel_sender_stop(struct kannel *);
void kannel_release_held(struct kannel *, unsigned long durable);
/* The answers smsbox gave, written in the caller's transaction (0, or
 * -1: roll back), then freed once it committed, or kept for a second. */
int kannel_write_answers(struct kannel *);
void kannel_answers_written(struct kannel *);
void kannel_answers_later(struct kannel *);

#endif
