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

/* One SMS received from a worker, waiting for the batch commit. */
struct pending_sms {
	int folder, location;
	char number_raw[64];
	long long smsc_time;
	char coding[8];
	char *text;
	size_t text_len;
	int ref, total, seq, is_report, report_ref, report_status, is_binary;
};

struct modem {
	struct gateway *gw;
	const struct modem_config *conf;
	const char *name;		/* the config section */
	pid_t pid;
	struct bufferevent *bev;
	struct event *restart_ev;
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
};

/* The clock, read at the edge: everything below takes now from here. */
time_t gw_now(struct gateway *);
/* daemon.c: while stopping, stop each modem once its send has ended. */
void gateway_stop_idle(struct gateway *);

/* modem.c */
int modem_start(struct modem *);
void modem_stop(struct modem *);
int modem_send(struct modem *, long long id, const char *number,
    const char *text);
void modem_delete(struct modem *, int folder, int location);

/* inbound.c: commit a modem's batch, then delete what was stored */
void inbound_flush(struct modem *);
/* process.c: parse and answer stored messages, a bounded batch per call */
void process_schedule(struct gateway *);
void process_run(struct gateway *);
/* outbound.c */
void outbound_schedule(struct gateway *, int seconds);
void outbound_run(struct gateway *);
void outbound_sent(struct modem *, long long id, int ok, int parts,
    const char *error, int code);
void outbound_recover(struct gateway *);
/* http.c: the USSD endpoint and the admin listener, on the same loop */
int http_start(struct gateway *);
void http_stop(struct gateway *);

#endif
