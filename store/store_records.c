/* Contacts, records (R-<n>) and tickets (ADU-<n>, ASP-<n>). */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

int
store_contact_get(struct store *st, const char *number, struct contact *c)
{
	sqlite3_stmt *s = store_stmt(st, Q_CONTACT_GET);
	int rc;

	memset(c, 0, sizeof(*c));
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	store_col_copy(s, 0, c->number, sizeof(c->number));
	store_col_copy(s, 1, c->number_raw, sizeof(c->number_raw));
	store_col_copy(s, 2, c->name, sizeof(c->name));
	store_col_copy(s, 3, c->role, sizeof(c->role));
	store_col_copy(s, 4, c->desa, sizeof(c->desa));
	c->opted_out = sqlite3_column_int(s, 5);
	sqlite3_reset(s);
	return 1;
}

int
store_contact_put(struct store *st, const struct contact *c, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_CONTACT_PUT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, c->number);
	store_bind_text(s, 2, c->number_raw);
	store_bind_text(s, 3, c->name);
	store_bind_text(s, 4, c->role);
	store_bind_text(s, 5, c->desa);
	sqlite3_bind_int(s, 6, c->opted_out);
	sqlite3_bind_int64(s, 7, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	{
		const char *one[1] = { c->desa };

		return store_contact_set_desa(st, c->number, one,
		    c->desa[0] ? 1 : 0);
	}
}

/* Bind an int column that is NULL when the kind has no such field. */
static void
bind_opt_int(sqlite3_stmt *s, int idx, int v, int present)
{
	if (present)
		sqlite3_bind_int(s, idx, v);
	else
		sqlite3_bind_null(s, idx);
}

int
store_record_add(struct store *st, const struct record *r, long long *id)
{
	sqlite3_stmt *s = store_stmt(st, Q_RECORD_INSERT);
	int rc, rapat = strcmp(r->kind, "rapat") == 0;

	if (s == NULL)
		return -1;
	if (r->message_id > 0)
		sqlite3_bind_int64(s, 1, r->message_id);
	store_bind_text(s, 2, r->kind);
	store_bind_text(s, 3, r->number);
	store_bind_text(s, 4, r->desa ? r->desa : "");
	store_bind_text(s, 5, r->tanggal);
	store_bind_text(s, 6, r->jenis);
	bind_opt_int(s, 7, r->laki, rapat);
	bind_opt_int(s, 8, r->perempuan, rapat);
	bind_opt_int(s, 9, r->jumlah, strcmp(r->kind, "kader") == 0);
	store_bind_text(s, 10, r->topik);
	store_bind_text(s, 11, r->catatan);
	store_bind_text(s, 12, r->isi);
	store_bind_text(s, 13, r->perdes);
	store_bind_text(s, 14, r->state);
	store_bind_text(s, 15, r->flags ? r->flags : "");
	sqlite3_bind_int64(s, 16, r->created_at);
	store_bind_text(s, 17, r->desa_input ? r->desa_input :
	    (r->desa ? r->desa : ""));
	if (r->duplicate_of > 0)
		sqlite3_bind_int64(s, 18, r->duplicate_of);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* The id statement s returns in its first row: 0 when none, -1 on error. */
static long long
first_id(struct store *st, sqlite3_stmt *s)
{
	long long id = 0;
	int rc = sqlite3_step(s);

	if (rc == SQLITE_ROW)
		id = sqlite3_column_int64(s, 0);
	else if (rc != SQLITE_DONE)
		id = store_fail(st, rc);
	sqlite3_reset(s);
	return id;
}

long long
store_record_same(struct store *st, const struct record *r)
{
	sqlite3_stmt *s = store_stmt(st, Q_RECORD_SAME);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, r->number);
	store_bind_text(s, 2, r->kind);
	store_bind_text(s, 3, r->desa ? r->desa : "");
	store_bind_text(s, 4, r->tanggal);
	store_bind_text(s, 5, r->jenis);
	return first_id(st, s);
}

