/*
 * Backups: the daily copies' names and which of them go (backup_plan),
 * and store_backup's copies of a real SQLite file: one snapshot while
 * another connection commits all along, a single checked file, nothing
 * left behind when it fails or is stopped; the checks a restore makes;
 * moving a database aside with its WAL, all or nothing.
 */
#include "gateway/rules/backup_plan.h"
#include "store/store.h"
#include "store/store_backup.h"
#include "tests/testlib.h"

#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char dir[256];

#define at test_local_time

static void
test_names(void)
{
	char name[BACKUP_NAME_MAX];
	static const struct { const char *name; int copy, partial; } t[] = {
		{ "kentongan-20261203-0200.db", 1, 0 },
		{ "kentongan-20261203-0200.db.tmp-a1B2c3", 0, 1 },
		{ "kentongan-20261203-0200.db.tmp-a1B2", 0, 0 },
		{ "kentongan-20261203-0200.db.bak", 0, 0 },
		{ "kentongan-2026120-30200.db", 0, 0 },
		{ "kentongan-20261203-020.db", 0, 0 },
		{ "kentongan-2026l203-0200.db", 0, 0 },
		{ "Kentongan-20261203-0200.db", 0, 0 },
		{ "kentongan-20261203-0200.sqlite", 0, 0 },
		{ "kentongan.db", 0, 0 },
		{ "", 0, 0 },
	};
	size_t i;

	backup_name(at("2026-12-03 02:00"), name);
	CHECK_STR(name, "kentongan-20261203-0200.db");
	backup_name(at("2027-01-09 23:59"), name);
	CHECK_STR(name, "kentongan-20270109-2359.db");
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		CHECK(backup_name_is(t[i].name) == t[i].copy, "%s", t[i].name);
		CHECK(backup_name_is_partial(t[i].name) == t[i].partial, "%s",
		    t[i].name);
	}
}

static void
test_made_since(void)
{
	const char *names[] = { "notes.txt", "kentongan-20261202-0200.db",
	    "kentongan-20261203-0159.db.tmp-abcdef" };
	const char *later[] = { "kentongan-20261203-0931.db" };

	CHECK_INT(backup_made_since(names, 3, at("2026-12-03 02:00")), 0);
	CHECK_INT(backup_made_since(names, 3, at("2026-12-02 02:00")), 1);
	/* made at 02:00 sharp counts for 02:00 */
	CHECK_INT(backup_made_since(names, 3, at("2026-12-02 02:00") + 30), 1);
	/* the box was off at 02:00 and made it at 09:31 */
	CHECK_INT(backup_made_since(later, 1, at("2026-12-03 02:00")), 1);
	CHECK_INT(backup_made_since(later, 1, at("2026-12-04 02:00")), 0);
	CHECK_INT(backup_made_since(names, 0, at("2026-12-01 02:00")), 0);
}

/* The names backup_prune chose, joined by blanks. */
static const char *
pruned(const char *const *names, int n, int keep)
{
	static char out[512];
	int idx[16], k, i;

	out[0] = '\0';
	k = backup_prune(names, n, keep, idx);
	for (i = 0; i < k; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s",
		    i ? " " : "", names[idx[i]]);
	return out;
}

static void
test_prune(void)
{
	const char *names[] = {
		"kentongan-20261203-0200.db", "notes.txt",
		"kentongan-20261130-0200.db", "kentongan-20261201-0200.db",
		"kentongan-20261202-0200.db.tmp-abcdef",
		"kentongan-20261129-0200.db", "kentongan-20261202-0200.db",
		"kentongan-20261202-1745.db", "kentongan.db",
	};

	CHECK_STR(pruned(names, 9, 3), "kentongan-20261129-0200.db "
	    "kentongan-20261130-0200.db kentongan-20261201-0200.db");
	CHECK_STR(pruned(names, 9, 1), "kentongan-20261129-0200.db "
	    "kentongan-20261130-0200.db kentongan-20261201-0200.db "
	    "kentongan-20261202-0200.db kentongan-20261202-1745.db");
	CHECK_STR(pruned(names, 9, 6), "");
	CHECK_STR(pruned(names, 9, 14), "");
	CHECK_STR(pruned(names, 2, 1), "");
	CHECK_STR(pruned(names, 0, 1), "");
}

