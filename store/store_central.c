/*
 * The central database's side of the store (store_central.h): capture on
 * and off, the changes in order, each row as central takes it, and what
 * the loop records after a push.
 */
#include "store/store.h"
#include "store/store_central.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every row now in the file, as changes: what a first push sends. */
static const char backfill_sql[] =
	"INSERT INTO central_changes (tbl, key)"
	" SELECT 'contacts', number FROM contacts;"
	"INSERT INTO central_changes (tbl, key)"
	" SELECT 'records', id FROM records;"
	"INSERT INTO central_changes (tbl, key)"
	" SELECT 'tickets', id FROM tickets;"
	"INSERT INTO central_changes (tbl, key) SELECT 'in', id FROM messages;"
	"INSERT INTO central_changes (tbl, key) SELECT 'out', id FROM outbox;"
	"INSERT INTO central_changes (tbl, key)"
	" SELECT 'villages', code FROM villages;";

static int
exec(struct store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_fail(st, rc);
}

/* Every row as a change, in the caller's transaction; how many. */
static long long
backfill(struct store *st)
{
	long long before = sqlite3_total_changes64(st->db);

	if (exec(st, backfill_sql) != 0)
		return -1;
	return sqlite3_total_changes64(st->db) - before;
}

int
store_central_enable(struct store *st, const char *site,
    const unsigned char *key, size_t keylen, long long *rows)
{
	sqlite3_stmt *s = NULL;
	int rc, on = 0, same = 0;

	*rows = 0;
	if (store_begin(st) != 0)
		return -1;
	if (sqlite3_prepare_v2(st->db, "SELECT enabled, site = ?1 FROM"
	    " central_state", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	store_bind_text(s, 1, site);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		store_fail(st, rc);
		goto fail;
	}
	on = sqlite3_column_int(s, 0);
	same = sqlite3_column_int(s, 1);
	sqlite3_finalize(s);
	s = NULL;
	if (on && same)
		return store_commit(st);
	/* another site's changes mean nothing to this one's position */
	if (exec(st, "DELETE FROM central_changes;") != 0 ||
	    (*rows = backfill(st)) < 0)
		goto fail;
	if (sqlite3_prepare_v2(st->db, "UPDATE central_state SET enabled = 1,"
	    " site = ?1, hash_key = COALESCE(hash_key, ?2), pushed_seq = 0,"
	    " backlog = ?3", -1, &s, NULL) != SQLITE_OK)
		goto fail;
	store_bind_text(s, 1, site);
	sqlite3_bind_blob(s, 2, key, (int)keylen, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, *rows);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE) {
		store_fail(st, rc);
		goto fail;
	}
	sqlite3_finalize(s);
	return store_commit(st);
fail:
	if (s != NULL && st->err[0] == '\0')
		store_fail(st, sqlite3_errcode(st->db));
	sqlite3_finalize(s);
	store_rollback(st);
	return -1;
}

int
store_central_disable(struct store *st)
{
	if (store_begin(st) != 0)
		return -1;
	if (exec(st, "UPDATE central_state SET enabled = 0, backlog = 0"
	    " WHERE enabled = 1; DELETE FROM central_changes;") != 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st);
}

int
store_central_key(struct store *st, unsigned char *key, size_t cap)
{
	sqlite3_stmt *s;
	int rc, n = -1;

	if ((rc = sqlite3_prepare_v2(st->db, "SELECT hash_key FROM"
	    " central_state WHERE hash_key IS NOT NULL", -1, &s, NULL)) !=
	    SQLITE_OK)
		return store_fail(st, rc);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		n = sqlite3_column_bytes(s, 0);
		if ((size_t)n > cap)
			n = (int)cap;
		memcpy(key, sqlite3_column_blob(s, 0), (size_t)n);
	} else {
		snprintf(st->err, sizeof(st->err), "no hash key: central "
		    "capture was never turned on");
	}
	sqlite3_finalize(s);
	return n;
}

int
store_central_changes(struct store *st, long long after,
    struct central_change *out, int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_CEN_CHANGES);
	int rc, n = 0;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int(s, 2, max);
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		out[n].seq = sqlite3_column_int64(s, 0);
		store_col_copy(s, 1, out[n].tbl, sizeof(out[n].tbl));
		store_col_copy(s, 2, out[n].key, sizeof(out[n].key));
		n++;
	}
	if (n < max && rc != SQLITE_DONE) {
		store_fail(st, rc);
		n = -1;
	}
	sqlite3_reset(s);
	return n;
}

/* The single number the statement s gives; -1 on an error. */
static long long
one_number(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	long long v = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : -1;

	if (rc != SQLITE_ROW)
		store_fail(st, rc);
	sqlite3_reset(s);
	return v;
}

long long
store_central_backlog(struct store *st, long long after)
{
	sqlite3_stmt *s = store_stmt(st, Q_CEN_BACKLOG);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, after);
	return one_number(st, s);
}

