/*
 * intake: intake first. While a bearer hands us a flood of MO, what we
 * do with them (parse, answer) and what we send waits for a pause, a
 * bounded time at most. An MO unacknowledged is what an SMSC or smsbox
 * retries; an answer can come a few seconds later. On a small box the
 * gateway, smsbox and bearerbox share the cores: each reply is a sendsms
 * call and two delivery reports that smsbox would make instead of
 * handing us the next MO. Pure: the caller keeps the state and the clock.
 */
#ifndef KENTONGAN_INTAKE_H
#define KENTONGAN_INTAKE_H

/* A flood: an MO within this many seconds. */
#define INTAKE_QUIET	0.25
/* The longest anything waits for a flood to pause: after that, a flood
 * gets its answers alongside. */
#define INTAKE_HOLD_MAX	10.0

struct intake {
	double mo_at;		/* monotonic: the last MO; 0: none yet */
	double held_since;	/* holding since; 0: not holding */
};

/* An MO came at t. */
void intake_mo(struct intake *, double t);

/* Whether work waits for the flood at t to pause; *wait then gets how
 * long before it may have. */
int intake_holds(struct intake *, double t, double *wait);

#endif
