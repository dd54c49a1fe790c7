/* auth_guard: a source that keeps failing is refused for longer each time,
 * per source (an IPv6 /64 as one), told at most once a minute. */
#include "gateway/util/auth_guard.h"
#include "tests/testlib.h"

#include <stdio.h>
#include <string.h>

static struct auth_guard_line told[8];
static char told_src[8][64];
static int ntold;

static void
tell(void *arg, const struct auth_guard_line *l)
{
	(void)arg;
	if (ntold < 8) {
		told[ntold] = *l;
		snprintf(told_src[ntold], sizeof(told_src[ntold]), "%s",
		    l->source);
		told[ntold].source = told_src[ntold];
	}
	ntold++;
}

/* Fail from addr until it is refused; returns how many failures it took. */
static int
fail_until_refused(struct auth_guard *g, const char *addr, double now)
{
	int n = 0;

	while (auth_guard_check(g, addr, now) == 0 && n < 100) {
		auth_guard_failed(g, addr, now);
		n++;
	}
	return n;
}

static void
test_growing_refusal(void)
{
	struct auth_guard *g = auth_guard_new();
	double t = 1000, lock, want = 1;
	int i;

	CHECK_INT(fail_until_refused(g, "192.0.2.1", t), AUTH_GUARD_FREE);
	CHECK(auth_guard_check(g, "192.0.2.1", t) == 1, "1 s first");
	CHECK(auth_guard_check(g, "192.0.2.2", t) == 0, "per source");
	/* each failure after a refusal doubles it, up to the cap */
	for (i = 0; i < 10; i++) {
		t += auth_guard_check(g, "192.0.2.1", t);
		CHECK(auth_guard_check(g, "192.0.2.1", t) == 0, "free again");
		CHECK_INT(fail_until_refused(g, "192.0.2.1", t), 1);
		lock = auth_guard_check(g, "192.0.2.1", t);
		want = want * 2 < AUTH_GUARD_MAX_LOCK ? want * 2 :
		    AUTH_GUARD_MAX_LOCK;
		CHECK(lock == want, "try %d: %.0f s, want %.0f", i, lock, want);
	}
	/* the right secret, once allowed, forgets the failures */
	t += auth_guard_check(g, "192.0.2.1", t);
	auth_guard_passed(g, "192.0.2.1");
	CHECK_INT(fail_until_refused(g, "192.0.2.1", t), AUTH_GUARD_FREE);
	/* and so do fifteen quiet minutes */
	t += 3600;
	CHECK_INT(fail_until_refused(g, "192.0.2.1", t), AUTH_GUARD_FREE);
	auth_guard_free(g);
}

static void
test_ipv6_by_64(void)
{
	struct auth_guard *g = auth_guard_new();
	char a[64];
	int i;

	for (i = 1; i <= AUTH_GUARD_FREE; i++) {
		snprintf(a, sizeof(a), "2001:db8:1:2::%x", i * 77);
		auth_guard_failed(g, a, 10);
	}
	CHECK(auth_guard_check(g, "2001:db8:1:2:ffff::1", 10) > 0,
	    "the whole /64 is refused");
	CHECK(auth_guard_check(g, "2001:db8:1:3::1", 10) == 0, "not the next");
	CHECK(auth_guard_check(g, "::ffff:192.0.2.9", 10) == 0, "v4-mapped");
	auth_guard_free(g);
}

static void
test_told_once_a_minute(void)
{
	struct auth_guard *g = auth_guard_new();
	int i;

	auth_guard_failed(g, "192.0.2.7", 100);
	auth_guard_report(g, 100.5, 0, tell, NULL);
	CHECK_INT(ntold, 1);
	CHECK(told[0].failed == 1 && told[0].refused == 0 &&
	    !strcmp(told[0].source, "192.0.2.7"), "first line at once");
	for (i = 0; i < 50; i++)	/* as the listener does */
		if (auth_guard_check(g, "192.0.2.7", 101) == 0)
			auth_guard_failed(g, "192.0.2.7", 101);
	for (i = 0; i < 59; i++)
		auth_guard_report(g, 101 + i, 0, tell, NULL);
	CHECK_INT(ntold, 1);
	auth_guard_report(g, 160.5, 0, tell, NULL);
	CHECK_INT(ntold, 2);
	CHECK(told[1].failed == AUTH_GUARD_FREE - 1 && told[1].refused > 40 &&
	    told[1].locked_for == 0, "counts: %lu failed, %lu refused",
	    told[1].failed, told[1].refused);
	auth_guard_report(g, 300, 0, tell, NULL);
	CHECK_INT(ntold, 2);	/* nothing new, nothing said */
	auth_guard_failed(g, "192.0.2.7", 301);
	auth_guard_report(g, 301, 1, tell, NULL);
	CHECK_INT(ntold, 3);	/* at stop, what is left */
	auth_guard_free(g);
}

/* Any number of sources, the same memory; the newest are remembered. */
static void
test_bounded(void)
{
	struct auth_guard *g = auth_guard_new();
	char a[32];
	int i;

	for (i = 0; i < 100000; i++) {
		snprintf(a, sizeof(a), "10.%d.%d.%d", i >> 16, (i >> 8) & 255,
		    i & 255);
		auth_guard_failed(g, a, i);
	}
	CHECK_INT(fail_until_refused(g, "10.1.134.159", 100000),
	    AUTH_GUARD_FREE - 1);
	auth_guard_free(g);
	auth_guard_free(NULL);
}

int
main(void)
{
	test_growing_refusal();
	test_ipv6_by_64();
	test_told_once_a_minute();
	test_bounded();
	return test_summary("unit-auth-guard");
}
