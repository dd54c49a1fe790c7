/*
 * cron: the five-field schedule of a [reminder] (minute hour day-of-month
 * month day-of-week; *, lists, ranges and steps), and the next time it is
 * due, in the zone TZ names. Pure: the caller passes the time.
 */
#ifndef KENTONGAN_CRON_H
#define KENTONGAN_CRON_H

#include <stddef.h>
#include <stdint.h>

struct cron {
	uint64_t minute;	/* bit n: minute n */
	uint32_t hour, dom;	/* dom: bit n is day n (1..31) */
	uint16_t month;		/* bit n: month n (1..12) */
	uint8_t dow;		/* bit n: weekday n (0 Sunday .. 6; 7 is 0) */
	int dom_any, dow_any;	/* the field was "*" */
};

/* Parse expr; 0, or -1 with a reason in err. */
int cron_parse(const char *expr, struct cron *, char *err, size_t errlen);
/* The first due minute after `after` (Unix seconds, local time), or -1 if
 * none comes within eight years (e.g. 30 February). */
long long cron_next(const struct cron *, long long after);

#endif
