/*
 * The console's messages: what came in (messages), what goes out
 * (outbox), and one number's conversation of both. Lists are keyset
 * pages on the row id; a number's rows come by its index
 * (messages_by_number, outbox_by_number). A text search cannot use an
 * index, so without a number it reads only the newest PESAN_SCAN_MAX
 * rows: the page says so.
 */
#include "store/store_console.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* One list's SQL: the table, its columns, its time column. */
struct pesan_table {
	const char *table, *columns, *time;
};

static const struct pesan_table inbound = { "messages",
	"id, number, received_at, text, state, kind, error, note, channel",
	"received_at" };
static const struct pesan_table outbound = { "outbox",
	"id, number, text, purpose, state, reason, last_error, created_at,"
	" sent_at, delivered_at, parts", "created_at" };

/* text with LIKE's own characters escaped by '\', for "%text%". */
static void
like_pattern(const char *text, char *out, size_t cap)
{
	size_t n = 0;

	if (cap < 4)
		return;
	out[n++] = '%';
	for (; *text && n + 3 < cap; text++) {
		if (*text == '%' || *text == '_' || *text == '\\')
			out[n++] = '\\';
		out[n++] = *text;
	}
	out[n++] = '%';
	out[n] = '\0';
}

/*
 * The page of t below f->cursor that f picks. Parameters: ?1 cursor,
 * ?2 number, ?3 from, ?4 to, ?5 the pattern, ?6 the scan bound, ?7 the
 * limit. Each condition is added only when it is set, so the planner
 * sees the number's equality (its index) and no OR around it.
 */
static int
pesan_list(struct store *st, const struct pesan_table *t,
    const struct pesan_filter *f, export_row_fn fn, void *arg)
{
	char sql[1024], cur[24], from[24], to[24], pat[PESAN_TEXT_MAX * 2 + 4],
	    bound[24], lim[16];
	const char *p[7] = { cur, f->number, from, to, pat, bound, lim };
	size_t n;

	n = (size_t)snprintf(sql, sizeof(sql), "SELECT %s FROM %s WHERE 1",
	    t->columns, t->table);
	if (f->cursor > 0)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n,
		    " AND id < CAST(?1 AS INTEGER)");
	if (f->number[0] != '\0')
		n += (size_t)snprintf(sql + n, sizeof(sql) - n,
		    " AND number = ?2");
	if (f->from > 0)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n,
		    " AND %s >= CAST(?3 AS INTEGER)", t->time);
	if (f->to > 0)
		n += (size_t)snprintf(sql + n, sizeof(sql) - n,
		    " AND %s < CAST(?4 AS INTEGER)", t->time);
	if (f->text[0] != '\0')
		n += (size_t)snprintf(sql + n, sizeof(sql) - n,
		    " AND CAST(text AS TEXT) LIKE ?5 ESCAPE '\\'");
	if (f->text[0] != '\0' && f->number[0] == '\0')
		n += (size_t)snprintf(sql + n, sizeof(sql) - n,
		    " AND id > (SELECT MAX(id) FROM %s) - CAST(?6 AS INTEGER)",
		    t->table);
	if (n + 64 >= sizeof(sql))
		return -1;
	snprintf(sql + n, sizeof(sql) - n,
	    " ORDER BY id DESC LIMIT CAST(?7 AS INTEGER)");
	snprintf(cur, sizeof(cur), "%lld", f->cursor);
	snprintf(from, sizeof(from), "%lld", f->from);
	snprintf(to, sizeof(to), "%lld", f->to);
	like_pattern(f->text, pat, sizeof(pat));
	snprintf(bound, sizeof(bound), "%d", PESAN_SCAN_MAX);
	snprintf(lim, sizeof(lim), "%d", f->limit);
	return store_rows(st, sql, p, 7, fn, arg);
}

int
store_console_inbound(struct store *st, const struct pesan_filter *f,
    export_row_fn fn, void *arg)
{
	return pesan_list(st, &inbound, f, fn, arg);
}

int
store_console_outbound(struct store *st, const struct pesan_filter *f,
    export_row_fn fn, void *arg)
{
	return pesan_list(st, &outbound, f, fn, arg);
}

/*
 * Both ways, newest first, by (time, direction, id): a reply queued in
 * the second its message came shows above it. Each arm reads its number
 * index from the cursor's time down; the merge takes the first limit.
 */
int
store_console_conversation(struct store *st, const char *number,
    const struct conversation_cursor *c, int limit, export_row_fn fn,
    void *arg)
{
	static const char sql[] =
	    "SELECT * FROM ("
	    " SELECT 'in' AS dir, id, received_at AS t, text, state, kind,"
	    "  error, note, NULL, NULL FROM messages"
	    " WHERE number = ?1 AND received_at <= CAST(?2 AS INTEGER)"
	    "  AND NOT (received_at = CAST(?2 AS INTEGER) AND"
	    "   (CAST(?3 AS INTEGER) < 0 OR (CAST(?3 AS INTEGER) = 0 AND"
	    "    id >= CAST(?4 AS INTEGER))))"
	    " ORDER BY received_at DESC, id DESC LIMIT CAST(?5 AS INTEGER))"
	    " UNION ALL SELECT * FROM ("
	    " SELECT 'out', id, created_at, text, state, purpose, reason,"
	    "  last_error, sent_at, delivered_at FROM outbox"
	    " WHERE number = ?1 AND created_at <= CAST(?2 AS INTEGER)"
	    "  AND NOT (created_at = CAST(?2 AS INTEGER) AND"
	    "   (CAST(?3 AS INTEGER) < 1 OR (CAST(?3 AS INTEGER) = 1 AND"
	    "    id >= CAST(?4 AS INTEGER))))"
	    " ORDER BY created_at DESC, id DESC LIMIT CAST(?5 AS INTEGER))"
	    " ORDER BY t DESC, dir DESC, id DESC LIMIT CAST(?5 AS INTEGER)";
	char t[24], d[8], id[24], lim[16];
	const char *p[5] = { number, t, d, id, lim };

	snprintf(t, sizeof(t), "%lld", c->t);
	snprintf(d, sizeof(d), "%d", c->dir);
	snprintf(id, sizeof(id), "%lld", c->id);
	snprintf(lim, sizeof(lim), "%d", limit);
	return store_rows(st, sql, p, 5, fn, arg);
}
