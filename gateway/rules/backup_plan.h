/*
 * backup_plan: the names of the daemon's daily copies and which of them
 * go. A copy made at 02:00 on 3 December 2026 (local time) is
 * kentongan-20261203-0200.db; the names sort as the times do, so the
 * newest are the last by name. Pure: the folder is read and written by
 * the caller (gateway/loop/backup.c).
 */
#ifndef KENTONGAN_BACKUP_PLAN_H
#define KENTONGAN_BACKUP_PLAN_H

#define BACKUP_NAME_MAX	32	/* "kentongan-20261203-0200.db" and NUL */

/* The name of a copy made at t (Unix seconds; named in local time). */
void backup_name(long long t, char out[BACKUP_NAME_MAX]);
/* 1 when name is a copy's name as backup_name writes it, else 0. */
int backup_name_is(const char *name);
/* 1 when name is a copy that was never finished (a crash or a power cut
 * while it was written): its name, then store_backup's partial suffix. */
int backup_name_is_partial(const char *name);
/* 1 when one of the n names is a copy made at due or later, else 0. */
int backup_made_since(const char *const *names, int n, long long due);
/* Which copies to remove so that the newest keep stay: their indexes in
 * names go to out (room for n), oldest first; names that are not copies
 * are never chosen. Returns how many. */
int backup_prune(const char *const *names, int n, int keep, int *out);

#endif
