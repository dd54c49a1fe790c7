/* kentongan: SMS and USSD gateway for village facilitators. */
#include "gateway/cli/commands.h"
#include "config/config.h"
#include "store/store.h"
#include "gateway/util/wake.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* make passes VERSION in; a build by another route would print nothing
 * true, so it must not compile. */
#ifndef KENTONGAN_VERSION
#error "KENTONGAN_VERSION is not defined: build with make (it reads VERSION)"
#endif

#define END	{ NULL, 0, NULL, 0 }
#define ARG	required_argument

static const struct cmd_action contacts_actions[] = {
	{ "import", 1, "" }, { "list", 0, "rdF" }, { "set", 1, "rdnax" },
	{ "remove", 1, "" }, { NULL, 0, NULL } };
static const struct option contacts_options[] = {
	{ "role", ARG, NULL, 'r' }, { "desa", ARG, NULL, 'd' },
	{ "name", ARG, NULL, 'n' }, { "add-desa", ARG, NULL, 'a' },
	{ "remove-desa", ARG, NULL, 'x' }, END };

static const struct cmd_action export_actions[] = {
	{ "records", 0, "ftF" }, { "tickets", 0, "ftF" },
	{ "messages", 0, "ftF" }, { NULL, 0, NULL } };
static const struct option export_options[] = {
	{ "from", ARG, NULL, 'f' }, { "to", ARG, NULL, 't' }, END };

static const struct cmd_action villages_actions[] = {
	{ "import", 1, "" }, { "find", 1, "F" }, { NULL, 0, NULL } };

static const struct cmd_action tickets_actions[] = {
	{ "list", 0, "sdF" }, { "show", 1, "" }, { "update", 1, "snd" },
	{ NULL, 0, NULL } };
static const struct option tickets_options[] = {
	{ "status", ARG, NULL, 's' }, { "desa", ARG, NULL, 'd' },
	{ "note", ARG, NULL, 'n' }, END };

static const struct cmd_action perdes_actions[] = {
	{ "open", 1, "dtu" }, { "close", 1, "d" }, { "list", 0, "F" },
	{ "export", 1, "dF" }, { NULL, 0, NULL } };
static const struct option perdes_options[] = {
	{ "desa", ARG, NULL, 'd' }, { "title", ARG, NULL, 't' },
	{ "until", ARG, NULL, 'u' }, END };

static const struct cmd_action report_actions[] = {
	{ "monthly", 0, "mksF" }, { "kegiatan", 0, "kdyF" },
	{ NULL, 0, NULL } };
static const struct option report_options[] = {
	{ "month", ARG, NULL, 'm' }, { "kecamatan", ARG, NULL, 'k' },
	{ "section", ARG, NULL, 's' }, { "desa", ARG, NULL, 'd' },
	{ "tahun", ARG, NULL, 'y' }, END };

static const struct cmd_action apbdes_actions[] = {
	{ "import", 1, "" }, { NULL, 0, NULL } };
static const struct cmd_action kegiatan_actions[] = {
	{ "import", 1, "a" }, { "list", 0, "dkyF" }, { NULL, 0, NULL } };
static const struct option kegiatan_options[] = {
	{ "announce", no_argument, NULL, 'a' }, { "desa", ARG, NULL, 'd' },
	{ "kecamatan", ARG, NULL, 'k' }, { "tahun", ARG, NULL, 'y' }, END };

static const struct cmd_action records_actions[] = {
	{ "list", 0, "dmfsF" }, { "withdraw", 1, "r" }, { "accept", 1, "" },
	{ NULL, 0, NULL } };
static const struct option records_options[] = {
	{ "desa", ARG, NULL, 'd' }, { "month", ARG, NULL, 'm' },
	{ "flag", ARG, NULL, 'f' }, { "state", ARG, NULL, 's' },
	{ "reason", ARG, NULL, 'r' }, END };

static const struct cmd_action meetings_actions[] = {
	{ "add", 0, "dtwjp" }, { "list", 0, "dfoF" }, { "cancel", 1, "r" },
	{ "update", 1, "twp" }, { NULL, 0, NULL } };
