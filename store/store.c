#include "store/store_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>


/* Note an SQLite failure; always returns -1. */
int
store_fail(struct store *st, int rc)
{
	st->last_rc = rc;
	snprintf(st->err, sizeof(st->err), "%s", sqlite3_errmsg(st->db));
	return -1;
}

const char *
store_errmsg(struct store *st)
{
	return st->err;
}

int
store_readonly(struct store *st)
{
	return sqlite3_db_readonly(st->db, "main") == 1;
}

int
store_last_was_busy(struct store *st)
{
	return (st->last_rc & 0xff) == SQLITE_BUSY;
}

void
store_set_busy_timeout(struct store *st, int ms)
{
	sqlite3_busy_timeout(st->db, ms);
}

int
store_sync_wal(struct store *st)
{
	const char *db = sqlite3_db_filename(st->db, "main");
	char wal[4096];
	int fd, rc;

	snprintf(wal, sizeof(wal), "%s-wal", db ? db : "");
	if ((fd = open(wal, O_RDONLY | O_CLOEXEC)) < 0) {
		if (errno == ENOENT)
			return 0;	/* checkpointed and gone: on disk */
		snprintf(st->err, sizeof(st->err), "opening the WAL: %s",
		    strerror(errno));
		return -1;
	}
	rc = fdatasync(fd);
	if (rc != 0)
		snprintf(st->err, sizeof(st->err), "syncing the WAL: %s",
		    strerror(errno));
	close(fd);
	return rc;
}

int
store_last_was_full(struct store *st)
{
	return (st->last_rc & 0xff) == SQLITE_FULL ||
	    ((st->last_rc & 0xff) == SQLITE_IOERR && errno == ENOSPC);
}

