/*
 * budget_report: the office's tables of the village budgets, the same for
 * every front end: kegiatan list (the activities as imported), report
 * kegiatan (each activity's progress, verified and as villagers see it)
 * and the monthly report's section of the activities flagged.
 */
#ifndef KENTONGAN_BUDGET_REPORT_H
#define KENTONGAN_BUDGET_REPORT_H

#include "store/store_budget.h"

/* kegiatan list through fn, header first: kecamatan, kode_desa, desa,
 * tahun, kode, nama, anggaran, sumber, mulai, selesai. 0 or -1. */
int budget_list_rows(struct store *, const struct kegiatan_filter *,
    export_row_fn fn, void *arg);

/*
 * report kegiatan through fn, header first: kecamatan, kode_desa, desa,
 * kegiatan, nama, anggaran, progres_resmi (the latest verified percent),
 * progres_warga (the villagers' median over PANTAU_WINDOW_DAYS),
 * laporan_warga (how many numbers that median is of), selisih (ya/tidak,
 * budget_selisih); "" where there is no figure. With f->flagged_only, a
 * last column selisih_sejak: the day the flag was raised. Progress as of
 * now. 0 or -1.
 */
int budget_report_rows(struct store *, const struct kegiatan_filter *,
    long long now, export_row_fn fn, void *arg);

#endif