static const struct option meetings_options[] = {
	{ "desa", ARG, NULL, 'd' }, { "date", ARG, NULL, 't' },
	{ "time", ARG, NULL, 'w' }, { "type", ARG, NULL, 'j' },
	{ "place", ARG, NULL, 'p' }, { "from", ARG, NULL, 'f' },
	{ "to", ARG, NULL, 'o' }, { "reason", ARG, NULL, 'r' }, END };

static const struct option broadcast_options[] = {
	{ "dry-run", no_argument, NULL, 'n' }, END };

static const struct cmd_action users_actions[] = {
	{ "add", 1, "rkp" }, { "list", 0, "F" }, { "passwd", 1, "p" },
	{ "remove", 1, "" }, { NULL, 0, NULL } };
static const struct option users_options[] = {
	{ "role", ARG, NULL, 'r' }, { "kecamatan", ARG, NULL, 'k' },
	{ "password-stdin", no_argument, NULL, 'p' }, END };

static const struct cmd_action central_actions[] = {
	{ "init", 0, "" }, { "report", 1, "mbkF" }, { "tickets", 0, "wF" },
	{ NULL, 0, NULL } };
static const struct option central_options[] = {
	{ "month", ARG, NULL, 'm' }, { "kabupaten", ARG, NULL, 'b' },
	{ "kecamatan", ARG, NULL, 'k' }, { "waiting-days", ARG, NULL, 'w' },
	END };

static const struct option now_options[] = {
	{ "now", ARG, NULL, 'n' }, END };
static const struct option inject_options[] = {
	{ "time", ARG, NULL, 't' }, { "order", ARG, NULL, 'o' },
	{ "modem", ARG, NULL, 'm' }, { "ref", ARG, NULL, 'r' }, END };
static const struct option parse_options[] = {
	{ "today", ARG, NULL, 't' }, END };

/* version and --version: the release make read from VERSION. */
static int
cmd_version(struct cmd_ctx *ctx)
{
	(void)ctx;
	printf("kentongan %s\n", KENTONGAN_VERSION);
	return 0;
}

