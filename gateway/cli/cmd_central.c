/*
 * central: the kabupaten's commands, on the central PostgreSQL alone
 * (docs/central.md): make or migrate its schema, the camat's monthly
 * report over every site, the tickets that wait too long. The config
 * needs only [central] conninfo (config_load_central): the kabupaten's
 * office runs no gateway and has no store. The SQL is
 * gateway/central/central_report.c.
 */
#include "gateway/central/central.h"
#include "gateway/cli/commands.h"
#include "gateway/rules/report.h"
#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The configured central database, or NULL after saying why not. */
static PGconn *
central_open(const struct cmd_ctx *ctx)
{
	char err[512];
	PGconn *pg;

	pg = central_connect(ctx->conf->central_conninfo, err, sizeof(err));
	if (pg == NULL)
		fprintf(stderr, "kentongan: central: %s\n", err);
	return pg;
}

/* central init: what every gateway does on connecting, for a DBA who
 * wants the schema made (or migrated) before any gateway comes. */
static int
central_init(PGconn *pg)
{
	char err[512];
	int was, now = central_schema_version();

	if (central_schema_ensure(pg, &was, err, sizeof(err)) != 0) {
		err[strcspn(err, "\n")] = '\0';
		fprintf(stderr, "kentongan: central: %s\n", err);
		return 1;
	}
	printf("central schema: version %d before, %d after%s\n", was, now,
	    was == now ? " (nothing to do)" : "");
	return 0;
}

/* What --kabupaten and --kecamatan name, as codes in s (kab and k keep
 * them). 0; 1 after saying why they name nothing; -1 on an error. */
static int
monthly_scope(const struct cmd_ctx *ctx, PGconn *pg, struct central_scope *s,
    char *kab, size_t kabcap, struct kecamatan *k)
{
	const char *typed_kab = cmd_get(ctx, 'b'), *typed_kec = cmd_get(ctx, 'k');
	char err[1024];
	int rc;

	if (typed_kab != NULL) {
		if ((rc = central_kabupaten_pick(pg, typed_kab, kab, kabcap, err,
		    sizeof(err))) != 0) {
			fprintf(stderr, "kentongan: %s\n", err);
			return rc;
		}
		s->kabupaten = kab;
	}
	if (typed_kec == NULL)
		return 0;
	/* a name two kabupaten share is the one of --kabupaten, as a name
	 * is the one inside the area at a gateway */
	if ((rc = cli_kecamatan_in(central_kecamatans, pg, s->kabupaten,
	    typed_kec, k)) < 0) {
		fprintf(stderr, "kentongan: central: %s\n", central_error(pg));
		return -1;
	}
	if (rc > 0)
		return 1;
	if (s->kabupaten != NULL && strncmp(k->code, kab, strlen(kab)) != 0) {
		fprintf(stderr, "kentongan: Kecamatan %s (%s) is not in "
		    "kabupaten %s\n", k->name, k->code, kab);
		return 1;
	}
	s->kecamatan = k->code;
	return 0;
}

/* The report's rows to the output, its kecamatans counted for the
 * table's title. */
struct monthly_out {
	struct cli_out out;
	int kecamatans;
};

static int
monthly_row(void *arg, int row, int ncols, const char *const *v)
{
	struct monthly_out *m = arg;

	if (row > 0 && ncols > 2 && !strcmp(v[2], "JUMLAH"))
		m->kecamatans++;
	return cli_row(&m->out, row, ncols, v);
}

/* central report monthly --month M [--kabupaten K] [--kecamatan K] */
static int
central_monthly(struct cmd_ctx *ctx, PGconn *pg)
{
	struct central_scope s = { cmd_get(ctx, 'm'), NULL, NULL };
	struct monthly_out m = { { .f = stdout, .format = ctx->format }, 0 };
	struct kecamatan k;
	char kab[16], err[512];
	int rc;

	if ((rc = monthly_scope(ctx, pg, &s, kab, sizeof(kab), &k)) != 0)
		return 1;
	rc = central_report_monthly(pg, &s, monthly_row, &m, err, sizeof(err));
	if (rc == 0 && ctx->format == OUT_TABLE) {
		if (s.kecamatan != NULL)
			printf("Laporan bulanan %s, Kecamatan %s (%s), %s: "
			    "semua site\n\n", s.month, k.name, k.code,
			    k.kabupaten);
		else
			printf("Laporan bulanan %s%s%s: %d kecamatan, semua "
			    "site\n\n", s.month, s.kabupaten ? ", kabupaten " :
			    "", s.kabupaten ? s.kabupaten : "", m.kecamatans);
	}
	cli_out_end(&m.out);
	if (rc != 0) {
		fprintf(stderr, "kentongan: central: %s\n", err);
		return 1;
	}
	return 0;
}

/* central tickets --waiting-days N: now is the office's clock, in the
 * config's zone, as the sites' times are their wall clocks. */
static int
central_waiting(struct cmd_ctx *ctx, PGconn *pg)
{
	struct cli_out out = { .f = stdout, .format = ctx->format };
	time_t t = time(NULL);
	char now[32], err[512];
	struct tm tm;
	int rc;

	localtime_r(&t, &tm);
	strftime(now, sizeof(now), "%Y-%m-%d %H:%M:%S", &tm);
	rc = central_tickets_waiting(pg, atoi(cmd_get(ctx, 'w')), now,
	    cli_row, &out, err, sizeof(err));
	cli_out_end(&out);
	if (rc != 0) {
		fprintf(stderr, "kentongan: central: %s\n", err);
		return 1;
	}
	return 0;
}

/* Whether s is a whole number from 0 to 36500 (a century of days). */
static int
days_valid(const char *s)
{
	char *end;
	long n = strtol(s, &end, 10);

	return s[0] >= '0' && s[0] <= '9' && *end == '\0' && n <= 36500;
}

/* central init | report monthly | tickets: the arguments are checked
 * before central is reached, so a typo costs no connection. */
int
cmd_central(struct cmd_ctx *ctx)
{
	const char *month = cmd_get(ctx, 'm'), *days = cmd_get(ctx, 'w');
	PGconn *pg;
	int rc;

	if (!strcmp(ctx->action, "report")) {
		if (strcmp(ctx->argv[0], "monthly") != 0)
			return cmd_usage_error(ctx, "unknown report '%s' (monthly)",
			    ctx->argv[0]);
		if (month == NULL)
			return cmd_usage_error(ctx, "monthly needs --month "
			    "YYYY-MM");
		if (!report_month_valid(month))
			return cmd_usage_error(ctx, "--month wants YYYY-MM, not "
			    "'%s'", month);
	}
	if (!strcmp(ctx->action, "tickets") && (days == NULL ||
	    !days_valid(days)))
		return cmd_usage_error(ctx, "tickets needs --waiting-days N "
		    "(0 to 36500)");
	if ((pg = central_open(ctx)) == NULL)
		return 1;
	if (!strcmp(ctx->action, "init"))
		rc = central_init(pg);
	else if (!strcmp(ctx->action, "report"))
		rc = central_monthly(ctx, pg);
	else
		rc = central_waiting(ctx, pg);
	central_close(pg);
	return rc;
}
