/*
 * kannel: a bearer through Kannel's smsbox (docs/kannel.md). Kannel
 * calls the gateway on a listener of the bearer's own: /kannel/mo for an
 * SMS received (answered 200 once it is stored on disk, so smsbox retries
 * until then), /kannel/dlr for a delivery report (moves a sent row
 * forward only).
 */
#ifndef KENTONGAN_KANNEL_H
#define KENTONGAN_KANNEL_H

struct gateway;

/* Start a listener for each [kannel] section; -1 after logging why. */
int kannel_start(struct gateway *);
/* Answer what is parked: 503 for what may not be on disk (smsbox asks
 * again, and the id makes it a no-op), then free. */
void kannel_stop(struct gateway *);
/* Answer the MO requests whose commit is now on disk. */
void kannel_release_durable(struct gateway *);

/* The bearers that may take a row to number now, as a bit mask, and
 * *wait lowered to when one with no send left this second has one. */
unsigned kannel_ready(struct gateway *, double t, double *wait);
/* Which of the bearers in mask takes a row to number; -1 if none. */
int kannel_pick(struct gateway *, unsigned mask, const char *number);
/* The section name of bearer i (what the outbox row keeps). */
const char *kannel_name(struct gateway *, int i);
/* Whether bearer i sends: smsbox answered its last call, not paused. */
int kannel_up(struct gateway *, int i);
/*
 * Send outbox row id (already committed as sending) through bearer i at
 * time t: an asynchronous sendsms call whose answer records the row
 * accepted, failed (retried) or dead. Uses one send of its rate.
 */
void kannel_send(struct gateway *, int i, long long id, int tries,
    const char *number, const char *text, double t);

#endif
