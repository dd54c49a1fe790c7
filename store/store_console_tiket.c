/* store_console_tiket: the console's tickets: the list with its filters,
 * one ticket with its history, and the SMS its filer was sent about it. */
#include "store/store_console.h"
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* A filter is a fixed SQL fragment, one when it is set and one when not:
 * the planner sees only the conditions that hold (an index on status is
 * of no use behind "?1 = '' OR status = ?1"), and every parameter is
 * still named. No typed value ever becomes SQL. */
static const struct {
	const char *set, *unset;
} ticket_where[] = {
	{ " AND t.status = ?1", " AND ?1 = ''" },
	{ " AND r.desa = ?2", " AND ?2 = ''" },
	{ " AND r.desa LIKE ?3 || '.%'", " AND ?3 = ''" },
	{ " AND r.desa LIKE ?4 || '.%'", " AND ?4 = ''" },
	{ " AND instr(lower(r.isi), lower(?5)) > 0", " AND ?5 = ''" },
};

int
store_console_tickets(struct store *st, const struct console_tickets *f,
    int max, export_row_fn fn, void *arg)
{
	char sql[2048], from[24], to[24], before[24], n[16];
	const char *p[9] = { f->status, f->desa, f->kec, f->camat, f->q,
	    from, to, before, n };
	size_t i, o;

	o = (size_t)snprintf(sql, sizeof(sql),
	    "SELECT t.id, t.type || '-' || t.seq, t.type, t.status, r.desa,"
	    " COALESCE(v.name, r.desa), r.isi, t.number, t.created_at,"
	    " t.updated_at FROM tickets t JOIN records r ON r.id = t.record_id"
	    " LEFT JOIN villages v ON v.code = r.desa"
	    " WHERE t.id < CAST(?8 AS INTEGER)"
	    " AND t.created_at >= CAST(?6 AS INTEGER)"
	    " AND t.created_at < CAST(?7 AS INTEGER)");
	for (i = 0; i < sizeof(ticket_where) / sizeof(ticket_where[0]); i++)
		o += (size_t)snprintf(sql + o, sizeof(sql) - o, "%s",
		    p[i][0] != '\0' ? ticket_where[i].set :
		    ticket_where[i].unset);
	snprintf(sql + o, sizeof(sql) - o,
	    " ORDER BY t.id DESC LIMIT CAST(?9 AS INTEGER)");
	snprintf(from, sizeof(from), "%lld", f->from);
	snprintf(to, sizeof(to), "%lld", f->to > 0 ? f->to : (1LL << 62));
	snprintf(before, sizeof(before), "%lld", f->before > 0 ? f->before :
	    (1LL << 62));
	snprintf(n, sizeof(n), "%d", max);
	return store_rows(st, sql, p, 9, fn, arg);
}

int
store_console_ticket(struct store *st, const char *type, long long seq,
    const char *camat, export_row_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT t.id, t.type || '-' || t.seq, t.type, t.status, t.number,"
	    " COALESCE(c.name, ''), r.desa, COALESCE(v.name, ''),"
	    " COALESCE(v.kecamatan, ''), COALESCE(r.perdes, ''),"
	    " COALESCE(r.isi, ''), t.created_at, t.updated_at,"
	    " COALESCE(r.message_id, ''), COALESCE(m.text, ''),"
	    " COALESCE(m.received_at, ''), COALESCE((SELECT h.note FROM"
	    "  ticket_history h WHERE h.ticket_id = t.id ORDER BY h.id DESC"
	    "  LIMIT 1), '')"
	    " FROM tickets t JOIN records r ON r.id = t.record_id"
	    " LEFT JOIN villages v ON v.code = r.desa"
	    " LEFT JOIN contacts c ON c.number = t.number"
	    " LEFT JOIN messages m ON m.id = r.message_id"
	    " WHERE t.type = ?1 AND t.seq = CAST(?2 AS INTEGER)"
	    " AND (?3 = '' OR r.desa LIKE ?3 || '.%')";
	char s[24];
	const char *p[3] = { type, s, camat };

	snprintf(s, sizeof(s), "%lld", seq);
	return store_rows(st, sql, p, 3, fn, arg);
}

int
store_console_ticket_history(struct store *st, const char *ticket_id,
    export_row_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT h.status, h.note, h.at, COALESCE(h.desa_was, ''),"
	    " COALESCE(v.name, '') FROM ticket_history h"
	    " LEFT JOIN villages v ON v.code = h.desa_was"
	    " WHERE h.ticket_id = CAST(?1 AS INTEGER) ORDER BY h.id";
	const char *p[1] = { ticket_id };

	return store_rows(st, sql, p, 1, fn, arg);
}

int
store_console_ticket_sms(struct store *st, const char *number,
    const char *name, const char *message_id, export_row_fn fn, void *arg)
{
	/* the answer to the SMS that filed it, and every piece of news
	 * (purpose "ticket", action_ticket_update) that names it: ADU-1,
	 * not ADU-12 */
	static const char sql[] =
	    "SELECT o.purpose, o.state, o.text, o.created_at,"
	    " COALESCE(o.sent_at, ''), COALESCE(o.delivered_at, ''),"
	    " COALESCE(o.reason, o.last_error, '') FROM outbox o"
	    " WHERE o.number = ?1 AND ((o.purpose = 'reply' AND ?3 != ''"
	    "  AND o.message_id = CAST(?3 AS INTEGER)) OR (o.purpose = 'ticket'"
	    "  AND (o.text GLOB '*' || ?2 || '[^0-9]*'"
	    "  OR o.text GLOB '*' || ?2)))"
	    " ORDER BY o.id";
	const char *p[3] = { number, name, message_id };

	return store_rows(st, sql, p, 3, fn, arg);
}
