/*
 * Durability off the caller's thread.
 *
 * With synchronous=FULL every COMMIT waits for an fdatasync of the WAL.
 * On a loaded ext4 that wait is sometimes hundreds of milliseconds (the
 * journal commit takes other files' writes with it), and the daemon's one
 * event loop, USSD screens included, would wait with it. Here commits run
 * with synchronous=NORMAL (the WAL is written, not synced; SQLite keeps the
 * file consistent either way) and this thread fdatasyncs the WAL file on
 * request. A commit is durable once a sync that began after it returned
 * has ended: fdatasync flushes the file, whichever descriptor wrote it.
 * The caller holds back whatever must not happen before its commit is on
 * disk (deleting an SMS from the SIM, sending a reply) until
 * store_durable() covers that commit.
 */
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct store_syncer {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t wake;
	char *wal_path;
	int wal_fd;
	unsigned long want, done;	/* commit counts */
	int stopping;
	int error;			/* errno of the last failed sync */
	int broken;			/* errno of an fdatasync that failed */
	int notify[2];			/* a byte after each sync */
	char *fail_flag;		/* test hook: syncs fail while it exists */
};

/* Our descriptor of the WAL file, reopened if SQLite made a new one. */
static int
wal_open(struct store_syncer *sy)
{
	struct stat a, b;

	if (sy->wal_fd >= 0 && (fstat(sy->wal_fd, &a) != 0 ||
	    stat(sy->wal_path, &b) != 0 || a.st_ino != b.st_ino ||
	    a.st_dev != b.st_dev)) {
		close(sy->wal_fd);
		sy->wal_fd = -1;
	}
	if (sy->wal_fd < 0)
		sy->wal_fd = open(sy->wal_path, O_RDONLY | O_CLOEXEC);
	return sy->wal_fd;
}

