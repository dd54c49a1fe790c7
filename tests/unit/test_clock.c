/* gateway/util/clock: days and dates in the configured zone. */
#include "gateway/util/clock.h"
#include "tests/testlib.h"

#include <stdlib.h>
#include <time.h>

int
main(void)
{
	long long t, d;
	struct pdate p;
	double a, b;

	/* WIB is UTC+7 all year: 2026-11-14 00:30 WIB is 11-13 17:30 UTC. */
	setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	CHECK_INT(clock_parse_local("2026-11-14T00:30", "%Y-%m-%dT%H:%M", 0,
	    &t), 0);
	CHECK(t == 1794591000LL, "00:30 WIB: %lld", t);
	d = clock_day_start(t);
	CHECK(d == t - 30 * 60, "day start %lld", d);
	CHECK(clock_month_start(t) == d - 13 * 86400LL, "month start");
	p = clock_pdate(t);
	CHECK(p.year == 2026 && p.month == 11 && p.day == 14,
	    "local date %d-%d-%d", p.year, p.month, p.day);
	CHECK_INT(clock_parse_local("2026-11-30", "%Y-%m-%d", 1, &t), 0);
	p = clock_pdate(t);
	CHECK(p.month == 12 && p.day == 1, "plus a day across a month");
	CHECK_INT(clock_parse_local("2026-11-31x", "%Y-%m-%d", 0, &t), -1);
	CHECK_INT(clock_parse_local("14/11", "%Y-%m-%d", 0, &t), -1);
	/* The same instant is another day in another zone. */
	setenv("TZ", "UTC", 1);
	tzset();
	p = clock_pdate(1794591000LL);
	CHECK(p.day == 13, "UTC date of the same instant: %d", p.day);
	a = clock_mono();
	b = clock_mono();
	CHECK(b >= a && a > 0, "monotonic");
	return test_summary("unit-clock");
}
