/*
 * Exports and reports: rows of text for CSV, JSON or a terminal table.
 * Times are shown in the configured zone. Each query takes named
 * parameters (:from, :to, :status, ...) from a struct export_filter.
 */
#include "store/store_int.h"

#include <stdio.h>
#include <string.h>

/* A time (Unix seconds) in the local month :month: a range, which an
 * index serves (strftime('%Y-%m', col, ...) = :month read every row).
 * Beside it a ticket's type is written +t.type: a month is a small part
 * of the tickets, a type half of them, and the planner must not pick
 * the type's index. */
#define IN_LOCALMONTH(col) col " >= CAST(strftime('%s', :month || '-01'," \
	" 'utc') AS INTEGER) AND " col " < CAST(strftime('%s', :month ||" \
	" '-01', '+1 month', 'utc') AS INTEGER)"
/* A meeting date (YYYY-MM-DD) in :month: a range, which an index serves */
#define MONTH_DATES(col) col " >= :month || '-01' AND " col " <= :month || '-31'"

/* What the monthly report counts, one row per fact: reports by their
 * meeting date (counted ones; those waiting for the office as
 * 'menunggu'), tickets by the dates they were opened and closed (the
 * change to selesai: a later note or village corrected, its status
 * still selesai, closes nothing again), and the villages facilitators
 * are assigned to (no count: they make a kecamatan appear with nothing
 * sent). */
#define REPORT_ACT \
	"act(desa, k, jenis, laki, perempuan, jumlah) AS MATERIALIZED (" \
	" SELECT desa, kind, jenis, laki, perempuan, jumlah FROM records" \
	"  WHERE kind IN ('rapat', 'kader') AND state = 'counted'" \
	"  AND " MONTH_DATES("tanggal") \
	" UNION ALL SELECT desa, 'menunggu', NULL, 0, 0, 0 FROM records" \
	"  WHERE kind IN ('rapat', 'kader') AND state = 'not_counted'" \
	"  AND " MONTH_DATES("tanggal") \
	" UNION ALL SELECT r.desa, 'aduan_masuk', NULL, 0, 0, 0 FROM tickets t" \
	"  JOIN records r ON r.id = t.record_id WHERE +t.type = 'ADU'" \
	"  AND " IN_LOCALMONTH("t.created_at") \
	" UNION ALL SELECT r.desa, 'aduan_selesai', NULL, 0, 0, 0 FROM (" \
	"  SELECT DISTINCT h.ticket_id FROM ticket_history h" \
	"  WHERE h.status = 'selesai' AND " IN_LOCALMONTH("h.at") \
	"  AND (SELECT p.status FROM ticket_history p" \
	"   WHERE p.ticket_id = h.ticket_id AND p.id < h.id" \
	"   ORDER BY p.id DESC LIMIT 1) IS NOT 'selesai') s" \
	"  JOIN tickets t ON t.id = s.ticket_id" \
	"  JOIN records r ON r.id = t.record_id WHERE +t.type = 'ADU'" \
	" UNION ALL SELECT r.desa, 'aspirasi', NULL, 0, 0, 0 FROM tickets t" \
	"  JOIN records r ON r.id = t.record_id WHERE +t.type = 'ASP'" \
	"  AND " IN_LOCALMONTH("t.created_at") \
	" UNION ALL SELECT d.desa, 'assigned', NULL, 0, 0, 0" \
	"  FROM contact_desa d JOIN contacts c ON c.number = d.number" \
	"  WHERE c.role = 'pendamping')"
/* The counts of act's rows, as REPORT_COLS names them. */
#define REPORT_SUMS \
	"  SUM(k IS 'rapat') AS rapat," \
	"  SUM(CASE WHEN k IS 'rapat' THEN laki ELSE 0 END) AS laki," \
	"  SUM(CASE WHEN k IS 'rapat' THEN perempuan ELSE 0 END) AS perempuan," \
	"  SUM(CASE WHEN k IS 'kader' THEN jumlah ELSE 0 END) AS kader," \
	"  SUM(k IS 'aduan_masuk') AS aduan_masuk," \
	"  SUM(k IS 'aduan_selesai') AS aduan_selesai," \
	"  SUM(k IS 'aspirasi') AS aspirasi," \
	"  SUM(jenis IS 'RPJM') AS rpjm, SUM(jenis IS 'RKP') AS rkp," \
	"  SUM(jenis IS 'APB') AS apb, SUM(jenis IS 'PERDES') AS perdes," \
	"  SUM(jenis IS 'SOS') AS sos, SUM(jenis IS 'EVAL') AS eval," \
	"  SUM(jenis IS 'KAD') AS kad, SUM(jenis IS 'LAIN') AS lain," \
	"  SUM(k IS 'menunggu') AS menunggu"
