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

/* reminders [--now T]: what is configured, when each is next due, when
 * it last fired, how many it would reach now. */
int
cmd_reminders(struct cmd_ctx *ctx)
{
	const char *when = cmd_get(ctx, 'n');
	long long now = time(NULL);
	struct cli_out out = { .f = stdout, .format = ctx->format };
	int rc;

	if (when != NULL &&
	    clock_parse_local(when, "%Y-%m-%dT%H:%M", 0, &now) != 0)
		return cmd_usage_error(ctx, "--now wants YYYY-MM-DDTHH:MM, not "
		    "'%s'", when);
	if (check_schedules(ctx->conf) != 0)
		return 1;
	rc = scheduler_list(ctx->st, ctx->conf, now, cli_row, &out);
	cli_out_end(&out);
	return rc != 0;
}
