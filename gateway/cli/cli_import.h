/*
 * cli_import: a CSV file into the store without holding the database for
 * long and without reading the file into memory. Two streaming passes:
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
#ifndef KENTONGAN_CLI_IMPORT_H
#define KENTONGAN_CLI_IMPORT_H

#include <stddef.h>

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
int cli_import_columns(char **cells, int n, const char *const *names,
    int nnames, int nrequired, int *col);

/* Import file; the rows imported, or -1 after saying why on stderr. */
int cli_import(struct store *, const char *file, const struct import_ops *,
    void *arg);

#endif
