/* budget_csv: the rows of an APBDes or kegiatan import, checked and stored. */
#include "gateway/rules/budget_csv.h"
#include "gateway/rules/actions.h"
#include "gateway/rules/budget.h"
#include "gateway/rules/office.h"
#include "parser/parser.h"
#include "parser/reply.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The columns of both files, in the order of budget_csv's col[]. */
enum { C_DESA, C_TAHUN, C_KODE, C_NAMA, C_ANGGARAN, C_SUMBER, C_MULAI,
	C_SELESAI };
enum { C_PENDAPATAN = 2, C_BELANJA, C_DANA_DESA };

int
budget_rupiah(const char *s, long long *rp)
{
	long long v = 0;
	size_t group = 0;
	int dotted = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s == '.') {
			/* 1.240.000.000: the first group 1-3 digits, the
			 * rest 3, as a spreadsheet's thousands show them */
			if (group == 0 || group > 3 || (dotted && group != 3))
				return -1;
			dotted = 1;
			group = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s) || v > RUPIAH_MAX / 10)
			return -1;
		v = v * 10 + (*s - '0');
		group++;
	}
	if ((dotted && group != 3) || v > RUPIAH_MAX)
		return -1;
	*rp = v;
	return 0;
}

int
budget_year(const char *s, int *year)
{
	if (strlen(s) != 4 || strspn(s, "0123456789") != 4)
		return -1;
	*year = atoi(s);
	return *year >= BUDGET_YEAR_MIN && *year <= BUDGET_YEAR_MAX ? 0 : -1;
}

/* A cell without the blanks around it; "" for a column the file lacks
 * or a row that stops short of it. */
static char *
cell(const struct budget_csv *b, char **cells, int n, int c)
{
	char *s, *e;

	if (b->col[c] < 0 || b->col[c] >= n)
		return "";
	for (s = cells[b->col[c]]; isspace((unsigned char)*s); s++)
		;
	for (e = s + strlen(s); e > s && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	return s;
}

/* Whether a code is a village's as the store keeps it: 33.22.01.2005. */
static int
is_village_code(const char *s)
{
	static const char shape[] = "dd.dd.dd.dddd";
	size_t i;

	if (strlen(s) != sizeof(shape) - 1)
		return 0;
	for (i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) :
		    s[i] != '.')
			return 0;
	return 1;
}

/* kode_desa and tahun of a row, both files' first two columns, into
 * desa (16 bytes) and *tahun; NULL, or why the row is bad. */
static const char *
row_place(struct budget_csv *b, struct store *st, char **cells, int n,
    char *desa, int *tahun, char *why, size_t cap)
{
	const char *typed = cell(b, cells, n, C_DESA), *year;
	char code[DESA_MAX];

	if (n <= b->col[C_DESA] || n <= b->col[C_TAHUN])
		return "too few columns";
	if (typed[0] == '\0')
		return "kode_desa is empty";
	if (office_village(st, b->area, typed, code, sizeof(code), why,
	    cap) == NULL)
		return why;
	if (!is_village_code(code)) {
		/* a name, and no village list to find it in */
		snprintf(why, cap, "kode_desa '%s' is not a 10-digit village "
		    "code (a name needs the village list: villages import)",
		    typed);
		return why;
	}
	snprintf(desa, 16, "%s", code);
	year = cell(b, cells, n, C_TAHUN);
	if (budget_year(year, tahun) != 0) {
		snprintf(why, cap, "tahun '%s' is not a year (%d to %d)", year,
		    BUDGET_YEAR_MIN, BUDGET_YEAR_MAX);
		return why;
	}
	return NULL;
}

/* A rupiah column of the row into *rp; NULL, or why not. */
static const char *
row_rupiah(struct budget_csv *b, char **cells, int n, int c,
    const char *name, long long *rp, char *why, size_t cap)
{
	const char *typed = cell(b, cells, n, c);

	if (n <= b->col[c])
		return "too few columns";
	if (budget_rupiah(typed, rp) == 0)
		return NULL;
	snprintf(why, cap, "%s '%s' is not rupiah: digits, with or without "
	    "'.' between groups of three (1240000000 or 1.240.000.000)", name,
	    typed);
	return why;
}

