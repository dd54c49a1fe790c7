/* The village budget, its activities and PANTAU (store_budget.h). */
#include "store/store_budget.h"
#include "store/store_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
store_apbdes_put(struct store *st, const struct apbdes *a, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_APBDES_PUT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, a->desa);
	sqlite3_bind_int(s, 2, a->tahun);
	sqlite3_bind_int64(s, 3, a->pendapatan);
	sqlite3_bind_int64(s, 4, a->belanja);
	sqlite3_bind_int64(s, 5, a->dana_desa);
	sqlite3_bind_int64(s, 6, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
}

int
store_apbdes_get(struct store *st, const char *desa, int tahun,
    struct apbdes *a)
{
	sqlite3_stmt *s = store_stmt(st, Q_APBDES_GET);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, desa);
	sqlite3_bind_int(s, 2, tahun);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(a, 0, sizeof(*a));
		snprintf(a->desa, sizeof(a->desa), "%s", desa);
		a->tahun = tahun;
		a->pendapatan = sqlite3_column_int64(s, 0);
		a->belanja = sqlite3_column_int64(s, 1);
		a->dana_desa = sqlite3_column_int64(s, 2);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc);
	return rc == SQLITE_ROW;
}

int
store_kegiatan_put(struct store *st, const struct kegiatan *k, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_KEGIATAN_PUT);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, k->desa);
	sqlite3_bind_int(s, 2, k->tahun);
	store_bind_text(s, 3, k->kode);
	store_bind_text(s, 4, k->nama);
	sqlite3_bind_int64(s, 5, k->anggaran);
	store_bind_text(s, 6, k->sumber);
	store_bind_text(s, 7, k->mulai);
	store_bind_text(s, 8, k->selesai);
	sqlite3_bind_int64(s, 9, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
}

/* An activity from a row of KEGIATAN_COLS. */
static void
kegiatan_row(sqlite3_stmt *s, struct kegiatan *k)
{
	memset(k, 0, sizeof(*k));
	k->id = sqlite3_column_int64(s, 0);
	store_col_copy(s, 1, k->desa, sizeof(k->desa));
	k->tahun = sqlite3_column_int(s, 2);
	store_col_copy(s, 3, k->kode, sizeof(k->kode));
	store_col_copy(s, 4, k->nama, sizeof(k->nama));
	k->anggaran = sqlite3_column_int64(s, 5);
	store_col_copy(s, 6, k->sumber, sizeof(k->sumber));
	store_col_copy(s, 7, k->mulai, sizeof(k->mulai));
	store_col_copy(s, 8, k->selesai, sizeof(k->selesai));
	k->flagged_at = sqlite3_column_int64(s, 9);
}

int
store_kegiatan_get(struct store *st, const char *desa, int tahun,
    const char *kode, struct kegiatan *k)
{
	sqlite3_stmt *s = store_stmt(st, Q_KEGIATAN_GET);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, desa);
	sqlite3_bind_int(s, 2, tahun);
	store_bind_text(s, 3, kode);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		kegiatan_row(s, k);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc);
	return rc == SQLITE_ROW;
}

int
store_kegiatan_of(struct store *st, const char *desa, int tahun,
    struct kegiatan *out, int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_KEGIATAN_OF);
	int rc, n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, desa);
	sqlite3_bind_int(s, 2, tahun);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n < max)
			kegiatan_row(s, &out[n]);
		n++;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? n : store_fail(st, rc);
}

int
store_pantau_add(struct store *st, const struct pantau *p, long long *id)
{
	sqlite3_stmt *s = store_stmt(st, Q_PANTAU_ADD);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, p->kegiatan_id);
	if (p->message_id > 0)
		sqlite3_bind_int64(s, 2, p->message_id);
	store_bind_text(s, 3, p->number);
	sqlite3_bind_int(s, 4, p->resmi != 0);
	sqlite3_bind_int(s, 5, p->persen);
	store_bind_text(s, 6, p->catatan ? p->catatan : "");
	sqlite3_bind_int64(s, 7, p->sent_at);
	sqlite3_bind_int64(s, 8, p->created_at);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	if (id != NULL)
		*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Observations fewer than this are read in one pass; a median of more
 * is read again at its middle (a busy village's road might get
 * hundreds, never so many that a second read matters). */
#define MEDIAN_BUF	256

int
store_kegiatan_progres(struct store *st, long long id, long long now,
    struct progres *p)
{
	sqlite3_stmt *s = store_stmt(st, Q_PROGRES_RESMI);
	int rc, v[MEDIAN_BUF], n = 0, lo, hi, i;

