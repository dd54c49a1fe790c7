/* cron: parsing (ranges, steps, lists) and the next due time, in WIB. */
#include "gateway/rules/cron.h"
#include "tests/testlib.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#define at test_local_time

static const char *
show(long long t)
{
	static char buf[32];
	time_t tt = (time_t)t;
	struct tm tm;

	if (t < 0)
		return "never";
	localtime_r(&tt, &tm);
	strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M", &tm);
	return buf;
}

static void
next_is(const char *expr, const char *after, const char *want)
{
	struct cron c;
	char err[128];

	CHECK(cron_parse(expr, &c, err, sizeof(err)) == 0, "%s: %s", expr, err);
	CHECK_STR(show(cron_next(&c, at(after))), want);
}

static void
bad(const char *expr, const char *why)
{
	struct cron c;
	char err[128] = "";

	CHECK(cron_parse(expr, &c, err, sizeof(err)) == -1, "%s accepted", expr);
	CHECK(strstr(err, why) != NULL, "%s: '%s' lacks '%s'", expr, err, why);
}

int
main(void)
{
	setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	/* the monthly report reminder: 08:00 on the 1st */
	next_is("0 8 1 * *", "2026-11-28 17:00", "2026-12-01 08:00");
	next_is("0 8 1 * *", "2026-12-01 07:59", "2026-12-01 08:00");
	next_is("0 8 1 * *", "2026-12-01 08:00", "2027-01-01 08:00");
	next_is("0 8 1 * *", "2026-12-31 23:59", "2027-01-01 08:00");
	/* daily 17:00, every 15 minutes, ranges and lists */
	next_is("0 17 * * *", "2026-11-28 16:59", "2026-11-28 17:00");
	next_is("0 17 * * *", "2026-11-28 17:00", "2026-11-29 17:00");
	next_is("*/15 * * * *", "2026-11-28 10:07", "2026-11-28 10:15");
	next_is("*/15 * * * *", "2026-11-28 10:59", "2026-11-28 11:00");
	next_is("5/20 9-10 * * *", "2026-11-28 09:26", "2026-11-28 09:45");
	next_is("0 9,13,16 * * *", "2026-11-28 13:00", "2026-11-28 16:00");
	next_is("30 7 * * 1-5", "2026-11-28 08:00", "2026-11-30 07:30");
	next_is("0 8 * * 7", "2026-11-28 08:00", "2026-11-29 08:00");
	next_is("0 8 * * 0", "2026-11-28 08:00", "2026-11-29 08:00");
	/* both day fields: either one, as in cron */
	next_is("0 8 15 * 1", "2026-11-28 09:00", "2026-11-30 08:00");
	next_is("0 8 29 2 *", "2026-03-01 00:00", "2028-02-29 08:00");
	next_is("0 0 31 * *", "2026-11-01 00:00", "2026-12-31 00:00");
	next_is("0 0 30 2 *", "2026-01-01 00:00", "never");
	next_is("59 23 31 12 *", "2026-12-31 23:58", "2026-12-31 23:59");
	bad("0 8 1 *", "five fields");
	bad("60 8 1 * *", "outside 0-59");
	bad("0 24 * * *", "hour");
	bad("0 8 0 * *", "day of month");
	bad("0 8 * 13 *", "month");
	bad("0 8 * * 8", "day of week");
	bad("a 8 * * *", "cannot read");
	bad("*/0 8 * * *", "cannot read");
	bad("5-1 8 * * *", "outside");
	bad("0 8 1,,2 * *", "cannot read");
	return test_summary("unit-cron");
}
