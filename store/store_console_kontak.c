/* store_console_kontak: the reads of the console's Kontak and Rapat
 * pages. */
#include "store/store_console.h"
#include "store/store_int.h"

#include <stdio.h>

int
store_console_contacts(struct store *st, const char *q, const char *role,
    const char *desa, const char *after, int max, export_row_fn fn,
    void *arg)
{
	/* keyset on the primary key: the next page starts after the last
	 * number shown, however far down the list */
	static const char sql[] =
	    "SELECT c.number, c.name, c.role,"
	    " (SELECT group_concat(d.desa || ' ' || COALESCE(v.name, ''), '; ')"
	    "  FROM contact_desa d LEFT JOIN villages v ON v.code = d.desa"
	    "  WHERE d.number = c.number),"
	    " c.opted_out, COALESCE(c.consent_at, 0)"
	    " FROM contacts c WHERE c.number > ?1"
	    " AND (?2 = '' OR instr(lower(c.name), lower(?2)) > 0"
	    "  OR instr(c.number, ?2) > 0)"
	    " AND (?3 = '' OR c.role = ?3)"
	    " AND (?4 = '' OR EXISTS (SELECT 1 FROM contact_desa d"
	    "  WHERE d.number = c.number AND d.desa = ?4))"
	    " ORDER BY c.number LIMIT CAST(?5 AS INTEGER)";
	char n[16];
	const char *p[5] = { after, q, role, desa, n };

	snprintf(n, sizeof(n), "%d", max);
	return store_rows(st, sql, p, 5, fn, arg);
}

int
store_console_meetings(struct store *st, const char *today, int upcoming,
    int max, export_row_fn fn, void *arg)
{
	static const char next[] =
	    "SELECT m.id, m.desa, COALESCE(v.name, ''), m.tanggal, m.waktu,"
	    " m.jenis, m.tempat, m.state, m.reason FROM meetings m"
	    " LEFT JOIN villages v ON v.code = m.desa WHERE m.tanggal >= ?1"
	    " ORDER BY m.tanggal, m.waktu, m.id LIMIT CAST(?2 AS INTEGER)";
	static const char past[] =
	    "SELECT m.id, m.desa, COALESCE(v.name, ''), m.tanggal, m.waktu,"
	    " m.jenis, m.tempat, m.state, m.reason FROM meetings m"
	    " LEFT JOIN villages v ON v.code = m.desa WHERE m.tanggal < ?1"
	    " ORDER BY m.tanggal DESC, m.waktu DESC LIMIT CAST(?2 AS INTEGER)";
	char n[16];
	const char *p[2] = { today, n };

	snprintf(n, sizeof(n), "%d", max);
	return store_rows(st, upcoming ? next : past, p, 2, fn, arg);
}
