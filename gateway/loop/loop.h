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
};

/* Seconds since the epoch, as the gateway sees them (a test may start the
 * clock elsewhere: run --now). */
time_t gw_now(struct gateway *);

/* Run each work in the mask after after_s seconds (0: on the next turn of
 * the loop, never inside the caller). An earlier wake-up already pending
 * wins over a later one. */
void gateway_wake(struct gateway *, unsigned work, double after_s);

#endif
