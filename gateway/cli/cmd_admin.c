/*
 * Admin commands that work on the same database while the daemon runs
 * (WAL and a busy timeout make that safe): contacts and exports.
 */
#include "gateway/cli/cli.h"
#include "gateway/cli/cli_import.h"
#include "gateway/cli/commands.h"
#include "config/config.h"
#include "parser/phone.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#define MAX_DESA 16

static const char *const roles[] = { "pendamping", "koordinator", "warga" };

/* A contact ready to store, with every village it is assigned. */
struct new_contact {
	struct contact c;
	char desa[MAX_DESA][DESA_MAX];
	int ndesa;
};

static int
valid_role(const char *r)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
		if (!strcmp(r, roles[i]))
			return 1;
	return 0;
}

/* Resolve a list of villages ("3322012005; Sukamaju") the one way
 * (cli_village); NULL or why not. */
static const char *
resolve_list(struct store *st, const char *area, const char *list,
    struct new_contact *nc, char *why, size_t cap)
{
	char buf[1024], typed[DESA_MAX], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", list);
	nc->ndesa = 0;
	for (tok = strtok_r(buf, ";,", &save); tok != NULL;
	    tok = strtok_r(NULL, ";,", &save)) {
		parse_desa(tok, typed, sizeof(typed));
		if (typed[0] == '\0')
			continue;
		if (nc->ndesa == MAX_DESA)
			return "too many villages";
		if (cli_village(st, area, tok, nc->desa[nc->ndesa],
		    sizeof(nc->desa[0]), why, cap) == NULL)
			return why;
		nc->ndesa++;
	}
	return NULL;
}

/* Fill nc from a number, name, role and villages; NULL or an error text. */
static const char *
make_contact(struct store *st, const char *area, struct new_contact *nc,
    const char *number, const char *name, const char *role, const char *desa,
    char *why, size_t cap)
{
	struct contact *c = &nc->c;

	memset(nc, 0, sizeof(*nc));
	if (phone_normalize(number, c->number, sizeof(c->number)) != PHONE_E164)
		return "not a phone number";
	if (!valid_role(role))
		return "role must be pendamping, koordinator or warga";
	if (strlen(name) >= sizeof(c->name))
		return "name too long";
	snprintf(c->number_raw, sizeof(c->number_raw), "%s", number);
	snprintf(c->name, sizeof(c->name), "%s", name);
	snprintf(c->role, sizeof(c->role), "%s", role);
	if (resolve_list(st, area, desa, nc, why, cap) != NULL)
		return why;
	if (nc->ndesa > 1 && strcmp(role, "pendamping") != 0)
		return "only a pendamping has several villages";
	snprintf(c->desa, sizeof(c->desa), "%s", nc->ndesa ? nc->desa[0] : "");
	return NULL;
}

/* Store one contact and its villages (inside the caller's transaction). */
static int
put_contact(struct store *st, struct new_contact *nc)
{
	const char *codes[MAX_DESA];
	int i;

	for (i = 0; i < nc->ndesa; i++)
		codes[i] = nc->desa[i];
	if (store_contact_put(st, &nc->c, time(NULL)) != 0)
		return -1;
	return store_contact_set_desa(st, nc->c.number, codes, nc->ndesa);
}

/* contacts import: the columns, and the row checked last. */
struct contacts_csv {
	int col[4];		/* number, name, role, desa; -1 if absent */
	const char *area;	/* where a village name is looked for */
	struct new_contact nc;
};

static int
contacts_header(void *arg, char **cells, int n)
{
	static const char *const want[4] = { "number", "name", "role",
	    "desa" };
	struct contacts_csv *c = arg;

	return cli_import_columns(cells, n, want, 4, 3, c->col);
}

