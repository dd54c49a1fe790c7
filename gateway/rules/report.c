#include "gateway/rules/report.h"
#include "gateway/rules/budget_report.h"
#include "gateway/util/clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Whether kecamatan code k lies inside one of area's prefixes, or one of
 * them names a village of it. */
static int
kec_in_area(const char *k, const char *area)
{
	size_t n, kl = strlen(k);

	while (area != NULL && *area) {
		area += strspn(area, " ,");
		n = strcspn(area, " ,");
		if (n > 0 && n <= kl && !strncmp(k, area, n) &&
		    (k[n] == '.' || k[n] == '\0'))
			return 1;
		if (n > kl && !strncmp(area, k, kl) && area[kl] == '.')
			return 1;
		area += n;
	}
	return 0;
}

/* typed without a leading "Kecamatan", "Kec." or "Kec ". */
static const char *
strip_kec(const char *t)
{
	static const char *const pre[] = { "kecamatan ", "kec.", "kec " };
	size_t i;

	t += strspn(t, " ");
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
		if (!strncasecmp(t, pre[i], strlen(pre[i])))
			return t + strlen(pre[i]) + strspn(t + strlen(pre[i]),
			    " ");
	return t;
}

int
report_code(const char *t, int digits, char *out, size_t cap)
{
	char d[16];
	size_t o = 0;
	int n = 0, i;

	if (digits < 2 || digits > 14 || digits % 2)
		return 0;
	for (; *t; t++) {
		if (isdigit((unsigned char)*t)) {
			if (n == digits)
				return 0;
			d[n++] = *t;
		} else if (*t != '.' && *t != ' ')
			return 0;
	}
	if (n != digits || cap < (size_t)(digits / 2 * 3))
		return 0;
	for (i = 0; i < n; i += 2) {
		if (i)
			out[o++] = '.';
		out[o++] = d[i];
		out[o++] = d[i + 1];
	}
	out[o] = '\0';
	return 1;
}

/* Levenshtein distance between two name keys (each under 256 bytes). */
static int
distance(const char *a, const char *b)
{
	int row[256], i, j, prev, tmp, la = (int)strlen(a), lb = (int)strlen(b);

	if (la > 255 || lb > 255)
		return 256;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			row[j] = prev + (a[i - 1] != b[j - 1]);
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
		}
	}
	return row[lb];
}

/* One pass over the kecamatans for report_kecamatan_pick. */
struct kec_scan {
	const char *key, *code, *area;
	struct kecamatan hit[2][KEC_CHOICES];	/* [0] inside area, [1] all */
	int nhit[2];
	struct kecamatan near[KEC_CHOICES];
	int near_rank[KEC_CHOICES];
	int nnear;
};

/* Keep k among the closest names, ranked (inside the area first, then
 * by distance), the nearest KEC_CHOICES of them. */
static void
keep_near(struct kec_scan *sc, const struct kecamatan *k, int rank)
{
	int i;

	if (sc->nnear == KEC_CHOICES && rank >= sc->near_rank[KEC_CHOICES - 1])
		return;
	i = sc->nnear < KEC_CHOICES ? sc->nnear++ : KEC_CHOICES - 1;
	for (; i > 0 && sc->near_rank[i - 1] > rank; i--) {
		sc->near[i] = sc->near[i - 1];
		sc->near_rank[i] = sc->near_rank[i - 1];
	}
	sc->near[i] = *k;
	sc->near_rank[i] = rank;
}

static int
scan_one(void *arg, const struct kecamatan *k)
{
	struct kec_scan *sc = arg;
	char key[256];
	int in = kec_in_area(k->code, sc->area), d, limit, i;
	size_t kl = strlen(sc->key);

	if (sc->code != NULL) {
		if (!strcmp(k->code, sc->code) && sc->nhit[1] < KEC_CHOICES)
			sc->hit[1][sc->nhit[1]++] = *k;
		return 0;
	}
	village_name_key(k->name, key, sizeof(key));
	if (!strcmp(key, sc->key)) {
		for (i = in ? 0 : 1; i < 2; i++)
			if (sc->nhit[i] < KEC_CHOICES)
				sc->hit[i][sc->nhit[i]++] = *k;
		return 0;
	}
	/* a typo (Getasn) or the start of a name (Ungaran: Ungaran Barat) */
	limit = kl <= 4 ? 1 : (int)kl / 3;
	d = kl >= 3 && !strncmp(key, sc->key, kl) ? 1 : distance(sc->key, key);
	if (d <= limit)
		keep_near(sc, k, (in ? 0 : 1000) + d);
	return 0;
}

