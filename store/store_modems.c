/* Modems: the state the daemon writes for `kentongan status`, and credit. */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

int
store_modem_put(struct store *st, const struct modem_status *m)
{
	sqlite3_stmt *s = store_stmt(st, Q_MODEM_PUT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, m->name);
	store_bind_text(s, 2, m->state);
	sqlite3_bind_int64(s, 3, m->since);
	if (m->signal >= 0)
		sqlite3_bind_int(s, 4, m->signal);
	store_bind_text(s, 5, m->network);
	store_bind_text(s, 6, m->op);
	store_bind_text(s, 7, m->manufacturer);
	store_bind_text(s, 8, m->model);
	store_bind_text(s, 9, m->imei);
	store_bind_text(s, 10, m->last_error);
	sqlite3_bind_int64(s, 11, m->paused_until);
	sqlite3_bind_int64(s, 12, m->updated_at);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_modem_credit(struct store *st, const char *name, const char *text,
    long long credit, long long threshold, long long now, int *alarm)
{
	sqlite3_stmt *s;
	int rc, was_low = 0, low;

	*alarm = 0;
	if ((s = store_stmt(st, Q_MODEM_CREDIT_LOW)) == NULL)
		return -1;
	store_bind_text(s, 1, name);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		was_low = sqlite3_column_int(s, 0);
	else if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	sqlite3_reset(s);
	/* An answer we could not read leaves the alarm as it was. */
	low = credit < 0 ? was_low : threshold > 0 && credit < threshold;
	*alarm = low && !was_low;
	if ((s = store_stmt(st, Q_MODEM_CREDIT)) == NULL)
		return -1;
	store_bind_text(s, 1, name);
	store_bind_text(s, 2, text);
	if (credit >= 0)
		sqlite3_bind_int64(s, 3, credit);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int(s, 5, low);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_modem_list(struct store *st, long long day_start,
    int (*fn)(void *, const struct modem_status *), void *arg)
{
	sqlite3_stmt *s = store_stmt(st, Q_MODEM_LIST);
	struct modem_status m;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, day_start);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&m, 0, sizeof(m));
		store_col_copy(s, 0, m.name, sizeof(m.name));
		store_col_copy(s, 1, m.state, sizeof(m.state));
		m.since = sqlite3_column_int64(s, 2);
		m.signal = sqlite3_column_int(s, 3);
		store_col_copy(s, 4, m.network, sizeof(m.network));
		store_col_copy(s, 5, m.op, sizeof(m.op));
		store_col_copy(s, 6, m.manufacturer, sizeof(m.manufacturer));
		store_col_copy(s, 7, m.model, sizeof(m.model));
		store_col_copy(s, 8, m.imei, sizeof(m.imei));
		store_col_copy(s, 9, m.last_error, sizeof(m.last_error));
		m.paused_until = sqlite3_column_int64(s, 10);
		store_col_copy(s, 11, m.credit_text, sizeof(m.credit_text));
		m.credit = sqlite3_column_int64(s, 12);
		m.credit_at = sqlite3_column_int64(s, 13);
		m.credit_low = sqlite3_column_int(s, 14);
		m.updated_at = sqlite3_column_int64(s, 15);
		m.sent_today = sqlite3_column_int(s, 16);
		m.received_today = sqlite3_column_int(s, 17);
		m.failed_today = sqlite3_column_int(s, 18);
		m.held = sqlite3_column_int(s, 19);
		if (fn(arg, &m) != 0)
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
store_queue_depths(struct store *st,
    int (*fn)(void *, const char *name, long long n), void *arg)
{
	sqlite3_stmt *s = store_stmt(st, Q_QUEUE_DEPTHS);
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (fn(arg, (const char *)sqlite3_column_text(s, 0),
		    sqlite3_column_int64(s, 1)) != 0)
			break;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, rc);
		sqlite3_reset(s);
		return -1;
	}
	sqlite3_reset(s);
	return 0;
}

int
store_alarm_coordinators(struct store *st, const char *text, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_ALARM_COORD);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, text);
	sqlite3_bind_int64(s, 2, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return sqlite3_changes(st->db);
}
