/* loop: the clock and the stages' wake-ups, over the daemon's evtimers. */
#include "gateway/loop/loop.h"
#include "gateway/loop/gateway.h"
#include "gateway/util/clock.h"

#include <event2/event.h>

#include <time.h>

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
	if ((work & WORK_PROCESS) && gw->process_ev != NULL)
		event_active(gw->process_ev, 0, 0);
	if (work & WORK_OUTBOUND)
		wake_one(gw->outbound_ev, &gw->outbound_due, after_s);
	if (work & WORK_STOP)
		wake_one(gw->stop_ev, &gw->stop_due, 0);
}
