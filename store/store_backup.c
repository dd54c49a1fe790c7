/*
 * store_backup: whole, checked copies of the database (store_backup.h).
 *
 * The copy is SQLite's online backup (sqlite3_backup_*) from a connection
 * of its own that only reads. How it reads matters while the daemon runs:
 *
 * - Stepping a few pages at a time, each step in a read transaction of
 *   its own, lets the writer checkpoint between steps, but the backup
 *   starts over whenever another connection commits between two steps.
 *   The daemon commits for every SMS and USSD screen, so under a steady
 *   stream it would start over again and again (measured on a 20 MB
 *   file, 1,024 pages a step, another connection committing all along:
 *   1,842 restarts in 2,000 steps and no end; test_backup guards it).
 * - So one read transaction is held from the first page to the last: the
 *   copy is the one snapshot that transaction sees, and never starts
 *   over. In WAL mode a reader does not block the writer; it only keeps a
 *   checkpoint from copying frames newer than its snapshot back into the
 *   database, so the WAL grows by what is written meanwhile and shrinks
 *   at the next checkpoint. The transaction ends as soon as the last page
 *   is copied: the check of the copy reads the copy, not the database.
 * - Inside that transaction the pages still go COPY_PAGES at a time,
 *   only so that a stopping daemon need not wait for the whole file.
 */
#include "store/store_backup.h"
#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* 4 MB of 4 KiB pages: a tenth of a second on a slow SD card */
#define COPY_PAGES	1024
/* What SQLite keeps beside a database; the database itself first. */
static const char *const side_files[] = { "", "-wal", "-shm", "-journal" };
#define NSIDE	(sizeof(side_files) / sizeof(side_files[0]))

int
store_schema_version(void)
{
	return store_nmigrations;
}