/* ---- copies of a real file -------------------------------------------- */

static void
exec_ok(sqlite3 *db, const char *sql)
{
	char *msg = NULL;

	CHECK(sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK, "%s: %s",
	    sql, msg ? msg : "");
	sqlite3_free(msg);
}

static long long
scalar(const char *file, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	long long v = -1;

	if (sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK && sqlite3_prepare_v2(db, sql, -1, &s, NULL) ==
	    SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return v;
}

/* How many names in dir contain part. */
static int
names_with(const char *part)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d != NULL && (e = readdir(d)) != NULL)
		n += strstr(e->d_name, part) != NULL;
	if (d != NULL)
		closedir(d);
	return n;
}

/* Another connection, as the daemon's: a message committed at a time. */
struct writer {
	const char *db;
	atomic_int stop;
	atomic_long commits;
};

static void *
write_all_along(void *arg)
{
	struct writer *w = arg;
	sqlite3 *db;

	if (sqlite3_open(w->db, &db) != SQLITE_OK)
		return NULL;
	sqlite3_busy_timeout(db, 5000);
	sqlite3_exec(db, "PRAGMA synchronous=OFF", NULL, NULL, NULL);
	/* a commit every half millisecond: one falls between any two steps
	 * of the copy, each of which takes longer */
	while (!atomic_load(&w->stop)) {
		if (sqlite3_exec(db, "INSERT INTO messages (number, number_raw,"
		    " sender_class, received_at, text, state) VALUES ('+62811',"
		    " '+62811', 0, 1700000000, randomblob(300), 'ignored')",
		    NULL, NULL, NULL) == SQLITE_OK)
			atomic_fetch_add(&w->commits, 1);
		usleep(500);
	}
	sqlite3_close(db);
	return NULL;
}

/* A database of about 20 MB: many steps of the copy. */
static int
make_db(const char *path)
{
	struct store *st;
	sqlite3 *db;
	char err[256];

	if ((st = store_open(path, STORE_CREATE, err, sizeof(err))) == NULL) {
		CHECK(0, "open: %s", err);
		return -1;
	}
	store_close(st);
	if (sqlite3_open(path, &db) != SQLITE_OK)
		return -1;
	exec_ok(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 "
	    "FROM n WHERE i < 50000) INSERT INTO messages (number, number_raw,"
	    " sender_class, received_at, text, state) SELECT '+62812', '+62812',"
	    " 0, 1700000000 + i, randomblob(300), 'ignored' FROM n");
	sqlite3_close(db);
	return 0;
}

static void
test_copy_while_written(const char *db)
{
	char dest[300], err[512];
	struct writer w = { .db = db };
	struct store_copy c;
	struct stat sb;
	pthread_t t;
	long long before, during, max, n, min;
	unsigned char head[20];
	FILE *f;

	snprintf(dest, sizeof(dest), "%s/copy.db", dir);
	pthread_create(&t, NULL, write_all_along, &w);
	while (atomic_load(&w.commits) < 10)
		usleep(1000);
	before = scalar(db, "SELECT max(id) FROM messages");
	during = atomic_load(&w.commits);
	CHECK(store_copy_make(db, dest, NULL, &c, err, sizeof(err)) == 0,
	    "copy: %s", err);
	during = atomic_load(&w.commits) - during;
	atomic_store(&w.stop, 1);
	pthread_join(t, NULL);
	CHECK(during > 0, "the writer committed while the copy was made");
	CHECK(access(dest, F_OK) != 0, "not named before it is placed");
	CHECK(store_copy_place(&c, err, sizeof(err)) == 0, "place: %s", err);
	CHECK_INT(names_with(STORE_COPY_PARTIAL), 0);
	/* one snapshot: every message up to its newest, none missing */
	max = scalar(dest, "SELECT max(id) FROM messages");
	min = scalar(dest, "SELECT min(id) FROM messages");
	n = scalar(dest, "SELECT count(*) FROM messages");
	CHECK(max >= before, "copy holds %lld, %lld were committed before",
	    max, before);
	CHECK_INT(n, max - min + 1);
	CHECK_INT(c.info.last_message, max);
	CHECK_INT(c.info.version, store_schema_version());
	/* a file whole by itself (no WAL), private */
	CHECK((f = fopen(dest, "rb")) != NULL && fread(head, 1, 20, f) == 20,
	    "read header");
	if (f != NULL)
		fclose(f);
	CHECK_INT(head[18], 1);
	CHECK_INT(head[19], 1);
	CHECK(stat(dest, &sb) == 0 && (sb.st_mode & 0777) == 0600, "mode %o",
	    sb.st_mode & 0777);
	/* never over an existing file */
	CHECK(store_copy_make(db, dest, NULL, &c, err, sizeof(err)) == 0,
	    "copy: %s", err);
	CHECK(store_copy_place(&c, err, sizeof(err)) == -1, "replaced");
	CHECK(strstr(err, "exists already") != NULL, "%s", err);
	store_copy_discard(&c);
	CHECK_INT(names_with(STORE_COPY_PARTIAL), 0);
	unlink(dest);
}

