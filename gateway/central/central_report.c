/*
 * The kabupaten's reads of the central database (docs/central.md, "The
 * kabupaten's reports"): the camat's monthly report over every site, the
 * tickets that wait too long, and the names a typed kecamatan or
 * kabupaten is matched against. Nothing here writes.
 *
 * The monthly report counts as the local one does (store_export.c,
 * REPORT_ACT), with one difference: a ticket is closed in the month of
 * its closed_at, the last change to selesai, where the local report
 * counts every change to selesai.
 */
#include "gateway/central/central.h"
#include "gateway/rules/report.h"
#include "store/store.h"

#include <libpq-fe.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the report counts, one row per fact, as the local REPORT_ACT:
 * counted RAPAT and KADER by their meeting date, those waiting for the
 * office as 'menunggu', ADU opened and closed and ASP opened in the
 * month, and each village a facilitator is assigned to (no count: it
 * brings its kecamatan in). A month is the sites' local one: times in
 * central are the site's wall clock. */
#define MONTHLY_ACT \
	"mon AS (SELECT $1::text || '-01' AS d0, $1::text || '-31' AS d1," \
	"  ($1::text || '-01')::timestamp AS t0," \
	"  ($1::text || '-01')::timestamp + interval '1 month' AS t1)," \
	" act(site, desa, k, jenis, laki, perempuan, jumlah) AS MATERIALIZED (" \
	"  SELECT r.site, r.desa, r.kind, r.jenis, r.laki, r.perempuan," \
	"   r.jumlah FROM records r, mon WHERE r.kind IN ('rapat', 'kader')" \
	"   AND r.state = 'counted' AND r.tanggal BETWEEN mon.d0 AND mon.d1" \
	"  UNION ALL SELECT r.site, r.desa, 'menunggu', NULL, 0, 0, 0" \
	"   FROM records r, mon WHERE r.kind IN ('rapat', 'kader')" \
	"   AND r.state = 'not_counted' AND r.tanggal BETWEEN mon.d0 AND mon.d1" \
	"  UNION ALL SELECT t.site, t.desa, 'aduan_masuk', NULL, 0, 0, 0" \
	"   FROM tickets t, mon WHERE t.type = 'ADU'" \
	"   AND t.created_at >= mon.t0 AND t.created_at < mon.t1" \
	"  UNION ALL SELECT t.site, t.desa, 'aduan_selesai', NULL, 0, 0, 0" \
	"   FROM tickets t, mon WHERE t.type = 'ADU'" \
	"   AND t.closed_at >= mon.t0 AND t.closed_at < mon.t1" \
	"  UNION ALL SELECT t.site, t.desa, 'aspirasi', NULL, 0, 0, 0" \
	"   FROM tickets t, mon WHERE t.type = 'ASP'" \
	"   AND t.created_at >= mon.t0 AND t.created_at < mon.t1" \
	"  UNION ALL SELECT c.site, d.desa, 'assigned', NULL, 0, 0, 0" \
	"   FROM contacts c, unnest(string_to_array(c.desa, ';')) AS d(desa)" \
	"   WHERE c.role = 'pendamping' AND d.desa != '')"

/*
 * $1 the month, $2 a kabupaten code or NULL, $3 a kecamatan code or
 * NULL. The kecamatans of the month's activity (and the one asked for,
 * as the local --kecamatan shows it with nothing sent); every village of
 * each, known villages by code, '' for villages the list lacks (only
 * when nothing is filtered, as locally). One pass makes both the
 * villages' rows and each kecamatan's JUMLAH (GROUPING SETS), so the
 * JUMLAH's sites are the kecamatan's, each once. starts_with, not a
 * range: ranges of codes break under a collation that skips the dots.
 */
