/*
 * backup: the daemon's own copy of its database, once a day at [backup]
 * time into [backup] dir, the newest `keep` kept. The copy is made on a
 * thread (store_backup.c: its own connections), never on the loop.
 */
#ifndef KENTONGAN_BACKUP_H
#define KENTONGAN_BACKUP_H

struct gateway;

/* Set up the copies when [backup] names a folder (gw->backups stays NULL
 * otherwise); the loop's base must exist. 0, or -1 after logging why. */
int backup_start(struct gateway *);
/* Start the day's copy when it is due and none runs; called on the
 * scheduler's tick. */
void backup_run(struct gateway *);
/* Stop a copy that runs (its partial file is removed) and free it all. */
void backup_stop(struct gateway *);

#endif
