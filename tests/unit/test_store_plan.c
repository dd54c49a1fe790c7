/*
 * The cost of the store's busiest statements, as SQLite plans them: a
 * change of an outbox row (four an SMS through Kannel) and the sending
 * policy's counts (one a row of a broadcast) build no temporary b-tree
 * (an IN list of more than two constants in a CHECK, an index's WHERE or
 * the statement does), and the hour's count reads its index.
 */
#include "store/store.h"
#include "store/store_int.h"
#include "tests/testlib.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* How many OpenEphemeral sql's program holds (the triggers' included). */
static int
ephemeral(sqlite3 *db, const char *sql)
{
	char *explain;
	sqlite3_stmt *s;
	int n = 0;

	if (asprintf(&explain, "EXPLAIN %s", sql) < 0)
		return -1;
	if (sqlite3_prepare_v2(db, explain, -1, &s, NULL) != SQLITE_OK) {
		fprintf(stderr, "%s: %s\n", sql, sqlite3_errmsg(db));
		free(explain);
		return -1;
	}
	while (sqlite3_step(s) == SQLITE_ROW)
		n += !strcmp((const char *)sqlite3_column_text(s, 1),
		    "OpenEphemeral");
	sqlite3_finalize(s);
	free(explain);
	return n;
}

static int
plan_uses(sqlite3 *db, const char *sql, const char *index)
{
	char *explain;
	sqlite3_stmt *s;
	int found = 0;

	if (asprintf(&explain, "EXPLAIN QUERY PLAN %s", sql) < 0)
		return 0;
	if (sqlite3_prepare_v2(db, explain, -1, &s, NULL) == SQLITE_OK) {
		while (sqlite3_step(s) == SQLITE_ROW)
			found |= strstr((const char *)sqlite3_column_text(s,
			    3), index) != NULL;
		sqlite3_finalize(s);
	}
	free(explain);
	return found;
}

int
main(void)
{
	char path[] = "/tmp/test_store_plan.XXXXXX", err[256];
	struct store *st;
	int fd, i, changes = 0;

	if ((fd = mkstemp(path)) < 0)
		return 1;
	close(fd);
	unlink(path);
	if ((st = store_open(path, STORE_CREATE, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	for (i = 0; i < Q__COUNT; i++) {
		const char *q = store_sql[i];

		/* one row's change (a statement over many rows may build
		 * one b-tree for all of them) */
		if (q == NULL || !((strncmp(q, "UPDATE outbox ", 14) == 0 &&
		    strstr(q, "WHERE id = ?1") != NULL) ||
		    (strncmp(q, "INSERT INTO outbox ", 19) == 0 &&
		    strstr(q, "VALUES") != NULL)))
			continue;
		changes++;
		CHECK_INT(ephemeral(st->db, q), 0);
		if (ephemeral(st->db, q) != 0)
			fprintf(stderr, "  in: %s\n", q);
	}
	CHECK(changes >= 15, "only %d statements change an outbox row",
	    changes);
	CHECK_INT(ephemeral(st->db, store_sql[Q_POLICY_TODAY]), 0);
	CHECK_INT(ephemeral(st->db, store_sql[Q_POLICY_COUNTS]), 0);
	CHECK(plan_uses(st->db, store_sql[Q_POLICY_COUNTS],
	    "outbox_initiated_sent"), "the hour's count scans the outbox");

	/* the CHECK, an OR chain now, still refuses a state it does not name */
	CHECK(sqlite3_exec(st->db, "INSERT INTO outbox (number, text, purpose,"
	    " state, next_at, created_at) VALUES ('+62812', 'x', 'reply',"
	    " 'sending', 0, 0)", NULL, NULL, NULL) == SQLITE_OK, "%s",
	    sqlite3_errmsg(st->db));
	CHECK((sqlite3_exec(st->db, "UPDATE outbox SET state = 'lost'", NULL,
	    NULL, NULL) & 0xff) == SQLITE_CONSTRAINT, "an unknown state taken");
	CHECK(sqlite3_exec(st->db, "UPDATE outbox SET state = 'withheld'",
	    NULL, NULL, NULL) == SQLITE_OK, "%s", sqlite3_errmsg(st->db));

	store_close(st);
	unlink(path);
	return test_summary("unit-store-plan");
}
