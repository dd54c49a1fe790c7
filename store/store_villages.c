/* Villages (the Kemendagri list) and Perdes consultations. */
#include "store/store_int.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
village_name_key(const char *name, char *out, size_t cap)
{
	size_t o = 0;

	for (; *name && o + 1 < cap; name++)
		if (isalnum((unsigned char)*name))
			out[o++] = (char)toupper((unsigned char)*name);
	out[o] = '\0';
}

int
store_village_put(struct store *st, const char *code, const char *name,
    const char *kecamatan, const char *kabupaten, const char *provinsi)
{
	sqlite3_stmt *s = store_stmt(st, Q_VILLAGE_PUT);
	char key[256];
	int rc;

	if (s == NULL)
		return -1;
	village_name_key(name, key, sizeof(key));
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, name);
	store_bind_text(s, 3, key);
	store_bind_text(s, 4, kecamatan);
	store_bind_text(s, 5, kabupaten);
	store_bind_text(s, 6, provinsi ? provinsi : "");
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

long long
store_village_count(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, Q_VILLAGE_COUNT);
	long long n = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return n;
}

int
store_village_prefix_known(struct store *st, const char *prefix)
{
	sqlite3_stmt *s = store_stmt(st, Q_VILLAGE_PREFIX);
	int rc, known;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, prefix);
	if ((rc = sqlite3_step(s)) != SQLITE_ROW)
		return store_fail(st, rc);
	known = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return known;
}

/* Copy the village columns 0..3 of s into v. */
static void
village_from_row(sqlite3_stmt *s, struct village *v)
{
	memset(v, 0, sizeof(*v));
	store_col_copy(s, 0, v->code, sizeof(v->code));
	store_col_copy(s, 1, v->name, sizeof(v->name));
	store_col_copy(s, 2, v->kecamatan, sizeof(v->kecamatan));
	store_col_copy(s, 3, v->kabupaten, sizeof(v->kabupaten));
}

/* Whether typed is a code as the parser writes it: dd.dd.dd.dddd */
static int
is_code(const char *t)
{
	static const char shape[] = "99.99.99.9999";
	size_t i;

	for (i = 0; shape[i]; i++)
		if (shape[i] == '9' ? !isdigit((unsigned char)t[i]) :
		    t[i] != '.')
			return 0;
	return t[i] == '\0';
}

/* Ten digits, with or without dots, as a dotted code into out. */
static int
code_digits(const char *t, char *out, size_t cap)
{
	char d[11];
	int n = 0;

	for (; *t; t++) {
		if (isdigit((unsigned char)*t)) {
			if (n == 10)
				return 0;
			d[n++] = *t;
		} else if (*t != '.')
			return 0;
	}
	if (n != 10)
		return 0;
	snprintf(out, cap, "%.2s.%.2s.%.2s.%.4s", d, d + 2, d + 4, d + 6);
	return 1;
}

int
store_village_get(struct store *st, const char *code, struct village *v)
{
	sqlite3_stmt *s = store_stmt(st, Q_VILLAGE_BY_CODE);
	int rc;

	memset(v, 0, sizeof(*v));
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		village_from_row(s, v);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
}

int
store_kecamatans(struct store *st,
    int (*fn)(void *arg, const struct kecamatan *), void *arg)
{
	sqlite3_stmt *s = store_stmt(st, Q_KECAMATANS);
	struct kecamatan k;
	int rc;

	if (s == NULL)
		return -1;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_col_copy(s, 0, k.code, sizeof(k.code));
		store_col_copy(s, 1, k.name, sizeof(k.name));
		store_col_copy(s, 2, k.kabupaten, sizeof(k.kabupaten));
		if (fn(arg, &k) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc);
}

/* Whether code lies inside one of the blank-separated prefixes of area;
 * a prefix ends where a group of the code ends ("33.2" is no prefix). */
static int
in_area(const char *code, const char *area)
{
	size_t n;

	while (area != NULL && *area) {
		area += strspn(area, " ,");
		n = strcspn(area, " ,");
		if (n > 0 && strncmp(code, area, n) == 0 &&
		    (code[n] == '.' || code[n] == '\0'))
			return 1;
		area += n;
	}
	return 0;
}