/* Every subcommand. A command without usage is internal. */
static const struct cmd_entry commands[] = {
	{ "run", NULL, 0, NULL,
	  "run [-c FILE] [-v] [--now TIME]: start the gateway",
	  0, OUT_TABLE, NULL, cmd_run },
	{ "check-config", NULL, 0, NULL,
	  "check-config [-c FILE]: check the configuration",
	  CMD_CONFIG, OUT_TABLE, cmd_check_config, NULL },
	{ "init", NULL, 0, NULL,
	  "init [-c FILE]: make the configured database, where there is none",
	  CMD_CONFIG, OUT_TABLE, cmd_init, NULL },
	{ "backup", NULL, 1, NULL,
	  "backup [-c FILE] DEST: a checked copy of the database, also while "
	  "the gateway runs\n"
	  "  (DEST: a new file, or a folder for kentongan-YYYYMMDD-HHMM.db)",
	  CMD_CONFIG, OUT_TABLE, cmd_backup, NULL },
	{ "restore", NULL, 1, NULL,
	  "restore [-c FILE] SRC: a checked backup in the database's place, "
	  "with the gateway stopped\n"
	  "  (the database there is kept beside it, named .before-restore-"
	  "YYYYMMDD-HHMMSS)",
	  CMD_CONFIG, OUT_TABLE, cmd_restore, NULL },
	{ "inject", NULL, 2, inject_options,
	  "inject [-c FILE] [--time T] [--order 3,1,2] [--ref N] "
	  "[--modem SECTION] NUMBER TEXT: put an SMS in the dummy modem",
	  CMD_CONFIG, OUT_TABLE, cmd_inject, NULL },
	{ "parse", NULL, 0, parse_options,
	  "parse [--today DATE]: parse SMS lines from stdin to JSON",
	  0, OUT_TABLE, cmd_parse, NULL },
	{ "contacts", contacts_actions, 0, contacts_options,
	  "contacts [-c FILE] import FILE.csv (as Excel saves it: , or ;)\n"
	  "contacts [-c FILE] list [--role R] [--desa D] [--format F]\n"
	  "contacts [-c FILE] set NUMBER [--name N] [--role R] "
	  "[--desa D[;D2...]] [--add-desa D] [--remove-desa D]\n"
	  "contacts [-c FILE] remove NUMBER (its messages and tickets stay)",
	  CMD_STORE | CMD_FORMAT, OUT_CSV, cmd_contacts, NULL },
	{ "export", export_actions, 0, export_options,
	  "export [-c FILE] records|tickets|messages [--from DATE] "
	  "[--to DATE] [--format F]",
	  CMD_STORE | CMD_FORMAT, OUT_CSV, cmd_export, NULL },
	{ "villages", villages_actions, 0, NULL,
	  "villages [-c FILE] import FILE.csv\n"
	  "villages [-c FILE] find NAME [--format F]",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_villages, NULL },
	{ "tickets", tickets_actions, 0, tickets_options,
	  "tickets [-c FILE] list [--status S] [--desa D] [--format F]\n"
	  "tickets [-c FILE] show ADU-42\n"
	  "tickets [-c FILE] update ADU-42 [--status S] [--note TEXT] "
	  "[--desa D]\n"
	  "  (S: baru, diproses, selesai or ditolak, any case; a note of up "
	  "to 300 characters)",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_tickets, NULL },
	{ "perdes", perdes_actions, 0, perdes_options,
	  "perdes [-c FILE] open CODE --desa D --title TEXT --until DATE\n"
	  "perdes [-c FILE] close CODE [--desa D]\n"
	  "perdes [-c FILE] list [--format F]\n"
	  "perdes [-c FILE] export CODE [--desa D] [--format F] (csv unless "
	  "told)",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_perdes, NULL },
	{ "report", report_actions, 0, report_options,
	  "report [-c FILE] monthly --month YYYY-MM [--kecamatan K] "
	  "[--section desa|perdes|silent|review|kegiatan] [--format F]\n"
	  "report [-c FILE] kegiatan [--kecamatan K] [--desa D] "
	  "[--tahun YYYY] [--format F]: each activity's progress, verified "
	  "and villagers' (PANTAU), this year's unless told",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_report, NULL },
	{ "apbdes", apbdes_actions, 0, NULL,
	  "apbdes [-c FILE] import FILE.csv: the villages' budget totals\n"
	  "  (header kode_desa,tahun,pendapatan,belanja,dana_desa; rupiah as "
	  "digits, with or without '.' between groups of three: 1240000000 "
	  "or 1.240.000.000)",
	  CMD_STORE, OUT_TABLE, cmd_apbdes, NULL },
	{ "kegiatan", kegiatan_actions, 0, kegiatan_options,
	  "kegiatan [-c FILE] import [--announce] FILE.csv: the budgets' "
	  "activities\n"
	  "kegiatan [-c FILE] list [--desa D] [--kecamatan K] [--tahun YYYY] "
	  "[--format F]\n"
	  "  (header kode_desa,tahun,kode,nama,anggaran,sumber,mulai,selesai; "
	  "kode K01; anggaran as apbdes's amounts; mulai, selesai a DATE or "
	  "empty; --announce: an SMS to each village's warga and pendamping "
	  "on how to ask (APBDES) and report (PANTAU))",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_kegiatan, NULL },
	{ "records", records_actions, 0, records_options,
	  "records [-c FILE] list [--desa D] [--month YYYY-MM] [--flag F] "
	  "[--state S] [--format F]\n"
	  "records [-c FILE] withdraw R-12 --reason TEXT: the sender is told "
	  "by SMS\n"
	  "records [-c FILE] accept R-12: count a report that waits for "
	  "review",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_records, NULL },
	{ "status", NULL, 0, NULL,
	  "status [-c FILE] [--format F]: modems and queues (json: the object "
	  "the admin GET /status serves)",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_status, NULL },
	{ "meetings", meetings_actions, 0, meetings_options,
	  "meetings [-c FILE] add --desa D --date DATE --time HH:MM "
	  "--type T [--place P]\n"
	  "meetings [-c FILE] list [--desa D] [--from DATE] [--to DATE] "
	  "[--format F]\n"
	  "meetings [-c FILE] cancel ID [--reason TEXT]\n"
	  "meetings [-c FILE] update ID [--date DATE] [--time HH:MM] "
	  "[--place P]\n"
	  "  (DATE: YYYY-MM-DD or d/m/yyyy; ID: the first column of list)",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_meetings, NULL },
	{ "broadcast", NULL, 2, broadcast_options,
	  "broadcast [-c FILE] [--dry-run] GROUP TEXT: one SMS to each member "
	  "of GROUP\n"
	  "  (GROUP: SEMUA, PENDAMPING, KOORDINATOR, WARGA; a desa; "
	  "KECAMATAN:NAME; ROLE@desa or ROLE@KECAMATAN:NAME)",
	  CMD_STORE, OUT_TABLE, cmd_broadcast, NULL },
	{ "reminders", NULL, 0, now_options,
	  "reminders [-c FILE] [--now TIME] [--format F]: "
	  "configured reminders",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_reminders, NULL },
	{ "users", users_actions, 0, users_options,
	  "users [-c FILE] add NAME --role admin|koordinator|camat "
	  "[--kecamatan K] --password-stdin\n"
	  "users [-c FILE] list [--format F]\n"
	  "users [-c FILE] passwd NAME --password-stdin: ends their sessions\n"
	  "users [-c FILE] remove NAME\n"
	  "  (the web console's users; NAME: a-z 0-9 . _ -; the password, "
	  "10 to 1024 characters, is one line of standard input; a camat's "
	  "kecamatan: its name or code)",
	  CMD_STORE | CMD_FORMAT, OUT_TABLE, cmd_users, NULL },
	{ "central", central_actions, 0, central_options,
	  "central [-c FILE] init: make or migrate the central PostgreSQL "
	  "schema, printing its version before and after\n"
	  "central [-c FILE] report monthly --month YYYY-MM [--kabupaten K] "
	  "[--kecamatan K] [--format F]: the camat's report over every site\n"
	  "central [-c FILE] tickets --waiting-days N [--format F]: tickets "
	  "of every site open more than N days, oldest first\n"
	  "  (read from central alone: the config needs only [central] "
	  "conninfo; K: a code, 33.22 or 33.22.01, or a name)",
	  CMD_CENTRAL | CMD_FORMAT, OUT_TABLE, cmd_central, NULL },
	{ "version", NULL, 0, NULL,
	  "version (also --version): print the version",
	  0, OUT_TABLE, cmd_version, NULL },
	{ "modem-worker", NULL, 0, NULL, NULL, 0, OUT_TABLE, NULL,
	  cmd_modem_worker },
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static int
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: kentongan [-c FILE] COMMAND [ARGS]\n"
	    "       kentongan help COMMAND\n"
	    "       kentongan --version\n"
	    "-c FILE (default %s) may come anywhere.\n", DEFAULT_CONFIG);
	for (i = 0; i < NCOMMANDS; i++)
		if (commands[i].usage != NULL)
			entry_usage(f, &commands[i], "  ", 0);
	fprintf(f, "%s%s", FORMATS, DATES);
	return f == stderr ? 2 : 0;
}