static int
apbdes_header(void *arg, char **cells, int n)
{
	static const char *const want[] = { "kode_desa", "tahun",
	    "pendapatan", "belanja", "dana_desa" };

	return csv_import_columns(cells, n, want, 5, 5,
	    ((struct budget_csv *)arg)->col);
}

static const char *
apbdes_check(void *arg, struct store *st, char **cells, int n, char *why,
    size_t cap)
{
	struct budget_csv *b = arg;
	struct apbdes *a = &b->a;
	const char *err;

	memset(a, 0, sizeof(*a));
	if ((err = row_place(b, st, cells, n, a->desa, &a->tahun, why,
	    cap)) != NULL ||
	    (err = row_rupiah(b, cells, n, C_PENDAPATAN, "pendapatan",
	    &a->pendapatan, why, cap)) != NULL ||
	    (err = row_rupiah(b, cells, n, C_BELANJA, "belanja", &a->belanja,
	    why, cap)) != NULL ||
	    (err = row_rupiah(b, cells, n, C_DANA_DESA, "dana_desa",
	    &a->dana_desa, why, cap)) != NULL)
		return err;
	snprintf(b->key, sizeof(b->key), "%s %d", a->desa, a->tahun);
	return NULL;
}

static int
apbdes_put(void *arg, struct store *st, char **cells, int n)
{
	(void)cells;
	(void)n;
	return store_apbdes_put(st, &((struct budget_csv *)arg)->a,
	    time(NULL));
}

/* A village's year twice in one file: which row was meant? */
static const char *
budget_key(void *arg)
{
	return ((struct budget_csv *)arg)->key;
}

const struct import_ops apbdes_csv_ops = {
    "kode_desa,tahun,pendapatan,belanja,dana_desa", apbdes_header,
    apbdes_check, apbdes_put, budget_key };

static int
kegiatan_header(void *arg, char **cells, int n)
{
	static const char *const want[] = { "kode_desa", "tahun", "kode",
	    "nama", "anggaran", "sumber", "mulai", "selesai" };

	return csv_import_columns(cells, n, want, 8, 6,
	    ((struct budget_csv *)arg)->col);
}

/* A plan's date column, empty or a date, into iso (11 bytes); NULL, or
 * why not. */
static const char *
row_date(struct budget_csv *b, char **cells, int n, int c, const char *name,
    char *iso, char *why, size_t cap)
{
	const char *typed = cell(b, cells, n, c);
	struct pdate d;

	iso[0] = '\0';
	if (typed[0] == '\0')
		return NULL;
	if (parse_office_date(typed, &d) != 0) {
		snprintf(why, cap, "%s '%s' is not a date (YYYY-MM-DD or "
		    "d/m/yyyy), nor empty", name, typed);
		return why;
	}
	snprintf(iso, 11, "%04d-%02d-%02d", d.year, d.month, d.day);
	return NULL;
}

/* A text column that must be there and fit max bytes into out; NULL,
 * or why not. */
static const char *
row_text(struct budget_csv *b, char **cells, int n, int c, const char *name,
    char *out, size_t max, char *why, size_t cap)
{
	const char *typed = cell(b, cells, n, c);

	if (typed[0] == '\0') {
		snprintf(why, cap, "%s is empty", name);
		return why;
	}
	if (strlen(typed) > max) {
		snprintf(why, cap, "%s is too long (%zu bytes, at most %zu)",
		    name, strlen(typed), max);
		return why;
	}
	snprintf(out, max + 1, "%s", typed);
	return NULL;
}

