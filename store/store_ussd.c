/* USSD sessions, the actions done in them, and announced meetings. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

int
store_ussd_session_get(struct store *st, const char *id,
    struct ussd_session_row *r)
{
	sqlite3_stmt *s = store_stmt(st, Q_USSD_GET);
	int rc;

	memset(r, 0, sizeof(*r));
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	store_col_copy(s, 0, r->id, sizeof(r->id));
	store_col_copy(s, 1, r->number, sizeof(r->number));
	store_col_copy(s, 2, r->service, sizeof(r->service));
	store_col_copy(s, 3, r->network, sizeof(r->network));
	r->started_at = sqlite3_column_int64(s, 4);
	r->last_at = sqlite3_column_int64(s, 5);
	r->requests = sqlite3_column_int(s, 6);
	store_col_copy(s, 7, r->state, sizeof(r->state));
	store_col_copy(s, 8, r->last_text, sizeof(r->last_text));
	sqlite3_reset(s);
	return 1;
}

int
store_ussd_session_put(struct store *st, const struct ussd_session_row *r)
{
	sqlite3_stmt *s = store_stmt(st, Q_USSD_PUT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, r->id);
	store_bind_text(s, 2, r->number);
	store_bind_text(s, 3, r->service);
	store_bind_text(s, 4, r->network);
	sqlite3_bind_int64(s, 5, r->started_at);
	sqlite3_bind_int64(s, 6, r->last_at);
	sqlite3_bind_int(s, 7, r->requests);
	store_bind_text(s, 8, r->state);
	store_bind_text(s, 9, r->last_text);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

/* Run one purge statement for (before, max); changes or -1. */
static int
purge_step(struct store *st, int q, long long before, int max)
{
	sqlite3_stmt *s = store_stmt(st, q);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, before);
	sqlite3_bind_int(s, 2, max);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return sqlite3_changes(st->db);
}

int
store_ussd_sessions_purge(struct store *st, long long before, int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_USSD_STALE_ANY);
	int rc, n;

	if (s == NULL)
		return -1;
	/* most seconds there is nothing to delete: a read, no transaction */
	sqlite3_bind_int64(s, 1, before);
	if ((rc = sqlite3_step(s)) == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	sqlite3_reset(s);
	/* a session row lost in a crash costs nothing: no fsync waited for */
	if (store_begin_relaxed(st) != 0)
		return -1;
	if (purge_step(st, Q_USSD_PURGE_ACTIONS, before, max) < 0 ||
	    (n = purge_step(st, Q_USSD_PURGE_SESSIONS, before, max)) < 0 ||
	    store_commit(st) != 0) {
		store_rollback(st);
		return -1;
	}
	return n;
}

int
store_ussd_action_get(struct store *st, const char *session, const char *path,
    long long since, char *tiket, size_t cap)
{
	sqlite3_stmt *s = store_stmt(st, Q_USSD_ACTION_GET);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, session);
	store_bind_text(s, 2, path);
	sqlite3_bind_int64(s, 3, since);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	store_col_copy(s, 0, tiket, cap);
	sqlite3_reset(s);
	return 1;
}

int
store_ussd_action_put(struct store *st, const char *session, const char *path,
    const char *action, const char *tiket, long long message_id,
    long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_USSD_ACTION_PUT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, session);
	store_bind_text(s, 2, path);
	store_bind_text(s, 3, action);
	store_bind_text(s, 4, tiket);
	sqlite3_bind_int64(s, 5, message_id);
	sqlite3_bind_int64(s, 6, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_message_add_channel(struct store *st, const char *channel,
    const char *number, const char *text, const char *kind, long long now,
    long long *id)
{
	sqlite3_stmt *s = store_stmt(st, Q_MSG_INSERT_CHANNEL);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, channel);
	store_bind_text(s, 2, number);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_blob(s, 4, text, (int)strlen(text), SQLITE_TRANSIENT);
	store_bind_text(s, 5, kind);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_meeting_add(struct store *st, const struct meeting *m, long long now,
    long long *id)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETING_ADD);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, m->desa);
	store_bind_text(s, 2, m->tanggal);
	store_bind_text(s, 3, m->waktu);
	store_bind_text(s, 4, m->jenis);
	store_bind_text(s, 5, m->tempat);
	sqlite3_bind_int64(s, 6, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

int
store_meetings_next(struct store *st, const char *desa, const char *from,
    struct meeting *out, int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETINGS_NEXT);
	int rc, n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, desa);
	store_bind_text(s, 2, from);
	sqlite3_bind_int(s, 3, max);
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&out[n], 0, sizeof(out[n]));
		snprintf(out[n].desa, sizeof(out[n].desa), "%s", desa);
		store_col_copy(s, 0, out[n].tanggal, sizeof(out[n].tanggal));
		store_col_copy(s, 1, out[n].waktu, sizeof(out[n].waktu));
		store_col_copy(s, 2, out[n].jenis, sizeof(out[n].jenis));
		store_col_copy(s, 3, out[n].tempat, sizeof(out[n].tempat));
		n++;
	}
	sqlite3_reset(s);
	return n;
}