static void
test_copy_fails_cleanly(const char *db)
{
	char dest[300], err[512];
	struct store_copy c;
	atomic_int stop = 1;

	snprintf(dest, sizeof(dest), "%s/stopped.db", dir);
	CHECK(store_copy_make(db, dest, &stop, &c, err, sizeof(err)) == -1,
	    "stopped");
	CHECK(strstr(err, "stopped") != NULL, "%s", err);
	CHECK_INT(names_with(STORE_COPY_PARTIAL), 0);
	snprintf(dest, sizeof(dest), "%s/no-such-folder/x.db", dir);
	CHECK(store_copy_make(db, dest, NULL, &c, err, sizeof(err)) == -1,
	    "no folder");
	CHECK(strstr(err, "No such file") != NULL, "%s", err);
	snprintf(dest, sizeof(dest), "%s/x.db", dir);
	CHECK(store_copy_make("/nonexistent/k.db", dest, NULL, &c, err,
	    sizeof(err)) == -1, "no database");
	CHECK_INT(names_with(STORE_COPY_PARTIAL), 0);
	CHECK(access("/nonexistent/k.db", F_OK) != 0, "not made");
}

/* A database whose pages are damaged in the middle (the header is fine,
 * so it opens): the copy's check finds it, and nothing is left. */
static void
test_damaged_source(const char *db)
{
	char bad[300], dest[300], err[512], page[4096];
	struct store_copy c;
	FILE *in, *out;
	size_t n;
	long at = 0;

	snprintf(bad, sizeof(bad), "%s/damaged.db", dir);
	snprintf(dest, sizeof(dest), "%s/damaged-copy.db", dir);
	if ((in = fopen(db, "rb")) == NULL || (out = fopen(bad, "wb")) == NULL) {
		CHECK(0, "copy %s", db);
		if (in != NULL)
			fclose(in);
		return;
	}
	/* every connection to it is closed: its WAL is in the file */
	while ((n = fread(page, 1, sizeof(page), in)) > 0) {
		if (++at % 97 == 0)
			memset(page + 100, 0xa5, 900);
		fwrite(page, 1, n, out);
	}
	fclose(in);
	fclose(out);
	CHECK(store_copy_make(bad, dest, NULL, &c, err, sizeof(err)) == -1,
	    "a damaged database copied");
	CHECK(strstr(err, "integrity check failed") != NULL ||
	    strstr(err, "malformed") != NULL, "%s", err);
	/* named as the copy, on one line (it goes to the daemon's log) */
	CHECK(strncmp(err, dest, strlen(dest)) == 0 && err[strlen(dest)] ==
	    ':' && strchr(err, '\n') == NULL, "%s", err);
	CHECK(access(dest, F_OK) != 0, "no copy");
	CHECK_INT(names_with(STORE_COPY_PARTIAL), 0);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* store_file_check refuses, with words containing want. */
static void
refused(const char *path, const char *want)
{
	struct store_file_info info;
	char err[512] = "";

	CHECK(store_file_check(path, &info, err, sizeof(err)) == -1, "%s",
	    path);
	CHECK(strstr(err, want) != NULL, "'%s' lacks '%s'", err, want);
}

static void
test_file_check(const char *db)
{
	char p[300], sql[64];
	sqlite3 *h;

	snprintf(p, sizeof(p), "%s/garbage.db", dir);
	write_file(p, "this is no database, but it is long enough to look "
	    "like one might be here: SQLite reads the first hundred bytes");
	refused(p, "not a database");
	snprintf(p, sizeof(p), "%s/other.db", dir);
	if (sqlite3_open(p, &h) == SQLITE_OK)
		exec_ok(h, "CREATE TABLE t (x)");
	sqlite3_close(h);
	refused(p, "no Kentongan database");
	refused(dir, "not a file");
	snprintf(p, sizeof(p), "%s/missing.db", dir);
	refused(p, "No such file");
	/* a backup from a newer kentongan */
	snprintf(p, sizeof(p), "%s/newer.db", dir);
	if (sqlite3_open(p, &h) == SQLITE_OK) {
		exec_ok(h, "CREATE TABLE messages (id INTEGER PRIMARY KEY)");
		snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
		    store_schema_version() + 1);
		exec_ok(h, sql);
	}
	sqlite3_close(h);
	refused(p, "newer than this program's");
	(void)db;
}

