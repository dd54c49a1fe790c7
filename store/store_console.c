/* store_console: the console's reads that every page shares, and the
 * day's overview. */
#include "store/store_console.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ROW_COLS	32

int
store_rows(struct store *st, const char *sql, const char *const *params,
    int n, export_row_fn fn, void *arg)
{
	sqlite3_stmt *s;
	const char *v[ROW_COLS];
	int rc, i, ncols, rows = 0;

	if ((rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL)) != SQLITE_OK)
		return store_fail(st, rc);
	for (i = 0; i < n; i++)
		store_bind_text(s, i + 1, params[i]);
	ncols = sqlite3_column_count(s);
	if (ncols > ROW_COLS)
		ncols = ROW_COLS;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (i = 0; i < ncols; i++) {
			v[i] = (const char *)sqlite3_column_text(s, i);
			if (v[i] == NULL)
				v[i] = "";
		}
		if (fn(arg, ++rows, ncols, v) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	return rows;
}

static int
one_row(void *arg, int row, int ncols, const char *const *v)
{
	long long *out = arg;
	int i;

	(void)row;
	for (i = 0; i < ncols; i++)
		out[i] = strtoll(v[i], NULL, 10);
	return 1;
}

/* A camat sees the villages of a kecamatan: their codes start with its
 * code and a dot. */
#define IN_KEC(col) "(?2 = '' OR " col " LIKE ?2 || '.%')"

int
store_console_today(struct store *st, long long day_start, const char *kec,
    struct console_today *t)
{
	static const char sql[] =
	    "SELECT"
	    " CASE WHEN ?2 = '' THEN (SELECT COUNT(*) FROM tickets"
	    "   WHERE status = 'baru') ELSE (SELECT COUNT(*) FROM tickets t"
	    "   JOIN records r ON r.id = t.record_id WHERE t.status = 'baru'"
	    "   AND " IN_KEC("r.desa") ") END,"
	    " (SELECT COUNT(*) FROM tickets t JOIN records r"
	    "   ON r.id = t.record_id WHERE t.created_at >= CAST(?1 AS INTEGER)"
	    "   AND " IN_KEC("r.desa") "),"
	    " (SELECT COALESCE(SUM(received), 0) FROM modem_days"
	    "   WHERE day = ?3),"
	    " (SELECT COALESCE(SUM(n), 0) FROM row_counts WHERE tbl = 'out'"
	    "   AND state IN ('failed', 'dead'))";
	char day[24], date[16];
	const char *p[3] = { day, kec, date };
	time_t tt = (time_t)day_start;
	struct tm tm;
	long long v[4] = { 0, 0, 0, 0 };

	snprintf(day, sizeof(day), "%lld", day_start);
	localtime_r(&tt, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	if (store_rows(st, sql, p, 3, one_row, v) < 0)
		return -1;
	t->tickets_new = v[0];
	t->tickets_today = v[1];
	t->received_today = v[2];
	t->failed_out = v[3];
	return 0;
}

int
store_console_new_tickets(struct store *st, const char *kec, int max,
    export_row_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT t.type || '-' || t.seq, COALESCE(v.name, r.desa), r.isi,"
	    " t.created_at FROM tickets t JOIN records r ON r.id = t.record_id"
	    " LEFT JOIN villages v ON v.code = r.desa"
	    " WHERE t.status = 'baru' AND " IN_KEC("r.desa")
	    " ORDER BY t.id DESC LIMIT CAST(?1 AS INTEGER)";
	char n[16];
	const char *p[2] = { n, kec };

	snprintf(n, sizeof(n), "%d", max);
	return store_rows(st, sql, p, 2, fn, arg);
}

int
store_console_month_kinds(struct store *st, long long month_start,
    long long last_month_start, const char *kec, export_row_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT kind, SUM(created_at >= CAST(?1 AS INTEGER)),"
	    " SUM(created_at < CAST(?1 AS INTEGER)) FROM records"
	    " WHERE created_at >= CAST(?3 AS INTEGER) AND state = 'counted'"
	    " AND " IN_KEC("desa") " GROUP BY kind ORDER BY kind";
	char m[24], lm[24];
	const char *p[3] = { m, kec, lm };

	snprintf(m, sizeof(m), "%lld", month_start);
	snprintf(lm, sizeof(lm), "%lld", last_month_start);
	return store_rows(st, sql, p, 3, fn, arg);
}
