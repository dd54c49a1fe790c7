/*
 * gateway: the daemon's shared state. One event loop (main thread) owns all
 * of it; modem workers are separate processes reached through modem.c.
 */
#ifndef KENTONGAN_GATEWAY_H
#define KENTONGAN_GATEWAY_H

#include <sys/types.h>
#include <time.h>

#include "config/config.h"
#include "store/store.h"

struct event_base;
struct event;
struct bufferevent;

enum modem_state { MODEM_STARTING, MODEM_UP, MODEM_DOWN };

#define INBOUND_BATCH	256
#define INBOUND_DELAY_MS 3	/* SMS a worker streams are committed together */

/* One SMS received from a worker, waiting for the batch commit. */
struct pending_sms {
	int folder, location;
	char number_raw[64];
	long long smsc_time;
	char coding[8];
	char *text;
	size_t text_len;
	int ref, total, seq, is_report, report_ref, report_status, is_binary;
	unsigned read_id;	/* the worker's read, echoed in CMD_DELETE */
};

struct modem {
	struct gateway *gw;
	const struct modem_config *conf;
	const char *name;		/* the config section */
	pid_t pid;
	struct bufferevent *bev;
	struct event *restart_ev;
	struct event *flush_ev;		/* commits the inbound batch */
	enum modem_state state;
	time_t state_since;
	int backoff;			/* seconds before the next restart */
	long long sending;		/* outbox id in flight, 0 if idle */
	double next_send_at;		/* per-modem rate limit, monotonic s */
	int sending_tries;
	char last_error[256];
	char manufacturer[64], model[64], imei[32], network[16];
	int signal;
	struct pending_sms batch[INBOUND_BATCH];
	int nbatch;
	/* the AT modem path (docs/modems.md) */
	int op;				/* enum op (route.h) of the SIM */
	long long paused_until;		/* a local error stops sends until */
	struct event *tick_ev;		/* status row, credit schedule */
	long long next_status_at, next_balance_at;
	int ussd_pending;
	int sending_resume;		/* parts of m->sending already out */
	/* deletes and sends whose commit is not on disk yet, in order */
	struct held_frame *held, **held_tail;
};

struct gateway {
	struct event_base *base;
	struct config *conf;
	struct store *store;
	char self_exe[1024];
	int nmodems;
	struct modem modems[CONFIG_MAX_MODEMS];
	struct event *process_ev;	/* process stored messages */
	struct event *outbound_ev;	/* send what is due */
	struct event *housekeeping_ev;	/* periodic: expire parts, retries */
	int stopping;
	struct http_state *http;	/* the USSD and admin listeners */
	struct ussd_sessions *ussd_sessions;	/* written a second later */
	struct event *scheduler_ev;	/* reminders and the digest */
	long long clock_offset;		/* a test's fake start time (--now) */
	struct event *durable_ev;	/* the store synced: release frames */
	int sync_error;			/* errno of the last failed sync */
	int exit_code;			/* of `run`: 1 after a failed sync */
};

/* The clock, read at the edge: everything below takes now from here. */
time_t gw_now(struct gateway *);
/* daemon.c: while stopping, stop each modem once its send has ended. */
void gateway_stop_idle(struct gateway *);

/* modem.c */
int modem_start(struct modem *);
void modem_stop(struct modem *);
/* the read_id the worker gave the SMS: a later read of it supersedes */
void modem_delete(struct modem *, int folder, int location, unsigned read_id);
/* The store synced: post each modem's frames whose commit is on disk. */
void modem_release_durable(struct gateway *);
/* 1 when the modem's send in flight still waits for its commit to be on
 * disk: it never reached the worker, so stopping need not wait for it. */
int modem_send_held(const struct modem *);

/* inbound.c: commit a modem's batch, then delete what was stored */
void inbound_flush(struct modem *);
/* process.c: parse and answer stored messages, a bounded batch per call */
void process_schedule(struct gateway *);
void process_run(struct gateway *);
/* outbound.c */
void outbound_schedule(struct gateway *, int seconds);
void outbound_run(struct gateway *);
void outbound_recover(struct gateway *);
/* the AT modem path: a part accepted, a send's class, status reports */
void outbound_part(struct modem *, long long id, int seq, int total, int ref,
    int mr);
void outbound_result(struct modem *, long long id, int ok, int parts,
    const char *error, int code, int cls);
/* process.c calls this for a status report; returns the note to keep on
 * the message, or NULL on a store error (the batch is rolled back). */
const char *outbound_status_report(struct gateway *, const struct message *);
/* modem.c: the modem may take a send now (up, not paused) */
int modem_healthy(const struct modem *, long long now);
void modem_write_status(struct modem *);
/* CMD_SEND resuming a long SMS after `done` parts with reference ref;
 * -1 when the text cannot be framed, -2 out of memory */
int modem_send_parts(struct modem *, long long id, const char *number,
    const char *text, int ref, int done);
void modem_ussd(struct modem *, const char *code);

/* http.c: the USSD endpoint and the admin listener, on the same loop */
int http_start(struct gateway *);
void http_stop(struct gateway *);
/* Answer the USSD requests whose ticket is now on disk. */
void http_release_durable(struct gateway *);

#endif