static const char monthly_sql[] =
	"WITH " MONTHLY_ACT ","
	" kec AS (SELECT COALESCE(substr(v.code, 1, 8), '') AS kk"
	"  FROM act a LEFT JOIN villages v ON v.code = a.desa"
	"  UNION SELECT $3::text WHERE $3::text IS NOT NULL),"
	" kf AS (SELECT kk FROM kec"
	"  WHERE ($2::text IS NULL OR starts_with(kk, $2::text || '.'))"
	"  AND ($3::text IS NULL OR kk = $3::text)),"
	" vil(kk, kecamatan, kode, desa) AS ("
	"  SELECT kf.kk, v.kecamatan, v.code, v.name FROM kf"
	"  JOIN villages v ON starts_with(v.code, kf.kk || '.') WHERE kf.kk != ''"
	"  UNION ALL SELECT '', '', a.desa, a.desa"
	"  FROM (SELECT DISTINCT desa FROM act) a"
	"  WHERE EXISTS (SELECT 1 FROM kf WHERE kk = '')"
	"  AND NOT EXISTS (SELECT 1 FROM villages v WHERE v.code = a.desa))"
	" SELECT MAX(v.kecamatan) AS kecamatan,"
	"  CASE WHEN GROUPING(v.kode) = 1 THEN '' ELSE v.kode END AS kode,"
	"  CASE WHEN GROUPING(v.kode) = 1 THEN 'JUMLAH' ELSE MAX(v.desa) END"
	"   AS desa,"
	"  COUNT(*) FILTER (WHERE a.k = 'rapat') AS rapat,"
	"  COALESCE(SUM(a.laki) FILTER (WHERE a.k = 'rapat'), 0) AS laki,"
	"  COALESCE(SUM(a.perempuan) FILTER (WHERE a.k = 'rapat'), 0)"
	"   AS perempuan,"
	"  COALESCE(SUM(a.jumlah) FILTER (WHERE a.k = 'kader'), 0) AS kader,"
	"  COUNT(*) FILTER (WHERE a.k = 'aduan_masuk') AS aduan_masuk,"
	"  COUNT(*) FILTER (WHERE a.k = 'aduan_selesai') AS aduan_selesai,"
	"  COUNT(*) FILTER (WHERE a.k = 'aspirasi') AS aspirasi,"
	"  COUNT(*) FILTER (WHERE a.jenis = 'RPJM') AS rpjm,"
	"  COUNT(*) FILTER (WHERE a.jenis = 'RKP') AS rkp,"
	"  COUNT(*) FILTER (WHERE a.jenis = 'APB') AS apb,"
	"  COUNT(*) FILTER (WHERE a.jenis = 'PERDES') AS perdes,"
	"  COUNT(*) FILTER (WHERE a.jenis = 'SOS') AS sos,"
	"  COUNT(*) FILTER (WHERE a.jenis = 'EVAL') AS eval,"
	"  COUNT(*) FILTER (WHERE a.jenis = 'KAD') AS kad,"
	"  COUNT(*) FILTER (WHERE a.jenis = 'LAIN') AS lain,"
	"  COUNT(*) FILTER (WHERE a.k = 'menunggu') AS menunggu,"
	"  COALESCE(string_agg(DISTINCT a.site, ';' ORDER BY a.site), '')"
	"   AS sites"
	" FROM vil v LEFT JOIN act a ON a.desa = v.kode"
	" GROUP BY GROUPING SETS ((v.kk, v.kode), (v.kk))"
	" ORDER BY v.kk = '', v.kk, GROUPING(v.kode), v.kode";

/* $1 now, the office's wall clock; $2 the days. status IN, not NOT IN:
 * the partial index tickets_waiting is on these two. */
static const char waiting_sql[] =
	"SELECT t.site, t.tiket, t.status, COALESCE(v.kecamatan, '') AS"
	" kecamatan, t.desa, COALESCE(NULLIF(t.nama_desa, ''), v.name, '') AS"
	" nama_desa, t.created_at, EXTRACT(day FROM $1::timestamp -"
	" t.created_at)::bigint AS hari_menunggu, COALESCE(t.isi, '') AS isi"
	" FROM tickets t LEFT JOIN villages v ON v.code = t.desa"
	" WHERE t.status IN ('baru', 'diproses')"
	" AND t.created_at < $1::timestamp - make_interval(days => $2::int)"
	" ORDER BY t.created_at, t.site, t.id";

static const char kecamatans_sql[] =
	"SELECT substr(code, 1, 8), MAX(kecamatan), MAX(kabupaten)"
	" FROM villages GROUP BY 1 ORDER BY 1";

/* $1 a code (33.22), or NULL and up to three names in lower case. */
static const char kabupaten_sql[] =
	"SELECT DISTINCT substr(code, 1, 5), kabupaten FROM villages"
	" WHERE CASE WHEN $1::text IS NOT NULL"
	"  THEN starts_with(code, $1::text || '.')"
	"  ELSE lower(kabupaten) IN ($2::text, $3::text, $4::text) END"
	" ORDER BY 1 LIMIT 8";

/* PostgreSQL's reason for r, with what to do when it is the schema that
 * is missing. */
static void
explain(PGconn *pg, const PGresult *r, char *err, size_t cap)
{
	const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;

	if (state != NULL && !strcmp(state, "42P01"))
		snprintf(err, cap, "no central schema in this database "
		    "(kentongan central init makes it)");
	else
		snprintf(err, cap, "%s", r ? PQresultErrorMessage(r) :
		    PQerrorMessage(pg));
	err[strcspn(err, "\n")] = '\0';
}

/* Run sql with params and hand fn its rows, names first. */
static int
rows_out(PGconn *pg, const char *sql, int n, const char *const *params,
    central_out_fn fn, void *arg, char *err, size_t cap)
{
	PGresult *r = PQexecParams(pg, sql, n, NULL, params, NULL, NULL, 0);
	const char *v[32];
	int ncols, row, i, rc = -1;

	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		explain(pg, r, err, cap);
		goto done;
	}
	if ((ncols = PQnfields(r)) > 32)
		ncols = 32;
	for (i = 0; i < ncols; i++)
		v[i] = PQfname(r, i);
	if (fn(arg, 0, ncols, v) != 0)
		goto stopped;
	for (row = 0; row < PQntuples(r); row++) {
		for (i = 0; i < ncols; i++)
			v[i] = PQgetvalue(r, row, i);	/* "" for NULL */
		if (fn(arg, row + 1, ncols, v) != 0)
			break;
	}