static void
test_move_aside(void)
{
	static const char *const side[] = { "", "-wal", "-shm" };
	char p[300], q[400], moved[64], err[512];
	size_t i;

	snprintf(p, sizeof(p), "%s/site.db", dir);
	for (i = 0; i < 3; i++) {
		snprintf(q, sizeof(q), "%s%s", p, side[i]);
		write_file(q, side[i]);
	}
	/* one name taken: nothing moves */
	snprintf(q, sizeof(q), "%s.before-x-shm", p);
	write_file(q, "taken");
	CHECK_INT(store_move_aside(p, "before-x", moved, sizeof(moved), err,
	    sizeof(err)), -1);
	CHECK(strstr(err, "File exists") != NULL, "%s", err);
	for (i = 0; i < 3; i++) {
		snprintf(q, sizeof(q), "%s%s", p, side[i]);
		CHECK(access(q, F_OK) == 0, "%s put back", q);
	}
	CHECK_INT(store_move_aside(p, "before-y", moved, sizeof(moved), err,
	    sizeof(err)), 3);
	CHECK_STR(moved, "-wal, -shm");
	for (i = 0; i < 3; i++) {
		snprintf(q, sizeof(q), "%s.before-y%s", p, side[i]);
		CHECK(access(q, F_OK) == 0, "%s", q);
		snprintf(q, sizeof(q), "%s%s", p, side[i]);
		CHECK(access(q, F_OK) != 0, "%s gone", q);
	}
	CHECK_INT(store_move_back(p, "before-y", err, sizeof(err)), 3);
	CHECK(access(p, F_OK) == 0, "back");
	snprintf(q, sizeof(q), "%s/none.db", dir);
	CHECK_INT(store_move_aside(q, "before-z", moved, sizeof(moved), err,
	    sizeof(err)), 0);
}

int
main(void)
{
	char db[300], cmd[300];

	setenv("TZ", "Asia/Jakarta", 1);
	tzset();
	/* a copy that starts over at every commit never ends: fail then */
	alarm(120);
	test_names();
	test_made_since();
	test_prune();

	snprintf(dir, sizeof(dir), "/tmp/kentongan-test-backup-%d",
	    (int)getpid());
	mkdir(dir, 0755);
	snprintf(db, sizeof(db), "%s/kentongan.db", dir);
	if (make_db(db) == 0) {
		test_copy_while_written(db);
		test_copy_fails_cleanly(db);
		test_damaged_source(db);
		test_file_check(db);
		test_move_aside();
	}
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	if (system(cmd) != 0)
		perror(cmd);
	return test_summary("unit-backup");
}
