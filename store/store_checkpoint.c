/*
 * WAL checkpoints in a thread of their own, on a connection of their own.
 *
 * SQLite's automatic checkpoint runs inside the commit that crosses the
 * threshold: that commit copies the WAL's pages into the database file and
 * waits for its fsync, tens or hundreds of milliseconds on a slow card,
 * and the daemon's one event loop (USSD screens included) waits with it.
 * Here the loop's connection only notes that the WAL has grown; this
 * thread copies the pages (PASSIVE: it never waits for, or blocks, the
 * loop's readers and writers). A checkpoint syncs the WAL before and the
 * database after copying, as SQLite's own does (this connection runs
 * synchronous=FULL), so it never copies what is not yet on disk.
 */
#include "store/store_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#define CHECKPOINT_PAGES	1000	/* SQLite's own default threshold */
#define CHECKPOINT_IDLE_S	5	/* also look now and then */

struct store_checkpointer {
	sqlite3 *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	int kicked, stopping;
	long runs;		/* checkpoints done */
	int last_log, last_done;	/* frames in the WAL, and copied */
	int last_rc;
};

/* On the loop's connection, after each commit: never does I/O. */
static int
wal_grew(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store_checkpointer *cp = arg;

	(void)db;
	(void)name;
	if (frames >= CHECKPOINT_PAGES) {
		pthread_mutex_lock(&cp->lock);
		cp->kicked = 1;
		pthread_cond_signal(&cp->wake);
		pthread_mutex_unlock(&cp->lock);
	}
	return SQLITE_OK;
}

static void *
run(void *arg)
{
	struct store_checkpointer *cp = arg;

	for (;;) {
		struct timespec until;
		int log = 0, done = 0, rc;

		pthread_mutex_lock(&cp->lock);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += CHECKPOINT_IDLE_S;
		while (!cp->kicked && !cp->stopping &&
		    pthread_cond_timedwait(&cp->wake, &cp->lock, &until) == 0)
			;
		cp->kicked = 0;
		if (cp->stopping) {
			pthread_mutex_unlock(&cp->lock);
			return NULL;
		}
		pthread_mutex_unlock(&cp->lock);
		rc = sqlite3_wal_checkpoint_v2(cp->db, NULL,
		    SQLITE_CHECKPOINT_PASSIVE, &log, &done);
		pthread_mutex_lock(&cp->lock);
		cp->runs++;
		cp->last_rc = rc;
		cp->last_log = log;
		cp->last_done = done;
		pthread_mutex_unlock(&cp->lock);
	}
}

int
store_checkpoint_in_background(struct store *st)
{
	struct store_checkpointer *cp;
	const char *path = sqlite3_db_filename(st->db, "main");
	pthread_condattr_t ca;

	if (st->checkpointer != NULL)
		return 0;
	if (path == NULL || *path == '\0' ||
	    (cp = calloc(1, sizeof(*cp))) == NULL)
		return -1;
	if (sqlite3_open_v2(path, &cp->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK ||
	    sqlite3_exec(cp->db, "PRAGMA synchronous=FULL", NULL, NULL,
	    NULL) != SQLITE_OK) {
		snprintf(st->err, sizeof(st->err), "checkpoint connection: %s",
		    cp->db != NULL ? sqlite3_errmsg(cp->db) : "out of memory");
		sqlite3_close(cp->db);
		free(cp);
		return -1;
	}
	sqlite3_busy_timeout(cp->db, 5000);
	pthread_mutex_init(&cp->lock, NULL);
	/* the idle wake-up must not hang on a clock set back (no RTC) */
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&cp->wake, &ca);
	pthread_condattr_destroy(&ca);
	if (pthread_create(&cp->thread, NULL, run, cp) != 0) {
		pthread_cond_destroy(&cp->wake);
		pthread_mutex_destroy(&cp->lock);
		sqlite3_close(cp->db);
		free(cp);
		return -1;
	}
	/* This hook replaces SQLite's automatic checkpoint on our connection. */
	sqlite3_wal_hook(st->db, wal_grew, cp);
	st->checkpointer = cp;
	return 0;
}

void
store_checkpoint_stop(struct store *st)
{
	struct store_checkpointer *cp = st->checkpointer;

	if (cp == NULL)
		return;
	/* Back to SQLite's own automatic checkpoint. */
	sqlite3_wal_autocheckpoint(st->db, CHECKPOINT_PAGES);
	pthread_mutex_lock(&cp->lock);
	cp->stopping = 1;
	pthread_cond_signal(&cp->wake);
	pthread_mutex_unlock(&cp->lock);
	pthread_join(cp->thread, NULL);
	pthread_cond_destroy(&cp->wake);
	pthread_mutex_destroy(&cp->lock);
	sqlite3_close(cp->db);
	free(cp);
	st->checkpointer = NULL;
}

int
store_checkpoint_figures(struct store *st, long *runs, int *wal_frames,
    int *copied)
{
	struct store_checkpointer *cp = st->checkpointer;
	int rc;

	if (cp == NULL)
		return -1;
	pthread_mutex_lock(&cp->lock);
	*runs = cp->runs;
	*wal_frames = cp->last_log;
	*copied = cp->last_done;
	rc = cp->last_rc;
	pthread_mutex_unlock(&cp->lock);
	return rc;
}
