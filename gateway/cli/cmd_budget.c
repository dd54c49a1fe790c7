/*
 * The office's side of the village budgets (APBDes) and their activities:
 * apbdes import, kegiatan import [--announce] and list, report kegiatan.
 * The rows' rules are gateway/rules/budget_csv.c, the tables'
 * budget_report.c; here, options and output.
 */
#include "gateway/rules/budget_csv.h"
#include "gateway/rules/budget_report.h"
#include "gateway/cli/cli.h"
#include "gateway/cli/commands.h"
#include "config/config.h"
#include "store/store.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* apbdes import FILE.csv: every row, or none when one is bad. */
int
cmd_apbdes(struct cmd_ctx *ctx)
{
	struct budget_csv b;
	int n;

	memset(&b, 0, sizeof(b));
	b.area = ctx->conf->area;
	if ((n = cli_import(ctx->st, ctx->argv[0], &apbdes_csv_ops, &b)) < 0)
		return 1;
	printf("%d APBDes imported (a village's year each)\n", n);
	return 0;
}

/* Tell each village of the file (its latest year there) what it has
 * now; one transaction a village, so the daemon's loop gets in between
 * and starts sending. 0, or 1 once said why. */
static int
announce(struct store *st, const struct budget_csv *b)
{
	struct village v;
	long long now = time(NULL);
	int i, n, jumlah, total = 0;

	if (b->failed) {
		fprintf(stderr, "kentongan: out of memory: nothing announced\n");
		return 1;
	}
	for (i = 0; i < b->nvillages; i++) {
		const struct budget_village *bv = &b->villages[i];

		if (store_begin(st) != 0 || (n = budget_announce(st, bv->desa,
		    bv->tahun, now, &jumlah)) < 0 || store_commit(st) != 0) {
			store_rollback(st);
			fprintf(stderr, "kentongan: %s: %s (%d of %d villages "
			    "announced)\n", bv->desa, store_errmsg(st), i,
			    b->nvillages);
			return 1;
		}
		if (store_village_get(st, bv->desa, &v) != 1)
			snprintf(v.name, sizeof(v.name), "%s", bv->desa);
		printf("%s %s %d: %d kegiatan; announced to %d\n", bv->desa,
		    v.name, bv->tahun, jumlah, n);
		total += n;
	}
	printf("announced to %d in all, %d village%s\n", total, b->nvillages,
	    b->nvillages == 1 ? "" : "s");
	return 0;
}

/* kegiatan import [--announce] FILE.csv */
static int
kegiatan_import(struct cmd_ctx *ctx)
{
	struct budget_csv b;
	int n, rc = 0;

	memset(&b, 0, sizeof(b));
	b.area = ctx->conf->area;
	if ((n = cli_import(ctx->st, ctx->argv[0], &kegiatan_csv_ops,
	    &b)) < 0) {
		budget_csv_free(&b);
		return 1;
	}
	printf("%d kegiatan imported, %d village%s\n", n, b.nvillages,
	    b.nvillages == 1 ? "" : "s");
	if (cmd_get(ctx, 'a') != NULL)
		rc = announce(ctx->st, &b);
	budget_csv_free(&b);
	return rc;
}

/* --desa, --kecamatan and --tahun into f (the codes in desa and k);
 * tahun unless given. 0, 1 once said why, or 2 after a usage error. */
static int
budget_filter(struct cmd_ctx *ctx, struct kegiatan_filter *f, char *desa,
    size_t cap, struct kecamatan *k, int tahun)
{
	const char *d = cmd_get(ctx, 'd'), *kec = cmd_get(ctx, 'k');
	const char *y = cmd_get(ctx, 'y');
	char why[512];
	int rc;

	memset(f, 0, sizeof(*f));
	f->tahun = tahun;
	if (y != NULL && budget_year(y, &f->tahun) != 0)
		return cmd_usage_error(ctx, "--tahun wants a year, %d to %d, "
		    "not '%s'", BUDGET_YEAR_MIN, BUDGET_YEAR_MAX, y);
	if (d != NULL && (f->desa = cli_village(ctx->st, ctx->conf->area, d,
	    desa, cap, why, sizeof(why))) == NULL) {
		fprintf(stderr, "kentongan: %s\n", why);
		return 1;
	}
	if (kec != NULL) {
		if ((rc = cli_kecamatan(ctx->st, ctx->conf->area, kec, k)) < 0)
			fprintf(stderr, "kentongan: %s\n",
			    store_errmsg(ctx->st));
		if (rc != 0)
			return 1;
		f->kecamatan = k->code;
	}
	return 0;
}

/* The rows of a list or a report, printed; 0 or 1. */
static int
budget_out(struct cmd_ctx *ctx, struct cli_out *out, int rc)
{
	cli_out_end(out);
	if (rc == 0)
		return 0;
	fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
	return 1;
}

/* kegiatan list [--desa D] [--kecamatan K] [--tahun Y]: every year
 * unless one is named. */
static int
kegiatan_list(struct cmd_ctx *ctx)
{
	struct cli_out out = { .f = stdout, .format = ctx->format };
	struct kegiatan_filter f;
	struct kecamatan k;
	char desa[DESA_MAX];
	int rc;

	if ((rc = budget_filter(ctx, &f, desa, sizeof(desa), &k, 0)) != 0)
		return rc;
	return budget_out(ctx, &out, budget_list_rows(ctx->st, &f, cli_row,
	    &out));
}

/* kegiatan import FILE.csv | list */
int
cmd_kegiatan(struct cmd_ctx *ctx)
{
	if (!strcmp(ctx->action, "import"))
		return kegiatan_import(ctx);
	return kegiatan_list(ctx);
}

/* report kegiatan [--kecamatan K] [--desa D] [--tahun Y]: the year's
 * activities (this year's unless named) and their progress. */
int
cmd_report_kegiatan(struct cmd_ctx *ctx)
{
	struct cli_out out = { .f = stdout, .format = ctx->format };
	struct kegiatan_filter f;
	struct kecamatan k;
	char desa[DESA_MAX];
	long long now = time(NULL);
	int rc;

	if ((rc = budget_filter(ctx, &f, desa, sizeof(desa), &k,
	    clock_pdate(now).year)) != 0)
		return rc;
	return budget_out(ctx, &out, budget_report_rows(ctx->st, &f, now,
	    cli_row, &out));
}
