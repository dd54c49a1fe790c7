/*
 * reap: a worker told to stop is reaped without blocking the caller, and
 * one that ignores SIGTERM (as a process stuck on its device would) is
 * SIGKILLed after the grace. An alarm fails the test if a call blocks.
 */
#include "gateway/loop/reap.h"
#include "gateway/util/clock.h"
#include "tests/testlib.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static pid_t made[16];
static int nmade;

/* A child; stubborn ones ignore SIGTERM. It tells the parent it is ready
 * (its disposition set) through the pipe. */
static pid_t
child(int stubborn)
{
	int p[2];
	pid_t pid;
	char c;

	if (pipe(p) != 0)
		return -1;
	if ((pid = fork()) == 0) {
		if (stubborn)
			signal(SIGTERM, SIG_IGN);
		if (write(p[1], "x", 1) != 1)
			_exit(2);
		for (;;)
			pause();
	}
	close(p[1]);
	if (pid > 0 && nmade < 16)
		made[nmade++] = pid;
	if (read(p[0], &c, 1) != 1)
		pid = -1;
	close(p[0]);
	return pid;
}

/* Poll as the modem's tick does, until nothing is left or limit s pass. */
static int
poll_until(struct reaping *r, int n, double limit)
{
	double end = clock_mono() + limit;
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int left;

	while ((left = reap_poll(r, n, clock_mono())) > 0 && clock_mono() < end)
		nanosleep(&pause, NULL);
	return left;
}

static void
on_alarm(int sig)
{
	static const char msg[] = "FAIL test_reap: a call blocked\n"
	    "test_reap: 0 passed, 1 failed\n";
	int i;

	(void)sig;
	for (i = 0; i < nmade; i++)
		kill(made[i], SIGKILL);
	if (write(1, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

int
main(void)
{
	struct reaping r[REAP_MAX] = { { 0, 0, 0 } };
	double t0;
	pid_t pid, kids[REAP_MAX + 1];
	int i;

	signal(SIGALRM, on_alarm);
	alarm(10);

	/* one that stops when told: reaped within a tick or two */
	pid = child(0);
	CHECK(pid > 0, "fork");
	reap_add(r, REAP_MAX, pid, clock_mono(), 5.0);
	CHECK_INT(poll_until(r, REAP_MAX, 2.0), 0);
	CHECK(kill(pid, 0) != 0, "gone");

	/* one that ignores SIGTERM: never waited for, SIGKILLed at its time */
	pid = child(1);
	t0 = clock_mono();
	reap_add(r, REAP_MAX, pid, t0, 0.3);
	CHECK(clock_mono() - t0 < 0.1, "reap_add returns at once");
	t0 = clock_mono();
	CHECK_INT(reap_poll(r, REAP_MAX, clock_mono()), 1);
	CHECK(clock_mono() - t0 < 0.1, "reap_poll returns at once");
	CHECK_INT(r[0].killed, 0);
	CHECK_INT(poll_until(r, REAP_MAX, 0.1), 1);	/* before the grace */
	CHECK_INT(poll_until(r, REAP_MAX, 2.0), 0);
	CHECK(kill(pid, 0) != 0, "killed and reaped");

	/* more stubborn ones than slots: the oldest is killed to make room */
	for (i = 0; i <= REAP_MAX; i++) {
		kids[i] = child(1);
		reap_add(r, REAP_MAX, kids[i], clock_mono() + i, 60.0);
	}
	CHECK_INT(reap_poll(r, REAP_MAX, clock_mono()), REAP_MAX);
	for (i = 0; i < 100 && waitpid(kids[0], NULL, WNOHANG) == 0; i++)
		usleep(10000);
	CHECK(kill(kids[0], 0) != 0, "the oldest was killed");
	for (i = 1; i <= REAP_MAX; i++)
		kill(kids[i], SIGKILL);
	CHECK_INT(poll_until(r, REAP_MAX, 2.0), 0);
	return test_summary("test_reap");
}