	if (s == NULL)
		return -1;
	p->resmi = -1;
	p->resmi_at = 0;
	p->warga = 0;
	p->median = -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		p->resmi = sqlite3_column_int(s, 0);
		p->resmi_at = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc);
	if ((s = store_stmt(st, Q_PROGRES_WARGA)) == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now - (long long)PANTAU_WINDOW_DAYS * 86400);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n < MEDIAN_BUF)
			v[n] = sqlite3_column_int(s, 0);
		n++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	p->warga = n;
	if (n == 0)
		return 0;
	lo = (n - 1) / 2;
	hi = n / 2;
	if (hi >= MEDIAN_BUF) {
		/* the rows come in order of persen: step to the middle */
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, now -
		    (long long)PANTAU_WINDOW_DAYS * 86400);
		for (i = 0; (rc = sqlite3_step(s)) == SQLITE_ROW && i <= hi;
		    i++) {
			if (i == lo)
				v[0] = sqlite3_column_int(s, 0);
			if (i == hi)
				v[1] = sqlite3_column_int(s, 0);
		}
		sqlite3_reset(s);
		lo = 0;
		hi = 1;
	}
	p->median = (v[lo] + v[hi] + 1) / 2;
	return 0;
}

int
store_kegiatan_flag(struct store *st, long long id, int flagged,
    long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_KEGIATAN_FLAG);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, flagged != 0);
	sqlite3_bind_int64(s, 3, now);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
}

int
store_kegiatan_each(struct store *st, const struct kegiatan_filter *f,
    kegiatan_fn fn, void *arg)
{
	static const char sql[] =
	    "SELECT " KEGIATAN_COLS ", COALESCE(v.name, ''),"
	    " COALESCE(v.kecamatan, '') FROM kegiatan"
	    " LEFT JOIN villages v ON v.code = kegiatan.desa"
	    " WHERE (?1 IS NULL OR desa = ?1)"
	    " AND (?2 IS NULL OR substr(desa, 1, 8) = ?2)"
	    " AND (?3 = 0 OR tahun = ?3)"
	    " AND (?4 = 0 OR flagged_at IS NOT NULL)"
	    " ORDER BY COALESCE(v.kecamatan, ''), substr(desa, 1, 8),"
	    " COALESCE(v.name, ''), desa, tahun, " KEGIATAN_ORDER;
	sqlite3_stmt *s;
	struct kegiatan k;
	char name[128], kec[128];
	int rc, n = 0;

	/* a report or a list, not a hot path: prepared each time */
	if ((rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL)) != SQLITE_OK)
		return store_fail(st, rc);
	store_bind_text(s, 1, f->desa && f->desa[0] ? f->desa : NULL);
	store_bind_text(s, 2, f->kecamatan && f->kecamatan[0] ?
	    f->kecamatan : NULL);
	sqlite3_bind_int(s, 3, f->tahun);
	sqlite3_bind_int(s, 4, f->flagged_only);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		kegiatan_row(s, &k);
		store_col_copy(s, 10, name, sizeof(name));
		store_col_copy(s, 11, kec, sizeof(kec));
		n++;
		if (fn(arg, &k, name, kec) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? n : store_fail(st, rc);
}

int
store_kegiatan_watched(struct store *st, long long since, long long **ids)
{
	static const char sql[] =
	    "SELECT id FROM kegiatan WHERE flagged_at IS NOT NULL UNION"
	    " SELECT DISTINCT kegiatan_id FROM pantau WHERE resmi = 0"
	    " AND sent_at >= ?1";
	sqlite3_stmt *s;
	long long *v = NULL, *nv;
	int rc, n = 0, cap = 0;

	*ids = NULL;
	if ((rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL)) != SQLITE_OK)
		return store_fail(st, rc);
	sqlite3_bind_int64(s, 1, since);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nv = realloc(v, (size_t)cap * sizeof(*v))) == NULL) {
				rc = SQLITE_NOMEM;
				break;
			}
			v = nv;
		}
		v[n++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		free(v);
		return store_fail(st, rc);
	}
	*ids = v;
	return n;
}

int
store_kegiatan_by_id(struct store *st, long long id, struct kegiatan *k)
{
	sqlite3_stmt *s = store_stmt(st, Q_KEGIATAN_BY_ID);
	int rc;

	if (s == NULL)
		return -1;
	sqlite3_bind_int64(s, 1, id);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW)
		kegiatan_row(s, k);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_fail(st, rc);
	return rc == SQLITE_ROW;
}