/* The report's counts, after kecamatan, kode and desa (README). */
#define REPORT_COLS "rapat, laki, perempuan, kader, aduan_masuk," \
	" aduan_selesai, aspirasi, rpjm, rkp, apb, perdes, sos, eval, kad," \
	" lain, menunggu"

static const char *const export_sql[] = {
	[EXPORT_RECORDS] =
	"SELECT 'R-' || r.id AS nomor, " LOCALTIME("r.created_at")
	" AS created_at, COALESCE(" LOCALTIME("m.received_at") ", '') AS"
	" received_at, COALESCE(" LOCALTIME("m.smsc_time") ", '') AS smsc_time,"
	" r.number, r.kind, r.desa, COALESCE(v.name, '') AS"
	" nama_desa, r.tanggal, r.jenis, r.laki, r.perempuan, r.jumlah,"
	" r.topik, r.isi, r.catatan, r.perdes,"
	" COALESCE(t.type || '-' || t.seq, '') AS tiket, r.state, r.flags,"
	" r.message_id FROM records r LEFT JOIN tickets t ON t.record_id = r.id"
	" LEFT JOIN villages v ON v.code = r.desa"
	" LEFT JOIN messages m ON m.id = r.message_id"
	" WHERE r.created_at >= :from AND r.created_at < :to ORDER BY r.id",
	[EXPORT_MESSAGES] =
	"SELECT id, direction, number, text, state, created_at, smsc_time, kind,"
	" detail FROM ("
	" SELECT id, 'in' AS direction, number, CAST(text AS TEXT) AS text,"
	"  state, received_at AS t, " LOCALTIME("received_at") " AS created_at,"
	"  COALESCE(" LOCALTIME("smsc_time") ", '') AS smsc_time,"
	"  COALESCE(kind, '') AS kind,"
	"  TRIM(COALESCE(error, '') || ' ' || COALESCE(note, '')) AS detail"
	"  FROM messages"
	" UNION ALL"
	" SELECT id, 'out', number, text, state, created_at, "
	LOCALTIME("created_at") ", '', purpose,"
	"  CASE state WHEN 'withheld' THEN reason ELSE COALESCE(last_error, '')"
	"  END FROM outbox)"
	" WHERE t >= :from AND t < :to ORDER BY t, direction, id",
	[EXPORT_TICKETS] =
	"SELECT t.type || '-' || t.seq AS tiket, t.status, t.number, r.desa,"
	" COALESCE(v.name, '') AS nama_desa, COALESCE(r.perdes, '') AS perdes,"
	" r.isi, " LOCALTIME("t.created_at") " AS created_at, "
	LOCALTIME("t.updated_at") " AS updated_at"
	" FROM tickets t JOIN records r ON r.id = t.record_id"
	" LEFT JOIN villages v ON v.code = r.desa"
	" WHERE t.created_at >= :from AND t.created_at < :to"
	" AND (:status IS NULL OR t.status = :status)"
	" AND (:desa IS NULL OR r.desa = :desa)"
	" AND (:code IS NULL OR t.type || '-' || t.seq = :code) ORDER BY t.id",
	/* The columns contacts import reads back (and opted_out, which it
	 * never changes); the first village first. */
	[EXPORT_CONTACTS] =
	"SELECT c.number, c.name, c.role,"
	" c.desa || COALESCE((SELECT ';' || group_concat(d.desa, ';')"
	"  FROM contact_desa d WHERE d.number = c.number"
	"  AND d.desa != c.desa), '') AS desa, c.opted_out"
	" FROM contacts c WHERE c.created_at >= :from AND c.created_at < :to"
	" AND (:role IS NULL OR c.role = :role)"
	" AND (:desa IS NULL OR EXISTS (SELECT 1 FROM contact_desa d"
	"  WHERE d.number = c.number AND d.desa = :desa))"
	" ORDER BY c.role, c.desa, c.number",
	[EXPORT_PERDES] =
	"SELECT p.code, p.desa, COALESCE(v.name, '') AS nama_desa, p.title,"
	" p.until, p.state, (SELECT COUNT(*) FROM records r WHERE"
	" r.kind = 'aspirasi' AND r.perdes = p.code AND r.desa = p.desa)"
	" AS aspirasi FROM perdes p LEFT JOIN villages v ON v.code = p.desa"
	" ORDER BY p.state DESC, p.desa, p.code",
	[EXPORT_ASPIRATIONS] =
	"SELECT t.type || '-' || t.seq AS tiket,"
	" strftime('%Y-%m-%d', t.created_at, 'unixepoch', 'localtime') AS"
	" tanggal, r.perdes, r.desa, COALESCE(v.name, '') AS nama_desa,"
	" t.number, r.isi, t.status FROM tickets t"
	" JOIN records r ON r.id = t.record_id"
	" LEFT JOIN villages v ON v.code = r.desa"
	" WHERE t.type = 'ASP' AND r.perdes = :code"
	" AND (:desa IS NULL OR r.desa = :desa) ORDER BY t.id",
	[EXPORT_HISTORY] =
	"SELECT h.status, " LOCALTIME("h.at") " AS at, h.note,"
	" COALESCE(h.desa_was, '') AS desa_was"
	" FROM ticket_history h JOIN tickets t ON t.id = h.ticket_id"
	" WHERE t.type || '-' || t.seq = :code ORDER BY h.id",
	/* One row per village of a kecamatan (:kecamatan, its code), then
	 * its totals (desa JUMLAH, kode empty); with :kecamatan '', the
	 * villages of the month's activity that the list does not know. */
	[EXPORT_REPORT] =
	"WITH " REPORT_ACT ","
	" vil(kecamatan, kode, desa) AS ("
	"  SELECT kecamatan, code, name FROM villages WHERE :kecamatan != ''"
	"  AND code > :kecamatan || '.' AND code < :kecamatan || '/'"
	"  UNION SELECT '', a.desa, a.desa FROM act a WHERE :kecamatan = ''"
	"  AND NOT EXISTS (SELECT 1 FROM villages v WHERE v.code = a.desa)),"
	" r AS (SELECT v.kecamatan, v.kode, v.desa, " REPORT_SUMS
	"  FROM vil v LEFT JOIN act a ON a.desa = v.kode GROUP BY v.kode)"
	" SELECT kecamatan, kode, desa, " REPORT_COLS " FROM ("
	"  SELECT 0 AS o, * FROM r UNION ALL"
	"  SELECT 1, MAX(kecamatan), '', 'JUMLAH', SUM(rapat), SUM(laki),"
	"  SUM(perempuan), SUM(kader), SUM(aduan_masuk), SUM(aduan_selesai),"
	"  SUM(aspirasi), SUM(rpjm), SUM(rkp), SUM(apb), SUM(perdes), SUM(sos),"
	"  SUM(eval), SUM(kad), SUM(lain), SUM(menunggu) FROM r)"
	" ORDER BY o, kode",
	/* Every kecamatan's totals (EXPORT_REPORT's JUMLAH rows) in one
	 * pass, kode its code ('' for villages the list lacks): what a
	 * report of every kecamatan shows first, without a query each. */
	[EXPORT_REPORT_TOTALS] =
	"WITH " REPORT_ACT " SELECT MAX(kecamatan) AS kecamatan, kk AS kode,"
	" 'JUMLAH' AS desa, " REPORT_SUMS " FROM (SELECT"
	"  COALESCE(v.kecamatan, '') AS kecamatan,"
	"  COALESCE(substr(v.code, 1, 8), '') AS kk, a.* FROM act a"
	"  LEFT JOIN villages v ON v.code = a.desa) GROUP BY kk ORDER BY kk",
	/* The kecamatans (codes) of the month's activity and of the villages
	 * facilitators are assigned to; '' for villages the list lacks. */
	[EXPORT_REPORT_KECAMATAN] =
	"WITH " REPORT_ACT " SELECT DISTINCT COALESCE(substr(v.code, 1, 8), '')"
	" AS kode FROM act a LEFT JOIN villages v ON v.code = a.desa ORDER BY 1",
	/* The month's reports that wait for the office (records accept or
	 * withdraw), in a kecamatan (:kecamatan) or all (NULL). */
	[EXPORT_REPORT_REVIEW] =
	"SELECT COALESCE(v.kecamatan, '') AS kecamatan, r.desa AS kode,"
	" COALESCE(v.name, r.desa) AS desa, 'R-' || r.id AS nomor,"
	" r.kind AS laporan, r.tanggal, COALESCE(r.jenis, '') AS jenis,"
	" r.number, COALESCE(c.name, '') AS nama, r.flags,"
	" COALESCE('R-' || r.duplicate_of, '') AS mengulang"
	" FROM records r LEFT JOIN villages v ON v.code = r.desa"
	" LEFT JOIN contacts c ON c.number = r.number"
	" WHERE r.kind IN ('rapat', 'kader') AND r.state = 'not_counted'"
	" AND " MONTH_DATES("r.tanggal")
	" AND (:kecamatan IS NULL OR substr(r.desa, 1, 8) = :kecamatan)"
	" ORDER BY r.id",
	/* records list: the RAPAT and KADER reports, by filter. */
	[EXPORT_REVIEW_LIST] =
	"SELECT 'R-' || r.id AS nomor, " LOCALTIME("r.created_at") " AS"
	" diterima, r.number, COALESCE(c.name, '') AS nama, r.kind AS laporan,"
	" r.desa AS kode, COALESCE(v.name, r.desa) AS desa, r.tanggal,"
	" COALESCE(r.jenis, '') AS jenis, COALESCE(r.laki, '') AS laki,"
	" COALESCE(r.perempuan, '') AS perempuan,"
	" COALESCE(r.jumlah, '') AS jumlah, COALESCE(r.topik, '') AS topik,"
	" r.state, r.flags, COALESCE('R-' || r.duplicate_of, '') AS mengulang,"
	" r.review_note AS catatan"
	" FROM records r LEFT JOIN villages v ON v.code = r.desa"
	" LEFT JOIN contacts c ON c.number = r.number"
	" WHERE r.kind IN ('rapat', 'kader')"
	" AND (:desa IS NULL OR r.desa = :desa)"
	" AND (:month IS NULL OR (" MONTH_DATES("r.tanggal") "))"
	" AND (:flag IS NULL OR instr(' ' || r.flags || ' ', ' ' || :flag || ' '))"
	" AND (:status IS NULL OR r.state = :status) ORDER BY r.id",
	[EXPORT_REPORT_PERDES] =
	"SELECT COALESCE(v.kecamatan, '') AS kecamatan, r.desa AS kode,"
	" COALESCE(v.name, r.desa) AS desa, r.perdes,"
	" COALESCE((SELECT title FROM perdes p WHERE p.code = r.perdes"
	"  AND p.desa = r.desa), '') AS judul, COUNT(*) AS aspirasi"
	" FROM tickets t JOIN records r ON r.id = t.record_id"
	" LEFT JOIN villages v ON v.code = r.desa"
	" WHERE +t.type = 'ASP' AND " IN_LOCALMONTH("t.created_at")
	" AND (:kecamatan IS NULL OR substr(r.desa, 1, 8) = :kecamatan)"
	" GROUP BY r.desa, r.perdes ORDER BY 1, 2, 4",
	/* Message counts for /metrics: direction, kind, state, count, as the
	 * triggers of migration 8 keep them (a count that fell to 0 stays). */
	[EXPORT_COUNTS] =
	"SELECT tbl, kind, state, n FROM row_counts"
	" ORDER BY tbl DESC, kind, state",
	/* Facilitators with no RAPAT or KADER dated that month: the month
	 * the table above counts a meeting in, and the one the reminder's
	 * no_report_last_month asks about (a meeting of 31 October
	 * reported on 1 November is October's). */
	[EXPORT_SILENT] =
	"SELECT c.number, c.name, COALESCE((SELECT group_concat(d.desa, ';')"
	" FROM contact_desa d WHERE d.number = c.number), '') AS desa"
	" FROM contacts c WHERE c.role = 'pendamping'"
	" AND NOT EXISTS (SELECT 1 FROM records r WHERE r.number = c.number"
	"  AND r.kind IN ('rapat', 'kader') AND r.state != 'withdrawn'"
	"  AND substr(r.tanggal, 1, 7) = :month)"
	" AND (:kecamatan IS NULL OR EXISTS (SELECT 1 FROM contact_desa d"
	"  WHERE d.number = c.number AND substr(d.desa, 1, 8) = :kecamatan))"
	" ORDER BY c.name, c.number",
};

/* Bind :name to v if the statement has that parameter. */
static void
bind_named(sqlite3_stmt *s, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(s, name);

	if (i > 0)
		store_bind_text(s, i, v);
}

int
store_export(struct store *st, enum export_kind kind,
    const struct export_filter *flt, export_row_fn fn, void *arg)
{
	static const struct export_filter none;
	sqlite3_stmt *s;
	const char *vals[32];
	int rc, i, n, row = 0;

	if (flt == NULL)
		flt = &none;
	rc = sqlite3_prepare_v2(st->db, export_sql[kind], -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc);
	if ((i = sqlite3_bind_parameter_index(s, ":from")) > 0)
		sqlite3_bind_int64(s, i, flt->from);
	if ((i = sqlite3_bind_parameter_index(s, ":to")) > 0)
		sqlite3_bind_int64(s, i, flt->to > 0 ? flt->to : 1LL << 62);
	bind_named(s, ":status", flt->status);
	bind_named(s, ":desa", flt->desa);
	bind_named(s, ":code", flt->code);
	bind_named(s, ":month", flt->month);
	bind_named(s, ":kecamatan", flt->kecamatan);
	bind_named(s, ":flag", flt->flag);
	bind_named(s, ":role", flt->role);
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
