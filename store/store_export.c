/* Exports: records, tickets and messages as rows of text, times local. */
#include "store/store_int.h"

#include <stdio.h>

#define LOCALTIME(col) "strftime('%Y-%m-%d %H:%M:%S', " col \
	", 'unixepoch', 'localtime')"

/* One export: its SQL takes ?1 = from and ?2 = to (Unix seconds). */
static const char *const export_sql[] = {
	[EXPORT_RECORDS] =
	"SELECT 'R-' || r.id AS nomor, " LOCALTIME("r.created_at")
	" AS created_at, r.number, r.kind, r.desa, r.tanggal, r.jenis,"
	" r.laki, r.perempuan, r.jumlah, r.topik, r.isi, r.catatan, r.perdes,"
	" COALESCE(t.type || '-' || t.seq, '') AS tiket, r.state, r.flags,"
	" r.message_id FROM records r LEFT JOIN tickets t ON t.record_id = r.id"
	" WHERE r.created_at >= ?1 AND r.created_at < ?2 ORDER BY r.id",
	[EXPORT_MESSAGES] =
	"SELECT id, direction, number, text, state, created_at, kind, detail"
	" FROM ("
	" SELECT id, 'in' AS direction, number, CAST(text AS TEXT) AS text,"
	"  state, received_at AS t, " LOCALTIME("received_at") " AS created_at,"
	"  COALESCE(kind, '') AS kind,"
	"  TRIM(COALESCE(error, '') || ' ' || COALESCE(note, '')) AS detail"
	"  FROM messages"
	" UNION ALL"
	" SELECT id, 'out', number, text, state, created_at, "
	LOCALTIME("created_at") ", purpose, COALESCE(last_error, '')"
	"  FROM outbox)"
	" WHERE t >= ?1 AND t < ?2 ORDER BY t, direction, id",
	[EXPORT_TICKETS] =
	"SELECT t.type || '-' || t.seq AS tiket, t.status, t.number, r.desa,"
	" COALESCE(r.perdes, '') AS perdes, r.isi, "
	LOCALTIME("t.created_at") " AS created_at, "
	LOCALTIME("t.updated_at") " AS updated_at"
	" FROM tickets t JOIN records r ON r.id = t.record_id"
	" WHERE t.created_at >= ?1 AND t.created_at < ?2 ORDER BY t.id",
	[EXPORT_CONTACTS] =
	"SELECT number, name, role, desa, opted_out, number_raw, "
	LOCALTIME("updated_at") " AS updated_at FROM contacts"
	" WHERE created_at >= ?1 AND created_at < ?2 ORDER BY role, desa, number",
};

int
store_export(struct store *st, enum export_kind kind, long long from,
    long long to, export_row_fn fn, void *arg)
{
	sqlite3_stmt *s;
	const char *vals[32];
	int rc, i, n, row = 0;

	rc = sqlite3_prepare_v2(st->db, export_sql[kind], -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc);
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to > 0 ? to : 1LL << 62);
	n = sqlite3_column_count(s);
	if (n > 32)
		n = 32;
	for (i = 0; i < n; i++)
		vals[i] = sqlite3_column_name(s, i);
	if (fn(arg, row++, n, vals) != 0)
		goto done;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		for (i = 0; i < n; i++) {
			const unsigned char *v = sqlite3_column_text(s, i);

			vals[i] = v ? (const char *)v : "";
		}
		if (fn(arg, row++, n, vals) != 0)
			goto done;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, rc);
		sqlite3_finalize(s);
		return -1;
	}
done:
	sqlite3_finalize(s);
	return 0;
}
