/*
 * report: the camat's monthly report: which kecamatans it covers and the
 * one way a typed kecamatan ("Getasan", "Kec. Getasan", "33.22.01")
 * becomes a kecamatan, with the closest names when it is none. Every
 * front end (the CLI, a web console) asks these.
 */
#ifndef KENTONGAN_REPORT_H
#define KENTONGAN_REPORT_H

#include "store/store.h"

enum kec_match { KEC_FOUND, KEC_AMBIGUOUS, KEC_UNKNOWN };

#define KEC_CHOICES	8

/* What a typed kecamatan turned out to be. */
struct kec_pick {
	struct kecamatan k;			/* KEC_FOUND */
	/* KEC_AMBIGUOUS: those of that name (inside the area when some
	 * are); KEC_UNKNOWN: the closest names, nearest first */
	struct kecamatan cand[KEC_CHOICES];
	int ncand;
};

/*
 * The kecamatan typed: a code (33.22.01, dots optional) or a name in any
 * case, after an optional "Kec." or "Kecamatan". A name several
 * kecamatans share resolves to the one inside area (code prefixes, blank
 * separated; NULL or "" for none) when only one is. Returns the match,
 * or -1 on a store error.
 */
int report_kecamatan_pick(struct store *, const char *typed,
    const char *area, struct kec_pick *);

/* A village list's kecamatans: fn once for each, by code; 0, or -1 on an
 * error. The gateway's store is one (report_store_kecamatans, src the
 * store), the central database another. */
typedef int (*kec_list_fn)(void *src,
    int (*fn)(void *arg, const struct kecamatan *), void *arg);
int report_store_kecamatans(void *st,
    int (*fn)(void *arg, const struct kecamatan *), void *arg);
/* report_kecamatan_pick over the kecamatans each lists from src. */
int report_kecamatan_choose(kec_list_fn each, void *src, const char *typed,
    const char *area, struct kec_pick *);

/*
 * The kecamatans a monthly report without --kecamatan covers: every one
 * inside area, then any other with activity in month (YYYY-MM) or with a
 * facilitator's village; without an area, those with activity alone. A
 * code "" (name "") last stands for villages the list does not know.
 * *out is malloc'd (free it); returns how many, or -1.
 */
int report_kecamatans(struct store *, const char *month, const char *area,
    struct kecamatan **out);

/* An area's code typed: digits (4 for a kabupaten, 6 for a kecamatan),
 * dots and blanks anywhere (3322, 33.22.01), as the dotted code (33.22,
 * 33.22.01) into out; 1, or 0 when typed is not one. */
int report_code(const char *typed, int digits, char *out, size_t cap);

/* Whether month is YYYY-MM, a month that exists. */
int report_month_valid(const char *month);

/* The sections of the report, in its order: the villages' numbers, what
 * waits for review next to the numbers it leaves out, the aspirations
 * per Perdes, the facilitators who sent nothing, the budget activities
 * whose villagers and verified progress differ (report kegiatan's
 * selisih, flag standing). */
enum report_section { REPORT_DESA, REPORT_REVIEW, REPORT_PERDES,
    REPORT_SILENT, REPORT_KEGIATAN, REPORT_NSECTIONS };
/* The names of the sections, for messages. */
#define REPORT_SECTIONS	"desa, review, perdes, silent or kegiatan"

/* A section's name, as --section and the console's bagian= take it. */
const char *report_section_name(enum report_section);
/* The section named name (any case), or REPORT_NSECTIONS. */
enum report_section report_section_find(const char *name);

/*
 * One section of month's report through fn, header first (row 0): for
 * REPORT_DESA every village of each of the nk kecamatans k under one
 * header, each kecamatan's totals after its villages; for the others
 * the rows of kecamatan code kec (NULL: all). REPORT_KEGIATAN: the
 * activities of the month's year whose flag stands, their progress as of
 * now (budget_report_rows). Returns 0 or -1.
 */
int report_section_rows(struct store *, enum report_section,
    const char *month, const char *kec, const struct kecamatan *k, int nk,
    long long now, export_row_fn, void *arg);
/* Only the totals of each of the nk kecamatans k, as REPORT_DESA's
 * JUMLAH rows but with the kecamatan's code as kode, in one pass (a
 * kabupaten's dozens of kecamatans would each take a query). */
int report_totals_rows(struct store *, const char *month,
    const struct kecamatan *k, int nk, export_row_fn, void *arg);

#endif