int
store_ticket_add(struct store *st, const char *type, long long record_id,
    const char *number, long long now, long long *seq)
{
	sqlite3_stmt *s = store_stmt(st, Q_TICKET_NEXT);
	long long tid;
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, type);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return store_fail(st, rc);
	*seq = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if ((s = store_stmt(st, Q_TICKET_INSERT)) == NULL)
		return -1;
	store_bind_text(s, 1, type);
	sqlite3_bind_int64(s, 2, *seq);
	sqlite3_bind_int64(s, 3, record_id);
	store_bind_text(s, 4, number);
	sqlite3_bind_int64(s, 5, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	tid = sqlite3_last_insert_rowid(st->db);
	if ((s = store_stmt(st, Q_TICKET_HISTORY)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, tid);
	store_bind_text(s, 2, "baru");
	store_bind_text(s, 3, "");
	sqlite3_bind_int64(s, 4, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_ticket_get(struct store *st, const char *type, long long seq,
    struct ticket *t)
{
	sqlite3_stmt *s = store_stmt(st, Q_TICKET_GET);
	int rc;

	memset(t, 0, sizeof(*t));
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, type);
	sqlite3_bind_int64(s, 2, seq);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	store_col_copy(s, 0, t->number, sizeof(t->number));
	store_col_copy(s, 1, t->status, sizeof(t->status));
	store_col_copy(s, 2, t->note, sizeof(t->note));
	store_col_copy(s, 3, t->desa, sizeof(t->desa));
	sqlite3_reset(s);
	return 1;
}

int
store_record_get(struct store *st, long long id, struct record_info *r)
{
	sqlite3_stmt *s = store_stmt(st, Q_RECORD_GET);
	int rc;

	memset(r, 0, sizeof(*r));
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	store_col_copy(s, 0, r->number, sizeof(r->number));
	store_col_copy(s, 1, r->kind, sizeof(r->kind));
	store_col_copy(s, 2, r->state, sizeof(r->state));
	r->created_at = sqlite3_column_int64(s, 3);
	store_col_copy(s, 4, r->desa, sizeof(r->desa));
	store_col_copy(s, 5, r->tanggal, sizeof(r->tanggal));
	store_col_copy(s, 6, r->jenis, sizeof(r->jenis));
	store_col_copy(s, 7, r->flags, sizeof(r->flags));
	r->duplicate_of = sqlite3_column_int64(s, 8);
	store_col_copy(s, 9, r->review_note, sizeof(r->review_note));
	sqlite3_reset(s);
	return 1;
}

int
store_record_withdraw(struct store *st, long long id, long long now)
{
	return store_record_review(st, id, "withdrawn", "BATAL", now) < 0 ?
	    -1 : 0;
}

int
store_record_review(struct store *st, long long id, const char *state,
    const char *note, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_RECORD_REVIEW);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, state);
	sqlite3_bind_int64(s, 2, id);
	sqlite3_bind_int64(s, 3, now);
	store_bind_text(s, 4, note ? note : "");
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return sqlite3_changes(st->db) > 0;
}

long long
store_record_succeed(struct store *st, long long id, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_RECORD_SUCCESSOR);
	long long next;
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((next = first_id(st, s)) <= 0)
		return next;
	if (store_record_review(st, next, "counted", "counts in place of the "
	    "withdrawn report it repeats", now) < 0 ||
	    (s = store_stmt(st, Q_RECORD_REPOINT)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, next);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return next;
}

int
store_record_mark_repeat(struct store *st, long long id, long long of)
{
	sqlite3_stmt *s = store_stmt(st, Q_RECORD_MARK_REPEAT);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, of);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return sqlite3_changes(st->db) > 0;
}

int
store_contact_opt_out(struct store *st, const char *number,
    const char *number_raw, int opted_out, long long now)
{
	return store_contact_consent(st, number, number_raw, opted_out, now,
	    now, NULL, NULL) < 0 ? -1 : 0;
}

/* The opt-out that holds for number and when it was sent (0: unknown). */
static int
consent_get(struct store *st, const char *number, int *out, long long *at)
{
	sqlite3_stmt *s = store_stmt(st, Q_CONTACT_CONSENT_GET);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return store_fail(st, rc);
	if (out != NULL)
		*out = sqlite3_column_int(s, 0);
	if (at != NULL)
		*at = sqlite3_column_int64(s, 1);
	sqlite3_reset(s);
	return 0;
}

int
store_contact_consent(struct store *st, const char *number,
    const char *number_raw, int opted_out, long long sent_at, long long now,
    int *stands, long long *stands_at)
{
	sqlite3_stmt *s = store_stmt(st, Q_CONTACT_CONSENT);
	int rc, applied, now_out = 0;
	long long now_at = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	store_bind_text(s, 2, number_raw);
	sqlite3_bind_int(s, 3, opted_out);
	sqlite3_bind_int64(s, 4, now);
	sqlite3_bind_int64(s, 5, sent_at);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	applied = sqlite3_changes(st->db) > 0;
	if (consent_get(st, number, &now_out, &now_at) != 0)
		return -1;
	/* a new row may have taken a later consent kept for the number */
	if (now_out != opted_out)
		applied = 0;
	if (stands != NULL)
		*stands = now_out;
	if (stands_at != NULL)
		*stands_at = now_at;
	return applied;
}

