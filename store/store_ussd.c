/* USSD sessions, the actions done in them, and announced meetings. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

int
store_ussd_session(struct store *st, const char *session, const char *number,
    const char *service, const char *network, const char *text,
    long long now, int timeout)
{
	sqlite3_stmt *s = store_stmt(st, Q_USSD_GET);
	char owner[NUMBER_MAX], state[16];
	long long last;
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, session);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE) {
		if ((s = store_stmt(st, Q_USSD_NEW)) == NULL)
			return -1;
		store_bind_text(s, 1, session);
		store_bind_text(s, 2, number);
		store_bind_text(s, 3, service);
		store_bind_text(s, 4, network ? network : "");
		sqlite3_bind_int64(s, 5, now);
		store_bind_text(s, 6, text);
		if ((rc = sqlite3_step(s)) != SQLITE_DONE)
			return store_fail(st, rc);
		return USSD_SESSION_OK;
	}
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	store_col_copy(s, 0, owner, sizeof(owner));
	store_col_copy(s, 1, state, sizeof(state));
	last = sqlite3_column_int64(s, 2);
	sqlite3_reset(s);
	if (strcmp(owner, number) != 0)
		return USSD_SESSION_FOREIGN;
	if (strcmp(state, "expired") == 0)
		return USSD_SESSION_EXPIRED;
	if (strcmp(state, "open") == 0 && now - last > timeout) {
		store_ussd_set_state(st, session, "expired");
		return USSD_SESSION_EXPIRED;
	}
	if ((s = store_stmt(st, Q_USSD_TOUCH)) == NULL)
		return -1;
	store_bind_text(s, 1, session);
	sqlite3_bind_int64(s, 2, now);
	store_bind_text(s, 3, text);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return USSD_SESSION_OK;
}

int
store_ussd_set_state(struct store *st, const char *session, const char *state)
{
	sqlite3_stmt *s = store_stmt(st, Q_USSD_STATE);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, session);
	store_bind_text(s, 2, state);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_ussd_action_get(struct store *st, const char *session, const char *path,
    char *tiket, size_t cap)
{
	sqlite3_stmt *s = store_stmt(st, Q_USSD_ACTION_GET);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, session);
	store_bind_text(s, 2, path);
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
