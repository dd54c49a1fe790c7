/* The outbox: queued -> sending -> sent | failed (retry) | dead; through
 * Kannel, sending -> accepted -> sent -> delivered | failed. */
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
	if (strcmp(purpose, "notify") == 0 || strcmp(purpose, "ticket") == 0)
		return 5;
	return 0;
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
store_outbox_withhold(struct store *st, const char *number, const char *text,
    long long message_id, const char *reason, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_OUTBOX_WITHHOLD);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	store_bind_text(s, 2, text);
	if (message_id > 0)
		sqlite3_bind_int64(s, 3, message_id);
	sqlite3_bind_int64(s, 4, now);
	store_bind_text(s, 5, reason);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
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

static int settle(struct store *, long long id, long long now);

int
store_outbox_sent(struct store *st, long long id, int parts, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_OUTBOX_SENT);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, parts);
	sqlite3_bind_int64(s, 3, now);
	if (update_row(st, s) != 0)
		return -1;
	/* A report for an early part may have come before the last part
	 * was accepted. */
	return settle(st, id, now);
}

static int step_done(struct store *, sqlite3_stmt *);

/* Count a failure of row id on its bearer's day; 0, or -1. */
static int
count_failed(struct store *st, long long id, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_OBX_FAILED_DAY);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return step_done(st, s);
}

/* Run the failing update q on row id (error in ?2, next_at in ?3 if it
 * has one) and count it, in one transaction: the caller's, or one of its
 * own. */
static int
fail_row(struct store *st, int q, long long id, const char *error,
    long long next_at, long long now)
{
	int own = sqlite3_get_autocommit(st->db);
	sqlite3_stmt *s;

	if (own && store_begin(st) != 0)
		return -1;
	if ((s = store_stmt(st, q)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, error);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sqlite3_bind_int64(s, 3, next_at);
	if (update_row(st, s) != 0 || count_failed(st, id, now) != 0)
		goto fail;
	return own ? store_commit(st) : 0;
fail:
	if (own)
		store_rollback(st);
	return -1;
}

int
store_outbox_failed(struct store *st, long long id, const char *error,
    long long next_at, long long now)
{
	return fail_row(st, next_at ? Q_OUTBOX_FAILED : Q_OUTBOX_DEAD, id,
	    error, next_at, now);
}

int
store_outbox_recover(struct store *st, long long now, int max, int *dead)
{
	sqlite3_stmt *s;
	int rc, requeued;

	*dead = 0;
	if ((s = store_stmt(st, Q_OUTBOX_RECOVER)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, max);
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
	/* A final failure (no_retry) is never due again. */
	sqlite3_stmt *s = store_stmt(st, Q_OBX_NEXT_DUE);
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

/* ---- dispatch, parts, send classes, status reports ------------------ */

/* Run a statement that returns no rows; 0 or -1. */
static int
step_done(struct store *st, sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);

	return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
}

/* Settle a sent row from its parts' reports: failed if one part was not
 * delivered, delivered when every part was. */
static int
settle(struct store *st, long long id, long long now)
{
	sqlite3_stmt *s;

	if ((s = store_stmt(st, Q_OBX_SETTLE_FAIL)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (step_done(st, s) != 0)
		return -1;
	if ((s = store_stmt(st, Q_OBX_SETTLE_OK)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	return step_done(st, s);
}

int
store_outbox_due(struct store *st, long long now, struct outbox_due *rows,
    int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_OBX_DUE);
	int n = 0, rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, max);
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct outbox_due *r = &rows[n++];

		r->id = sqlite3_column_int64(s, 0);
		store_col_copy(s, 1, r->number, sizeof(r->number));
		r->tries = sqlite3_column_int(s, 2);
		store_col_copy(s, 3, r->purpose, sizeof(r->purpose));
		store_col_copy(s, 4, r->modem, sizeof(r->modem));
		r->parts_sent = sqlite3_column_int(s, 5);
		r->crash_retries = sqlite3_column_int(s, 6);
	}
	if (n < max && rc != SQLITE_DONE)
		n = store_fail(st, rc);
	sqlite3_reset(s);
	return n;
}

int
store_outbox_text(struct store *st, long long id, char **text, int *ref,
    int *parts_sent)
{
	sqlite3_stmt *s = store_stmt(st, Q_OBX_TEXT);
	int rc;

	*text = NULL;
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		if (rc == SQLITE_DONE)
			snprintf(st->err, sizeof(st->err), "no outbox row %lld",
			    id);
		else
			store_fail(st, rc);
		sqlite3_reset(s);
		return -1;
	}
	*text = strdup((const char *)sqlite3_column_text(s, 0));
	*ref = sqlite3_column_int(s, 1);
	*parts_sent = sqlite3_column_int(s, 2);
	sqlite3_reset(s);
	if (*text == NULL) {
		snprintf(st->err, sizeof(st->err), "out of memory");
		return -1;
	}
	return 0;
}

int
store_outbox_restart(struct store *st, long long id)
{
	sqlite3_stmt *s = store_stmt(st, Q_OBX_PARTS_SENT);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, 0);
	sqlite3_bind_null(s, 3);
	return step_done(st, s);
}

int
store_outbox_part(struct store *st, long long id, int seq, int total,
    int ref, const char *modem, int mr, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_OBX_PART);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, seq);
	sqlite3_bind_int(s, 3, total);
	store_bind_text(s, 4, modem);
	sqlite3_bind_int(s, 5, mr);
	sqlite3_bind_int64(s, 6, now);
	if (step_done(st, s) != 0)
		return -1;
	if ((s = store_stmt(st, Q_OBX_PARTS_SENT)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, seq);
	if (ref >= 0)
		sqlite3_bind_int(s, 3, ref);
	return step_done(st, s);
}

