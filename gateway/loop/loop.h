/*
 * loop: what a stage may ask of the event loop. The clock (read at the
 * edge, so a test can set it) and wake-ups of the stages; nothing else.
 * The daemon implements it over its evtimers (loop.c); the unit tests
 * link a stub instead (tests/unit/loop_stub.c), so a stage never names
 * libevent, the daemon or another stage's timer.
 */
#ifndef KENTONGAN_LOOP_H
#define KENTONGAN_LOOP_H

#include <time.h>

struct gateway;

/* Work the loop runs on its next turn, or later (gateway_wake). */
enum gw_work {
	WORK_PROCESS = 1 << 0,	/* process_run: stored messages */
	WORK_OUTBOUND = 1 << 1,	/* outbound_run: the outbox */
	WORK_STOP = 1 << 2,	/* stopping: stop the modems that are idle */
	WORK_INBOUND = 1 << 3,	/* inbound_flush: SMS read, not yet stored */
	WORK_SCHEDULER = 1 << 4,	/* scheduler_run: reminders, the digest */
	WORK_USSD = 1 << 5,	/* USSD answers waiting for their write */
};

/* Seconds since the epoch, as the gateway sees them (a test may start the
 * clock elsewhere: run --now). */
time_t gw_now(struct gateway *);

/* Run each work in the mask after after_s seconds (0: on the next turn of
 * the loop, never inside the caller). An earlier wake-up already pending
 * wins over a later one. */
void gateway_wake(struct gateway *, unsigned work, double after_s);

/*
 * Another process (the office's CLI) holds the store's write lock: run
 * work again in a few milliseconds, and again until the write goes
 * through. The loop's writes wait only a moment for the lock (a few ms of
 * busy timeout) and never longer: what they would have written stays in
 * memory (the SMS on the modem too) until then.
 */
void gateway_retry(struct gateway *, unsigned work);

#endif
