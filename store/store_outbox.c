/* The outbox: queued -> sending -> sent | failed (retry) | dead. */
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Replies jump the queue: a broadcast never delays a confirmation. */
static int
purpose_priority(const char *purpose)
{
	if (strcmp(purpose, "reply") == 0)
		return 10;
	if (strcmp(purpose, "notify") == 0)
		return 5;
	return 0;
}

void
outbox_row_free(struct outbox_row *r)
{
	if (r == NULL)
		return;
	free(r->text);
	r->text = NULL;
}

int
store_outbox_add(struct store *st, const char *number, const char *text,
    const char *purpose, long long message_id, long long now, long long *id)
{
	sqlite3_stmt *s = store_stmt(st, Q_OUTBOX_INSERT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	store_bind_text(s, 2, text);
	store_bind_text(s, 3, purpose);
	if (message_id > 0)
		sqlite3_bind_int64(s, 4, message_id);
	sqlite3_bind_int(s, 5, purpose_priority(purpose));
	sqlite3_bind_int64(s, 6, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	if (sqlite3_changes(st->db) == 0)
		return 0;
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	return 1;
}

int
store_outbox_next(struct store *st, long long now, struct outbox_row *r)
{
	sqlite3_stmt *s = store_stmt(st, Q_OUTBOX_NEXT);
	int rc;

	memset(r, 0, sizeof(*r));
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	r->id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, r->number, sizeof(r->number));
	r->text = strdup((const char *)sqlite3_column_text(s, 2));
	r->tries = sqlite3_column_int(s, 3);
	store_col_copy(s, 4, r->purpose, sizeof(r->purpose));
	sqlite3_reset(s);
	if (r->text == NULL) {
		snprintf(st->err, sizeof(st->err), "out of memory");
		return -1;
	}
	return 1;
}

/* Run an UPDATE of one outbox row; 0 when it changed, -1 otherwise. */
static int
update_row(struct store *st, sqlite3_stmt *s)
{
	int rc;

	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	if (sqlite3_changes(st->db) != 1) {
		snprintf(st->err, sizeof(st->err),
		    "outbox row not in the expected state");
		return -1;
	}
	return 0;
}

int
store_outbox_sending(struct store *st, long long id, const char *modem,
    long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_OUTBOX_SENDING);

	(void)now;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, modem);
	return update_row(st, s);
}

int
store_outbox_sent(struct store *st, long long id, int parts, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_OUTBOX_SENT);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, parts);
	sqlite3_bind_int64(s, 3, now);
	return update_row(st, s);
}

int
store_outbox_failed(struct store *st, long long id, const char *error,
    long long next_at, long long now)
{
	sqlite3_stmt *s = store_stmt(st, next_at ? Q_OUTBOX_FAILED :
	    Q_OUTBOX_DEAD);

	(void)now;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, error);
	if (next_at)
		sqlite3_bind_int64(s, 3, next_at);
	return update_row(st, s);
}

int
store_outbox_recover(struct store *st, long long now, int *dead)
{
	sqlite3_stmt *s;
	int rc, requeued;

	*dead = 0;
	if ((s = store_stmt(st, Q_OUTBOX_RECOVER)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	requeued = sqlite3_changes(st->db);
	if ((s = store_stmt(st, Q_OUTBOX_RECOVER_DEAD)) == NULL)
		return -1;
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	*dead = sqlite3_changes(st->db);
	return requeued;
}

long long
store_outbox_next_due(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, Q_OUTBOX_NEXT_DUE);
	long long v = 0;

	if (s == NULL)
		return 0;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return v;
}

int
store_replies_since(struct store *st, const char *number, long long since)
{
	sqlite3_stmt *s = store_stmt(st, Q_REPLIES_SINCE);
	int n = -1, rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	sqlite3_bind_int64(s, 2, since);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	else
		store_fail(st, rc);
	sqlite3_reset(s);
	return n;
}
