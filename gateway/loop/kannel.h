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
struct route_bearer;

/* Start a listener for each [kannel] section; -1 after logging why. */
int kannel_start(struct gateway *);
/* Answer what is parked: 503 for what may not be on disk (smsbox asks
 * again, and the id makes it a no-op), then free. */
void kannel_stop(struct gateway *);
/* Answer the MO requests whose commit is now on disk. */
void kannel_release_durable(struct gateway *);

/* What the outbox and the admin pages ask of the Kannel bearers,
 * through gw->kannel_ops (NULL: none, as in the unit tests' loop), so
 * that they never call this file by name. */
struct kannel_ops {
	/* The bearers that may take a row now, as a bit mask, and *wait
	 * lowered to when one with no send left this second has one. */
	unsigned (*ready)(struct gateway *, double t, double *wait);
	/* How many rows bearer i, ready, takes at time t: its sends left
	 * this second, and its calls not yet in flight. */
	int (*room)(struct gateway *, int i, double t);
	/* Bearer i as the routing table sees it, and when it was last
	 * given a row (monotonic seconds): the least recently used of a
	 * set goes first. */
	void (*route)(struct gateway *, int i, struct route_bearer *,
	    double *last);
	/* The section name of bearer i (what the outbox row keeps). */
	const char *(*name)(struct gateway *, int i);
	/* Whether bearer i sends: smsbox answered its last call (or
	 * the probe made while it did not), not paused. */
	int (*up)(struct gateway *, int i);
	/* Send outbox row id (committed as sending) through bearer i at
	 * time t: an asynchronous sendsms call whose answer records the
	 * row accepted, failed (retried) or dead. Uses one send of its
	 * rate. */
	void (*send)(struct gateway *, int i, long long id, int tries,
	    const char *number, const char *text, double t);
};

extern const struct kannel_ops kannel_channel;

#endif