static const char *
contacts_check(void *arg, struct store *st, char **cells, int n, char *why,
    size_t cap)
{
	struct contacts_csv *c = arg;

	if (c->col[0] >= n || c->col[1] >= n || c->col[2] >= n)
		return "too few columns";
	return make_contact(st, c->area, &c->nc, cells[c->col[0]],
	    cells[c->col[1]], cells[c->col[2]], c->col[3] >= 0 &&
	    c->col[3] < n ? cells[c->col[3]] : "", why, cap);
}

static int
contacts_put(void *arg, struct store *st, char **cells, int n)
{
	(void)cells;
	(void)n;
	return put_contact(st, &((struct contacts_csv *)arg)->nc);
}

/* contacts import FILE.csv: every row, or none when one is bad. */
static int
contacts_import(struct store *st, const char *area, const char *file)
{
	static const struct import_ops ops = { "number,name,role,desa",
	    contacts_header, contacts_check, contacts_put };
	struct contacts_csv c;
	int n;

	memset(&c, 0, sizeof(c));
	c.area = area;
	if ((n = cli_import(st, file, &ops, &c)) < 0)
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
	/* --to is inclusive: the whole of that day. */
	if (from && clock_parse_local(from, "%Y-%m-%d", 0, &flt.from) != 0)
		return cmd_usage_error(ctx, "--from wants YYYY-MM-DD, not '%s'",
		    from);
	if (to && clock_parse_local(to, "%Y-%m-%d", 1, &flt.to) != 0)
		return cmd_usage_error(ctx, "--to wants YYYY-MM-DD, not '%s'",
		    to);
	rc = store_export(ctx->st, kinds[i].kind, &flt, cli_row, &out);
	cli_out_end(&out);
	if (rc != 0)
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
	return rc ? 1 : 0;
}

/* contacts set NUMBER --role R [--desa D[;D2...]] [--name N] */
static int
contacts_set(struct cmd_ctx *ctx)
{
	struct store *st = ctx->st;
	struct contact old;
	struct new_contact nc;
	const char *role = cmd_get(ctx, 'r'), *desa = cmd_get(ctx, 'd');
	const char *name = cmd_get(ctx, 'n'), *typed = ctx->argv[0], *err;
	char number[NUMBER_MAX], why[512];
	int found;

	if (phone_normalize(typed, number, sizeof(number)) != PHONE_E164) {
		fprintf(stderr, "kentongan: %s: not a phone number\n", typed);
		return 1;
	}
	if ((found = store_contact_get(st, number, &old)) < 0)
		goto fail;
	err = make_contact(st, ctx->conf->area, &nc, typed,
	    name ? name : found ? old.name : "",
	    role ? role : found ? old.role : "",
	    desa ? desa : found ? old.desa : "", why, sizeof(why));
	if (err != NULL) {
		fprintf(stderr, "kentongan: %s\n", err);
		return 1;
	}
	nc.c.opted_out = 0;	/* an existing contact keeps its own */
	if (store_begin(st) != 0)
		goto fail;
	if (put_contact(st, &nc) != 0 || store_commit(st) != 0) {
		store_rollback(st);
		goto fail;
	}
	printf("%s %s %s %s\n", nc.c.number, nc.c.role, nc.c.desa, nc.c.name);
	return 0;
fail:
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}

/* contacts import FILE.csv | list | set NUMBER */
int
cmd_contacts(struct cmd_ctx *ctx)
{
	struct cli_out out = { .f = stdout, .format = ctx->format };
	int rc;

	if ((cmd_get(ctx, 'r') || cmd_get(ctx, 'd') || cmd_get(ctx, 'n')) &&
	    strcmp(ctx->action, "set"))
		return cmd_usage_error(ctx, "--role, --desa and --name are for "
		    "contacts set");
	if (!strcmp(ctx->action, "import"))
		return contacts_import(ctx->st, ctx->conf->area, ctx->argv[0]);
	if (!strcmp(ctx->action, "set"))
		return contacts_set(ctx);
	rc = store_export(ctx->st, EXPORT_CONTACTS, NULL, cli_row, &out) != 0;
	cli_out_end(&out);
	if (rc != 0)
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
	return rc;
}
