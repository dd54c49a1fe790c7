#include "gateway/util/clock.h"

#include <stdio.h>
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

/* Read 1 to max digits at *p into *v; the count read, 0 if none. */
static int
digits(const char **p, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (n < max && **p >= '0' && **p <= '9') {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n;
}

int
clock_parse_office_date(const char *s, long long *day_start, char *err,
    size_t errlen)
{
	struct tm tm;
	struct pdate d;

	/* the parser's reading, so every command and import takes the same
	 * forms an office types */
	if (s == NULL || parse_office_date(s, &d) != 0 || d.year < 1970) {
		snprintf(err, errlen, "'%s' is not a date: write "
		    OFFICE_DATE_FORMS " (e.g. 2026-12-15 or 15/12/2026)",
		    s ? s : "");
		return -1;
	}
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.year - 1900;
	tm.tm_mon = d.month - 1;
	tm.tm_mday = d.day;
	*day_start = midnight(&tm);
	return 0;
}

int
clock_parse_office_time(const char *s, long long *t, char *err,
    size_t errlen)
{
	const char *sep = s ? strpbrk(s, "T ") : NULL, *p;
	char date[16];
	struct tm tm;
	time_t tt;
	int hh, mm;

	if (sep == NULL || (size_t)(sep - s) >= sizeof(date))
		goto bad;
	memcpy(date, s, (size_t)(sep - s));
	date[sep - s] = '\0';
	p = sep + 1;
	if (digits(&p, 2, &hh) == 0 || *p++ != ':' ||
	    digits(&p, 2, &mm) != 2 || *p != '\0' || hh > 23 || mm > 59)
		goto bad;
	if (clock_parse_office_date(date, t, err, errlen) != 0)
		goto bad;
	/* through mktime, not + hh * 3600: a DST change that day */
	tt = (time_t)*t;
	localtime_r(&tt, &tm);
	tm.tm_hour = hh;
	tm.tm_min = mm;
	tm.tm_isdst = -1;
	*t = (long long)mktime(&tm);
	return 0;
bad:
	snprintf(err, errlen, "'%s' is not a time: write " OFFICE_TIME_FORMS
	    " (e.g. 2026-12-15T19:30 or \"15/12/2026 19:30\")", s ? s : "");
	return -1;
}

void
clock_iso_date(long long t, char *out, size_t cap)
{
	struct pdate p = clock_pdate(t);

	snprintf(out, cap, "%04d-%02d-%02d", p.year, p.month, p.day);
}
