/*
 * Commands about the configuration itself: check-config, and reminders
 * (what the config schedules, when each is next due, whom it would reach).
 */
#include "gateway/cli/commands.h"
#include "gateway/central/central.h"
#include "gateway/loop/scheduler.h"
#include "config/config.h"
#include "store/store.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

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

/* Why the prefix of `area` at p holds no imported village, or NULL. */
static const char *
area_prefix_unknown(struct store *st, const char *prefix, char *why,
    size_t cap)
{
	switch (store_village_prefix_known(st, prefix)) {
	case 1:
		return NULL;
	case 0:
		if (store_village_count(st) == 0)
			return "no villages imported (kentongan villages "
			    "import FILE)";
		snprintf(why, cap, "no imported village has a code starting "
		    "%s", prefix);
		return why;
	default:
		return store_errmsg(st);
	}
}

/* Each prefix of `area` must hold imported villages: a typo ("33.92")
 * would otherwise quietly send every name to the whole country. Only
 * then is the store opened (and it must exist). */
static int
check_area(struct config *c)
{
	char err[512], prefix[16];
	const char *p = c->area, *why;
	struct store *st;
	size_t n;
	int bad = 0;

	if (c->area[0] == '\0')
		return 0;
	if ((st = store_open(c->database, 0, err, sizeof(err))) == NULL) {
		fprintf(stderr, "%s:%d: area: cannot check it: %s\n", c->path,
		    c->area_line, err);
		return -1;
	}
	/* config.c wrote the prefixes dotted, one blank between */
	for (; *p; p += n + (p[n] == ' ')) {
		n = strcspn(p, " ");
		snprintf(prefix, sizeof(prefix), "%.*s", (int)n, p);
		if ((why = area_prefix_unknown(st, prefix, err,
		    sizeof(err))) != NULL) {
			fprintf(stderr, "%s:%d: area: %s\n", c->path,
			    c->area_line, why);
			bad = 1;
		}
	}
	store_close(st);
	return bad ? -1 : 0;
}

/* [backup] dir not there (yet) is no error in the file: the daemon
 * starts (a USB disk plugged in later), and each copy it cannot make is
 * an ALARM. Here the office learns it beforehand, as a warning. */
static void
check_backup_dir(const struct config *c)
{
	if (c->backup_dir[0] == '\0' || access(c->backup_dir, W_OK | X_OK) == 0)
		return;
	fprintf(stderr, "%s:%d: warning: [backup] dir: %s: %s (each daily "
	    "copy fails until it is there)\n", c->path, c->backup_dir_line,
	    c->backup_dir, strerror(errno));
}

/* Central not reachable is no error in the file either: the gateway
 * keeps its records and pushes them when it is. A warning, then, with
 * libpq's reason (a password, a firewall, a name). */
static void
check_central_reachable(const struct config *c)
{
	char err[512];
	PGconn *pg;

	if (!c->central_enabled)
		return;
	if ((pg = central_connect(c->central_conninfo, err, sizeof(err))) ==
	    NULL) {
		fprintf(stderr, "%s:%d: warning: [central] cannot be reached "
		    "now: %s (the records wait on this box until it can)\n",
		    c->path, c->central_line, err);
		return;
	}
	central_close(pg);
	printf("central: reachable\n");
}

/* check-config: every error with file:line, or "configuration OK". */
int
cmd_check_config(struct cmd_ctx *ctx)
{
	int bad = check_schedules(ctx->conf) != 0;

	check_backup_dir(ctx->conf);
	check_central_reachable(ctx->conf);
	if (check_area(ctx->conf) != 0 || bad)
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

	char err[256];

	if (when != NULL &&
	    clock_parse_office_time(when, &now, err, sizeof(err)) != 0)
		return cmd_usage_error(ctx, "--now: %s", err);
	if (check_schedules(ctx->conf) != 0)
		return 1;
	rc = scheduler_list(ctx->st, ctx->conf, now, cli_row, &out);
	cli_out_end(&out);
	return rc != 0;
}