int
report_store_kecamatans(void *st,
    int (*fn)(void *arg, const struct kecamatan *), void *arg)
{
	return store_kecamatans(st, fn, arg);
}

int
report_kecamatan_pick(struct store *st, const char *typed, const char *area,
    struct kec_pick *p)
{
	return report_kecamatan_choose(report_store_kecamatans, st, typed, area,
	    p);
}

int
report_kecamatan_choose(kec_list_fn each, void *src, const char *typed,
    const char *area, struct kec_pick *p)
{
	struct kec_scan *sc;
	char code[16], key[256];
	int which, n, rc = KEC_UNKNOWN, i;

	memset(p, 0, sizeof(*p));
	typed = strip_kec(typed);
	village_name_key(typed, key, sizeof(key));
	if (key[0] == '\0')
		return KEC_UNKNOWN;
	if ((sc = calloc(1, sizeof(*sc))) == NULL)
		return -1;
	sc->key = key;
	sc->code = report_code(typed, 6, code, sizeof(code)) ? code : NULL;
	sc->area = area;
	if (each(src, scan_one, sc) != 0) {
		free(sc);
		return -1;
	}
	/* inside the area first, then everywhere */
	which = sc->nhit[0] > 0 ? 0 : 1;
	n = sc->nhit[which];
	if (n == 1) {
		p->k = sc->hit[which][0];
		rc = KEC_FOUND;
	} else if (n > 1) {
		memcpy(p->cand, sc->hit[which], (size_t)n * sizeof(p->cand[0]));
		p->ncand = n;
		rc = KEC_AMBIGUOUS;
	} else {
		/* names inside the area when any is close enough */
		for (i = 0; i < sc->nnear; i++)
			if (sc->near_rank[i] >= 1000 && sc->near_rank[0] < 1000)
				break;
		memcpy(p->cand, sc->near, (size_t)i * sizeof(p->cand[0]));
		p->ncand = i;
	}
	free(sc);
	return rc;
}

/* The kecamatan codes of a month's activity, as report_kecamatans
 * collects them. */
struct codes {
	char (*code)[16];
	int n, cap, failed;
	const char *area;
	struct kecamatan *out;
	int nout, outcap;
};

static int
collect_code(void *arg, int row, int ncols, const char *const *v)
{
	struct codes *c = arg;
	void *p;

	if (row == 0 || ncols < 1)
		return 0;
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		if ((p = realloc(c->code, (size_t)c->cap * sizeof(*c->code))) ==
		    NULL) {
			c->failed = 1;
			return 1;
		}
		c->code = p;
	}
	snprintf(c->code[c->n++], sizeof(c->code[0]), "%s", v[0]);
	return 0;
}

/* Whether code is among the activity's. */
static int
has_code(const struct codes *c, const char *code)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->code[i], code))
			return 1;
	return 0;
}

/* Add k to the kecamatans the report covers. */
static int
push_kec(struct codes *c, const struct kecamatan *k)
{
	void *p;

	if (c->nout == c->outcap) {
		c->outcap = c->outcap ? c->outcap * 2 : 32;
		if ((p = realloc(c->out, (size_t)c->outcap *
		    sizeof(*c->out))) == NULL) {
			c->failed = 1;
			return 1;
		}
		c->out = p;
	}
	c->out[c->nout++] = *k;
	return 0;
}

static int
pick_covered(void *arg, const struct kecamatan *k)
{
	struct codes *c = arg;

	if (kec_in_area(k->code, c->area) || has_code(c, k->code))
		return push_kec(c, k);
	return 0;
}