/* Call fn with every column of the current row of s. */
static int
row_out(sqlite3_stmt *s, central_row_fn fn, void *arg)
{
	const char *v[32];
	int n = sqlite3_column_count(s), i;

	if (n > 32)
		n = 32;
	for (i = 0; i < n; i++)
		v[i] = (const char *)sqlite3_column_text(s, i);
	return fn(arg, n, v);
}

int
store_central_row(struct store *st, const char *tbl, const char *key,
    central_row_fn fn, void *arg)
{
	static const struct { const char *tbl; enum stmt_id q; int text; }
	    kinds[] = {
		{ "in", Q_CEN_IN, 0 }, { "out", Q_CEN_OUT, 0 },
		{ "records", Q_CEN_RECORDS, 0 },
		{ "tickets", Q_CEN_TICKETS, 0 },
		{ "contacts", Q_CEN_CONTACTS, 1 },
		{ "villages", Q_CEN_VILLAGES, 1 },
	};
	sqlite3_stmt *s = NULL;
	size_t i;
	int rc, found = 0;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].tbl, tbl))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0])) {
		snprintf(st->err, sizeof(st->err), "unknown central table %s",
		    tbl);
		return -1;
	}
	if ((s = store_stmt(st, kinds[i].q)) == NULL)
		return -1;
	if (kinds[i].text)
		store_bind_text(s, 1, key);
	else
		sqlite3_bind_int64(s, 1, strtoll(key, NULL, 10));
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		if (row_out(s, fn, arg) != 0)
			found = -1;
	} else if (rc != SQLITE_DONE)
		found = store_fail(st, rc);
	sqlite3_reset(s);
	return found;
}

int
store_central_pushed(struct store *st, long long seq, long long backlog,
    long long now)
{
	sqlite3_stmt *s;
	int rc;

	if (store_begin(st) != 0)
		return -1;
	if ((s = store_stmt(st, Q_CEN_PRUNE)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, seq);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE) {
		store_fail(st, rc);
		goto fail;
	}
	if ((s = store_stmt(st, Q_CEN_PUSHED)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, seq);
	sqlite3_bind_int64(s, 2, backlog);
	sqlite3_bind_int64(s, 3, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE) {
		store_fail(st, rc);
		goto fail;
	}
	return store_commit(st);
fail:
	store_rollback(st);
	return -1;
}

int
store_central_failed(struct store *st, const char *error, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_CEN_FAILED);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, error);
	sqlite3_bind_int64(s, 2, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
}

long long
store_central_last_seq(struct store *st)
{
	sqlite3_stmt *s;
	long long v;
	int rc;

	if ((rc = sqlite3_prepare_v2(st->db, "SELECT COALESCE((SELECT seq"
	    " FROM sqlite_sequence WHERE name = 'central_changes'), 0)", -1,
	    &s, NULL)) != SQLITE_OK)
		return store_fail(st, rc);
	v = one_number(st, s);
	sqlite3_finalize(s);
	return v;
}

int
store_central_reseed(struct store *st, long long seq)
{
	sqlite3_stmt *s = NULL;
	int rc;

	if (store_begin(st) != 0)
		return -1;
	/* the row exists once a change was ever made; a file that never
	 * made one gets it */
	if ((rc = sqlite3_prepare_v2(st->db, "INSERT INTO sqlite_sequence"
	    " (name, seq) SELECT 'central_changes', 0 WHERE NOT EXISTS"
	    " (SELECT 1 FROM sqlite_sequence WHERE name = 'central_changes')",
	    -1, &s, NULL)) != SQLITE_OK || (rc = sqlite3_step(s)) !=
	    SQLITE_DONE)
		goto fail;
	sqlite3_finalize(s);
	if ((rc = sqlite3_prepare_v2(st->db, "UPDATE sqlite_sequence SET seq ="
	    " MAX(seq, ?1) WHERE name = 'central_changes'", -1, &s, NULL)) !=
	    SQLITE_OK)
		goto fail;
	sqlite3_bind_int64(s, 1, seq);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(s);
	s = NULL;
	if (exec(st, "DELETE FROM central_changes;") != 0 || backfill(st) < 0 ||
	    exec(st, "UPDATE central_state SET pushed_seq = 0;") != 0) {
		store_rollback(st);
		return -1;
	}
	return store_commit(st);
fail:
	store_fail(st, rc);
	sqlite3_finalize(s);
	store_rollback(st);
	return -1;
}

int
store_central_status(struct store *st, struct central_status *cs)
{
	sqlite3_stmt *s = store_stmt(st, Q_CEN_STATUS);
	int rc;

	memset(cs, 0, sizeof(*cs));
	if (s == NULL)
		return -1;
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		cs->enabled = sqlite3_column_int(s, 0);
		store_col_copy(s, 1, cs->site, sizeof(cs->site));
		cs->pushed_seq = sqlite3_column_int64(s, 2);
		cs->last_push_at = sqlite3_column_int64(s, 3);
		cs->backlog = sqlite3_column_int64(s, 4);
		store_col_copy(s, 5, cs->last_error, sizeof(cs->last_error));
		cs->error_since = sqlite3_column_int64(s, 6);
		cs->updated_at = sqlite3_column_int64(s, 7);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, rc);
}