/* One meeting from a statement's row of MEETING_COLUMNS. */
static void
meeting_row(sqlite3_stmt *s, struct meeting *m)
{
	memset(m, 0, sizeof(*m));
	m->id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, m->desa, sizeof(m->desa));
	store_col_copy(s, 2, m->tanggal, sizeof(m->tanggal));
	store_col_copy(s, 3, m->waktu, sizeof(m->waktu));
	store_col_copy(s, 4, m->jenis, sizeof(m->jenis));
	store_col_copy(s, 5, m->tempat, sizeof(m->tempat));
	m->created_at = sqlite3_column_int64(s, 6);
	m->announced_at = sqlite3_column_int64(s, 7);
	store_col_copy(s, 8, m->state, sizeof(m->state));
	store_col_copy(s, 9, m->reason, sizeof(m->reason));
}

int
store_meetings_to_remind(struct store *st, const char *from, const char *to,
    struct meeting *out, int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETINGS_TO_REMIND);
	int rc = SQLITE_DONE, n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, from);
	store_bind_text(s, 2, to);
	sqlite3_bind_int(s, 3, max);
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW)
		meeting_row(s, &out[n++]);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(st, rc);
	return n;
}

int
store_meeting_get(struct store *st, long long id, struct meeting *m)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETING_GET);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		meeting_row(s, m);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return store_fail(st, rc);
	return rc == SQLITE_ROW;
}

int
store_meetings_between(struct store *st, const char *desa, const char *from,
    const char *to, int (*fn)(void *, const struct meeting *), void *arg)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETINGS_BETWEEN);
	struct meeting m;
	int rc, n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, desa);
	store_bind_text(s, 2, from);
	store_bind_text(s, 3, to);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		meeting_row(s, &m);
		n++;
		if (fn(arg, &m) != 0) {
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
store_meeting_cancel(struct store *st, long long id, const char *reason,
    long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETING_CANCEL);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, reason ? reason : "");
	sqlite3_bind_int64(s, 3, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return sqlite3_changes(st->db) > 0;
}

int
store_meeting_change(struct store *st, const struct meeting *m,
    long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETING_CHANGE);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, m->id);
	store_bind_text(s, 2, m->tanggal);
	store_bind_text(s, 3, m->waktu);
	store_bind_text(s, 4, m->tempat);
	sqlite3_bind_int64(s, 5, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return sqlite3_changes(st->db) > 0;
}

int
store_meeting_sms_add(struct store *st, long long id, const char *number,
    const char *what)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETING_SMS_ADD);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, number);
	store_bind_text(s, 3, what);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_meeting_told(struct store *st, long long id, recipient_fn fn,
    void *arg)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETING_TOLD);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	return store_each_number(st, s, "", fn, arg);
}

int
store_meeting_drop_queued(struct store *st, long long id, const char *reason)
{
	sqlite3_stmt *s = store_stmt(st, Q_MEETING_DROP);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, reason);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return sqlite3_changes(st->db);
}

int
store_meeting_reminded(struct store *st, long long id, long long now)
{
	return store_mark_at(st, Q_MEETING_REMINDED, id, now);
}
