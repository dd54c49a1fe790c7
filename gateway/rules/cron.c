#include "gateway/rules/cron.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The range of each field, in order. */
static const struct { const char *name; int lo, hi; } fields[5] = {
	{ "minute", 0, 59 }, { "hour", 0, 23 }, { "day of month", 1, 31 },
	{ "month", 1, 12 }, { "day of week", 0, 7 },
};

/* Read a number at *p; -1 if none. */
static int
number(const char **p)
{
	int v = 0, n = 0;

	while (isdigit((unsigned char)**p) && n < 3) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n ? v : -1;
}

/* Parse one field ("*", "1-5", "*\/15", "1,15,30") into bits. */
static int
field(const char *s, int f, uint64_t *bits, int *any, char *err,
    size_t errlen)
{
	const char *p = s;
	int lo = fields[f].lo, hi = fields[f].hi;

	*bits = 0;
	*any = strcmp(s, "*") == 0;
	for (;;) {
		int a, b, step = 1, v;

		if (*p == '*') {
			a = lo;
			b = hi;
			p++;
		} else {
			if ((a = number(&p)) < 0)
				goto bad;
			b = a;
			if (*p == '-') {
				p++;
				if ((b = number(&p)) < 0)
					goto bad;
			}
		}
		if (*p == '/') {
			p++;
			if ((step = number(&p)) <= 0)
				goto bad;
			if (a == b && s[0] != '*')
				b = hi;	/* "5/15" means from 5 on */
		}
		if (a < lo || b > hi || a > b)
			goto range;
		for (v = a; v <= b; v += step)
			*bits |= 1ULL << v;
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p != '\0')
			goto bad;
		return 0;
	}
bad:
	snprintf(err, errlen, "cannot read the %s field '%s'", fields[f].name, s);
	return -1;
range:
	snprintf(err, errlen, "the %s field '%s' is outside %d-%d",
	    fields[f].name, s, lo, hi);
	return -1;
}

int
cron_parse(const char *expr, struct cron *c, char *err, size_t errlen)
{
	char buf[256], *tok[6], *save = NULL, *t;
	uint64_t bits[5];
	int n = 0, any[5], i;

	memset(c, 0, sizeof(*c));
	if (snprintf(buf, sizeof(buf), "%s", expr) >= (int)sizeof(buf)) {
		snprintf(err, errlen, "schedule too long");
		return -1;
	}
	for (t = strtok_r(buf, " \t", &save); t && n < 6;
	    t = strtok_r(NULL, " \t", &save))
		tok[n++] = t;
	if (n != 5) {
		snprintf(err, errlen, "a schedule has five fields (minute hour "
		    "day month weekday), not %d", n);
		return -1;
	}
	for (i = 0; i < 5; i++)
		if (field(tok[i], i, &bits[i], &any[i], err, errlen) != 0)
			return -1;
	c->minute = bits[0];
	c->hour = (uint32_t)bits[1];
	c->dom = (uint32_t)bits[2];
	c->month = (uint16_t)bits[3];
	/* 7 is Sunday too */
	c->dow = (uint8_t)((bits[4] | (bits[4] >> 7)) & 0x7f);
	c->dom_any = any[2];
	c->dow_any = any[4];
	return 0;
}

/* Whether the day of tm is a due day: as in cron, when both the day of
 * month and the weekday are restricted, either one will do. */
static int
day_matches(const struct cron *c, const struct tm *tm)
{
	int dom = (c->dom >> tm->tm_mday) & 1;
	int dow = (c->dow >> tm->tm_wday) & 1;

	if (!((c->month >> (tm->tm_mon + 1)) & 1))
		return 0;
	if (c->dom_any && c->dow_any)
		return 1;
	if (c->dom_any)
		return dow;
	if (c->dow_any)
		return dom;
	return dom || dow;
}

long long
cron_next(const struct cron *c, long long after)
{
	time_t t = (time_t)(after - after % 60 + 60);	/* the next minute */
	struct tm tm;
	int day, h, m;

	localtime_r(&t, &tm);
	for (day = 0; day < 366 * 8; day++) {
		struct tm d = tm;

		if (day > 0) {
			/* midnight of the next day, through mktime for DST */
			d.tm_mday += day;
			d.tm_hour = 0;
			d.tm_min = 0;
			d.tm_sec = 0;
			d.tm_isdst = -1;
			mktime(&d);
		}
		if (!day_matches(c, &d))
			continue;
		for (h = day ? 0 : d.tm_hour; h < 24; h++) {
			if (!((c->hour >> h) & 1))
				continue;
			for (m = (day == 0 && h == d.tm_hour) ? d.tm_min : 0;
			    m < 60; m++) {
				if ((c->minute >> m) & 1) {
					struct tm r = d;

					r.tm_hour = h;
					r.tm_min = m;
					r.tm_sec = 0;
					r.tm_isdst = -1;
					return (long long)mktime(&r);
				}
			}
		}
	}
	return -1;
}