int
report_kecamatans(struct store *st, const char *month, const char *area,
    struct kecamatan **out)
{
	struct export_filter flt = { .month = month };
	struct codes c = { .area = area };
	struct kecamatan none = { "", "", "" };

	*out = NULL;
	if (store_export(st, EXPORT_REPORT_KECAMATAN, &flt, collect_code,
	    &c) != 0 || c.failed ||
	    store_kecamatans(st, pick_covered, &c) != 0 || c.failed ||
	    (has_code(&c, "") && push_kec(&c, &none) != 0)) {
		free(c.code);
		free(c.out);
		return -1;
	}
	free(c.code);
	*out = c.out;
	return c.nout;
}

int
report_month_valid(const char *month)
{
	char first[16];
	long long t;

	snprintf(first, sizeof(first), "%.7s-01", month);
	return strlen(month) == 7 && month[4] == '-' &&
	    clock_parse_local(first, "%Y-%m-%d", 0, &t) == 0;
}

static const struct {
	const char *name;
	enum export_kind kind;
} sections[] = {
	[REPORT_DESA] = { "desa", EXPORT_REPORT },
	[REPORT_REVIEW] = { "review", EXPORT_REPORT_REVIEW },
	[REPORT_PERDES] = { "perdes", EXPORT_REPORT_PERDES },
	[REPORT_SILENT] = { "silent", EXPORT_SILENT },
	/* not a store export: report_section_rows asks budget_report */
	[REPORT_KEGIATAN] = { "kegiatan", EXPORT_REPORT },
};

const char *
report_section_name(enum report_section s)
{
	return s < REPORT_NSECTIONS ? sections[s].name : "";
}

enum report_section
report_section_find(const char *name)
{
	enum report_section s;

	for (s = REPORT_DESA; s < REPORT_NSECTIONS; s++)
		if (!strcasecmp(name, sections[s].name))
			break;
	return s;
}

/* A store_export callback that passes on the header of the first call
 * only: one table out of a query run per kecamatan. */
struct one_header {
	export_row_fn fn;
	void *arg;
	int seen;
};

static int
row_one_header(void *arg, int row, int ncols, const char *const *v)
{
	struct one_header *h = arg;

	if (row == 0 && h->seen++)
		return 0;
	return h->fn(h->arg, row, ncols, v);
}

int
report_section_rows(struct store *st, enum report_section sec,
    const char *month, const char *kec, const struct kecamatan *k, int nk,
    long long now, export_row_fn fn, void *arg)
{
	struct export_filter flt = { .month = month, .kecamatan = kec };
	struct kegiatan_filter kf = { NULL, kec, atoi(month), 1 };
	struct one_header h = { fn, arg, 0 };
	int i;

	/* a month's report names the flags of its year's budget; a flag
	 * still standing shows in every month until villagers and the
	 * verified progress agree again */
	if (sec == REPORT_KEGIATAN)
		return budget_report_rows(st, &kf, now, fn, arg);
	if (sec != REPORT_DESA)
		return store_export(st, sections[sec].kind, &flt, fn, arg);
	for (i = 0; i < nk; i++) {
		flt.kecamatan = k[i].code;
		if (store_export(st, EXPORT_REPORT, &flt, row_one_header,
		    &h) != 0)
			return -1;
	}
	return 0;
}

/* Rows of the kecamatans in the list, and the header. */
struct totals_of {
	const struct kecamatan *k;
	int nk;
	export_row_fn fn;
	void *arg;
};

static int
total_in_list(void *arg, int row, int n, const char *const *v)
{
	struct totals_of *t = arg;
	int i;

	if (row == 0)
		return t->fn(t->arg, row, n, v);
	for (i = 0; i < t->nk; i++)
		if (!strcmp(t->k[i].code, v[1]))
			return t->fn(t->arg, row, n, v);
	return 0;
}

int
report_totals_rows(struct store *st, const char *month,
    const struct kecamatan *k, int nk, export_row_fn fn, void *arg)
{
	struct export_filter flt = { .month = month };
	struct totals_of t = { k, nk, fn, arg };

	return store_export(st, EXPORT_REPORT_TOTALS, &flt, total_in_list, &t);
}
