/*
 * budget_csv: the rows of the office's two budget files for csv_import,
 * and the announcement that follows a kegiatan import.
 *   apbdes:   kode_desa,tahun,pendapatan,belanja,dana_desa
 *   kegiatan: kode_desa,tahun,kode,nama,anggaran,sumber[,mulai,selesai]
 * A row is an upsert (desa+tahun, desa+tahun+kode); a key twice in one
 * file is a bad row naming both lines.
 */
#ifndef KENTONGAN_RULES_BUDGET_CSV_H
#define KENTONGAN_RULES_BUDGET_CSV_H

#include "gateway/rules/csv_import.h"
#include "store/store_budget.h"

/* Amounts above this are a typing slip, not a village's budget. */
#define RUPIAH_MAX	999999999999999LL
/* The years a budget may be of. */
#define BUDGET_YEAR_MIN	2000
#define BUDGET_YEAR_MAX	2100
/* The longest sumber, in bytes (struct kegiatan keeps 31). */
#define SUMBER_MAX	30

/* A village a kegiatan file had, and the latest year it had it for. */
struct budget_village {
	char desa[16];
	int tahun;
};

/* What both imports keep: zero it, set area; budget_csv_free after. */
struct budget_csv {
	const char *area;	/* where a village name is looked for */
	int col[8];		/* by the header; -1 if absent */
	char key[64];		/* the row checked last */
	struct apbdes a;
	struct kegiatan k;
	/* kegiatan: each village stored, in the file's order */
	struct budget_village *villages;
	int nvillages, cap;
	int failed;		/* out of memory while noting a village */
};

extern const struct import_ops apbdes_csv_ops;
extern const struct import_ops kegiatan_csv_ops;

void budget_csv_free(struct budget_csv *);

/* Rupiah as the office types them: digits, where '.' may part groups of
 * three (1240000000, 1.240.000.000), up to RUPIAH_MAX. 0 or -1. */
int budget_rupiah(const char *typed, long long *rp);
/* A budget year, four digits within BUDGET_YEAR_MIN..MAX. 0 or -1. */
int budget_year(const char *typed, int *year);

/*
 * kegiatan import --announce: queue R_KEGIATAN_ANNOUNCE to desa's warga
 * and pendamping who have not opted out (action_announce: the sending
 * policy applies), naming its activities of tahun (*jumlah gets how
 * many) and the first code. Nothing when it has none. Returns how many
 * were told, or -1. In the caller's transaction.
 */
int budget_announce(struct store *, const char *desa, int tahun,
    long long now, int *jumlah);

#endif
