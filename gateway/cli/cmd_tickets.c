/*
 * tickets: the office's side of ADUAN and ASPIRASI tickets: list them,
 * show one with its history, move one on (its sender hears of it by SMS).
 */
#include "gateway/cli/commands.h"
#include "config/config.h"
#include "parser/parser.h"
#include "parser/reply.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *const statuses[] = { "baru", "diproses", "selesai",
    "ditolak" };

static int
valid_status(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
		if (!strcmp(s, statuses[i]))
			return 1;
	return 0;
}

/* tickets update T --status S [--note N]: the sender hears of it by SMS. */
static int
tickets_update(struct store *st, const char *tiket, const char *status,
    const char *note)
{
	char type[4], name[32], text[REPLY_MAX];
	long long seq, now = time(NULL);
	struct ticket t;
	int rc;

	if (parse_ticket(tiket, type, &seq) != 0 || !valid_status(status)) {
		fprintf(stderr, "kentongan: a ticket is ADU-<n> or ASP-<n>; a "
		    "status is baru, diproses, selesai or ditolak\n");
		return 2;
	}
	snprintf(name, sizeof(name), "%s-%lld", type, seq);
	if (store_begin(st) != 0)
		goto fail;
	if ((rc = store_ticket_update(st, type, seq, status, note, now)) < 0 ||
	    (rc == 1 && store_ticket_get(st, type, seq, &t) < 0))
		goto fail_tx;
	if (rc == 0) {
		store_rollback(st);
		fprintf(stderr, "kentongan: no ticket %s\n", name);
		return 1;
	}
	{
		struct reply_var v[] = { { "tiket", name }, { "status", status },
		    { "catatan", note ? note : "" } };

		if (reply_render(R_TICKET_UPDATE, v, 3, text, sizeof(text)) < 0)
			goto fail_tx;
	}
	/* "ticket": news of their own ticket, sent even after BERHENTI */
	if (store_outbox_add(st, t.number, text, "ticket", 0, now, NULL) < 0 ||
	    store_commit(st) != 0)
		goto fail_tx;
	printf("%s: %s; SMS queued to %s: %s\n", name, status, t.number, text);
	return 0;
fail_tx:
	store_rollback(st);
fail:
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}

/* Print one row as "name: value" lines. */
static int
print_fields(void *arg, int row, int ncols, const char *const *v)
{
	struct cli_out *o = arg;
	int i;

	if (row == 0) {
		for (i = 0; i < ncols && i < 32; i++)
			snprintf(o->cols[i], sizeof(o->cols[i]), "%s", v[i]);
		return 0;
	}
	o->rows++;
	for (i = 0; i < ncols && i < 32; i++)
		fprintf(o->f, "%-11s %s\n", o->cols[i], v[i]);
	return 0;
}

/* tickets show ADU-42: the ticket, then its history. */
static int
show_ticket(struct store *st, const char *tiket)
{
	struct export_filter flt = { .code = tiket };
	struct cli_out one = { .f = stdout }, hist = { .f = stdout,
	    .format = OUT_TABLE };

	if (store_export(st, EXPORT_TICKETS, &flt, print_fields, &one) != 0)
		goto fail;
	if (one.rows == 0) {
		fprintf(stderr, "kentongan: no ticket %s\n", tiket);
		return 1;
	}
	printf("\n");
	if (store_export(st, EXPORT_HISTORY, &flt, cli_row, &hist) != 0)
		goto fail;
	cli_out_end(&hist);
	return 0;
fail:
	fprintf(stderr, "kentongan: %s\n", store_errmsg(st));
	return 1;
}

/* tickets list | show | update */
int
cmd_tickets(struct cmd_ctx *ctx)
{
	const char *status = cmd_get(ctx, 's'), *typed = cmd_get(ctx, 'd');
	struct cli_out out = { .f = stdout, .format = ctx->format };
	struct export_filter flt = { 0 };
	char desa[DESA_MAX], type[4], why[512];
	long long seq;
	int rc;

	if (!strcmp(ctx->action, "show")) {
		if (parse_ticket(ctx->argv[0], type, &seq) != 0)
			return cmd_usage_error(ctx, "'%s' is not a ticket "
			    "(ADU-<n> or ASP-<n>)", ctx->argv[0]);
		snprintf(desa, sizeof(desa), "%s-%lld", type, seq);
		return show_ticket(ctx->st, desa);
	}
	if (!strcmp(ctx->action, "update")) {
		if (status == NULL)
			return cmd_usage_error(ctx, "update needs --status");
		return tickets_update(ctx->st, ctx->argv[0], status,
		    cmd_get(ctx, 'n'));
	}
	if (status != NULL && !valid_status(status))
		return cmd_usage_error(ctx, "unknown status '%s' (baru, "
		    "diproses, selesai or ditolak)", status);
	if (typed != NULL && (flt.desa = cli_village(ctx->st, ctx->conf->area, typed, desa,
	    sizeof(desa), why, sizeof(why))) == NULL) {
		fprintf(stderr, "kentongan: %s\n", why);
		return 1;
	}
	flt.status = status;
	rc = store_export(ctx->st, EXPORT_TICKETS, &flt, cli_row, &out) != 0;
	cli_out_end(&out);
	if (rc != 0)
		fprintf(stderr, "kentongan: %s\n", store_errmsg(ctx->st));
	return rc;
}
