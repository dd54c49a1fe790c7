/*
 * The office's side of reports: review RAPAT and KADER reports (records
 * list, withdraw, accept) and hand the camat the month (report monthly).
 * The actions themselves are gateway/rules/records_review.c and
 * report.c; here options are read and results printed.
 */
#include "gateway/rules/records_review.h"
#include "gateway/rules/report.h"
#include "gateway/cli/commands.h"
#include "config/config.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static const char *const states[] = { "counted", "not_counted", "withdrawn" };
static const char *const flag_words[] = { "duplicate", "desa_not_assigned",
    "not_registered" };

/* Whether w is one of the n words. */
static int
one_of(const char *w, const char *const *words, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(w, words[i]))
			return 1;
	return 0;
}

/* Why a review did nothing, for the office. Returns the exit status. */
static int
review_refused(long long id, int rc, const struct review_result *res)
{
	switch (rc) {
	case REVIEW_UNKNOWN:
		fprintf(stderr, "kentongan: no record R-%lld\n", id);
		return 1;
	case REVIEW_NOT_REPORT:
		fprintf(stderr, "kentongan: R-%lld is an %s, not a RAPAT or "
		    "KADER report: see its ticket (tickets list)\n", id,
		    res->r.kind);
		return 1;
	case REVIEW_REPEATS:
		fprintf(stderr, "kentongan: R-%lld not counted: it repeats R-%lld "
		    "(same sender, village, date and type), which counts; "
		    "flagged duplicate. Two meetings? records accept R-%lld "
		    "again. R-%lld the right one? records withdraw R-%lld\n",
		    id, res->repeats, id, id, res->repeats);
		return 1;
	case REVIEW_WAS_WITHDRAWN:
		fprintf(stderr, "kentongan: R-%lld was withdrawn (%s); a "
		    "withdrawn report is not counted again\n", id,
		    res->r.review_note[0] ? res->r.review_note : "earlier");
		return 1;
	default:
		return 0;
	}
}

/* records withdraw R-n --reason TEXT */
static int
records_withdraw(struct cmd_ctx *ctx, long long id, const char *reason)
{
	struct review_result res;
	struct store *st = ctx->st;
	int rc;

	if (reason == NULL || reason[0] == '\0')
		return cmd_usage_error(ctx, "withdraw needs --reason: the "
		    "sender is told why by SMS");
	if (store_begin(st) != 0 || (rc = action_record_office_withdraw(st,
	    id, reason, time(NULL), &res)) < 0 || store_commit(st) != 0) {
		store_rollback(st);
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
		return 1;
	}
	if (rc == REVIEW_ALREADY) {
		printf("R-%lld was withdrawn already (%s); no SMS sent\n", id,
		    res.r.review_note);
		return 0;
	}
	if (rc != REVIEW_DONE)
		return review_refused(id, rc, &res);
	printf("R-%lld withdrawn (was %s)", id, res.r.state);
	if (res.successor > 0)
		printf("; R-%lld, which repeats it, counts in its place",
		    res.successor);
	printf("\nSMS queued to %s: %s\n", res.r.number, res.sms);
	if (res.reason_cut)
		printf("note: the reason was cut to fit one SMS; the record "
		    "keeps it whole\n");
	return 0;
}

/* records accept R-n */
static int
records_accept(struct cmd_ctx *ctx, long long id)
{
	struct review_result res;
	struct record_info first;
	struct store *st = ctx->st;
	int rc;

	if (store_begin(st) != 0 || (rc = action_record_accept(st, id,
	    time(NULL), &res)) < 0 || (rc == REVIEW_DONE &&
	    res.r.duplicate_of > 0 && store_record_get(st,
	    res.r.duplicate_of, &first) < 0) || store_commit(st) != 0) {
		store_rollback(st);
		fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
		return 1;
	}
	if (rc == REVIEW_ALREADY) {
		printf("R-%lld is counted already\n", id);
		return 0;
	}
	if (rc != REVIEW_DONE)
		return review_refused(id, rc, &res);
	printf("R-%lld counted (was not_counted%s%s)\n", id,
	    res.r.flags[0] ? ": " : "", res.r.flags);
	if (res.r.duplicate_of > 0 && !strcmp(first.state, "counted"))
		printf("note: R-%lld, which it repeats, counts too; if both "
		    "are one meeting, withdraw one (records withdraw)\n",
		    res.r.duplicate_of);
	return 0;
}

/* records list [--desa D] [--month M] [--flag F] [--state S] */
static int
records_list(struct cmd_ctx *ctx)
{
	struct cli_out out = { .f = stdout, .format = ctx->format };
	struct export_filter flt = { 0 };
	const char *typed = cmd_get(ctx, 'd');
	char desa[DESA_MAX], why[512];
	int rc;

	flt.month = cmd_get(ctx, 'm');
	flt.flag = cmd_get(ctx, 'f');
	flt.status = cmd_get(ctx, 's');
	if (flt.month != NULL && !report_month_valid(flt.month))
		return cmd_usage_error(ctx, "--month wants YYYY-MM, not '%s'",
		    flt.month);
	if (flt.flag != NULL && !one_of(flt.flag, flag_words, 3))
		return cmd_usage_error(ctx, "unknown flag '%s' (duplicate, "
		    "desa_not_assigned or not_registered)", flt.flag);
	if (flt.status != NULL && !one_of(flt.status, states, 3))
		return cmd_usage_error(ctx, "unknown state '%s' (counted, "
		    "not_counted or withdrawn)", flt.status);
	if (typed != NULL && (flt.desa = cli_village(ctx->st,
	    ctx->conf->area, typed, desa, sizeof(desa), why,
	    sizeof(why))) == NULL) {
		fprintf(stderr, "kentongan: %s\n", why);
		return 1;
	}
	rc = store_export(ctx->st, EXPORT_REVIEW_LIST, &flt, cli_row, &out);
	cli_out_end(&out);
	if (rc != 0)
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
	return rc ? 1 : 0;
}

