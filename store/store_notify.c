/* What the gateway sends first: reminders, the digest, announcements,
 * broadcasts; and the counts the loop guard needs. */
#include "store/store_int.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

long long
store_reminder_last(struct store *st, const char *name)
{
	sqlite3_stmt *s = store_stmt(st, Q_REMINDER_LAST);
	long long v = 0;
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, name);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	sqlite3_reset(s);
	return v;
}

int
store_reminder_fired(struct store *st, const char *name, long long due,
    int recipients, const char *outcome, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_REMINDER_FIRED);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, due);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int(s, 4, recipients);
	store_bind_text(s, 5, outcome);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

static void bind_recipients(sqlite3_stmt *, const struct recipient_query *);

int
store_recipients(struct store *st, const struct recipient_query *q,
    recipient_fn fn, void *arg)
{
	sqlite3_stmt *s = store_stmt(st, Q_RECIPIENTS);
	char number[NUMBER_MAX], name[128], desa[DESA_MAX];
	int rc, n = 0;

	if (s == NULL)
		return -1;
	bind_recipients(s, q);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_col_copy(s, 0, number, sizeof(number));
		store_col_copy(s, 1, name, sizeof(name));
		store_col_copy(s, 2, desa, sizeof(desa));
		n++;
		if (fn(arg, number, name, desa) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	return n;
}

int
store_outbox_add_at(struct store *st, const char *number, const char *text,
    const char *purpose, long long next_at, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_OUTBOX_AT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	store_bind_text(s, 2, text);
	store_bind_text(s, 3, purpose);
	/* announcements rank above broadcasts, below replies */
	sqlite3_bind_int(s, 4, !strcmp(purpose, "broadcast") ? 0 : 5);
	sqlite3_bind_int64(s, 5, next_at);
	sqlite3_bind_int64(s, 6, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_digest(struct store *st, long long from, long long to,
    long long waiting_before, struct digest_figures *f)
{
	sqlite3_stmt *s = store_stmt(st, Q_DIGEST);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	sqlite3_bind_int64(s, 3, waiting_before);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return store_fail(st, rc);
	f->reports = sqlite3_column_int(s, 0);
	f->new_tickets = sqlite3_column_int(s, 1);
	f->waiting = sqlite3_column_int(s, 2);
	f->withheld = sqlite3_column_int(s, 3);
	f->flagged = sqlite3_column_int(s, 4);
	sqlite3_reset(s);
	return 0;
}

int
store_each_number(struct store *st, sqlite3_stmt *s, const char *desa,
    recipient_fn fn, void *arg)
{
	char number[NUMBER_MAX];
	int rc, n = 0;

	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_col_copy(s, 0, number, sizeof(number));
		n++;
		if (fn(arg, number, "", desa) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	return n;
}

int
store_meeting_people(struct store *st, const char *desa, recipient_fn fn,
    void *arg)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETING_PEOPLE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, desa);
	return store_each_number(st, s, desa, fn, arg);
}

/* Bind q as RECIPIENTS_WHERE reads it. */
static void
bind_recipients(sqlite3_stmt *s, const struct recipient_query *q)
{
	store_bind_text(s, 1, q->role);
	store_bind_text(s, 2, q->desa);
	store_bind_text(s, 3, q->kecamatan);
	sqlite3_bind_int(s, 4, q->with_opted_out);
	store_bind_text(s, 5, q->no_report_month);
	store_bind_text(s, 6, q->except);
}

int
store_broadcast_to(struct store *st, const struct recipient_query *q,
    const char *text, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_BROADCAST_TO);
	int rc;

	if (s == NULL)
		return -1;
	bind_recipients(s, q);
	store_bind_text(s, 7, text);
	sqlite3_bind_int64(s, 8, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return sqlite3_changes(st->db);
}

int
store_broadcast(struct store *st, const char *group, const char *text,
    const char *sender, long long now)
{
	struct recipient_query q = { .except = sender };
	char role[16];
	size_t i;

	for (i = 0; group[i] && i + 1 < sizeof(role); i++)
		role[i] = (char)tolower((unsigned char)group[i]);
	role[i] = '\0';
	q.role = role;
	return store_broadcast_to(st, &q, text, now);
}

int
store_kecamatan_find(struct store *st, const char *typed, const char *area,
    char *out, size_t cap)
{
	sqlite3_stmt *s = store_stmt(st, Q_KECAMATAN_FIND);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, typed);
	store_bind_text(s, 2, area && area[0] ? area : NULL);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		store_col_copy(s, 0, out, cap);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc);
	return rc == SQLITE_ROW;
}

/* The single COUNT(*) a bound statement returns, or -1. */
static int
count_of(struct store *st, sqlite3_stmt *s)
{
	int rc, n;

	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return store_fail(st, rc);
	n = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return n;
}

int
store_same_text_since(struct store *st, const char *number, const char *text,
    size_t len, long long since, long long upto_id)
{
	sqlite3_stmt *s = store_stmt(st, Q_SAME_TEXT);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	sqlite3_bind_blob(s, 2, text, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(s, 3, since);
	sqlite3_bind_int64(s, 4, upto_id);
	return count_of(st, s);
}

int
store_error_replies_since(struct store *st, const char *number,
    const char *error, const char *text, size_t len, long long since)
{
	sqlite3_stmt *s = store_stmt(st, Q_SAME_ERROR);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	store_bind_text(s, 2, error);
	sqlite3_bind_int64(s, 3, since);
	sqlite3_bind_blob(s, 4, text, (int)len, SQLITE_TRANSIENT);
	return count_of(st, s);
}

int
store_policy_counts(struct store *st, const char *number, long long hour_ago,
    long long day_start, int *last_hour, int *today)
{
	sqlite3_stmt *s = store_stmt(st, Q_POLICY_COUNTS);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	sqlite3_bind_int64(s, 2, hour_ago);
	sqlite3_bind_int64(s, 3, day_start);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return store_fail(st, rc);
	*last_hour = sqlite3_column_int(s, 0);
	*today = sqlite3_column_int(s, 1);
	sqlite3_reset(s);
	return 0;
}

int
store_policy_today(struct store *st, const char *number, long long day_start,
    int *today)
{
	sqlite3_stmt *s = store_stmt(st, Q_POLICY_TODAY);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	sqlite3_bind_int64(s, 3, day_start);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return store_fail(st, rc);
	*today = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return 0;
}

int
store_outbox_hold(struct store *st, long long id, long long until,
    const char *reason)
{
	sqlite3_stmt *s = store_stmt(st, until > 0 ? Q_OUTBOX_HOLD :
	    Q_OUTBOX_DROP);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if (until > 0) {
		sqlite3_bind_int64(s, 2, until);
		store_bind_text(s, 3, reason);
	} else
		store_bind_text(s, 2, reason);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}