static double
seconds_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SQLite's reason, with the system's when it has one ("disk I/O error:
 * No space left on device"). */
static void
sqlite_reason(sqlite3 *db, int rc, const char *what, char *err,
    size_t errlen)
{
	int sys = db != NULL ? sqlite3_system_errno(db) : 0;

	if (sys != 0 && (rc & 0xff) == SQLITE_IOERR)
		snprintf(err, errlen, "%s: %s: %s", what, sqlite3_errstr(rc),
		    strerror(sys));
	else
		snprintf(err, errlen, "%s: %s", what, sqlite3_errstr(rc));
}

/* Sync the folder that holds path, so a rename in it survives a power
 * cut. */
static int
sync_folder(const char *path, char *err, size_t errlen)
{
	char dir[STORE_PATH_MAX];
	int fd, rc;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((fd = open(dirname(dir), O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "opening the folder of %s: %s", path,
		    strerror(errno));
		return -1;
	}
	rc = fsync(fd);
	if (rc != 0)
		snprintf(err, errlen, "syncing the folder of %s: %s", path,
		    strerror(errno));
	close(fd);
	return rc;
}

/* rename(2) that never replaces to: -1 with EEXIST when to is there. */
static int
rename_new(const char *from, const char *to)
{
	if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
		return 0;
	if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP)
		return -1;
	/* a file system without RENAME_NOREPLACE: only this process
	 * writes here (the daemon's lock, or the office at the console) */
	if (access(to, F_OK) == 0) {
		errno = EEXIST;
		return -1;
	}
	return rename(from, to);
}

/* Run one statement whose first row's first column is an integer. */
static int
pragma_int(sqlite3 *db, const char *sql, long long *out)
{
	sqlite3_stmt *s;
	int rc;

	if ((rc = sqlite3_prepare_v2(db, sql, -1, &s, NULL)) != SQLITE_OK)
		return rc;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		*out = sqlite3_column_int64(s, 0);
		rc = SQLITE_OK;
	} else if (rc == SQLITE_DONE)
		*out = 0;
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* PRAGMA integrity_check: 0 when "ok", else -1 with its first finding,
 * on one line (it ends in the daemon's log). */
static int
integrity(sqlite3 *db, const char *path, char *err, size_t errlen)
{
	static const char head[] = "*** in database main ***\n";
	sqlite3_stmt *s;
	const char *v;
	int rc, ok;

	if ((rc = sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &s,
	    NULL)) != SQLITE_OK) {
		sqlite_reason(db, rc, path, err, errlen);
		return -1;
	}
	rc = sqlite3_step(s);
	v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(s, 0) : NULL;
	ok = v != NULL && !strcmp(v, "ok");
	if (rc != SQLITE_ROW)
		sqlite_reason(db, rc, path, err, errlen);
	else if (!ok) {
		if (v == NULL)
			v = "?";
		if (!strncmp(v, head, sizeof(head) - 1))
			v += sizeof(head) - 1;
		snprintf(err, errlen, "%s: integrity check failed: %.*s%s",
		    path, (int)strcspn(v, "\n"), v, strchr(v, '\n') ?
		    " (and more)" : "");
	}
	sqlite3_finalize(s);
	return ok ? 0 : -1;
}

/* SQLite's progress handler: non-zero interrupts the statement. */
static int
cancelled(void *arg)
{
	return arg != NULL && atomic_load((const atomic_int *)arg);
}

/* store_file_check, which a non-zero *cancel interrupts; err names the
 * file as shown (a copy's own name, not its temporary one). */
static int
file_check(const char *path, const char *shown, const atomic_int *cancel,
    struct store_file_info *info, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *s = NULL;
	struct stat sb;
	long long v, pages, size, ours;
	int rc, ret = -1;

	memset(info, 0, sizeof(*info));
	if (stat(path, &sb) != 0) {
		snprintf(err, errlen, "%s: %s", shown, strerror(errno));
		return -1;
	}
	if (!S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "%s is not a file", shown);
		return -1;
	}
	if ((rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL)) !=
	    SQLITE_OK) {
		sqlite_reason(db, rc, shown, err, errlen);
		goto out;
	}
	sqlite3_busy_timeout(db, 5000);
	/* the check of a big file takes a while: a stopping daemon must
	 * not wait for it */
	sqlite3_progress_handler(db, 100000, cancelled, (void *)cancel);
	if (integrity(db, shown, err, errlen) != 0)
		goto out;
	if ((rc = pragma_int(db, "PRAGMA user_version", &v)) != SQLITE_OK ||
	    (rc = pragma_int(db, "PRAGMA page_count", &pages)) != SQLITE_OK ||
	    (rc = pragma_int(db, "PRAGMA page_size", &size)) != SQLITE_OK ||
	    (rc = pragma_int(db, "SELECT count(*) FROM sqlite_schema WHERE "
	    "type = 'table' AND name = 'messages'", &ours)) != SQLITE_OK) {
		sqlite_reason(db, rc, shown, err, errlen);
		goto out;
	}
	info->version = (int)v;
	info->bytes = pages * size;
	if (!ours) {
		snprintf(err, errlen, "%s is an SQLite file but no Kentongan "
		    "database (it has no messages table)", shown);
		goto out;
	}
	if (v > store_nmigrations) {
		snprintf(err, errlen, "%s has schema version %lld, newer than "
		    "this program's (%d): it needs a newer kentongan", shown, v,
		    store_nmigrations);
		goto out;
	}
	if ((rc = sqlite3_prepare_v2(db, "SELECT id, received_at FROM messages"
	    " ORDER BY id DESC LIMIT 1", -1, &s, NULL)) != SQLITE_OK ||
	    ((rc = sqlite3_step(s)) != SQLITE_ROW && rc != SQLITE_DONE)) {
		sqlite_reason(db, rc, shown, err, errlen);
		goto out;
	}
	if (rc == SQLITE_ROW) {
		info->last_message = sqlite3_column_int64(s, 0);
		info->last_received = sqlite3_column_int64(s, 1);
	}
	ret = 0;
out:
	sqlite3_finalize(s);
	sqlite3_close(db);
	return ret;
}

