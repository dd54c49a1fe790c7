/* The web console's users and their sessions. */
#include "store/store_int.h"

#include <string.h>

/* Run s, bound by the caller, to its end: changes made, or -1. */
static int
run(struct store *st, sqlite3_stmt *s)
{
	int rc;

	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return sqlite3_changes(st->db);
}

/* Run statement id with one text bound to ?1: changes made, or -1. */
static int
run_text(struct store *st, enum stmt_id id, const char *text)
{
	sqlite3_stmt *s = store_stmt(st, id);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, text);
	return run(st, s);
}

static void
user_row(sqlite3_stmt *s, struct user *u)
{
	memset(u, 0, sizeof(*u));
	store_col_copy(s, 0, u->name, sizeof(u->name));
	store_col_copy(s, 1, u->role, sizeof(u->role));
	store_col_copy(s, 2, u->kecamatan, sizeof(u->kecamatan));
	store_col_copy(s, 3, u->hash, sizeof(u->hash));
	u->created_at = sqlite3_column_int64(s, 4);
	u->updated_at = sqlite3_column_int64(s, 5);
}

int
store_user_put(struct store *st, const struct user *u, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_USER_EXISTS);
	int rc, existed;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, u->name);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc);
	existed = rc == SQLITE_ROW;
	sqlite3_reset(s);
	if ((s = store_stmt(st, Q_USER_PUT)) == NULL)
		return -1;
	store_bind_text(s, 1, u->name);
	store_bind_text(s, 2, u->role);
	store_bind_text(s, 3, u->kecamatan);
	store_bind_text(s, 4, u->hash);
	sqlite3_bind_int64(s, 5, now);
	if (run(st, s) < 0)
		return -1;
	return !existed;
}

int
store_user_get(struct store *st, const char *name, struct user *u)
{
	sqlite3_stmt *s = store_stmt(st, Q_USER_GET);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, name);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		user_row(s, u);
	else if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	sqlite3_reset(s);
	return rc == SQLITE_ROW;
}

int
store_user_remove(struct store *st, const char *name)
{
	int n;

	/* not left to ON DELETE CASCADE: a connection may have foreign
	 * keys off (they are, while migrating) */
	if (store_sessions_remove_user(st, name) < 0 ||
	    (n = run_text(st, Q_USER_REMOVE, name)) < 0)
		return -1;
	return n > 0;
}

int
store_users_list(struct store *st,
    int (*fn)(void *, const struct user *), void *arg)
{
	sqlite3_stmt *s = store_stmt(st, Q_USERS_LIST);
	struct user u;
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		user_row(s, &u);
		if (fn(arg, &u) != 0)
			break;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, rc);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

int
store_session_add(struct store *st, const char *id_hash, const char *user,
    const char *addr, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_SESSION_ADD);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id_hash);
	store_bind_text(s, 2, user);
	store_bind_text(s, 3, addr != NULL ? addr : "");
	sqlite3_bind_int64(s, 4, now);
	return run(st, s) < 0 ? -1 : 0;
}

int
store_session_get(struct store *st, const char *id_hash, struct session *se)
{
	sqlite3_stmt *s = store_stmt(st, Q_SESSION_GET);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id_hash);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(se, 0, sizeof(*se));
		store_col_copy(s, 0, se->user, sizeof(se->user));
		se->created_at = sqlite3_column_int64(s, 1);
		se->last_at = sqlite3_column_int64(s, 2);
	} else if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	sqlite3_reset(s);
	return rc == SQLITE_ROW;
}

int
store_session_touch(struct store *st, const char *id_hash, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_SESSION_TOUCH);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, id_hash);
	sqlite3_bind_int64(s, 2, now);
	return run(st, s) < 0 ? -1 : 0;
}

int
store_session_remove(struct store *st, const char *id_hash)
{
	return run_text(st, Q_SESSION_REMOVE, id_hash) < 0 ? -1 : 0;
}

int
store_sessions_remove_user(struct store *st, const char *user)
{
	return run_text(st, Q_SESSIONS_OF_USER, user) < 0 ? -1 : 0;
}

int
store_sessions_expire(struct store *st, long long created_before,
    long long idle_before)
{
	sqlite3_stmt *s = store_stmt(st, Q_SESSIONS_EXPIRE);

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, created_before);
	sqlite3_bind_int64(s, 2, idle_before);
	return run(st, s);
}
