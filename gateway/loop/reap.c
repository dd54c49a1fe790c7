/* reap: SIGTERM, then waitpid(WNOHANG) on a timer, SIGKILL after a grace. */
#include "gateway/loop/reap.h"
#include "gateway/util/log.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>

/* 1 when slot r is done with: reaped, or not our child. */
static int
reap_one(struct reaping *r, double now)
{
	pid_t got = waitpid(r->pid, NULL, WNOHANG);

	if (got == r->pid || (got < 0 && errno == ECHILD))
		return 1;
	if (!r->killed && now >= r->kill_at) {
		log_warnx("modem worker %d did not stop in time: SIGKILL",
		    (int)r->pid);
		kill(r->pid, SIGKILL);
		r->killed = 1;
	}
	return 0;
}

int
reap_poll(struct reaping *r, int n, double now)
{
	int i, left = 0;

	for (i = 0; i < n; i++) {
		if (r[i].pid <= 0)
			continue;
		if (reap_one(&r[i], now))
			memset(&r[i], 0, sizeof(r[i]));
		else
			left++;
	}
	return left;
}

void
reap_add(struct reaping *r, int n, pid_t pid, double now, double grace)
{
	int i, free_slot = -1, oldest = 0;

	if (pid <= 0)
		return;
	kill(pid, SIGTERM);
	for (i = 0; i < n; i++) {
		if (r[i].pid <= 0 && free_slot < 0)
			free_slot = i;
		if (r[i].pid > 0 && r[i].kill_at < r[oldest].kill_at)
			oldest = i;
	}
	if (free_slot < 0) {
		/* Several workers stuck at once: the oldest is killed now
		 * and left to init if even that does not end it. */
		kill(r[oldest].pid, SIGKILL);
		waitpid(r[oldest].pid, NULL, WNOHANG);
		free_slot = oldest;
	}
	r[free_slot].pid = pid;
	r[free_slot].kill_at = now + grace;
	r[free_slot].killed = 0;
	reap_poll(r, n, now);
}
