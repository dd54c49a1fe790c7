#include "gateway/cli/cli.h"
#include "gateway/rules/office.h"
#include "gateway/rules/report.h"
#include "store/csv.h"
#include "config/config.h"
#include "parser/json.h"
#include "parser/parser.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
cli_format(const char *name, enum out_format *f)
{
	static const char *const names[] = { "csv", "json", "table", "jsonl" };
	int i;

	for (i = 0; i < 4; i++)
		if (!strcmp(name, names[i])) {
			*f = (enum out_format)i;
			return 0;
		}
	return -1;
}

/* Write one JSON string (escaped by the parser's JSON writer). */
static void
json_put(FILE *f, const char *s)
{
	char buf[4096], *p = buf;
	size_t n = json_string(s, strlen(s), buf, sizeof(buf));

	if (n >= sizeof(buf)) {
		if ((p = malloc(n + 1)) == NULL)
			return;
		json_string(s, strlen(s), p, n + 1);
	}
	fwrite(p, 1, n, f);
	if (p != buf)
		free(p);
}

/* Keep one cell for the table. */
static int
keep(struct cli_out *o, const char *v)
{
	if (o->ncells == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 256;
		char **c = realloc(o->cells, cap * sizeof(*c));

		if (c == NULL)
			return -1;
		o->cells = c;
		o->cap = cap;
	}
	if ((o->cells[o->ncells] = strdup(v)) == NULL)
		return -1;
	o->ncells++;
	return 0;
}

int
cli_row(void *arg, int row, int ncols, const char *const *v)
{
	struct cli_out *o = arg;
	int i;

	if (row == 0) {
		o->ncols = ncols > 32 ? 32 : ncols;
		for (i = 0; i < o->ncols; i++)
			snprintf(o->cols[i], sizeof(o->cols[i]), "%s", v[i]);
	} else
		o->rows++;
	switch (o->format) {
	case OUT_CSV:
		csv_write_row(o->f, ncols, v);
		break;
	case OUT_JSON:
	case OUT_JSONL:
		if (row == 0) {
			if (o->format == OUT_JSON)
				fputc('[', o->f);
			break;
		}
		if (o->format == OUT_JSON)
			fputs(o->rows > 1 ? ",\n" : "\n", o->f);
		fputc('{', o->f);
		for (i = 0; i < o->ncols; i++) {
			if (i)
				fputc(',', o->f);
			json_put(o->f, o->cols[i]);
			fputc(':', o->f);
			json_put(o->f, v[i]);
		}
		fputc('}', o->f);
		if (o->format == OUT_JSONL)
			fputc('\n', o->f);
		break;
	case OUT_TABLE:
		for (i = 0; i < o->ncols; i++)
			if (keep(o, v[i]) != 0)
				return 1;
		break;
	}
	return 0;
}

