/*
 * cli: what the admin commands share: opening the store named by a config,
 * writing rows as CSV, JSON lines or an aligned table, and reading dates.
 */
#ifndef KENTONGAN_CLI_H
#define KENTONGAN_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "gateway/rules/csv_import.h"
#include "gateway/rules/report.h"
#include "gateway/util/clock.h"
#include "parser/parser.h"
#include "store/store.h"

struct config;

/* OUT_JSON is one document (an array of objects), OUT_JSONL one object a
 * line; cli_format() knows them by these names, in this order. */
enum out_format { OUT_CSV, OUT_JSON, OUT_TABLE, OUT_JSONL };

struct cmd_ctx;

/* An action of a command ("tickets list") and how many operands follow. */
struct cmd_action {
	const char *name;
	int nargs;
	const char *opts;	/* the option vals it takes ('F': --format) */
};

/*
 * One command, declared once (tmux's cmd_entry): main.c's prologue parses
 * -c/--config, --help and --format (where declared) and the command's own
 * options in any position, checks the action and operand count, loads the
 * config (TZ from it) and opens the store, then calls exec.
 */
struct cmd_entry {
	const char *name;
	const struct cmd_action *actions;	/* NULL: operands only */
	int nargs;				/* operands when no actions */
	/* val: the key of cmd_get; 'c', 'h' and 'F' are the prologue's */
	const struct option *options;
	const char *usage;			/* lines after "kentongan " */
	int flags;
#define CMD_CONFIG	0x01	/* load the config, set TZ */
#define CMD_STORE	0x03	/* and open the store */
#define CMD_FORMAT	0x04	/* takes --format table|csv|json|jsonl */
#define CMD_CENTRAL	0x08	/* load only [central] (config_load_central),
				 * set TZ; no store: the kabupaten's */
	enum out_format format;			/* without --format */
	int (*exec)(struct cmd_ctx *);
	int (*raw)(int, char **);	/* parses its own argv (run) */
};

/* What the prologue gives a command. */
struct cmd_ctx {
	const struct cmd_entry *entry;
	const char *path;		/* the config file */
	struct config *conf;		/* CMD_CONFIG, CMD_CENTRAL */
	struct store *st;		/* CMD_STORE */
	const char *action;		/* NULL without actions */
	int argc;			/* operands after the action */
	char **argv;
	enum out_format format;
	int format_given;
	const char *opt[128];		/* by option val; "" for a flag */
};

/* What --format takes, as the usage texts say it. */
#define FORMATS	"--format F: table, csv, json (one document: an array of " \
		"objects) or jsonl (an object a line)\n"
/* What DATE and TIME in a usage line take. */
#define DATES	"DATE: " OFFICE_DATE_FORMS " (2026-12-15 or 15/12/2026); " \
		"TIME: DATE, T or a space, HH:MM (\"15/12/2026 19:30\")\n"
/* Print each usage line of e, indented, after "kentongan " (and the
 * --format line when formats is set and e takes it, and the DATE line when
 * e takes a date). */
void entry_usage(FILE *, const struct cmd_entry *e, const char *indent,
    int formats);
/* The value of the option whose val is key, or NULL if not given. */
const char *cmd_get(const struct cmd_ctx *, int key);
/* Print "kentongan CMD: why" and the command's usage to stderr; 2. */
int cmd_usage_error(const struct cmd_ctx *, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* The date typed for option (its name, for the message) at the office
 * (clock_parse_office_date): its day's start to *day and, when iso is not
 * NULL, the day as the store keeps it (YYYY-MM-DD, 11 bytes). 0, or 2
 * after a usage error naming the accepted forms. */
int cli_date(const struct cmd_ctx *, const char *option, const char *typed,
    long long *day, char *iso);
/* Import file (csv_import in batches); the rows imported, or -1 after
 * saying why on stderr. */
int cli_import(struct store *, const char *file, const struct import_ops *,
    void *arg);
/* The one way a typed village (a code with or without dots, or a name)
 * becomes a code at the office: store_village_pick within area (the
 * config's), or the typed text normalized when no villages are imported.
 * NULL with the reason in why (a shared name: its villages). */
const char *cli_village(struct store *, const char *area, const char *typed,
    char *code, size_t cap, char *why, size_t whycap);
/* The one way a typed kecamatan (a code or a name, "Kec." optional)
 * becomes one at the office: report_kecamatan_pick within area. 0 with
 * it in k; 1 after telling stderr why it is none (the names it may mean);
 * -1 on a store error (store_errmsg). */
int cli_kecamatan(struct store *, const char *area, const char *typed,
    struct kecamatan *k);
/* The same over another village list (report_kecamatan_choose): the
 * central database's, at the kabupaten. */
int cli_kecamatan_in(kec_list_fn each, void *src, const char *area,
    const char *typed, struct kecamatan *k);

/* Rows collected for output; a table needs them all before printing. */
struct cli_out {
	FILE *f;
	enum out_format format;
	int ncols;
	char cols[32][32];
	int rows;
	/* OUT_TABLE only: every cell kept until cli_out_end() */
	char **cells;
	size_t ncells, cap;
};

/* "csv", "json", "table" or "jsonl" -> format; -1 if none of them. */
int cli_format(const char *name, enum out_format *f);
/* An export_row_fn writing to a struct cli_out. */
int cli_row(void *arg, int row, int ncols, const char *const *values);
/* Print what a table collected, and free it. */
void cli_out_end(struct cli_out *);

#endif
