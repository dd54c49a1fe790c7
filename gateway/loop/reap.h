/*
 * reap: workers told to stop are reaped without blocking the loop. A
 * worker stuck in the kernel (a USB device that hangs) may take long to
 * die: it is polled with WNOHANG, and SIGKILLed after a grace.
 */
#ifndef KENTONGAN_REAP_H
#define KENTONGAN_REAP_H

#include <sys/types.h>

#define REAP_MAX	4	/* workers told to stop, not yet reaped */
#define REAP_GRACE	5.0	/* seconds from SIGTERM to SIGKILL */

struct reaping {
	pid_t pid;		/* 0: a free slot */
	double kill_at;		/* monotonic s */
	int killed;
};

/* Send pid SIGTERM and keep it in r (n slots) to be reaped; reaps it at
 * once if it is gone already. A full list SIGKILLs its oldest first. */
void reap_add(struct reaping *r, int n, pid_t pid, double now, double grace);
/* Reap what has exited; SIGKILL what outlived its grace. Never blocks.
 * Returns how many are still to be reaped. */
int reap_poll(struct reaping *r, int n, double now);

#endif
