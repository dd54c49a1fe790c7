/*
 * clock: the few readings of time every part of the gateway needs, in one
 * place: a monotonic clock for intervals, and calendar days and dates in
 * the configured zone (TZ is set from the config before any of these run).
 * Pure apart from reading the clock and the zone.
 */
#ifndef KENTONGAN_CLOCK_H
#define KENTONGAN_CLOCK_H

#include <stddef.h>

#include "parser/parser.h"

/* Seconds on the monotonic clock: for intervals, never for dates. */
double clock_mono(void);
/* Local midnight of the day that holds t. */
long long clock_day_start(long long t);
/* Local midnight of the first day of the month that holds t. */
long long clock_month_start(long long t);
/* The local calendar date of t, as the parser takes it. */
struct pdate clock_pdate(long long t);
/* A local time written as fmt (strptime: "%Y-%m-%d", "%Y-%m-%dT%H:%M"),
 * plus days, to Unix seconds; -1 when s is not exactly that. */
int clock_parse_local(const char *s, const char *fmt, int plus_days,
    long long *out);

/* The forms of a date people type at the office, for usage lines. */
#define OFFICE_DATE_FORMS	"YYYY-MM-DD or d/m/yyyy (also d-m-yyyy, d.m.yyyy, d/m/yy)"
/* A date typed at the office, YYYY-MM-DD or d/m/yyyy (15/12/2026), to the
 * local start of that day; -1 with why in err (naming the accepted forms)
 * when it is neither or no such day exists. */
int clock_parse_office_date(const char *s, long long *day_start, char *err,
    size_t errlen);
/* The forms of a time of day at the office: an office date, then T or a
 * space, then HH:MM (24 hours). */
#define OFFICE_TIME_FORMS	"YYYY-MM-DDTHH:MM or \"d/m/yyyy HH:MM\""
/* A local time typed at the office (OFFICE_TIME_FORMS) to Unix seconds;
 * -1 with why in err (naming the accepted forms). */
int clock_parse_office_time(const char *s, long long *t, char *err,
    size_t errlen);
/* The local date of t as YYYY-MM-DD: what the store keeps. */
void clock_iso_date(long long t, char *out, size_t cap);

#endif
