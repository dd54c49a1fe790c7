/* csv_import: stream a CSV file into the store in short transactions. */
#include "gateway/rules/csv_import.h"
#include "store/csv.h"
#include "store/store.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <time.h>

/*
 * Rows per transaction, and the pause after each. Batches commit without
 * waiting for the disk (an fsync under the lock took up to 150 ms here)
 * and the WAL is synced once at the end. A batch of 500 contacts then
 * holds the write lock a median 8 ms (max 34 ms over 200k rows); the
 * daemon's loop tries for the lock every 5-20 ms (gateway/loop/loop.c),
 * so a 25 ms gap lets it in between two batches, and a USSD complaint
 * waits one batch at most.
 */
#define IMPORT_BATCH	500
#define IMPORT_PAUSE_MS	25
#define IMPORT_CELLS	16
#define ERRORS_SHOWN	20	/* bad lines listed; the rest are counted */

struct import_run {
	struct store *st;
	const char *file;
	struct import_how *how;
	FILE *err;
	const struct import_ops *ops;
	void *arg;
	struct import_keys *keys;	/* the first pass, when ops->key */
	int sep;		/* ',' or ';', as the header has it */
	int writing;		/* the second pass */
	int bad, rows;
	int committed;		/* rows stored in finished batches */
	int committed_line;	/* the last line of those */
	int in_batch;
};

static void
bad_row(struct import_run *r, int line, const char *why)
{
	if (r->how->bad != NULL)
		r->how->bad(r->how->bad_arg, line, why);
	else if (r->bad < ERRORS_SHOWN)
		fprintf(r->err, "%s:%d: %s\n", r->file, line, why);
	r->bad++;
}

/* After a failure: undo the open batch, and say what was kept. */
static void
stop_here(struct import_run *r)
{
	if (r->how->mode == IMPORT_IN_TX)
		return;		/* the caller rolls its transaction back */
	if (r->in_batch > 0) {
		store_rollback(r->st);
		r->in_batch = 0;
	}
	if (r->committed == 0)
		fprintf(r->err, "nothing imported\n");
	else {
		(void)store_sync_wal(r->st);	/* what was kept, on disk */
		fprintf(r->err, "%d rows were imported, up to line %d; run the "
		    "same import again to complete it (rows already there are "
		    "updated, never doubled)\n", r->committed,
		    r->committed_line);
	}
}

static int
store_failed(struct import_run *r, int line)
{
	fprintf(r->err, "%s:%d: cannot store: %s\n", r->file, line,
	    store_errmsg(r->st));
	stop_here(r);
	return -1;
}

static void
pause_for_the_daemon(void)
{
	struct timespec ts = { 0, IMPORT_PAUSE_MS * 1000000L };

	nanosleep(&ts, NULL);
}

static int
batch_end(struct import_run *r, int line)
{
	if (r->in_batch == 0)
		return 0;
	if (store_commit(r->st) != 0)
		return store_failed(r, line);
	r->committed += r->in_batch;
	r->committed_line = line;
	r->in_batch = 0;
	pause_for_the_daemon();
	return 0;
}

/* Store one checked row, in the open batch or a new one. */
static int
put_row(struct import_run *r, char **cells, int n, int line)
{
	if (r->how->mode == IMPORT_IN_TX) {
		if (r->ops->put(r->arg, r->st, cells, n) != 0)
			return store_failed(r, line);
		return 0;
	}
	if (r->in_batch == 0 && store_begin_relaxed(r->st) != 0)
		return store_failed(r, line);
	r->in_batch++;
	if (r->ops->put(r->arg, r->st, cells, n) != 0)
		return store_failed(r, line);
	if (r->in_batch == IMPORT_BATCH)
		return batch_end(r, line);
	return 0;
}

/* Note the key of the row at line; 0, or -1 once said why (a row that
 * repeats one is a bad row, not a failure). */
static int
note_key(struct import_run *r, int line)
{
	const char *key = r->ops->key ? r->ops->key(r->arg) : NULL;
	char why[256];
	int first = 0;

	if (key == NULL || r->writing)
		return 0;
	switch (store_import_key(r->keys, key, line, &first)) {
	case 1:
		return 0;
	case 0:
		snprintf(why, sizeof(why), "%s is on line %d and line %d", key,
		    first, line);
		bad_row(r, line, why);
		return 0;
	default:
		fprintf(r->err, "%s:%d: %s\n", r->file, line,
		    store_errmsg(r->st));
		return -1;
	}
}

static int
blank_row(char **cells, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (cells[i][strspn(cells[i], " \t")] != '\0')
			return 0;
	return 1;
}

