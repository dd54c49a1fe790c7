/* store_console_laporan: the console's reads of the records table, the
 * facilitators' reports, newest first. */
#include "store/store_console.h"
#include "store/store_int.h"

#include <stdio.h>

/* The columns LR_* of store_console.h; r the records, v its village, c
 * its sender. */
#define LAPORAN_COLS \
	"r.id, r.kind, r.desa, COALESCE(v.name, r.desa)," \
	" COALESCE(r.tanggal, ''), r.laki, r.perempuan, r.jumlah," \
	" COALESCE(r.jenis, ''), COALESCE(NULLIF(r.topik, ''), NULLIF(r.isi, '')," \
	" r.catatan, ''), r.number, COALESCE(c.name, ''), r.state, r.flags," \
	" r.review_note, r.created_at"
#define LAPORAN_FROM \
	" FROM records r LEFT JOIN villages v ON v.code = r.desa" \
	" LEFT JOIN contacts c ON c.number = r.number"
/* A camat sees the villages of a kecamatan: their codes start with its
 * code and a dot. */
#define IN_KEC(p) "(" p " = '' OR r.desa LIKE " p " || '.%')"

int
store_console_laporan(struct store *st, const struct laporan_filter *f,
    long long before, int max, export_row_fn fn, void *arg)
{
	/* By id downward: the primary key serves the order and the cursor;
	 * the filters are checked on the way. */
	static const char sql[] =
	    "SELECT " LAPORAN_COLS LAPORAN_FROM
	    " WHERE r.id < CAST(?1 AS INTEGER) AND " IN_KEC("?2")
	    " AND (?3 = '' OR r.desa = ?3)"
	    " AND (?4 = '' OR substr(COALESCE(r.tanggal, strftime('%Y-%m-%d',"
	    "  r.created_at, 'unixepoch', 'localtime')), 1, 7) = ?4)"
	    " AND (?5 = '' OR (r.flags != '' AND"
	    "  instr(' ' || r.flags || ' ', ' ' || ?5 || ' ')))"
	    " AND (?6 = '' OR r.state = ?6) AND (?7 = '' OR r.kind = ?7)"
	    " ORDER BY r.id DESC LIMIT CAST(?8 AS INTEGER)";
	char cur[24], n[16];
	const char *p[8] = { cur, f->kec, f->desa, f->month, f->flag,
	    f->state, f->kind, n };

	snprintf(cur, sizeof(cur), "%lld", before > 0 ? before :
	    9223372036854775807LL);
	snprintf(n, sizeof(n), "%d", max);
	return store_rows(st, sql, p, 8, fn, arg);
}

int
store_console_laporan_one(struct store *st, long long id, const char *kec,
    export_row_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT " LAPORAN_COLS ", r.desa_input, COALESCE(r.topik, ''),"
	    " COALESCE(r.catatan, ''), COALESCE(r.isi, ''),"
	    " COALESCE(r.perdes, ''), COALESCE(r.duplicate_of, ''),"
	    " COALESCE(r.reviewed_at, ''), COALESCE(t.type || '-' || t.seq, ''),"
	    " COALESCE(CAST(m.text AS TEXT), ''), COALESCE(m.received_at, ''),"
	    " COALESCE(m.smsc_time, ''), COALESCE(o.text, ''),"
	    " COALESCE(o.state, '')" LAPORAN_FROM
	    " LEFT JOIN tickets t ON t.record_id = r.id"
	    " LEFT JOIN messages m ON m.id = r.message_id"
	    " LEFT JOIN outbox o ON o.message_id = r.message_id"
	    " WHERE r.id = CAST(?1 AS INTEGER) AND " IN_KEC("?2");
	char key[24];
	const char *p[2] = { key, kec };

	snprintf(key, sizeof(key), "%lld", id);
	return store_rows(st, sql, p, 2, fn, arg);
}
