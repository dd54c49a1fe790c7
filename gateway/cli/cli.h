/*
 * cli: what the admin commands share: opening the store named by a config,
 * writing rows as CSV, JSON lines or an aligned table, and reading dates.
 */
#ifndef KENTONGAN_CLI_H
#define KENTONGAN_CLI_H

#include <stdio.h>

#include "store/store.h"

enum out_format { OUT_CSV, OUT_JSON, OUT_TABLE };

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

/* Take "-c FILE" before a subcommand's action: returns the index of the
 * action in argv (argc if none) and sets *path. */
int cli_action(int argc, char **argv, const char **path);
/* The store named by the config at path (TZ set from it); NULL after
 * printing why. */
struct store *cli_open_store(const char *path);
/* "csv", "json" or "table" -> format; -1 if none of them. */
int cli_format(const char *name, enum out_format *f);
/* An export_row_fn writing to a struct cli_out. */
int cli_row(void *arg, int row, int ncols, const char *const *values);
/* Print what a table collected, and free it. */
void cli_out_end(struct cli_out *);
/* A local date YYYY-MM-DD (plus days) to Unix seconds; -1 if malformed. */
int cli_date(const char *s, int plus_days, long long *out);
/* A village as people write it: a 10-digit code (with or without dots)
 * becomes 33.22.01.2005; a name is upper-cased, inner spaces folded. */
void cli_desa(const char *in, char *out, size_t cap);

#endif
