/*
 * Commands about the configuration itself: check-config, and reminders
 * (what the config schedules, when each is next due, whom it would reach).
 */
#include "gateway/cli/commands.h"
#include "gateway/loop/scheduler.h"
#include "config/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The errors the prologue's config_load does not look for. */
static int
check_schedules(struct config *c)
{
	int i;

	if (scheduler_check(c) == 0)
		return 0;
	for (i = 0; i < c->nerrors; i++)
		fprintf(stderr, "%s\n", c->errors[i]);
	return -1;
}

/* check-config: every error with file:line, or "configuration OK". */
int
cmd_check_config(struct cmd_ctx *ctx)
{
	if (check_schedules(ctx->conf) != 0)
		return 1;
	printf("configuration OK\n");
	return 0;
}

/* One line of scheduler_list's table as a row: the dates hold a space,
 * so they are put together again from their two words. */
static void
reminder_row(struct cli_out *out, char *line, int row)
{
	char *tok[16], *save = NULL, *p, when[2][32], err[256];
	const char *v[5];
	int n = 0, i, k = 0;

	for (p = strtok_r(line, " \n", &save); p != NULL && n < 16;
	    p = strtok_r(NULL, " \n", &save))
		tok[n++] = p;
	if (n == 0)
		return;
	v[0] = tok[0];
	v[1] = v[2] = v[3] = v[4] = "";
	for (i = 1; i < n - 1 && k < 2; i++, k++) {
		if (i + 1 < n - 1 && strlen(tok[i]) == 10 && tok[i][4] == '-') {
			snprintf(when[k], sizeof(when[k]), "%s %s", tok[i],
			    tok[i + 1]);
			i++;
		} else
			snprintf(when[k], sizeof(when[k]), "%s", tok[i]);
		v[1 + k] = when[k];
	}
	if (k == 2 && i == n - 1 && strspn(tok[n - 1], "0123456789") ==
	    strlen(tok[n - 1]))
		v[3] = tok[n - 1];
	else {
		/* a schedule or store error in place of the columns */
		err[0] = '\0';
		for (i = 1; i < n; i++)
			snprintf(err + strlen(err), sizeof(err) - strlen(err),
			    "%s%s", i > 1 ? " " : "", tok[i]);
		v[1] = v[2] = v[3] = "";
		v[4] = err;
	}
	cli_row(out, row, 5, v);
}

/*
 * scheduler_list() (loop/scheduler.c) prints the table, and only it knows
 * how many a reminder reaches now; for the other formats its table is
 * read back row by row rather than the rule written a second time here.
 */
static int
reminders_rows(struct cmd_ctx *ctx, long long now)
{
	static const char *const cols[] = { "reminder", "next_due", "last_due",
	    "recipients_now", "error" };
	struct cli_out out = { .f = stdout, .format = ctx->format };
	FILE *saved = stdout, *mem;
	char *text = NULL, *line, *save = NULL;
	size_t len = 0;
	int rc, row = 0;

	fflush(stdout);
	if ((mem = open_memstream(&text, &len)) == NULL)
		return 1;
	stdout = mem;
	rc = scheduler_list(ctx->st, ctx->conf, now);
	stdout = saved;
	fclose(mem);
	if (rc == 0) {
		cli_row(&out, row++, 5, cols);
		line = strtok_r(text, "\n", &save);	/* the header */
		while ((line = strtok_r(NULL, "\n", &save)) != NULL)
			reminder_row(&out, line, row++);
		cli_out_end(&out);
	}
	free(text);
	return rc != 0;
}

/* reminders [--now T]: what is configured, when each is next due, when
 * it last fired, how many it would reach now. */
int
cmd_reminders(struct cmd_ctx *ctx)
{
	const char *when = cmd_get(ctx, 'n');
	long long now = time(NULL);

	if (when != NULL &&
	    clock_parse_local(when, "%Y-%m-%dT%H:%M", 0, &now) != 0)
		return cmd_usage_error(ctx, "--now wants YYYY-MM-DDTHH:MM, not "
		    "'%s'", when);
	if (check_schedules(ctx->conf) != 0)
		return 1;
	if (ctx->format == OUT_TABLE)
		return scheduler_list(ctx->st, ctx->conf, now) != 0;
	return reminders_rows(ctx, now);
}
