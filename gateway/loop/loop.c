/* loop: the clock and the stages' wake-ups, over the daemon's evtimers. */
#include "gateway/loop/loop.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/clock.h"
#include "gateway/util/log.h"

#include <event2/event.h>

#include <time.h>

/* Pauses between tries while another process holds the store's lock: the
 * first short (a CLI import leaves gaps between its batches), then at
 * most BUSY_PAUSE_MAX, so a lock held for minutes costs the loop one
 * busy timeout (LOOP_BUSY_MS, daemon.c) per pause, about a tenth of it. */
#define BUSY_PAUSE_FIRST	0.005
#define BUSY_PAUSE_MAX		0.02
#define BUSY_LOG_AFTER		1.0	/* seconds: a CLI batch is not news */

time_t
gw_now(struct gateway *gw)
{
	return time(NULL) + (time_t)gw->clock_offset;
}

/* Arm ev in after_s unless it is pending for earlier; *due keeps when. */
static void
wake_one(struct event *ev, double *due, double after_s)
{
	struct timeval tv;
	double at = clock_mono() + after_s;

	if (ev == NULL)
		return;
	if (evtimer_pending(ev, NULL) && *due <= at)
		return;
	tv.tv_sec = (time_t)after_s;
	tv.tv_usec = (long)((after_s - (double)tv.tv_sec) * 1e6);
	evtimer_add(ev, &tv);
	*due = at;
}

void
gateway_wake(struct gateway *gw, unsigned work, double after_s)
{
	if (after_s < 0)
		after_s = 0;
	/* Processing runs after what the modems read is stored: its event
	 * has the lowest priority (daemon.c), activated, not timed. */
	if ((work & WORK_PROCESS) && gw->process_ev != NULL) {
		if (after_s > 0 && gw->process_later_ev != NULL)
			wake_one(gw->process_later_ev, &gw->process_due,
			    after_s);
		else
			event_active(gw->process_ev, 0, 0);
	}
	if (work & WORK_OUTBOUND)
		wake_one(gw->outbound_ev, &gw->outbound_due, after_s);
	if (work & WORK_STOP)
		wake_one(gw->stop_ev, &gw->stop_due, 0);
}

void
gateway_retry(struct gateway *gw, unsigned work)
{
	double now = clock_mono(), after;

	gw->retry_work |= work;
	if (gw->busy_since == 0) {
		gw->busy_since = now;
		gw->retry_delay = BUSY_PAUSE_FIRST;
	} else if (!gw->busy_logged && now - gw->busy_since > BUSY_LOG_AFTER) {
		log_warnx("the database has been locked by another process "
		    "for %.1f s (a long CLI command?): the gateway keeps what "
		    "it must write and retries", now - gw->busy_since);
		gw->busy_logged = 1;
	}
	if (gw->retry_ev == NULL || evtimer_pending(gw->retry_ev, NULL))
		return;
	after = gw->retry_delay;
	gw->retry_delay = after * 2 > BUSY_PAUSE_MAX ? BUSY_PAUSE_MAX :
	    after * 2;
	wake_one(gw->retry_ev, &gw->retry_due, after);
}