/* Display width of UTF-8 text: code points, not bytes. */
static int
width(const char *s)
{
	int w = 0;

	for (; *s; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			w++;
	return w;
}

void
cli_out_end(struct cli_out *o)
{
	int w[32] = { 0 }, i;
	size_t r, nrows;

	/* Even a failed or empty listing is one JSON document. */
	if (o->format == OUT_JSON)
		fputs(o->ncols == 0 ? "[]\n" : o->rows ? "\n]\n" : "]\n", o->f);
	if (o->format != OUT_TABLE || o->ncols == 0)
		goto done;
	nrows = o->ncells / (size_t)o->ncols;
	for (r = 0; r < nrows; r++)
		for (i = 0; i < o->ncols; i++) {
			int cw = width(o->cells[r * o->ncols + i]);

			if (cw > 40)
				cw = 40;
			if (cw > w[i])
				w[i] = cw;
		}
	for (r = 0; r < nrows; r++) {
		for (i = 0; i < o->ncols; i++) {
			const char *c = o->cells[r * o->ncols + i];
			int cw = width(c);

			fprintf(o->f, "%s%s", i ? "  " : "", c);
			if (i + 1 < o->ncols)
				fprintf(o->f, "%*s", cw < w[i] ? w[i] - cw : 0,
				    "");
		}
		fputc('\n', o->f);
		if (r == 0) {
			int total = 0;

			for (i = 0; i < o->ncols; i++)
				total += w[i] + (i ? 2 : 0);
			while (total-- > 0)
				fputc('-', o->f);
			fputc('\n', o->f);
		}
	}
done:
	for (r = 0; r < o->ncells; r++)
		free(o->cells[r]);
	free(o->cells);
	o->cells = NULL;
	o->ncells = o->cap = 0;
}

const char *
cli_village(struct store *st, const char *area, const char *typed,
    char *code, size_t cap, char *why, size_t whycap)
{
	return office_village(st, area, typed, code, cap, why, whycap);
}

/* Print why a typed kecamatan is none, with the names it may mean. */
static void
kecamatan_refused(const char *typed, int rc, const struct kec_pick *p)
{
	int i;

	if (rc == KEC_AMBIGUOUS)
		fprintf(stderr, "kentongan: %d kecamatan are named '%s':",
		    p->ncand, typed);
	else
		fprintf(stderr, "kentongan: unknown kecamatan '%s'%s", typed,
		    p->ncand ? "; closest:" : " (villages find NAME shows a "
		    "village's kecamatan)");
	for (i = 0; i < p->ncand; i++)
		fprintf(stderr, "%s %s (%s, %s)", i ? "," : "",
		    p->cand[i].name, p->cand[i].code, p->cand[i].kabupaten);
	fprintf(stderr, "%s\n", rc == KEC_AMBIGUOUS ? "; use the code" : "");
}

int
cli_kecamatan(struct store *st, const char *area, const char *typed,
    struct kecamatan *k)
{
	return cli_kecamatan_in(report_store_kecamatans, st, area, typed, k);
}

int
cli_kecamatan_in(kec_list_fn each, void *src, const char *area,
    const char *typed, struct kecamatan *k)
{
	struct kec_pick pick;
	int rc;

	if ((rc = report_kecamatan_choose(each, src, typed, area, &pick)) < 0)
		return -1;
	if (rc != KEC_FOUND) {
		kecamatan_refused(typed, rc, &pick);
		return 1;
	}
	*k = pick.k;
	return 0;
}

int
cli_date(const struct cmd_ctx *ctx, const char *option, const char *typed,
    long long *day, char *iso)
{
	char err[256];

	if (clock_parse_office_date(typed, day, err, sizeof(err)) != 0)
		return cmd_usage_error(ctx, "--%s: %s", option, err);
	if (iso != NULL)
		clock_iso_date(*day, iso, 11);
	return 0;
}

/* Print each usage line of e, indented, after "kentongan ". */
void
entry_usage(FILE *f, const struct cmd_entry *e, const char *indent,
    int formats)
{
	const char *p = e->usage, *nl;

	for (; p != NULL && *p; p = *nl ? nl + 1 : nl) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p);
		fprintf(f, "%skentongan %.*s\n", indent, (int)(nl - p), p);
	}
	if (formats && (e->flags & CMD_FORMAT))
		fprintf(f, "%s%s", indent, FORMATS);
	if (formats && e->usage != NULL && (strstr(e->usage, "DATE") ||
	    strstr(e->usage, "TIME")))
		fprintf(f, "%s%s", indent, DATES);
}

const char *
cmd_get(const struct cmd_ctx *ctx, int key)
{
	return key > 0 && key < 128 ? ctx->opt[key] : NULL;
}

int
cmd_usage_error(const struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kentongan %s: ", ctx->entry->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	fprintf(stderr, "usage:\n");
	entry_usage(stderr, ctx->entry, "  ", 1);
	return 2;
}

int
cli_import(struct store *st, const char *file, const struct import_ops *ops,
    void *arg)
{
	struct import_how how = { .name = file, .err = stderr };

	return csv_import(st, &how, ops, arg);
}
