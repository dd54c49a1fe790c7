/* gateway/util/clock: days and dates in the configured zone. */
#include "gateway/util/clock.h"
#include "tests/testlib.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Office dates: both forms, and what is refused with the forms named. */
static void
test_office_dates(void)
{
	static const struct {
		const char *typed, *iso;	/* iso NULL: refused */
	} cases[] = {
		{ "2026-12-15", "2026-12-15" },
		{ "15/12/2026", "2026-12-15" },
		{ "5/1/2027", "2027-01-05" },
		{ "05/01/2027", "2027-01-05" },
		{ "2026-1-5", "2026-01-05" },
		{ "29/2/2028", "2028-02-29" },
		{ "29/2/2027", NULL },
		{ "31/11/2026", NULL },
		{ "2026-13-01", NULL },
		{ "0/1/2026", NULL },
		{ "15/12/26", "2026-12-15" },	/* the parser's forms */
		{ "15.12.2026", "2026-12-15" },
		{ "12/15/2026", NULL },
		{ "2026-12-15x", NULL },
		{ " 15/12/2026 ", "2026-12-15" },	/* a cell's blanks */
		{ "15-12-2026", "2026-12-15" },
		{ "2026/12/15", NULL },
		{ "2026-12", NULL },
		{ "", NULL },
		{ "besok", NULL },
	};
	char err[128], iso[16];
	long long t;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = clock_parse_office_date(cases[i].typed, &t, err,
		    sizeof(err));

		if (cases[i].iso == NULL) {
			CHECK(rc == -1 && strstr(err, OFFICE_DATE_FORMS),
			    "'%s' refused naming the forms: %d %s",
			    cases[i].typed, rc, err);
			continue;
		}
		CHECK(rc == 0, "'%s': %s", cases[i].typed, err);
		clock_iso_date(t, iso, sizeof(iso));
		CHECK_STR(iso, cases[i].iso);
		CHECK(t == clock_day_start(t), "'%s' is a day's start",
		    cases[i].typed);
	}
	/* local midnight, not UTC: 15/12/2026 00:00 WIB */
	CHECK_INT(clock_parse_office_date("15/12/2026", &t, err, sizeof(err)),
	    0);
	CHECK(t == 1797267600LL, "WIB midnight %lld", t);
	CHECK_INT(clock_parse_office_date(NULL, &t, err, sizeof(err)), -1);
}

/* A time at the office: an office date, T or a space, HH:MM. */
static void
test_office_times(void)
{
	static const char *const good[] = { "2026-12-15T19:30",
	    "15/12/2026 19:30", "15/12/2026T19:30", "2026-12-15 19:30" };
	static const char *const bad[] = { "15/12/2026", "15/12/2026 24:00",
	    "15/12/2026 19:3", "15/12/2026 19:30x", "31/11/2026 10:00",
	    "2026-12-15T", "19:30", "" };
	char err[160];
	long long t;
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		CHECK(clock_parse_office_time(good[i], &t, err, sizeof(err))
		    == 0, "'%s': %s", good[i], err);
		CHECK(t == 1797267600LL + 19 * 3600 + 30 * 60, "'%s': %lld",
		    good[i], t);
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK(clock_parse_office_time(bad[i], &t, err, sizeof(err))
		    == -1 && strstr(err, OFFICE_TIME_FORMS), "'%s' refused: %s",
		    bad[i], err);
}

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
	test_office_dates();
	test_office_times();
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
