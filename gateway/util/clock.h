/*
 * clock: the few readings of time every part of the gateway needs, in one
 * place: a monotonic clock for intervals, and calendar days and dates in
 * the configured zone (TZ is set from the config before any of these run).
 * Pure apart from reading the clock and the zone.
 */
#ifndef KENTONGAN_CLOCK_H
#define KENTONGAN_CLOCK_H

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

#endif