stopped:
	rc = 0;
done:
	PQclear(r);
	return rc;
}

int
central_report_monthly(PGconn *pg, const struct central_scope *s,
    central_out_fn fn, void *arg, char *err, size_t cap)
{
	const char *p[3] = { s->month, s->kabupaten, s->kecamatan };

	return rows_out(pg, monthly_sql, 3, p, fn, arg, err, cap);
}

int
central_tickets_waiting(PGconn *pg, int days, const char *now,
    central_out_fn fn, void *arg, char *err, size_t cap)
{
	char d[16];
	const char *p[2] = { now, d };

	snprintf(d, sizeof(d), "%d", days);
	return rows_out(pg, waiting_sql, 2, p, fn, arg, err, cap);
}

const char *
central_error(PGconn *pg)
{
	static char line[512];

	snprintf(line, sizeof(line), "%s", PQerrorMessage(pg));
	line[strcspn(line, "\n")] = '\0';
	return line;
}

int
central_kecamatans(void *pg, int (*fn)(void *, const struct kecamatan *),
    void *arg)
{
	PGresult *r = PQexec(pg, kecamatans_sql);
	struct kecamatan k;
	int i, rc = -1;

	if (PQresultStatus(r) != PGRES_TUPLES_OK)
		goto done;
	for (i = 0; i < PQntuples(r); i++) {
		snprintf(k.code, sizeof(k.code), "%s", PQgetvalue(r, i, 0));
		snprintf(k.name, sizeof(k.name), "%s", PQgetvalue(r, i, 1));
		snprintf(k.kabupaten, sizeof(k.kabupaten), "%s",
		    PQgetvalue(r, i, 2));
		if (fn(arg, &k) != 0)
			break;
	}
	rc = 0;
done:
	PQclear(r);
	return rc;
}

/* typed in lower case, blanks at either end dropped. */
static void
lower_trim(const char *typed, char *out, size_t cap)
{
	size_t n, i;

	typed += strspn(typed, " ");
	n = strlen(typed);
	while (n > 0 && typed[n - 1] == ' ')
		n--;
	for (i = 0; i < n && i + 1 < cap; i++)
		out[i] = (char)tolower((unsigned char)typed[i]);
	out[i] = '\0';
}

/* The names a typed kabupaten may be, lower case: as typed; after
 * "kabupaten", "kab." or "kab", the Kabupaten of that name; a bare
 * name, the Kabupaten or the Kota of it. */
static void
kabupaten_names(const char *typed, char names[3][160])
{
	static const char *const pre[] = { "kabupaten ", "kab. ", "kab.",
	    "kab " };
	char t[128];
	size_t i;

	lower_trim(typed, t, sizeof(t));
	snprintf(names[0], 160, "%s", t);
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (!strncmp(t, pre[i], strlen(pre[i]))) {
			snprintf(names[1], 160, "kabupaten %s", t +
			    strlen(pre[i]) + strspn(t + strlen(pre[i]), " "));
			names[2][0] = '\0';
			return;
		}
	snprintf(names[1], 160, "kabupaten %s", t);
	snprintf(names[2], 160, "kota %s", t);
}

int
central_kabupaten_pick(PGconn *pg, const char *typed, char *code,
    size_t codecap, char *err, size_t cap)
{
	char dotted[16], names[3][160];
	const char *p[4] = { NULL, NULL, NULL, NULL };
	PGresult *r;
	size_t used;
	int i, n, rc = -1;

	if (report_code(typed, 4, dotted, sizeof(dotted)))
		p[0] = dotted;
	else {
		kabupaten_names(typed, names);
		for (i = 0; i < 3; i++)
			p[i + 1] = names[i][0] ? names[i] : NULL;
	}
	r = PQexecParams(pg, kabupaten_sql, 4, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		explain(pg, r, err, cap);
		goto done;
	}
	rc = 1;
	if ((n = PQntuples(r)) == 0)
		snprintf(err, cap, "unknown kabupaten '%s' (no village of the "
		    "central list is in it)", typed);
	else if (n == 1) {
		snprintf(code, codecap, "%s", PQgetvalue(r, 0, 0));
		rc = 0;
	} else {
		used = (size_t)snprintf(err, cap, "%d kabupaten are named '%s':",
		    n, typed);
		for (i = 0; i < n && used < cap; i++)
			used += (size_t)snprintf(err + used, cap - used,
			    "%s %s (%s)", i ? "," : "", PQgetvalue(r, i, 1),
			    PQgetvalue(r, i, 0));
		if (used < cap)
			snprintf(err + used, cap - used, "; use the code");
	}
done:
	PQclear(r);
	return rc;
}