/* One streaming pass over the file; 0, or -1 once said why. */
static int
pass(struct import_run *r)
{
	char buf[4096], *cells[IMPORT_CELLS], why[256];
	const char *err;
	FILE *f = r->how->data != NULL ? fmemopen((void *)r->how->data,
	    r->how->len, "r") : csv_open(r->file);
	int i, n, lines = 0, line = 1, rc = -1;

	if (f == NULL) {
		fprintf(r->err, "%s: %s\n", r->file, strerror(errno));
		return -1;
	}
	r->rows = 0;
	r->sep = 0;	/* the header's first ',' or ';' says which */
	for (;;) {
		line = lines + 1;
		n = csv_read_row_sep(f, &r->sep, buf, sizeof(buf), cells,
		    IMPORT_CELLS, &lines);
		if (n == CSV_READ_ERROR) {
			fprintf(r->err, "%s:%d: cannot read the file: %s\n",
			    r->file, line, strerror(errno));
			stop_here(r);
			goto out;
		}
		if (line == 1) {
			if (n > 0)
				cells[0] = csv_skip_bom(cells[0]);
			if (n <= 0 || r->ops->header(r->arg, cells, n) != 0) {
				fprintf(r->err, "%s:1: expected a header %s "
				    "(cells separated by , or ;)\n", r->file,
				    r->ops->columns);
				goto out;
			}
			continue;
		}
		if (n == 0)
			break;
		if (n > 0 && blank_row(cells, n))
			continue;	/* Excel keeps ";;;" for a row emptied */
		for (i = 0; i < n; i++)
			cells[i] = csv_unguard(cells[i]);
		err = n < 0 ? "malformed row" : r->ops->check(r->arg, r->st,
		    cells, n, why, sizeof(why));
		if (err != NULL && r->writing) {
			/* it passed the first pass: the file changed */
			fprintf(r->err, "%s:%d: %s (changed since it was "
			    "checked?)\n", r->file, line, err);
			stop_here(r);
			goto out;
		}
		if (err != NULL) {
			bad_row(r, line, err);
			if (n < 0)
				break;	/* past a bad quote, lines mean nothing */
			continue;
		}
		if (note_key(r, line) != 0)
			goto out;
		r->rows++;
		if (r->writing && put_row(r, cells, n, line) != 0)
			goto out;
	}
	if (r->writing && r->how->mode == IMPORT_IN_TX) {
		rc = 0;
		goto out;
	}
	if (r->writing && batch_end(r, line) != 0)
		goto out;
	if (r->writing && store_sync_wal(r->st) != 0) {
		fprintf(r->err, "%s: cannot sync the database: %s\n", r->file,
		    store_errmsg(r->st));
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

/* A header cell names the column in any case, with spaces around. */
static int
header_is(const char *cell, const char *name)
{
	size_t len = strlen(name);

	while (isspace((unsigned char)*cell))
		cell++;
	if (strncasecmp(cell, name, len) != 0)
		return 0;
	for (cell += len; isspace((unsigned char)*cell); cell++)
		;
	return *cell == '\0';
}

int
csv_import_columns(char **cells, int n, const char *const *names,
    int nnames, int nrequired, int *col)
{
	int i, k;

	for (k = 0; k < nnames; k++) {
		col[k] = -1;
		for (i = 0; i < n; i++)
			if (header_is(cells[i], names[k]))
				col[k] = i;
		if (col[k] < 0 && k < nrequired)
			return -1;
	}
	return 0;
}

int
csv_import(struct store *st, struct import_how *how,
    const struct import_ops *ops, void *arg)
{
	struct import_run r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.st = st;
	r.file = how->name;
	r.how = how;
	r.err = how->err != NULL ? how->err : stderr;
	r.ops = ops;
	r.arg = arg;
	how->rows = how->bad_rows = 0;
	if (how->mode == IMPORT_IN_TX) {
		/* checked just before (the keys' table cannot be made
		 * inside a transaction) */
		r.writing = 1;
		return pass(&r) != 0 ? -1 : (how->rows = r.rows);
	}
	if (ops->key != NULL && (r.keys = store_import_keys_open(st)) == NULL) {
		fprintf(r.err, "%s: %s\n", r.file, store_errmsg(st));
		return -1;
	}
	rc = pass(&r);
	store_import_keys_close(r.keys);
	how->rows = r.rows;
	how->bad_rows = r.bad;
	if (rc != 0)
		return -1;
	if (r.bad) {
		if (r.bad > ERRORS_SHOWN && how->bad == NULL)
			fprintf(r.err, "... and %d more\n", r.bad - ERRORS_SHOWN);
		fprintf(r.err, "%d bad row%s: nothing imported\n", r.bad,
		    r.bad == 1 ? "" : "s");
		return -1;
	}
	if (how->mode == IMPORT_CHECK)
		return r.rows;
	r.writing = 1;
	if (pass(&r) != 0)
		return -1;
	return r.rows;
}