int
store_file_check(const char *path, struct store_file_info *info, char *err,
    size_t errlen)
{
	return file_check(path, path, NULL, info, err, errlen);
}

/* Copy every page of from into to inside one read transaction of from
 * (see the top of this file). 0, or -1 with the reason in err. */
static int
copy_pages(sqlite3 *from, sqlite3 *to, const char *src, const char *dest,
    const atomic_int *cancel, char *err, size_t errlen)
{
	sqlite3_backup *b;
	long long n;
	int rc;

	/* BEGIN alone takes no snapshot: the first read does */
	if ((rc = sqlite3_exec(from, "BEGIN", NULL, NULL, NULL)) != SQLITE_OK ||
	    (rc = pragma_int(from, "SELECT count(*) FROM sqlite_schema",
	    &n)) != SQLITE_OK) {
		sqlite_reason(from, rc, src, err, errlen);
		return -1;
	}
	if ((b = sqlite3_backup_init(to, "main", from, "main")) == NULL) {
		snprintf(err, errlen, "%s: %s", dest, sqlite3_errmsg(to));
		return -1;
	}
	do {
		if (cancel != NULL && atomic_load(cancel)) {
			sqlite3_backup_finish(b);
			sqlite3_exec(from, "COMMIT", NULL, NULL, NULL);
			snprintf(err, errlen, "stopped before the copy was "
			    "complete");
			return -1;
		}
		rc = sqlite3_backup_step(b, COPY_PAGES);
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
			sqlite3_sleep(10);
	} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	sqlite3_exec(from, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_DONE) {
		/* the reason is the destination's: a full disk, mostly */
		sqlite_reason(to, rc, dest, err, errlen);
		return -1;
	}
	return 0;
}

int
store_copy_make(const char *src, const char *dest, const atomic_int *cancel,
    struct store_copy *c, char *err, size_t errlen)
{
	sqlite3 *from = NULL, *to = NULL;
	double t0 = seconds_now();
	int fd = -1, rc, ret = -1;

