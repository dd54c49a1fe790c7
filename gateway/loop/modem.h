/*
 * modem: the loop's side of a modem worker process (modem.c): it starts
 * the worker, reads its frames and writes commands to it. It names no
 * stage: what it reads goes out through struct modem_events, which the
 * daemon wires to inbound and outbound; what the stages ask of it comes
 * in through struct modem_ops, which a unit test replaces with a fake.
 */
#ifndef KENTONGAN_MODEM_H
#define KENTONGAN_MODEM_H

#include <sys/types.h>
#include <time.h>

#include "config/config.h"
#include "gateway/loop/reap.h"

struct gateway;
struct event;
struct bufferevent;
struct held_frame;

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

#define UNRECORDED_MAX	16	/* a long SMS's parts and its end */

/* A part accepted, or a send's end, that the store was too busy to take
 * (outbound.c): written in order once it is free. */
struct send_note {
	long long id;
	int is_end;		/* else a part */
	int seq, total, ref, mr;	/* a part */
	int cls, parts;		/* an end: SEND_OK or its class */
	long long next_at;	/* an end: a retry's time, 0 dead */
	long long now;
	char error[256];
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
	/* routing, pauses and credit (docs/modems.md) */
	int op;				/* enum op (route.h) of the SIM */
	long long paused_until;		/* a local error stops sends until */
	struct event *tick_ev;		/* status row, credit, reaping */
	long long next_status_at, next_balance_at;
	int ussd_pending;
	int sending_resume;		/* parts of m->sending already out */
	/* deletes and sends whose commit is not on disk yet, in order */
	struct held_frame *held, **held_tail;
	struct reaping reap[REAP_MAX];
	/* waiting for the store; the modem takes no send meanwhile */
	struct send_note unrecorded[UNRECORDED_MAX];
	int nunrecorded;
};

/*
 * What the channel reports, each called from the loop while a worker's
 * frames are read (or when it is gone). A callback may use the modem's
 * ops, and must not stop a modem: that is for a later turn of the loop
 * (WORK_STOP), when no read of it is under way.
 */
struct modem_events {
	/* m->batch holds m->nbatch SMS to commit; the callback empties it */
	void (*sms_batch)(struct modem *);
	/* the modem came up: it may take sends */
	void (*up)(struct modem *);
	/* part seq of total of outbox id left with reference ref and MR mr */
	void (*part)(struct modem *, long long id, int seq, int total, int ref,
	    int mr);
	/* the send of outbox id ended (cls: enum send_class of cms_errors.h) */
	void (*result)(struct modem *, long long id, int ok, int parts,
	    const char *error, int code, int cls);
};

/* What a stage may ask of a modem. modem_channel is the real one. */
struct modem_ops {
	/* CMD_SEND resuming a long SMS after `done` parts with reference ref;
	 * sets m->sending. -1 when the text cannot be framed, -2 out of
	 * memory */
	int (*send_parts)(struct modem *, long long id, const char *number,
	    const char *text, int ref, int done);
	/* CMD_DELETE, once the commit that stored the SMS is on disk; the
	 * read_id the worker gave the SMS: a later read of it supersedes */
	void (*remove)(struct modem *, int folder, int location,
	    unsigned read_id);
	/* the modem's row for `kentongan status` */
	void (*write_status)(struct modem *);
};

extern const struct modem_ops modem_channel;

int modem_start(struct modem *);
void modem_stop(struct modem *);
/* The store synced: post each modem's frames whose commit is on disk. */
void modem_release_durable(struct gateway *);
/* 1 when the modem's send in flight still waits for its commit to be on
 * disk: it never reached the worker, so stopping need not wait for it. */
int modem_send_held(const struct modem *);
void modem_ussd(struct modem *, const char *code);
/* Stopping: wait for the workers told to stop, at most grace seconds,
 * then SIGKILL what is left (the loop is no longer running). */
void modem_reap_all(struct modem *, double grace);

/* The modem may take a send now (up, not paused). */
static inline int
modem_healthy(const struct modem *m, long long now)
{
	return m->state == MODEM_UP && m->paused_until <= now;
}

#endif