/* The folder's entry for a new -wal file must be on disk too: once. */
static void
sync_dir(const char *db)
{
	char dir[4096];
	char *slash;
	int fd;

	snprintf(dir, sizeof(dir), "%s", db);
	if ((slash = strrchr(dir, '/')) == NULL)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
	/* a failure here leaves it to the first checkpoint's sync */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

static void *
run(void *arg)
{
	struct store_syncer *sy = arg;

	pthread_mutex_lock(&sy->lock);
	for (;;) {
		unsigned long target;
		const char *flag;
		ssize_t wrote;
		int rc, err = 0, broken;

		while (sy->want <= sy->done && !sy->stopping)
			pthread_cond_wait(&sy->wake, &sy->lock);
		if (sy->want <= sy->done)
			break;		/* stopping, nothing left to sync */
		target = sy->want;
		flag = sy->fail_flag;
		pthread_mutex_unlock(&sy->lock);
		broken = 0;
		if ((rc = wal_open(sy) < 0 ? -1 : 0) != 0)
			err = errno;		/* no descriptor: try again */
		else {
			rc = fdatasync(sy->wal_fd);
			if (rc == 0 && flag != NULL && access(flag, F_OK) == 0) {
				errno = EIO;
				rc = -1;
			}
			/* Linux reports a lost write once and marks the pages
			 * clean: a later sync that succeeds proves nothing. */
			if (rc != 0) {
				err = errno;
				broken = 1;
			}
		}
		pthread_mutex_lock(&sy->lock);
		if (rc == 0) {
			sy->done = target;
			sy->error = 0;
		} else {
			sy->error = err;
			sy->broken = broken ? err : 0;
		}
		pthread_mutex_unlock(&sy->lock);
		/* A full pipe already says "look": never wait on it. */
		wrote = write(sy->notify[1], "s", 1);
		(void)wrote;
		pthread_mutex_lock(&sy->lock);
		if (broken) {
			/* never again: wait to be stopped */
			while (!sy->stopping)
				pthread_cond_wait(&sy->wake, &sy->lock);
			break;
		}
		if (rc != 0 && !sy->stopping) {
			/* no WAL descriptor yet: a second later */
			pthread_mutex_unlock(&sy->lock);
			sleep(1);
			pthread_mutex_lock(&sy->lock);
		} else if (rc != 0)
			break;
	}
	pthread_mutex_unlock(&sy->lock);
	return NULL;
}

int
store_sync_in_background(struct store *st)
{
	struct store_syncer *sy;
	const char *db = sqlite3_db_filename(st->db, "main");
	size_t n;

	if (st->syncer != NULL)
		return st->syncer->notify[0];
	if (db == NULL || *db == '\0' || (sy = calloc(1, sizeof(*sy))) == NULL) {
		snprintf(st->err, sizeof(st->err), "no database file name, "
		    "or out of memory");
		return -1;
	}
	n = strlen(db) + 5;
	sy->wal_fd = -1;
	if ((sy->wal_path = malloc(n)) == NULL ||
	    pipe2(sy->notify, O_CLOEXEC | O_NONBLOCK) != 0) {
		snprintf(st->err, sizeof(st->err), "sync thread: %s",
		    strerror(errno));
		free(sy->wal_path);
		free(sy);
		return -1;
	}
	sync_dir(db);
	snprintf(sy->wal_path, n, "%s-wal", db);
	pthread_mutex_init(&sy->lock, NULL);
	pthread_cond_init(&sy->wake, NULL);
	/* Everything committed so far waited for the disk. */
	sy->want = sy->done = st->commits;
	if ((n = (size_t)pthread_create(&sy->thread, NULL, run, sy)) != 0) {
		snprintf(st->err, sizeof(st->err), "sync thread: %s",
		    strerror((int)n));
		goto fail;
	}
	st->syncer = sy;
	st->base_sync = TX_SYNC_NORMAL;
	if (tx_run(st, TX_SYNC_NORMAL, 0) != 0) {
		store_sync_stop(st);
		return -1;
	}
	return sy->notify[0];
fail:
	pthread_cond_destroy(&sy->wake);
	pthread_mutex_destroy(&sy->lock);
	close(sy->notify[0]);
	close(sy->notify[1]);
	free(sy->wal_path);
	free(sy);
	return -1;
}

void
store_sync_stop(struct store *st)
{
	struct store_syncer *sy = st->syncer;

	if (sy == NULL)
		return;
	pthread_mutex_lock(&sy->lock);
	if (!sy->broken)
		sy->want = st->commits;	/* what is committed ends on disk */
	sy->stopping = 1;
	pthread_cond_signal(&sy->wake);
	pthread_mutex_unlock(&sy->lock);
	pthread_join(sy->thread, NULL);
	pthread_cond_destroy(&sy->wake);
	pthread_mutex_destroy(&sy->lock);
	if (sy->wal_fd >= 0)
		close(sy->wal_fd);
	close(sy->notify[0]);
	close(sy->notify[1]);
	free(sy->wal_path);
	free(sy->fail_flag);
	free(sy);
	st->syncer = NULL;
	st->base_sync = TX_SYNC_FULL;
	tx_run(st, TX_SYNC_FULL, 1);
}

int
store_test_sync_fails(struct store *st, const char *flag_file)
{
	struct store_syncer *sy = st->syncer;
	char *copy;

	/* set once: the thread reads the string without the lock */
	if (sy == NULL || sy->fail_flag != NULL ||
	    (copy = strdup(flag_file)) == NULL)
		return -1;
	pthread_mutex_lock(&sy->lock);
	sy->fail_flag = copy;
	pthread_mutex_unlock(&sy->lock);
	return 0;
}

unsigned long
store_commits(struct store *st)
{
	return st->commits;
}

void
store_sync_request(struct store *st)
{
	struct store_syncer *sy = st->syncer;

	if (sy == NULL)
		return;
	pthread_mutex_lock(&sy->lock);
	if (sy->want < st->commits) {
		sy->want = st->commits;
		pthread_cond_signal(&sy->wake);
	}
	pthread_mutex_unlock(&sy->lock);
}

void
store_sync_written(struct store *st)
{
	/* a durability point of its own: a sync that starts after this
	 * covers every write before it, autocommits included */
	st->commits++;
	store_sync_request(st);
}

unsigned long
store_durable(struct store *st, int *error, int *broken)
{
	struct store_syncer *sy = st->syncer;
	unsigned long done;

	if (error != NULL)
		*error = 0;
	if (broken != NULL)
		*broken = 0;
	if (sy == NULL)
		return st->commits;	/* each commit waited for the disk */
	pthread_mutex_lock(&sy->lock);
	done = sy->done;
	if (error != NULL)
		*error = sy->error;
	if (broken != NULL)
		*broken = sy->broken;
	pthread_mutex_unlock(&sy->lock);
	return done;
}