int
store_outbox_permanent(struct store *st, long long id, const char *error,
    long long now)
{
	return fail_row(st, Q_OBX_PERMANENT, id, error, 0, now);
}

int
store_outbox_local(struct store *st, long long id, const char *error,
    long long next_at, long long now)
{
	return fail_row(st, Q_OBX_LOCAL, id, error, next_at, now);
}

int
store_outbox_uncertain(struct store *st, long long id, const char *error,
    long long next_at, int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_OBX_UNCERTAIN);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, error);
	sqlite3_bind_int64(s, 3, next_at);
	sqlite3_bind_int(s, 4, max);
	return update_row(st, s);
}

int
store_outbox_set_class(struct store *st, long long id, const char *cls)
{
	sqlite3_stmt *s = store_stmt(st, Q_OBX_CLASS);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, cls);
	return step_done(st, s);
}

int
store_report_apply(struct store *st, long long message_id, long long now,
    struct report_match *r)
{
	sqlite3_stmt *s;
	char number[NUMBER_MAX];
	int rc, final;

	memset(r, 0, sizeof(*r));
	if ((s = store_stmt(st, Q_RPT_INFO)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, message_id);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
	}
	store_col_copy(s, 0, r->modem, sizeof(r->modem));
	r->mr = sqlite3_column_int(s, 1);
	r->status = sqlite3_column_int(s, 2);
	store_col_copy(s, 3, number, sizeof(number));
	sqlite3_reset(s);

	if ((s = store_stmt(st, Q_RPT_MATCH)) == NULL)
		return -1;
	store_bind_text(s, 1, r->modem);
	sqlite3_bind_int(s, 2, r->mr);
	store_bind_text(s, 3, number);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW) {
		sqlite3_reset(s);
		return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
	}
	r->outbox_id = sqlite3_column_int64(s, 0);
	r->seq = sqlite3_column_int(s, 1);
	sqlite3_reset(s);

	/* TP-Status 0x20-0x3F: the SMSC is still trying; a final report with
	 * the same MR follows, so the part stays open. */
	final = r->status < 0x20 || r->status >= 0x40;
	if ((s = store_stmt(st, Q_RPT_PART)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, r->outbox_id);
	sqlite3_bind_int(s, 2, r->seq);
	sqlite3_bind_int(s, 3, r->status);
	if (final)
		sqlite3_bind_int64(s, 4, now);
	if (step_done(st, s) != 0)
		return -1;
	if (settle(st, r->outbox_id, now) != 0)
		return -1;
	if ((s = store_stmt(st, Q_OBX_STATE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, r->outbox_id);
	if (sqlite3_step(s) == SQLITE_ROW)
		store_col_copy(s, 0, r->state, sizeof(r->state));
	sqlite3_reset(s);
	return 1;
}

int
store_outbox_accepted(struct store *st, long long id, int parts,
    long long now)
{
	sqlite3_stmt *s;
	int rc, own = sqlite3_get_autocommit(st->db);

	/* the caller's transaction (a batch of answers), or its own */
	if (own && store_begin(st) != 0)
		return -1;
	if ((s = store_stmt(st, Q_OBX_ACCEPTED)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, parts);
	sqlite3_bind_int64(s, 3, now);
	if (update_row(st, s) != 0)
		goto fail;
	/* counted as a modem's parts are: `status` shows it sent today */
	if ((s = store_stmt(st, Q_OBX_ACCEPTED_DAY)) == NULL)
		goto fail;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, parts);
	sqlite3_bind_int64(s, 3, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE) {
		store_fail(st, rc);
		goto fail;
	}
	return own ? store_commit(st) : 0;
fail:
	if (own)
		store_rollback(st);
	return -1;
}

/* Whether row id was sent by bearer: known (found), else unknown. */
static enum dlr_result
dlr_row_known(struct store *st, long long id, const char *bearer,
    enum dlr_result found)
{
	sqlite3_stmt *s = store_stmt(st, Q_OBX_STATE_ON);
	int rc;

	if (s == NULL)
		return DLR_ERROR;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, bearer);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, rc);
		return DLR_ERROR;
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? found : DLR_UNKNOWN;
}

enum dlr_result
store_outbox_dlr(struct store *st, long long id, const char *bearer, int bit,
    long long now)
{
	const char *to;
	char why[64];
	sqlite3_stmt *s;
	int rc;

	switch (bit) {
	case 1:
		to = "delivered";
		break;
	case 2:
	case 16:
		to = "failed";
		break;
	case 8:
		to = "sent";
		break;
	default:	/* 4: buffered, still on its way */
		return dlr_row_known(st, id, bearer, DLR_IGNORED);
	}
	if ((s = store_stmt(st, Q_OBX_DLR)) == NULL)
		return DLR_ERROR;
	snprintf(why, sizeof(why), "delivery report: %s (Kannel DLR %d)",
	    bit == 2 ? "not delivered" : "rejected by the SMSC", bit);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	store_bind_text(s, 3, to);
	store_bind_text(s, 4, bearer);
	store_bind_text(s, 5, why);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE) {
		store_fail(st, rc);
		return DLR_ERROR;
	}
	if (sqlite3_changes(st->db) == 1)
		return bit == 1 || bit == 8 || count_failed(st, id, now) == 0 ?
		    DLR_MOVED : DLR_ERROR;
	return dlr_row_known(st, id, bearer, DLR_KEPT);
}