/* The steps of store_village_pick, nearest first: which villages each
 * looks at, by closeness and area. */
static int
in_step(int step, const struct village *v, const char *area)
{
	switch (step) {
	case 0:
		return v->closeness == VILLAGE_OWN;
	case 1:
		return v->closeness >= VILLAGE_NEAR;
	case 2:
		return in_area(v->code, area);
	default:
		return 1;
	}
}

#define NAME_MATCHES_MAX	200	/* the most villages sharing a name: 119 */

/* Nearest first, then by code. */
static int
by_closeness(const void *a, const void *b)
{
	const struct village *x = a, *y = b;

	if (x->closeness != y->closeness)
		return y->closeness - x->closeness;
	return strcmp(x->code, y->code);
}

/* Every village named key, with its closeness to the scope, nearest
 * first, into all (NAME_MATCHES_MAX); returns how many or -1. */
static int
name_matches(struct store *st, const char *key,
    const struct village_scope *scope, struct village *all)
{
	sqlite3_stmt *s = store_stmt(st, Q_VILLAGE_BY_NAME);
	const char *area = scope ? scope->area : NULL;
	int rc, n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, key);
	store_bind_text(s, 2, scope && scope->number ? scope->number : "");
	while (n < NAME_MATCHES_MAX && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct village *v = &all[n++];

		village_from_row(s, v);
		v->closeness = sqlite3_column_int(s, 4) ? VILLAGE_OWN :
		    sqlite3_column_int(s, 5) ? VILLAGE_NEAR :
		    in_area(v->code, area) ? VILLAGE_IN_AREA : 0;
	}
	sqlite3_reset(s);
	if (n < NAME_MATCHES_MAX && rc != SQLITE_DONE)
		return store_fail(st, rc);
	qsort(all, (size_t)n, sizeof(all[0]), by_closeness);
	return n;
}

/* Decide among the n matches (nearest first) as store_village_pick says. */
static int
pick_nearest(const struct village *all, int n, const char *area,
    struct village_pick *p)
{
	int step, i, count, last = 0;

	p->choices = 0;
	for (step = 0; step < 4; step++) {
		for (i = count = 0; i < n; i++)
			if (in_step(step, &all[i], area)) {
				count++;
				last = i;
			}
		if (count == 1) {
			p->v = all[last];
			p->choices = 0;
			return VILLAGE_FOUND;
		}
		if (count > 1 && p->choices == 0)
			p->choices = count;
	}
	return n == 0 ? VILLAGE_UNKNOWN : VILLAGE_AMBIGUOUS;
}

/* The village a typed code names. */
static int
pick_code(struct store *st, const char *code, struct village_pick *p)
{
	int rc = store_village_get(st, code, &p->v);

	if (rc <= 0)
		return rc < 0 ? -1 : VILLAGE_UNKNOWN;
	p->total = 1;
	if (p->cand != NULL && p->cand_max > 0) {
		p->cand[0] = p->v;
		p->ncand = 1;
	}
	return VILLAGE_FOUND;
}

/* A name: every match ranked, then the steps. */
static int
pick_name(struct store *st, const char *typed,
    const struct village_scope *scope, struct village_pick *p)
{
	struct village *all;
	char key[256];
	int n, rc;

	village_name_key(typed, key, sizeof(key));
	if (key[0] == '\0')
		return VILLAGE_UNKNOWN;
	if ((all = calloc(NAME_MATCHES_MAX, sizeof(*all))) == NULL)
		return -1;
	if ((n = name_matches(st, key, scope, all)) < 0) {
		free(all);
		return -1;
	}
	p->total = n;
	rc = pick_nearest(all, n, scope ? scope->area : NULL, p);
	if (p->cand != NULL) {
		p->ncand = n < p->cand_max ? n : p->cand_max;
		memcpy(p->cand, all, (size_t)p->ncand * sizeof(all[0]));
	}
	free(all);
	return rc;
}

