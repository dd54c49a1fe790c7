/*
 * store: the outbox, its sends, parts, delivery reports and the bearers'
 * rows (store_outbox.c, store_modems.c). Included by store.h: callers
 * include store.h.
 */
#ifndef KENTONGAN_STORE_OUTBOX_H
#define KENTONGAN_STORE_OUTBOX_H

struct store;

/* ---- outbox -------------------------------------------------------- */


/* Queue an SMS. message_id is the inbound message it answers (0 if none);
 * a message gets at most one reply, so a second queue of one is a no-op
 * returning 0. Returns 1 queued, 0 already queued, -1 error. */
int store_outbox_add(struct store *, const char *number, const char *text,
    const char *purpose, long long message_id, long long now, long long *id);
int store_outbox_sending(struct store *, long long id, const char *modem,
    long long now);
int store_outbox_sent(struct store *, long long id, int parts, long long now);
/* A failed try: retry at next_at, or dead when next_at is 0. */
int store_outbox_failed(struct store *, long long id, const char *error,
    long long next_at, long long now);
/* At start-up: rows left in "sending" by a crash are retried (each time
 * marked: they may have left), up to max times. Returns how many were
 * requeued; *dead gets how many had been interrupted too often. */
int store_outbox_recover(struct store *, long long now, int max, int *dead);
/* Earliest next_at of a queued or failed row, or 0 when none. */
long long store_outbox_next_due(struct store *);
/* Record the reply to message_id that is not sent, with the reason
 * (state withheld; at most one reply per message, as store_outbox_add).
 * Returns 0 or -1. */
int store_outbox_withhold(struct store *, const char *number,
    const char *text, long long message_id, const char *reason,
    long long now);
/* Automatic replies queued to number since the given time (withheld ones
 * not counted). */
int store_replies_since(struct store *, const char *number, long long since);

/* ---- routing, parts, reports, modems, credit ------------------------- */

/* A due outbox row as the dispatcher sees it (no text). */
struct outbox_due {
	long long id;
	char number[NUMBER_MAX];
	int tries;
	char purpose[16];
	char modem[32];		/* the modem of the last try, "" if none */
	int parts_sent;		/* parts of a long SMS already accepted */
	int crash_retries;
};

/* Up to max due rows, best first (final failures excluded). Returns how
 * many, or -1. */
int store_outbox_due(struct store *, long long now, struct outbox_due *,
    int max);
/* The text of a row, its concatenation reference (-1 if none yet) and the
 * parts already sent. *text is malloc'd. */
int store_outbox_text(struct store *, long long id, char **text, int *ref,
    int *parts_sent);
/* Forget the parts of an earlier try (a long SMS resent in full). */
int store_outbox_restart(struct store *, long long id);
/* One part accepted by the modem, with the MR a status report will carry. */
int store_outbox_part(struct store *, long long id, int seq, int total,
    int ref, const char *modem, int mr, long long now);
/* The end of a failed try, by class: see gateway/cms_errors.h. */
int store_outbox_permanent(struct store *, long long id, const char *error,
    long long now);
int store_outbox_local(struct store *, long long id, const char *error,
    long long next_at, long long now);
int store_outbox_uncertain(struct store *, long long id, const char *error,
    long long next_at, int max);
int store_outbox_set_class(struct store *, long long id, const char *cls);

/* Kannel took row id (HTTP 202) as parts SMS: sending -> accepted. */
int store_outbox_accepted(struct store *, long long id, int parts,
    long long now);

/* What a Kannel delivery report did to its row. */
enum dlr_result {
	DLR_ERROR = -1,
	DLR_MOVED,		/* the row moved forward */
	DLR_KEPT,		/* it was already there or past it */
	DLR_UNKNOWN,		/* no such row sent by that bearer */
	DLR_IGNORED		/* a report that says nothing new (4) */
};

/* Apply Kannel's dlr-mask bit (%d: 1 delivered, 2 failed, 4 buffered,
 * 8 SMSC accepted, 16 SMSC rejected) to row id sent by bearer. */
enum dlr_result store_outbox_dlr(struct store *, long long id,
    const char *bearer, int bit, long long now);

/* What a status report (message_id, is_report) matched. */
struct report_match {
	long long outbox_id;	/* 0 when nothing matched */
	int seq, mr, status;
	char modem[32];
	char state[16];		/* the outbox row's state afterwards */
};

/* Match a stored status report to the part sent with its MR on its
 * modem; a final status settles the outbox row (delivered when every part
 * was, failed when one was not). Returns 1 matched, 0 not, -1 error. */
int store_report_apply(struct store *, long long message_id, long long now,
    struct report_match *);

/* A modem's state as the daemon last wrote it; `kentongan status`. */
struct modem_status {
	char name[32];
	char state[16];		/* starting, up, down, paused */
	long long since;
	int signal;		/* percent, -1 unknown */
	char network[16], op[16];
	char manufacturer[64], model[64], imei[32];
	char last_error[256];
	long long paused_until;
	char credit_text[192];
	long long credit;	/* -1 unknown */
	long long credit_at;
	int credit_low;
	long long updated_at;
	int sent_today, received_today;
	int failed_today;	/* failed tries and reports */
	int held;		/* rows sending or taken, not yet sent */
};

int store_modem_put(struct store *, const struct modem_status *);
/* Record a balance answer; *alarm is set to 1 when the credit has just gone
 * under threshold (once: it is set again only after it was back above). */
int store_modem_credit(struct store *, const char *name, const char *text,
    long long credit, long long threshold, long long now, int *alarm);
/* Every modem row; day_start counts "today". fn returns non-zero to stop. */
int store_modem_list(struct store *, long long day_start,
    int (*fn)(void *, const struct modem_status *), void *arg);
/* Queue depths: fn(name, count) for each outbox state and inbound queue. */
int store_queue_depths(struct store *,
    int (*fn)(void *, const char *name, long long n), void *arg);
/* Queue text to every coordinator who has not opted out; returns how many. */
int store_alarm_coordinators(struct store *, const char *text, long long now);

#endif
