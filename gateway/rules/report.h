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

/*
 * The kecamatans a monthly report without --kecamatan covers: every one
 * inside area, then any other with activity in month (YYYY-MM) or with a
 * facilitator's village; without an area, those with activity alone. A
 * code "" (name "") last stands for villages the list does not know.
 * *out is malloc'd (free it); returns how many, or -1.
 */
int report_kecamatans(struct store *, const char *month, const char *area,
    struct kecamatan **out);

#endif