static const struct cmd_entry *
find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NCOMMANDS; i++)
		if (!strcmp(name, commands[i].name))
			return &commands[i];
	return NULL;
}

/* The command's options plus the ones every command takes. */
static int
build_options(const struct cmd_entry *e, struct option *out, size_t cap)
{
	static const struct option common[] = {
		{ "config", ARG, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
	};
	static const struct option format = { "format", ARG, NULL, 'F' };
	size_t n = 0, i;

	for (i = 0; i < 2; i++)
		out[n++] = common[i];
	if (e->flags & CMD_FORMAT)
		out[n++] = format;
	for (i = 0; e->options != NULL && e->options[i].name != NULL &&
	    n + 1 < cap; i++)
		out[n++] = e->options[i];
	memset(&out[n], 0, sizeof(out[n]));
	return 0;
}

/* An option given that the action does not take is a usage error, not
 * silently ignored (`tickets list --note x`). Returns 0 or 2. */
static int
foreign_option(const struct cmd_ctx *ctx, const char *allowed)
{
	const struct option *o;
	int k;

	if (ctx->format_given && strchr(allowed, 'F') == NULL)
		return cmd_usage_error(ctx, "%s takes no --format",
		    ctx->action);
	for (k = 1; k < 128; k++) {
		if (ctx->opt[k] == NULL || strchr(allowed, k) != NULL)
			continue;
		for (o = ctx->entry->options; o != NULL && o->name != NULL; o++)
			if (o->val == k)
				return cmd_usage_error(ctx, "%s takes no --%s",
				    ctx->action, o->name);
	}
	return 0;
}

/* Options and operands in any order. Returns -1
 * to exit 0 (help printed), 0, or 2 after a usage error. */
static int
parse_args(struct cmd_ctx *ctx, int argc, char **argv)
{
	const struct cmd_entry *e = ctx->entry;
	struct option opts[32];
	char prog[64];
	int ch, i, want;

	build_options(e, opts, 32);
	snprintf(prog, sizeof(prog), "kentongan %s", e->name);
	argv[0] = prog;		/* getopt names the bad option after it */
	optind = 1;
	opterr = 1;
	/* GNU getopt permutes: options may follow operands, "--" ends them */
	while ((ch = getopt_long(argc, argv, "c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			ctx->path = optarg;
			break;
		case 'h':
			printf("usage:\n");
			entry_usage(stdout, e, "  ", 1);
			printf("  -c FILE: the configuration (default %s)\n",
			    DEFAULT_CONFIG);
			return -1;
		case 'F':
			if (cli_format(optarg, &ctx->format) != 0)
				return cmd_usage_error(ctx, "unknown format '%s'"
				    " (table, csv, json or jsonl)", optarg);
			ctx->format_given = 1;
			break;
		case '?':
		case ':':
			return cmd_usage_error(ctx, "see the options below");
		default:
			if (ch > 0 && ch < 128)
				ctx->opt[ch] = optarg != NULL ? optarg : "";
		}
	}
	while (optind < argc)
		ctx->argv[ctx->argc++] = argv[optind++];
	if (e->actions != NULL) {
		if (ctx->argc == 0)
			return cmd_usage_error(ctx, "missing action");
		ctx->action = ctx->argv[0];
		for (i = 0; e->actions[i].name != NULL; i++)
			if (!strcmp(ctx->action, e->actions[i].name))
				break;
		if (e->actions[i].name == NULL)
			return cmd_usage_error(ctx, "unknown action '%s'",
			    ctx->action);
		want = e->actions[i].nargs;
		if ((i = foreign_option(ctx, e->actions[i].opts)) != 0)
			return i;
		ctx->argv++;
		ctx->argc--;
	} else
		want = e->nargs;
	if (ctx->argc > want)
		return cmd_usage_error(ctx, "unexpected argument '%s'",
		    ctx->argv[want]);
	if (ctx->argc < want)
		return cmd_usage_error(ctx, "missing %s (%d expected, %d given)",
		    want == 1 ? "argument" : "arguments", want, ctx->argc);
	return 0;
}

/* The one prologue: arguments, config, time zone, store; then the
 * command; then the epilogue that frees what the prologue took. */
static int
execute(const struct cmd_entry *e, const char *path, int argc, char **argv)
{
	struct cmd_ctx ctx;
	char err[512], **operands;
	int rc = 1, i;

	memset(&ctx, 0, sizeof(ctx));
	ctx.entry = e;
	ctx.path = path;
	ctx.format = e->format;
	if ((operands = calloc((size_t)argc + 1, sizeof(*operands))) == NULL)
		return 1;
	ctx.argv = operands;
	if ((rc = parse_args(&ctx, argc, argv)) != 0) {
		rc = rc < 0 ? 0 : rc;
		goto out;
	}
	rc = 1;
	if (e->flags & (CMD_CONFIG | CMD_CENTRAL)) {
		if ((ctx.conf = calloc(1, sizeof(*ctx.conf))) == NULL)
			goto out;
		if ((e->flags & CMD_CENTRAL ? config_load_central(ctx.conf,
		    ctx.path) : config_load(ctx.conf, ctx.path)) != 0) {
			for (i = 0; i < ctx.conf->nerrors; i++)
				fprintf(stderr, "%s\n", ctx.conf->errors[i]);
			goto out;
		}
		setenv("TZ", ctx.conf->timezone, 1);
		tzset();
	}
	if ((e->flags & CMD_STORE) == CMD_STORE &&
	    (ctx.st = store_open(ctx.conf->database,
	    ctx.conf->create_database ? STORE_CREATE : 0, err,
	    sizeof(err))) == NULL) {
		fprintf(stderr, "kentongan: %s\n", err);
		goto out;
	}
	rc = e->exec(&ctx);
	/* a running daemon sends what this wrote now, not at its next look */
	if (ctx.st != NULL && store_wrote(ctx.st))
		wake_send(ctx.conf->database);
out:
	store_close(ctx.st);
	free(ctx.conf);
	free(operands);
	return rc;
}

/* run and modem-worker parse their own argv: hand them -c if it came
 * before the command, and answer --help from the table. */
static int
execute_raw(const struct cmd_entry *e, const char *path, int argc,
    char **argv)
{
	char **v;
	int i, n = 0, rc;

	for (i = 1; i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			printf("usage:\n");
			entry_usage(stdout, e, "  ", 1);
			return 0;
		}
	if (path == NULL)
		return e->raw(argc, argv);
	if ((v = calloc((size_t)argc + 3, sizeof(*v))) == NULL)
		return 1;
	v[n++] = argv[0];
	v[n++] = "-c";
	v[n++] = (char *)path;
	for (i = 1; i < argc; i++)
		v[n++] = argv[i];
	rc = e->raw(n, v);
	free(v);
	return rc;
}

int
main(int argc, char **argv)
{
	const struct cmd_entry *e;
	const char *path = NULL;
	int i = 1;

	/* Options before the command: -c FILE and --help. */
	while (i < argc && argv[i][0] == '-') {
		if ((!strcmp(argv[i], "-c") || !strcmp(argv[i], "--config")) &&
		    i + 1 < argc) {
			path = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "--config=", 9)) {
			path = argv[i++] + 9;
		} else if (!strncmp(argv[i], "-c", 2) && argv[i][2] != '\0') {
			path = argv[i++] + 2;
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout);
		else if (!strcmp(argv[i], "--version"))
			return cmd_version(NULL);
		else {
			fprintf(stderr, "kentongan: unknown option '%s'\n",
			    argv[i]);
			return usage(stderr);
		}
	}
	if (i >= argc)
		return usage(stderr);
	if (!strcmp(argv[i], "help")) {
		if (i + 1 >= argc)
			return usage(stdout);
		if ((e = find_command(argv[i + 1])) == NULL ||
		    e->usage == NULL) {
			fprintf(stderr, "kentongan: unknown command '%s'\n",
			    argv[i + 1]);
			return usage(stderr);
		}
		printf("usage:\n");
		entry_usage(stdout, e, "  ", 1);
		return 0;
	}
	if ((e = find_command(argv[i])) == NULL) {
		fprintf(stderr, "kentongan: unknown command '%s'\n", argv[i]);
		return usage(stderr);
	}
	if (e->raw != NULL)
		return execute_raw(e, path, argc - i, argv + i);
	return execute(e, path ? path : DEFAULT_CONFIG, argc - i, argv + i);
}
