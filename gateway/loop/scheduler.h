/*
 * scheduler: the reminders of the config and the coordinators' daily
 * digest, fired once per due time (the last firing is in the store), a
 * missed one only within the grace period, never a burst of old ones.
 */
#ifndef KENTONGAN_SCHEDULER_H
#define KENTONGAN_SCHEDULER_H

#include "gateway/rules/cron.h"
#include "store/store.h"

struct gateway;
struct config;
struct store;

/* Compile every reminder's schedule; the errors go to the config's list
 * (with file:line). Returns 0 when all are good. */
int scheduler_check(struct config *);

/* What becomes of a meeting's reminder at a given time. */
enum meeting_verdict { MEETING_NO_REMINDER, MEETING_NOT_DUE, MEETING_SEND,
	MEETING_MISSED };

/* Fire what is due; the daemon calls it every SCHEDULER_TICK seconds and
 * at start. */
#define SCHEDULER_TICK	20
void scheduler_run(struct gateway *);

/* The latest due time in (now - window, now], or -1. */
long long cron_latest(const struct cron *, long long now, long long window);

/* For `kentongan reminders`: a header row, then each reminder's next due
 * time, last firing and how many it would reach now (or its error), as
 * rows to fn (store.h's export_row_fn). Returns 0, or -1 when fn fails. */
int scheduler_list(struct store *, const struct config *, long long now,
    export_row_fn fn, void *arg);

#endif