int
store_village_pick(struct store *st, const char *typed,
    const struct village_scope *scope, struct village_pick *p)
{
	long long known;
	char code[16];
	int rc;

	memset(&p->v, 0, sizeof(p->v));
	p->total = p->choices = p->ncand = 0;
	if (code_digits(typed, code, sizeof(code)))
		typed = code;	/* 3322012005 is 33.22.01.2005 */
	rc = is_code(typed) ? pick_code(st, typed, p) :
	    pick_name(st, typed, scope, p);
	if (rc != VILLAGE_UNKNOWN)
		return rc;
	if ((known = store_village_count(st)) < 0)
		return -1;
	return known == 0 ? VILLAGE_AS_TYPED : VILLAGE_UNKNOWN;
}

int
store_perdes_open(struct store *st, const char *code, const char *desa,
    const char *title, const char *until, long long now)
{
	sqlite3_stmt *s = store_stmt(st, Q_PERDES_OPEN);
	int rc;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, desa);
	store_bind_text(s, 3, title);
	store_bind_text(s, 4, until);
	sqlite3_bind_int64(s, 5, now);
	if ((rc = sqlite3_step(s)) != SQLITE_DONE)
		return store_fail(st, rc);
	return 0;
}

int
store_perdes_close(struct store *st, const char *code, const char *desa,
    long long now, char (*closed)[DESA_MAX], int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_PERDES_CLOSE);

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, desa);
	sqlite3_bind_int64(s, 3, now);
	return store_step_codes(st, s, closed, max);
}

int
store_perdes_find_open(struct store *st, const char *code, const char *desa,
    const char *today, struct perdes *p)
{
	sqlite3_stmt *s = store_stmt(st, Q_PERDES_FIND);
	int rc, n = 0;

	memset(p, 0, sizeof(*p));
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, desa && desa[0] ? desa : NULL);
	store_bind_text(s, 3, today);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (n++ == 0) {
			store_col_copy(s, 0, p->code, sizeof(p->code));
			store_col_copy(s, 1, p->desa, sizeof(p->desa));
			store_col_copy(s, 2, p->title, sizeof(p->title));
			store_col_copy(s, 3, p->until, sizeof(p->until));
			store_col_copy(s, 4, p->state, sizeof(p->state));
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	if (n != 1)
		memset(p, 0, sizeof(*p));
	return n == 1;
}

int
store_perdes_open_codes(struct store *st, const char *desa, const char *today,
    char *out, size_t cap)
{
	sqlite3_stmt *s = store_stmt(st, Q_PERDES_CODES);
	size_t o = 0;
	int rc;

	out[0] = '\0';
	if (s == NULL)
		return -1;
	store_bind_text(s, 1, desa ? desa : "");
	store_bind_text(s, 2, today);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);
		int w = snprintf(out + o, cap - o, "%s%s", o ? ", " : "",
		    c ? c : "");

		if (w < 0 || (size_t)w >= cap - o)
			break;
		o += (size_t)w;
	}
	sqlite3_reset(s);
	return 0;
}

int
store_perdes_list_open(struct store *st, const char *desa, const char *today,
    struct perdes *out, int max)
{
	sqlite3_stmt *s = store_stmt(st, Q_PERDES_LIST_OPEN);
	int rc, n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, desa ? desa : "");
	store_bind_text(s, 2, today);
	sqlite3_bind_int(s, 3, max);
	while (n < max && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		memset(&out[n], 0, sizeof(out[n]));
		store_col_copy(s, 0, out[n].code, sizeof(out[n].code));
		store_col_copy(s, 1, out[n].desa, sizeof(out[n].desa));
		store_col_copy(s, 2, out[n].title, sizeof(out[n].title));
		store_col_copy(s, 3, out[n].until, sizeof(out[n].until));
		store_col_copy(s, 4, out[n].state, sizeof(out[n].state));
		n++;
	}
	sqlite3_reset(s);
	return n;
}

int
store_perdes_aspirants(struct store *st, const char *code, const char *desa,
    int (*fn)(void *arg, const char *number, int total), void *arg)
{
	sqlite3_stmt *s = store_stmt(st, Q_PERDES_ASPIRANTS);
	char number[NUMBER_MAX];
	int rc, n = 0;

	if (s == NULL)
		return -1;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, desa);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		store_col_copy(s, 0, number, sizeof(number));
		n++;
		if (fn(arg, number, sqlite3_column_int(s, 1)) != 0) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_fail(st, rc);
	return n;
}