	memset(c, 0, sizeof(*c));
	if (snprintf(c->dest, sizeof(c->dest), "%s", dest) >=
	    (int)sizeof(c->dest) || snprintf(c->tmp, sizeof(c->tmp),
	    "%s" STORE_COPY_PARTIAL "XXXXXX", dest) >= (int)sizeof(c->tmp)) {
		snprintf(err, errlen, "%s: name too long", dest);
		c->tmp[0] = '\0';
		return -1;
	}
	if ((fd = mkostemp(c->tmp, O_CLOEXEC)) < 0) {
		snprintf(err, errlen, "cannot write in the folder of %s: %s",
		    dest, strerror(errno));
		c->tmp[0] = '\0';
		return -1;
	}
	/*
	 * Read-write only so that, the last to close it (no daemon), it
	 * removes the -wal and -shm its opening made: query_only keeps it
	 * from writing, and until the copy proved the file sound, closing
	 * does not checkpoint a WAL into it (as store_open).
	 */
	if ((rc = sqlite3_open_v2(src, &from, SQLITE_OPEN_READWRITE, NULL)) !=
	    SQLITE_OK || (rc = sqlite3_exec(from, "PRAGMA query_only=1", NULL,
	    NULL, NULL)) != SQLITE_OK) {
		sqlite_reason(from, rc, src, err, errlen);
		goto out;
	}
	sqlite3_db_config(from, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	sqlite3_busy_timeout(from, 5000);
	/* The copy needs no journal of its own: until it is synced and
	 * renamed it is nothing, and a failure removes it. */
	if ((rc = sqlite3_open_v2(c->tmp, &to, SQLITE_OPEN_READWRITE,
	    NULL)) != SQLITE_OK || (rc = sqlite3_exec(to,
	    "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", NULL, NULL,
	    NULL)) != SQLITE_OK) {
		sqlite_reason(to, rc, dest, err, errlen);
		goto out;
	}
	if (copy_pages(from, to, src, dest, cancel, err, errlen) != 0)
		goto out;
	/* The copied header says WAL, as the database's does: make it a
	 * file that is whole by itself, to copy or restore as one. */
	if ((rc = sqlite3_exec(to, "PRAGMA journal_mode=DELETE", NULL, NULL,
	    NULL)) != SQLITE_OK) {
		sqlite_reason(to, rc, dest, err, errlen);
		goto out;
	}
	if ((rc = sqlite3_close(to)) != SQLITE_OK) {
		sqlite_reason(to, rc, dest, err, errlen);
		goto out;
	}
	to = NULL;
	if (fsync(fd) != 0) {
		snprintf(err, errlen, "syncing %s: %s", dest, strerror(errno));
		goto out;
	}
	if (file_check(c->tmp, c->dest, cancel, &c->info, err, errlen) != 0)
		goto out;
	sqlite3_db_config(from, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
	c->seconds = seconds_now() - t0;
	ret = 0;
out:
	sqlite3_close(from);
	sqlite3_close(to);
	if (fd >= 0)
		close(fd);
	if (ret != 0)
		store_copy_discard(c);
	return ret;
}

int
store_copy_place(struct store_copy *c, char *err, size_t errlen)
{
	if (rename_new(c->tmp, c->dest) != 0) {
		if (errno == EEXIST)
			snprintf(err, errlen, "%s exists already: not replaced",
			    c->dest);
		else
			snprintf(err, errlen, "naming the copy %s: %s",
			    c->dest, strerror(errno));
		return -1;
	}
	c->tmp[0] = '\0';
	return sync_folder(c->dest, err, errlen);
}

void
store_copy_discard(struct store_copy *c)
{
	if (c->tmp[0] != '\0')
		unlink(c->tmp);
	c->tmp[0] = '\0';
}

/* Rename path (and what is beside it) to path.TAG, or back when back is
 * set; all or nothing. See store_move_aside. */
static int
move_all(const char *path, const char *tag, int back, char *moved,
    size_t movedlen, char *err, size_t errlen)
{
	char name[2][NSIDE][STORE_PATH_MAX];
	const char *from, *to;
	int done[NSIDE], n = 0;
	size_t i, o;
	struct stat sb;

	moved[0] = '\0';
	for (i = 0; i < NSIDE; i++) {
		done[i] = 0;
		if (snprintf(name[0][i], STORE_PATH_MAX, "%s%s", path,
		    side_files[i]) >= STORE_PATH_MAX ||
		    snprintf(name[1][i], STORE_PATH_MAX, "%s.%s%s", path, tag,
		    side_files[i]) >= STORE_PATH_MAX) {
			snprintf(err, errlen, "%s: name too long", path);
			goto undo;
		}
		from = name[back][i];
		to = name[!back][i];
		if (lstat(from, &sb) != 0) {
			if (errno == ENOENT)
				continue;
			snprintf(err, errlen, "%s: %s", from, strerror(errno));
			goto undo;
		}
		if (rename_new(from, to) != 0) {
			snprintf(err, errlen, "moving %s to %s: %s", from, to,
			    strerror(errno));
			goto undo;
		}
		done[i] = 1;
		n++;
		if (i > 0) {
			o = strlen(moved);
			snprintf(moved + o, movedlen - o, "%s%s", o ? ", " : "",
			    side_files[i]);
		}
	}
	if (n > 0 && sync_folder(path, err, errlen) != 0)
		goto undo;
	return n;
undo:
	/* put back what moved: the database and its WAL belong together */
	while (i-- > 0)
		if (done[i])
			(void)rename(name[!back][i], name[back][i]);
	moved[0] = '\0';
	return -1;
}

int
store_move_aside(const char *path, const char *tag, char *moved,
    size_t movedlen, char *err, size_t errlen)
{
	return move_all(path, tag, 0, moved, movedlen, err, errlen);
}

int
store_move_back(const char *path, const char *tag, char *err, size_t errlen)
{
	char moved[64];

	return move_all(path, tag, 1, moved, sizeof(moved), err, errlen);
}
