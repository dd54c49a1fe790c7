/*
 * Admin commands that work on the same database while the daemon runs
 * (WAL and a busy timeout make that safe): contacts and exports. The
 * contacts' rules are in gateway/rules/contacts.c; here, options and
 * output.
 */
#include "gateway/cli/cli.h"
#include "gateway/cli/commands.h"
#include "gateway/rules/contacts.h"
#include "gateway/rules/contacts_csv.h"
#include "config/config.h"
#include "parser/phone.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/* contacts import FILE.csv: every row, or none when one is bad. */
static int
contacts_import(struct store *st, const char *area, const char *file)
{
	struct contacts_csv c;
	int n;

	memset(&c, 0, sizeof(c));
	c.area = area;
	if ((n = cli_import(st, file, &contacts_csv_ops, &c)) < 0)
		return 1;
	printf("%d contact%s imported\n", n, n == 1 ? "" : "s");
	return 0;
}

/* export records|tickets|messages [--from D] [--to D]: --to is inclusive. */
int
cmd_export(struct cmd_ctx *ctx)
{
	static const struct { const char *name; enum export_kind kind; } kinds[] = {
		{ "records", EXPORT_RECORDS },
		{ "tickets", EXPORT_TICKETS },
		{ "messages", EXPORT_MESSAGES },
	};
	const char *from = cmd_get(ctx, 'f'), *to = cmd_get(ctx, 't');
	struct cli_out out = { .f = stdout, .format = ctx->format };
	struct export_filter flt = { 0 };
	size_t i;
	int rc;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(ctx->action, kinds[i].name))
			break;
	if (from && (rc = cli_date(ctx, "from", from, &flt.from, NULL)) != 0)
		return rc;
	if (to && (rc = cli_date(ctx, "to", to, &flt.to, NULL)) != 0)
		return rc;
	/* --to is inclusive: up to the start of the next day (a day 36 h
	 * on is the next whatever a DST change does) */
	if (to)
		flt.to = clock_day_start(flt.to + 36 * 3600);
	rc = store_export(ctx->st, kinds[i].kind, &flt, cli_row, &out);
	cli_out_end(&out);
	if (rc != 0)
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
	return rc ? 1 : 0;
}

/* A village list option resolved into ch's arrays; 0 or 1 (said why). */
static int
village_option(struct cmd_ctx *ctx, const char *typed,
    char (*codes)[DESA_MAX], const char **ptrs, int *n)
{
	char why[512];
	const char *err;

	if (typed == NULL)
		return 0;
	err = contact_villages(ctx->st, ctx->conf->area, typed, codes, ptrs, n,
	    why, sizeof(why));
	if (err == NULL)
		return 0;
	fprintf(stderr, "kentongan: %s\n", err);
	return 1;
}

/* What a contact action came to: 0, or 1 once said why. */
static int
contact_said(struct cmd_ctx *ctx, enum contact_result rc, const char *why)
{
	if (rc == CONTACT_DONE)
		return 0;
	fprintf(stderr, "kentongan: %s\n", rc == CONTACT_FAILED ?
	    store_errmsg(ctx->st) : why);
	return 1;
}

/* Print a contact as list's table shows it. */
static void
print_contact(const struct contact_full *f)
{
	int i;

	printf("%s %s ", f->c.number, f->c.role);
	for (i = 0; i < f->ndesa; i++)
		printf("%s%s", i ? ";" : "", f->desa[i]);
	printf("%s %s\n", f->ndesa ? "" : "-", f->c.name);
}

/* contacts set NUMBER [--name N] [--role R] [--desa D[;D2]]
 * [--add-desa D] [--remove-desa D]: only what is given changes. */
static int
contacts_set(struct cmd_ctx *ctx)
{
	char set[CONTACT_DESA_MAX][DESA_MAX];
	char add[CONTACT_DESA_MAX][DESA_MAX];
	char drop[CONTACT_DESA_MAX][DESA_MAX];
	const char *pset[CONTACT_DESA_MAX], *padd[CONTACT_DESA_MAX];
	const char *pdrop[CONTACT_DESA_MAX];
	struct contact_change ch = { .name = cmd_get(ctx, 'n'),
	    .role = cmd_get(ctx, 'r'), .desa = pset, .add = padd,
	    .drop = pdrop };
	struct contact_full f;
	char why[512];

	ch.set_desa = cmd_get(ctx, 'd') != NULL;
	if (!ch.name && !ch.role && !ch.set_desa && !cmd_get(ctx, 'a') &&
	    !cmd_get(ctx, 'x'))
		return cmd_usage_error(ctx, "set changes --name, --role, "
		    "--desa, --add-desa or --remove-desa: give one");
	if (village_option(ctx, cmd_get(ctx, 'd'), set, pset, &ch.ndesa) ||
	    village_option(ctx, cmd_get(ctx, 'a'), add, padd, &ch.nadd) ||
	    village_option(ctx, cmd_get(ctx, 'x'), drop, pdrop, &ch.ndrop))
		return 1;
	if (contact_said(ctx, contact_set(ctx->st, ctx->argv[0], &ch,
	    time(NULL), &f, why, sizeof(why)), why) != 0)
		return 1;
	print_contact(&f);
	return 0;
}

/* contacts remove NUMBER */
static int
contacts_remove(struct cmd_ctx *ctx)
{
	char why[256];

	if (contact_said(ctx, contact_remove(ctx->st, ctx->argv[0], why,
	    sizeof(why)), why) != 0)
		return 1;
	printf("%s removed (its messages and tickets stay)\n", ctx->argv[0]);
	return 0;
}

/* contacts list [--role R] [--desa D] */
static int
contacts_list(struct cmd_ctx *ctx)
{
	struct cli_out out = { .f = stdout, .format = ctx->format };
	struct export_filter flt = { 0 };
	const char *role = cmd_get(ctx, 'r'), *desa = cmd_get(ctx, 'd');
	char code[DESA_MAX], why[512];
	int rc;

	if (role != NULL && (flt.role = contact_role(role)) == NULL)
		return cmd_usage_error(ctx, "--role is pendamping, koordinator "
		    "or warga, not '%s'", role);
	if (desa != NULL && (flt.desa = cli_village(ctx->st, ctx->conf->area,
	    desa, code, sizeof(code), why, sizeof(why))) == NULL) {
		fprintf(stderr, "kentongan: %s\n", why);
		return 1;
	}
	rc = store_export(ctx->st, EXPORT_CONTACTS, &flt, cli_row, &out);
	cli_out_end(&out);
	if (rc != 0)
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
	return rc ? 1 : 0;
}

/* contacts import FILE.csv | list | set NUMBER | remove NUMBER (the
 * command table says which options each takes) */
int
cmd_contacts(struct cmd_ctx *ctx)
{
	if (!strcmp(ctx->action, "import"))
		return contacts_import(ctx->st, ctx->conf->area, ctx->argv[0]);
	if (!strcmp(ctx->action, "set"))
		return contacts_set(ctx);
	if (!strcmp(ctx->action, "remove"))
		return contacts_remove(ctx);
	return contacts_list(ctx);
}
