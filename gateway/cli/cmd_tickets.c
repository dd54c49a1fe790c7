/*
 * tickets: the office's side of ADUAN and ASPIRASI tickets: list them,
 * show one with its history, move one on (its sender hears of it by SMS).
 */
#include "gateway/cli/commands.h"
#include "gateway/rules/tickets.h"
#include "config/config.h"
#include "parser/parser.h"
#include "parser/reply.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* tickets update T [--status S] [--note N] [--desa D]: the sender hears
 * of a new status or note by SMS (action_ticket_update). */
static int
tickets_update(struct cmd_ctx *ctx, const char *tiket)
{
	const char *status = cmd_get(ctx, 's'), *typed = cmd_get(ctx, 'd');
	struct ticket_change c = { NULL, cmd_get(ctx, 'n'), NULL };
	struct store *st = ctx->st;
	char desa[DESA_MAX], why[512];
	struct ticket_news n;
	int rc;

	if (status == NULL && c.note == NULL && typed == NULL)
		return cmd_usage_error(ctx, "update needs --status, --note or "
		    "--desa");
	if (status != NULL && (c.status = ticket_status(status)) == NULL)
		return cmd_usage_error(ctx, "unknown status '%s' (%s)", status,
		    TICKET_STATUSES);
	if (typed != NULL && (c.desa = cli_village(st, ctx->conf->area, typed,
	    desa, sizeof(desa), why, sizeof(why))) == NULL) {
		fprintf(stderr, "kentongan: %s\n", why);
		return 1;
	}
	if (store_begin(st) != 0 ||
	    (rc = action_ticket_update(st, tiket, &c, time(NULL), &n)) < 0) {
		store_rollback(st);
		goto fail;
	}
	if (rc != TICKET_UPDATED) {
		store_rollback(st);
		if (rc == TICKET_BAD)
			return cmd_usage_error(ctx, "'%s' is not a ticket "
			    "(ADU-<n> or ASP-<n>)", tiket);
		if (rc == TICKET_NOTE_LONG)
			return cmd_usage_error(ctx, "the note has more than %d "
			    "characters (STATUS must show it whole)",
			    TICKET_NOTE_MAX);
		fprintf(stderr, "kentongan: no ticket %s\n", n.name);
		return 1;
	}
	if (store_commit(st) != 0)
		goto fail;
	printf("%s: %s", n.name, n.status);
	if (c.desa != NULL && strcmp(c.desa, n.before.desa) != 0)
		printf("; village %s (was %s)", c.desa, n.before.desa);
	if (n.number[0] == '\0') {
		printf("; no SMS (only the village changed)\n");
		return 0;
	}
	printf("; SMS queued to %s: %s\n", n.number, n.sms);
	if (n.note_sent < n.note_chars)
		printf("note cut in the SMS: %d of %d characters sent; the "
		    "whole note stays on the ticket and STATUS %s shows it\n",
		    n.note_sent, n.note_chars, n.name);
	return 0;
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
	if (!strcmp(ctx->action, "update"))
		return tickets_update(ctx, ctx->argv[0]);
	if (status != NULL && (status = ticket_status(status)) == NULL)
		return cmd_usage_error(ctx, "unknown status '%s' (%s)",
		    cmd_get(ctx, 's'), TICKET_STATUSES);
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
