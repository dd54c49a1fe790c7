#include "gateway/util/clock.h"

#include <string.h>
#include <time.h>

double
clock_mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Midnight of tm's day, through mktime so a DST change is honoured. */
static long long
midnight(struct tm *tm)
{
	tm->tm_hour = tm->tm_min = tm->tm_sec = 0;
	tm->tm_isdst = -1;
	return (long long)mktime(tm);
}

long long
clock_day_start(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	return midnight(&tm);
}

long long
clock_month_start(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	localtime_r(&tt, &tm);
	tm.tm_mday = 1;
	return midnight(&tm);
}

struct pdate
clock_pdate(long long t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	struct pdate d;

	localtime_r(&tt, &tm);
	d.year = tm.tm_year + 1900;
	d.month = tm.tm_mon + 1;
	d.day = tm.tm_mday;
	return d;
}

int
clock_parse_local(const char *s, const char *fmt, int plus_days,
    long long *out)
{
	struct tm tm;
	char *end;

	memset(&tm, 0, sizeof(tm));
	if ((end = strptime(s, fmt, &tm)) == NULL || *end)
		return -1;
	tm.tm_mday += plus_days;
	tm.tm_isdst = -1;
	*out = (long long)mktime(&tm);
	return 0;
}