static const char *
kegiatan_check(void *arg, struct store *st, char **cells, int n, char *why,
    size_t cap)
{
	struct budget_csv *b = arg;
	struct kegiatan *k = &b->k;
	const char *err, *kode;

	memset(k, 0, sizeof(*k));
	if ((err = row_place(b, st, cells, n, k->desa, &k->tahun, why,
	    cap)) != NULL)
		return err;
	kode = cell(b, cells, n, C_KODE);
	if (parse_kegiatan(kode, k->kode) != 0) {
		snprintf(why, cap, "kode '%s' is not an activity code: letters "
		    "then digits (K01), at most %d and %d", kode,
		    KEGIATAN_LETTERS_MAX, KEGIATAN_DIGITS_MAX);
		return why;
	}
	if ((err = row_text(b, cells, n, C_NAMA, "nama", k->nama,
	    sizeof(k->nama) - 1, why, cap)) != NULL ||
	    (err = row_rupiah(b, cells, n, C_ANGGARAN, "anggaran",
	    &k->anggaran, why, cap)) != NULL ||
	    (err = row_text(b, cells, n, C_SUMBER, "sumber (DD, ADD, PADes, "
	    "...)", k->sumber, SUMBER_MAX, why, cap)) != NULL ||
	    (err = row_date(b, cells, n, C_MULAI, "mulai", k->mulai, why,
	    cap)) != NULL ||
	    (err = row_date(b, cells, n, C_SELESAI, "selesai", k->selesai,
	    why, cap)) != NULL)
		return err;
	if (k->mulai[0] && k->selesai[0] && strcmp(k->selesai, k->mulai) < 0) {
		snprintf(why, cap, "selesai %s is before mulai %s", k->selesai,
		    k->mulai);
		return why;
	}
	snprintf(b->key, sizeof(b->key), "%s %d %s", k->desa, k->tahun,
	    k->kode);
	return NULL;
}

/* Note the village of a row stored, for the announcement: once, with the
 * latest year. A file's rows come village by village, so the last one is
 * looked at first. -1 (and b->failed) when out of memory. */
static int
note_village(struct budget_csv *b, const char *desa, int tahun)
{
	struct budget_village *v;
	int i;

	for (i = b->nvillages - 1; i >= 0; i--)
		if (!strcmp(b->villages[i].desa, desa)) {
			if (tahun > b->villages[i].tahun)
				b->villages[i].tahun = tahun;
			return 0;
		}
	if (b->nvillages == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		if ((v = realloc(b->villages, (size_t)b->cap *
		    sizeof(*v))) == NULL) {
			b->failed = 1;
			return -1;
		}
		b->villages = v;
	}
	v = &b->villages[b->nvillages++];
	snprintf(v->desa, sizeof(v->desa), "%s", desa);
	v->tahun = tahun;
	return 0;
}

static int
kegiatan_put(void *arg, struct store *st, char **cells, int n)
{
	struct budget_csv *b = arg;

	(void)cells;
	(void)n;
	if (store_kegiatan_put(st, &b->k, time(NULL)) != 0)
		return -1;
	/* no memory for the list costs the announcement, not the import */
	(void)note_village(b, b->k.desa, b->k.tahun);
	return 0;
}

const struct import_ops kegiatan_csv_ops = {
    "kode_desa,tahun,kode,nama,anggaran,sumber,mulai,selesai",
    kegiatan_header, kegiatan_check, kegiatan_put, budget_key };

void
budget_csv_free(struct budget_csv *b)
{
	free(b->villages);
	b->villages = NULL;
	b->nvillages = b->cap = 0;
}

int
budget_announce(struct store *st, const char *desa, int tahun,
    long long now, int *jumlah)
{
	struct kegiatan first;
	struct village v;
	char text[REPLY_MAX], year[8], count[16], name[DESA_MAX];
	struct reply_var vars[] = { { "desa", name }, { "tahun", year },
	    { "jumlah", count }, { "kegiatan", first.kode } };
	int rc;

	if ((*jumlah = store_kegiatan_of(st, desa, tahun, &first, 1)) <= 0)
		return *jumlah;
	if ((rc = store_village_get(st, desa, &v)) < 0)
		return -1;
	/* {desa} is typed back in APBDES and PANTAU: "Suka Maju" would not
	 * read as one field */
	budget_sms_desa(desa, rc == 1 ? v.name : "", name, sizeof(name));
	snprintf(year, sizeof(year), "%d", tahun);
	snprintf(count, sizeof(count), "%d", *jumlah);
	if (reply_render(R_KEGIATAN_ANNOUNCE, vars, 4, text, sizeof(text)) < 0)
		return -1;
	return action_announce(st, desa, text, "announcement", now);
}