/* records list | withdraw R-n --reason TEXT | accept R-n */
int
cmd_records(struct cmd_ctx *ctx)
{
	long long id;

	if (!strcmp(ctx->action, "list"))
		return records_list(ctx);
	if (record_number(ctx->argv[0], &id) != 0)
		return cmd_usage_error(ctx, "'%s' is not a report number "
		    "(R-12)", ctx->argv[0]);
	if (!strcmp(ctx->action, "withdraw"))
		return records_withdraw(ctx, id, cmd_get(ctx, 'r'));
	return records_accept(ctx, id);
}

/* Each section's title in the table. */
static const char *const titles[REPORT_NSECTIONS] = {
	[REPORT_REVIEW] = "Menunggu pemeriksaan koordinator (records accept / "
	    "records withdraw), laporan RAPAT/KADER:",
	[REPORT_PERDES] = "Aspirasi per Perdes",
	[REPORT_SILENT] = "Pendamping tanpa laporan RAPAT/KADER bulan ini",
	[REPORT_KEGIATAN] = "Kegiatan APBDes dengan selisih: laporan warga "
	    "(PANTAU) jauh dari progres resmi, atau progres resmi lama",
};

/* The title line of the table. */
static void
report_title(const char *month, const struct kecamatan *k, int nk,
    int picked)
{
	if (picked)
		printf("Laporan bulanan %s, Kecamatan %s (%s), %s\n\n", month,
		    k->name, k->code, k->kabupaten);
	else
		printf("Laporan bulanan %s: %d kecamatan\n\n", month, nk);
}

/*
 * report monthly --month YYYY-MM [--kecamatan K] [--section S]: the table
 * shows every section; csv and json one section, the villages unless
 * --section names another (a spreadsheet takes one table per file).
 * report kegiatan: cmd_budget.c.
 */
int
cmd_report(struct cmd_ctx *ctx)
{
	const char *month = cmd_get(ctx, 'm'), *typed = cmd_get(ctx, 'k');
	const char *sec_name = cmd_get(ctx, 's');
	struct kecamatan *k = NULL, one;
	struct store *st = ctx->st;
	enum report_section sec, s;
	int nk, rc = 0;

	if (!strcmp(ctx->action, "kegiatan"))
		return cmd_report_kegiatan(ctx);
	if (month == NULL)
		return cmd_usage_error(ctx, "monthly needs --month YYYY-MM");
	if (!report_month_valid(month))
		return cmd_usage_error(ctx, "--month wants YYYY-MM, not '%s'",
		    month);
	/* REPORT_NSECTIONS: every section, the table's default */
	sec = ctx->format == OUT_TABLE ? REPORT_NSECTIONS : REPORT_DESA;
	if (sec_name != NULL && (sec = report_section_find(sec_name)) ==
	    REPORT_NSECTIONS)
		return cmd_usage_error(ctx, "unknown section '%s' ("
		    REPORT_SECTIONS ")", sec_name);
	if (typed != NULL) {
		if ((rc = cli_kecamatan(st, ctx->conf->area, typed, &one)) < 0)
			goto fail;
		if (rc > 0)
			return 1;
		k = &one;
		nk = 1;
	} else if ((nk = report_kecamatans(st, month, ctx->conf->area,
	    &k)) < 0)
		goto fail;
	if (sec == REPORT_NSECTIONS)
		report_title(month, k, nk, typed != NULL);
	for (s = REPORT_DESA; s < REPORT_NSECTIONS && rc == 0; s++) {
		struct cli_out out = { .f = stdout, .format = ctx->format };
		int all = sec == REPORT_NSECTIONS;

		if (!all && s != sec)
			continue;
		rc = report_section_rows(st, s, month, typed ? k->code : NULL,
		    k, nk, time(NULL), cli_row, &out);
		/* the table collects its rows: the title can count them */
		if (all && s == REPORT_REVIEW)
			printf("\n%s %d\n\n", titles[s], out.rows);
		else if (all && titles[s] != NULL)
			printf("\n%s\n\n", titles[s]);
		if (all && s != REPORT_DESA && out.rows == 0)
			out.ncols = 0;	/* "(tidak ada)", not a lone header */
		cli_out_end(&out);
		if (all && s != REPORT_DESA && out.rows == 0)
			printf("(tidak ada)\n");
	}
	if (typed == NULL)
		free(k);
	if (rc != 0)
		goto fail;
	return 0;
fail:
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}