sqlite3_stmt *
store_stmt(struct store *st, enum stmt_id id)
{
	sqlite3_stmt *s = st->stmt[id];
	int rc;

	if (s == NULL) {
		rc = sqlite3_prepare_v3(st->db, store_sql[id], -1,
		    SQLITE_PREPARE_PERSISTENT, &st->stmt[id], NULL);
		if (rc != SQLITE_OK) {
			store_fail(st, rc);
			return NULL;
		}
		return st->stmt[id];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

int
store_mark_at(struct store *st, enum stmt_id id, long long row, long long at)
{
	sqlite3_stmt *s = store_stmt(st, id);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, row);
	sqlite3_bind_int64(s, 2, at);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_bind_text(sqlite3_stmt *s, int idx, const char *v)
{
	if (v == NULL)
		return sqlite3_bind_null(s, idx);
	return sqlite3_bind_text(s, idx, v, -1, SQLITE_TRANSIENT);
}

void
store_col_copy(sqlite3_stmt *s, int col, char *dst, size_t cap)
{
	const unsigned char *v = sqlite3_column_text(s, col);

	snprintf(dst, cap, "%s", v ? (const char *)v : "");
}

/* Run a statement with no result rows. */
static int
exec(struct store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_fail(st, rc);
}

/* PRAGMA user_version, or -1. */
static int
read_version(struct store *st)
{
	sqlite3_stmt *s;
	int v = -1;

	if (sqlite3_prepare_v2(st->db, "PRAGMA user_version", -1, &s,
	    NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/*
 * Bring the schema to version n by running migrations[version..n) in one
 * transaction, so a migration that fails leaves the file as it was: none
 * of them, nor the new user_version, is committed.
 */
int
store_migrate(struct store *st, const char *const *migrations, int n)
{
	int version, i = 0;
	char sql[64], at[32] = "", why[sizeof(st->err)];

	if (read_version(st) == n)
		return 0;	/* current: no write lock for a CLI command */
	if (exec(st, "BEGIN IMMEDIATE") != 0)
		return -1;
	version = read_version(st);
	if (version < 0 || version > n) {
		snprintf(st->err, sizeof(st->err),
		    "database schema version %d is newer than this program (%d)",
		    version, n);
		goto fail_quiet;
	}
	for (i = version; i < n; i++)
		if (exec(st, migrations[i]) != 0)
			goto fail;
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", n);
	if (exec(st, sql) != 0 || exec(st, "COMMIT") != 0)
		goto fail;
	return 0;
fail:
	store_fail(st, sqlite3_errcode(st->db));
	snprintf(why, sizeof(why), "%s", st->err);
	if (i < n)	/* else the COMMIT failed, after every migration ran */
		snprintf(at, sizeof(at), " in migration %d", i + 1);
	snprintf(st->err, sizeof(st->err), "upgrading the schema from version "
	    "%d to %d failed%s: %.90s; the database was left at version %d, "
	    "unchanged", version, n, at, why, version);
fail_quiet:
	/* SQLite may have rolled back already (a full disk, an I/O error) */
	if (!sqlite3_get_autocommit(st->db))
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* Quick structural check, so a damaged file is refused, never overwritten. */
static int
check_integrity(struct store *st)
{
	sqlite3_stmt *s;
	int ok = 0;

	if (sqlite3_prepare_v2(st->db, "PRAGMA quick_check", -1, &s,
	    NULL) != SQLITE_OK)
		return store_fail(st, sqlite3_errcode(st->db));
	if (sqlite3_step(s) == SQLITE_ROW) {
		const unsigned char *v = sqlite3_column_text(s, 0);

		ok = v != NULL && strcmp((const char *)v, "ok") == 0;
		if (!ok) {
			snprintf(st->err, sizeof(st->err),
			    "integrity check failed: %s", v ? (const char *)v : "?");
			st->check_failed = 1;
		}
	} else
		store_fail(st, sqlite3_errcode(st->db));
	sqlite3_finalize(s);
	return ok ? 0 : -1;
}

/* The name of a journal SQLite would replay into path ("-wal" or
 * "-journal") when one is there, else NULL. */
static const char *
journal_left(const char *path)
{
	static const char *const suffixes[] = { "-wal", "-journal" };
	char j[4096];
	struct stat sb;
	size_t i;

	for (i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(j, sizeof(j), "%s%s", path, suffixes[i]);
		if (stat(j, &sb) == 0)
			return suffixes[i];
	}
	return NULL;
}

/*
 * May a new database be made at path? Only when nothing is there to lose:
 * no file (or an empty one) and no journal beside it. A journal without its
 * database means the file was moved or deleted; a new empty database would
 * hide that. Returns 1 to create, 0 to open what is there, -1 (err set).
 */
int
store_may_create(const char *path, int flags, char *err, size_t errlen)
{
	const char *j = journal_left(path);
	struct stat sb;
	int missing = 0;

	if (stat(path, &sb) != 0) {
		missing = 1;
		if (errno != ENOENT) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			return -1;
		}
		if (j != NULL) {
			snprintf(err, errlen, "%s: database missing but %s%s is "
			    "there: refusing to start a new database (restore "
			    "the file)", path, path, j);
			return -1;
		}
	} else if (sb.st_size > 0 || j != NULL)
		return 0;
	if (!(flags & STORE_CREATE)) {
		snprintf(err, errlen, "%s: database %s", path,
		    missing ? "not found" : "is an empty file");
		return -1;
	}
	return 1;
}

struct store *
store_open(const char *path, int flags, char *err, size_t errlen)
{
	struct store *st;
	int rc, oflags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;

	if ((rc = store_may_create(path, flags, err, errlen)) < 0)
		return NULL;
	if (rc == 1)
		oflags |= SQLITE_OPEN_CREATE;
	if ((st = calloc(1, sizeof(*st))) == NULL) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st->base_sync = TX_SYNC_FULL;
	rc = sqlite3_open_v2(path, &st->db, oflags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path,
		    st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
		goto fail;
	}
	sqlite3_extended_result_codes(st->db, 1);
	sqlite3_busy_timeout(st->db, 5000);
	/* Until the file is known good, closing it must not checkpoint the
	 * WAL into it: a damaged database is left exactly as it was. */
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, NULL);
	/*
	 * WAL lets the CLI read while the daemon writes. synchronous=FULL
	 * fsyncs the WAL at every commit: the inbound commit must survive a
	 * power cut, because the SMS is deleted from the SIM right after it
	 * (the daemon moves that fsync to a thread: store_sync.c). A WAL
	 * that grew in a burst is cut back to 16 MB when it starts over.
	 * Temporary data in memory: the savepoint around each processed
	 * message keeps the pages it changed in a sub-journal, which as a
	 * file was 4 MB of writes per processing batch (strace: 250 MB for
	 * 10,000 SMS, against 66 MB of WAL) for a few pages at a time.
	 */
	if (exec(st, "PRAGMA journal_mode=WAL") != 0 ||
	    exec(st, "PRAGMA synchronous=FULL") != 0 ||
	    exec(st, "PRAGMA journal_size_limit=16777216") != 0 ||
	    exec(st, "PRAGMA temp_store=MEMORY") != 0)
		goto fail_msg;
	if ((flags & STORE_CHECK) && check_integrity(st) != 0)
		goto fail_msg;
	/* Foreign keys on only after migrating: a migration that rebuilds a
	 * table (12) drops one that others refer to, which SQLite allows
	 * only with them off, and a transaction cannot turn them off. */
	if (store_migrate(st, store_migrations, store_nmigrations) != 0 ||
	    exec(st, "PRAGMA foreign_keys=ON") != 0)
		goto fail_msg;
	sqlite3_db_config(st->db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 0, NULL);
	return st;
fail_msg:
	/* A damaged file is never written over: say so. */
	snprintf(err, errlen, "%s: %s%s", path, st->err,
	    (st->last_rc & 0xff) == SQLITE_NOTADB ||
	    (st->last_rc & 0xff) == SQLITE_CORRUPT || st->check_failed ?
	    " (the file is damaged; it was left as it is: restore a backup "
	    "with kentongan restore FILE)" :
	    "");
fail:
	store_close(st);
	return NULL;
}

void
store_close(struct store *st)
{
	int i;

	if (st == NULL)
		return;
	store_sync_stop(st);
	store_checkpoint_stop(st);
	for (i = 0; i < Q__COUNT; i++)
		sqlite3_finalize(st->stmt[i]);
	for (i = 0; i < TX__COUNT; i++)
		sqlite3_finalize(st->tx[i]);
	sqlite3_close(st->db);
	free(st->full_flag);
	free(st);
}

/*
 * Reset every cached statement. A statement left on a row keeps its read
 * snapshot open; in WAL mode a later BEGIN IMMEDIATE on this connection then
 * fails at once with SQLITE_BUSY_SNAPSHOT once another process has written.
 */
static void
reset_all(struct store *st)
{
	int i;

	for (i = 0; i < Q__COUNT; i++)
		if (st->stmt[i] != NULL && sqlite3_stmt_busy(st->stmt[i]))
			sqlite3_reset(st->stmt[i]);
}

static const char *const tx_sql[TX__COUNT] = {
	[TX_BEGIN] = "BEGIN",
	[TX_BEGIN_IMMEDIATE] = "BEGIN IMMEDIATE",
	[TX_COMMIT] = "COMMIT",
	[TX_ROLLBACK] = "ROLLBACK",
	[TX_SAVEPOINT] = "SAVEPOINT one",
	[TX_RELEASE] = "RELEASE one",
	[TX_ROLLBACK_TO] = "ROLLBACK TO one",
	[TX_SYNC_NORMAL] = "PRAGMA synchronous=NORMAL",
	[TX_SYNC_FULL] = "PRAGMA synchronous=FULL",
};

/* Run one transaction-control statement; 0, or -1 (noted as the store's
 * failure unless quiet: a rollback must not hide the error behind it). */
int
tx_run(struct store *st, enum tx_id id, int quiet)
{
	sqlite3_stmt *s = st->tx[id];
	int rc;

	/* SQLite applies PRAGMA synchronous when it compiles the statement,
	 * so a cached one would do nothing the second time. */
	if (id == TX_SYNC_NORMAL || id == TX_SYNC_FULL) {
		rc = sqlite3_exec(st->db, tx_sql[id], NULL, NULL, NULL);
		if (rc != SQLITE_OK && !quiet)
			store_fail(st, rc);
		return rc == SQLITE_OK ? 0 : -1;
	}
	if (s == NULL) {
		rc = sqlite3_prepare_v2(st->db, tx_sql[id], -1, &s, NULL);
		if (rc != SQLITE_OK)
			return quiet ? -1 : store_fail(st, rc);
		st->tx[id] = s;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		;
	if (rc != SQLITE_DONE && !quiet)
		store_fail(st, rc);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : -1;
}

#define tx(st, id)	tx_run(st, id, 0)
#define tx_quiet(st, id) tx_run(st, id, 1)

/*
 * Test hook: while the file named by store_test_disk_full() exists, every
 * commit fails as on a full disk (rolled back, SQLITE_FULL), so a test can
 * fill and free the "disk" without privileges.
 */
static int
test_full(struct store *st)
{
	struct stat sb;

	if (st->full_flag == NULL || stat(st->full_flag, &sb) != 0)
		return 0;
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->last_rc = SQLITE_FULL;
	snprintf(st->err, sizeof(st->err), "%s (test hook)",
	    sqlite3_errstr(SQLITE_FULL));
	return 1;
}

int
store_test_disk_full(struct store *st, const char *flag_file)
{
	free(st->full_flag);
	st->full_flag = NULL;
	if (flag_file != NULL && (st->full_flag = strdup(flag_file)) == NULL)
		return -1;
	return 0;
}

int
store_begin(struct store *st)
{
	st->last_rc = 0;	/* a busy of an earlier try is not this one's */
	reset_all(st);
	return tx(st, TX_BEGIN_IMMEDIATE);
}

int
store_commit(struct store *st)
{
	int rc;

	reset_all(st);
	if (test_full(st))
		return -1;
	rc = tx(st, TX_COMMIT);
	if (rc == 0)
		st->commits++;
	/* a level set for this transaction only goes back after it */
	if (rc == 0 && st->relaxed) {
		st->relaxed = 0;
		if (tx(st, st->base_sync) != 0)
			return -1;
	}
	return rc;
}

int
store_savepoint(struct store *st)
{
	return tx(st, TX_SAVEPOINT);
}

int
store_release(struct store *st)
{
	return tx(st, TX_RELEASE);
}

int
store_rollback_to(struct store *st)
{
	reset_all(st);
	return tx(st, TX_ROLLBACK_TO);
}

int
store_read_begin(struct store *st)
{
	st->last_rc = 0;
	return tx(st, TX_BEGIN);
}

void
store_read_end(struct store *st)
{
	reset_all(st);
	if (tx_quiet(st, TX_COMMIT) != 0)
		tx_quiet(st, TX_ROLLBACK);
}

/* SQLite takes the safety level only outside a transaction: it is set
 * before BEGIN and put back after COMMIT or ROLLBACK. */
static int
begin_at(struct store *st, enum tx_id level)
{
	st->last_rc = 0;
	reset_all(st);
	if (level != st->base_sync && tx(st, level) != 0)
		return -1;
	if (tx(st, TX_BEGIN_IMMEDIATE) != 0) {
		tx_quiet(st, st->base_sync);
		return -1;
	}
	st->relaxed = level != st->base_sync;
	return 0;
}

int
store_begin_relaxed(struct store *st)
{
	return begin_at(st, TX_SYNC_NORMAL);
}

void
store_rollback(struct store *st)
{
	reset_all(st);
	tx_quiet(st, TX_ROLLBACK);
	if (st->relaxed) {
		tx_quiet(st, st->base_sync);
		st->relaxed = 0;
	}
}

int
store_step_codes(struct store *st, sqlite3_stmt *s, char (*codes)[DESA_MAX],
    int max)
{
	int rc, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n < max)
			store_col_copy(s, 0, codes[n], DESA_MAX);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	return n;
}

int
store_changed_elsewhere(struct store *st)
{
	sqlite3_stmt *s;
	long long v;
	int changed;

	if (sqlite3_prepare_v3(st->db, "PRAGMA data_version", -1, 0, &s,
	    NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_finalize(s);
		return 0;
	}
	v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	changed = st->data_version != 0 && v != st->data_version;
	st->data_version = v;
	return changed;
}

int
store_wrote(struct store *st)
{
	return sqlite3_total_changes64(st->db) > 0;
}
