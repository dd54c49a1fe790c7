/* budget_report: the office's tables of the village budgets. */
#include "gateway/rules/budget_report.h"
#include "gateway/rules/budget.h"
#include "gateway/util/clock.h"

#include <stdio.h>

/* One store_kegiatan_each pass into an export_row_fn. */
struct rows {
	struct store *st;
	long long now;
	int flagged;		/* report: the selisih_sejak column */
	export_row_fn fn;
	void *arg;
	int row;
	int failed;		/* a store error inside the pass */
};

static int
list_row(void *arg, const struct kegiatan *k, const char *desa,
    const char *kecamatan)
{
	struct rows *r = arg;
	char tahun[12], anggaran[24];
	const char *v[] = { kecamatan, k->desa, desa, tahun, k->kode, k->nama,
	    anggaran, k->sumber, k->mulai, k->selesai };

	snprintf(tahun, sizeof(tahun), "%d", k->tahun);
	snprintf(anggaran, sizeof(anggaran), "%lld", k->anggaran);
	return r->fn(r->arg, ++r->row, 10, v);
}

int
budget_list_rows(struct store *st, const struct kegiatan_filter *f,
    export_row_fn fn, void *arg)
{
	static const char *const head[] = { "kecamatan", "kode_desa", "desa",
	    "tahun", "kode", "nama", "anggaran", "sumber", "mulai",
	    "selesai" };
	struct rows r = { st, 0, 0, fn, arg, 0, 0 };

	if (fn(arg, 0, 10, head) != 0)
		return 0;
	return store_kegiatan_each(st, f, list_row, &r) < 0 ? -1 : 0;
}

/* A percent, or "" when there is none (-1). */
static void
percent(int p, char *out, size_t cap)
{
	if (p < 0)
		out[0] = '\0';
	else
		snprintf(out, cap, "%d", p);
}

static int
report_row(void *arg, const struct kegiatan *k, const char *desa,
    const char *kecamatan)
{
	struct rows *r = arg;
	struct progres p;
	char anggaran[24], resmi[12], warga[12], count[16], since[11];
	const char *v[] = { kecamatan, k->desa, desa, k->kode, k->nama,
	    anggaran, resmi, warga, count, NULL, since };

	if (store_kegiatan_progres(r->st, k->id, r->now, &p) != 0) {
		r->failed = 1;
		return 1;
	}
	snprintf(anggaran, sizeof(anggaran), "%lld", k->anggaran);
	percent(p.resmi, resmi, sizeof(resmi));
	percent(p.median, warga, sizeof(warga));
	snprintf(count, sizeof(count), "%d", p.warga);
	v[9] = budget_selisih(&p, k, r->now) ? "ya" : "tidak";
	since[0] = '\0';
	if (k->flagged_at > 0)
		clock_iso_date(k->flagged_at, since, sizeof(since));
	return r->fn(r->arg, ++r->row, r->flagged ? 11 : 10, v);
}

int
budget_report_rows(struct store *st, const struct kegiatan_filter *f,
    long long now, export_row_fn fn, void *arg)
{
	static const char *const head[] = { "kecamatan", "kode_desa", "desa",
	    "kegiatan", "nama", "anggaran", "progres_resmi", "progres_warga",
	    "laporan_warga", "selisih", "selisih_sejak" };
	struct rows r = { st, now, f->flagged_only, fn, arg, 0, 0 };

	if (fn(arg, 0, r.flagged ? 11 : 10, head) != 0)
		return 0;
	if (store_kegiatan_each(st, f, report_row, &r) < 0 || r.failed)
		return -1;
	return 0;
}
