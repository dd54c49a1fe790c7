/*
 * csv_import: a CSV file into the store without holding the database for
 * long and without reading the file into memory, for the CLI and (a file
 * uploaded, in memory) the web console. Two streaming passes:
 * the first checks every row (a bad row: nothing imported, each bad line
 * named); the second stores the rows in batches of IMPORT_BATCH, each its
 * own transaction, with a pause between them so the daemon's loop takes
 * the lock in between (it waits a few ms for it at most, then retries).
 * A row is an upsert: an import stopped between batches (killed, a full
 * disk) is completed by running the same import again.
 *
 * The file is read as Excel writes it: UTF-8 with or without a byte order
 * mark, CRLF or LF, ',' or ';' between cells (whichever the header uses),
 * quoted cells. A row whose key (ops->key) an earlier row has is bad, and
 * both lines are named; the keys seen are kept on disk (store_import.c),
 * so memory stays bounded whatever the file's size.
 */
#ifndef KENTONGAN_CSV_IMPORT_H
#define KENTONGAN_CSV_IMPORT_H

#include <stddef.h>
#include <stdio.h>

struct store;

struct import_ops {
	const char *columns;	/* the header wanted, for the message */
	/* Find the columns in the header; -1 when one is missing. */
	int (*header)(void *arg, char **cells, int n);
	/* Check a row: NULL when it can be stored, else why not (in why or
	 * a constant). */
	const char *(*check)(void *arg, struct store *, char **cells, int n,
	    char *why, size_t cap);
	/* Store the row just checked, inside a batch's transaction. */
	int (*put)(void *arg, struct store *, char **cells, int n);
	/* The key of the row just checked, which no other row may have; NULL
	 * (or no function): any number of rows may share it. */
	const char *(*key)(void *arg);
};

/* Where each of names is in a header row (col[k], -1 if absent); -1
 * when one of the first nrequired is missing. */
int csv_import_columns(char **cells, int n, const char *const *names,
    int nnames, int nrequired, int *col);

enum import_mode {
	IMPORT_BATCHES,	/* the CLI: batches, each its own transaction */
	IMPORT_CHECK,	/* the first pass only: nothing is written */
	IMPORT_IN_TX,	/* every row in the caller's one transaction, of a
			 * file IMPORT_CHECK passed just before */
};

/* What to import and where to say what went wrong. */
struct import_how {
	const char *name;	/* the file, named in messages */
	const char *data;	/* its bytes when in memory, else NULL: read */
	size_t len;		/* the file called name */
	enum import_mode mode;
	FILE *err;		/* why an import stopped (stderr at the CLI) */
	/* Each bad row (NULL: the first ERRORS_SHOWN to err, as
	 * "name:line: why"). */
	void (*bad)(void *arg, int line, const char *why);
	void *bad_arg;
	int rows, bad_rows;	/* out: rows good, rows bad */
};

/* Import as how says; the rows imported (checked with IMPORT_CHECK), or
 * -1 after saying why to how->err (a bad row: nothing written). */
int csv_import(struct store *, struct import_how *, const struct import_ops *,
    void *arg);

#endif
