/*
 * gateway: the daemon's shared state. One event loop (main thread) owns all
 * of it; modem workers are separate processes reached through modem.c.
 * The stages (inbound, process, outbound, scheduler, the USSD handler) take
 * the clock and their wake-ups from loop.h, and reach a modem only through
 * gw->modem_ops: none of them calls the daemon or names libevent.
 */
#ifndef KENTONGAN_GATEWAY_H
#define KENTONGAN_GATEWAY_H

#include <sys/types.h>
#include <time.h>

#include "config/config.h"
#include "gateway/loop/kannel.h"
#include "gateway/loop/loop.h"
#include "gateway/loop/modem.h"
#include "gateway/rules/intake.h"
#include "store/store.h"

struct event_base;
struct event;
struct evhttp;
struct evhttp_request;
struct console;
struct kannel;
struct auth_guard;

struct gateway {
	struct event_base *base;
	struct config *conf;
	struct store *store;
	char self_exe[1024];
	int nmodems;
	struct modem modems[CONFIG_MAX_MODEMS];
	int nkannels;
	struct kannel *kannels[CONFIG_MAX_KANNELS];	/* kannel.c */
	const struct kannel_ops *kannel_ops;	/* what they ask of Kannel */
	const struct modem_ops *modem_ops;	/* what stages ask of a modem */
	const struct modem_events *modem_events;	/* what modems report */
	struct event *process_ev;	/* process stored messages */
	struct event *process_later_ev;	/* ... at a time (intake first) */
	double process_due;		/* when it fires, monotonic */
	struct intake intake;		/* a flood of MO: the rest waits */
	int hour_sent;			/* initiated SMS in the last hour, */
	double hour_read_at;		/* read then (monotonic; outbound.c) */
	struct event *outbound_ev;	/* send what is due */
	double outbound_due;		/* when outbound_ev fires, monotonic */
	struct event *stop_ev;		/* stopping: stop the idle modems */
	double stop_due;
	struct event *housekeeping_ev;	/* periodic: expire parts, retries */
	struct event *elsewhere_ev;	/* 4 a second: another's commits */
	int wake_fd;			/* a command wrote: look now */
	struct event *wake_ev;
	int stopping;
	struct http_state *http;	/* the USSD and admin listeners */
	struct console *console;	/* the web console */
	struct ussd_sessions *ussd_sessions;	/* written a second later */
	struct event *scheduler_ev;	/* reminders and the digest */
	struct backups *backups;	/* the daily copy ([backup]) */
	struct central_link *central;	/* the pusher ([central]) */
	struct event *ready_ev;		/* READY=1 once the loop runs */
	struct event *watchdog_ev;	/* WATCHDOG=1 while it runs */
	long long clock_offset;		/* a test's fake start time (--now) */
	struct event *durable_ev;	/* the store synced: release frames */
	int sync_error;			/* errno of the last failed sync */
	char intake_error[200];		/* why the last SMS could not be
					 * stored; "" once one was */
	int exit_code;			/* of `run`: 1 after a failed sync */
	struct event *retry_ev;		/* the store was busy: try again */
	unsigned retry_work;		/* what gateway_retry() was asked */
	double retry_delay;		/* the next pause, seconds */
	double retry_due;
	double busy_since;		/* monotonic; 0 when the store is free */
	int busy_logged;
};

/*
 * After a failed write: 1 when another process only held the store's
 * lock (work is retried soon, gateway_retry; nothing to alarm about), 0
 * for a real failure, which the caller reports.
 */
static inline int
retry_if_busy(struct gateway *gw, unsigned work)
{
	if (!store_last_was_busy(gw->store))
		return 0;
	gateway_retry(gw, work);
	return 1;
}

/* inbound.c: commit a modem's batch, then delete what was stored */
void inbound_flush(struct modem *);
/* A sender's class, and its number normalised into number. */
enum sender_class inbound_sender_class(const char *raw, char *number,
    size_t cap);
/* the batches a busy store left: flush them again */
void inbound_retry(struct gateway *);
/* process.c: parse and answer stored messages, a bounded batch per call */
void process_schedule(struct gateway *);
void process_run(struct gateway *);
/* outbound.c */
void outbound_schedule(struct gateway *, int seconds);
void outbound_run(struct gateway *);
void outbound_recover(struct gateway *);
/* Write the parts and send results a busy store made wait; -1 while it
 * is still busy (retried: gateway_retry). */
int outbound_record_pending(struct gateway *);
/* A transient failure's next try (send_retry_base doubling), or 0:
 * dead after send_max_tries. */
long long outbound_retry_at(const struct config *, int tries,
    long long now);
/* a part accepted, a send's end with its class (modem_events) */
void outbound_part(struct modem *, long long id, int seq, int total, int ref,
    int mr);
void outbound_result(struct modem *, long long id, int ok, int parts,
    const char *error, int code, int cls);
/* process.c calls this for a status report; returns the note to keep on
 * the message, or NULL on a store error (the batch is rolled back). */
const char *outbound_status_report(struct gateway *, const struct message *);

/* http.c: the USSD endpoint and the admin listener, on the same loop */
int http_start(struct gateway *);
void http_stop(struct gateway *);
/* Answer the USSD requests whose ticket is now on disk. */
void http_release_durable(struct gateway *);
/* Answer the USSD requests whose write found the store busy: again. */
void http_retry_busy(struct gateway *);
/* Bind an evhttp on host:port with the listeners' limits, pausing on
 * accept errors in its own slot (0 ussd, 1 admin, 2 console, then the
 * Kannel bearers); NULL after logging why. */
#define HTTP_SLOT_KANNEL	3
struct evhttp *http_listen(struct gateway *, const char *what,
    const char *hostport, int methods, size_t body_max, int slot);
/* 0 lets req through its allow list (a "" list allows all) and secret
 * (HTTP Basic, or ?key= when query_key); else req is answered (401, or
 * 429 while guard refuses its source) and that status is returned. */
int http_gate(struct evhttp_request *, const char *allow,
    const char *secret, int query_key, struct auth_guard *guard);
/* Log a guard's failed authentications not told yet, at most a line a
 * minute per source ("what: from ADDR: ..."); final: all that are left. */
void http_guard_report(struct auth_guard *, const char *what, int final);

#endif