int
store_contact_opted_out(struct store *st, const char *number)
{
	sqlite3_stmt *s = store_stmt(st, Q_CONTACT_OPTED_OUT);
	int rc, out = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		out = sqlite3_column_int(s, 0) != 0;
	else if (rc != SQLITE_DONE)
		out = store_fail(st, rc);
	sqlite3_reset(s);
	return out;
}

int
store_contact_set_desa(struct store *st, const char *number,
    const char *const *codes, int n)
{
	sqlite3_stmt *s;
	int rc, i;

	if ((s = store_stmt(st, Q_CONTACT_DESA_CLEAR)) == NULL)
		return -1;
	store_bind_text(s, 1, number);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	for (i = 0; i < n; i++) {
		if ((s = store_stmt(st, Q_CONTACT_DESA_ADD)) == NULL)
			return -1;
		store_bind_text(s, 1, number);
		store_bind_text(s, 2, codes[i]);
		if ((rc = sqlite3_step(s)) != SQLITE_DONE)
			return store_fail(st, rc);
	}
	if ((s = store_stmt(st, Q_CONTACT_DESA_PRIMARY)) == NULL)
		return -1;
	store_bind_text(s, 1, number);
	store_bind_text(s, 2, n > 0 ? codes[0] : "");
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_contact_has_desa(struct store *st, const char *number, const char *code)
{
	sqlite3_stmt *s = store_stmt(st, Q_CONTACT_HAS_DESA);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	store_bind_text(s, 2, code);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return store_fail(st, rc);
}

int
store_contact_only_desa(struct store *st, const char *number, char *code,
    size_t cap)
{
	sqlite3_stmt *s = store_stmt(st, Q_CONTACT_DESA_FIRST);
	int rc, n = 0;

	code[0] = '\0';
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (n++ == 0)
			store_col_copy(s, 0, code, cap);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	if (n != 1)
		code[0] = '\0';
	return n;
}

/* Move ticket tid to village desa; the one it had goes to was ("" when
 * it stays). 0 or -1. */
static int
ticket_move(struct store *st, long long tid, const char *desa, char *was,
    size_t cap)
{
	sqlite3_stmt *s = store_stmt(st, Q_TICKET_DESA_OF);
	int rc;

	was[0] = '\0';
	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, tid);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return store_fail(st, rc);
	store_col_copy(s, 0, was, cap);
	sqlite3_reset(s);
	if (strcmp(was, desa) == 0) {
		was[0] = '\0';
		return 0;
	}
	if ((s = store_stmt(st, Q_TICKET_MOVE)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, tid);
	store_bind_text(s, 2, desa);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_ticket_update(struct store *st, const char *type, long long seq,
    const char *status, const char *note, const char *desa, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_TICKET_SET);
	char was[DESA_MAX] = "";
	long long tid;
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, type);
	sqlite3_bind_int64(s, 2, seq);
	store_bind_text(s, 3, status);
	sqlite3_bind_int64(s, 4, now);
	rc = sqlite3_step(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return store_fail(st, rc);
	tid = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	if (desa != NULL && ticket_move(st, tid, desa, was, sizeof(was)) != 0)
		return -1;
	if ((s = store_stmt(st, Q_TICKET_HISTORY)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, tid);
	store_bind_text(s, 2, status);
	store_bind_text(s, 3, note ? note : "");
	sqlite3_bind_int64(s, 4, now);
	store_bind_text(s, 5, was[0] ? was : NULL);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 1;
}

int
store_contact_rename(struct store *st, const char *number, const char *name,
    long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_CONTACT_RENAME);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	store_bind_text(s, 2, name);
	sqlite3_bind_int64(s, 3, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_contact_desa_list(struct store *st, const char *number,
    char (*codes)[DESA_MAX], int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_CONTACT_DESA_LIST);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, number);
	return store_step_codes(st, s, codes, max);
}

int
store_contact_remove(struct store *st, const char *number)
{
	static const enum stmt_id steps[] = { Q_CONTACT_CONSENT_KEEP,
	    Q_CONTACT_REMOVE };
	sqlite3_stmt *s;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		if ((s = store_stmt(st, steps[i])) == NULL)
			return -1;
		store_bind_text(s, 1, number);
		if ((rc = sqlite3_step(s)) != SQLITE_DONE)
			return store_fail(st, rc);
	}
	return sqlite3_changes(st->db) > 0;
}
