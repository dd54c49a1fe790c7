/*
 * The keys of an import's rows (a contact's number), to find one that a
 * file holds twice without holding the file in memory: a TEMP table, with
 * this connection's temporary storage moved to a file for as long as it
 * exists. store_open keeps temporary data in memory (the daemon's
 * savepoints); a 100 MB file has about 2 million numbers, which there
 * would grow the process by as much again. In a file, SQLite keeps at
 * most KEYS_CACHE (4 MB) of it in memory and the rest on disk (SQLITE_TMPDIR,
 * TMPDIR or /var/tmp), and deletes the file when the table goes.
 */
#include "store/store_int.h"

#include <stdlib.h>

#define KEYS_CACHE	"-4096"	/* PRAGMA cache_size: KiB when negative */
/* Inserts per transaction: one each would journal each one. */
#define KEYS_BATCH	5000

struct import_keys {
	struct store *st;
	sqlite3_stmt *add, *find;
	int pending;		/* inserts in the open transaction */
};

static int
keys_exec(struct store *st, const char *sql)
{
	int rc = sqlite3_exec(st->db, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? 0 : store_fail(st, rc);
}

struct import_keys *
store_import_keys_open(struct store *st)
{
	struct import_keys *k;

	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	k->st = st;
	if (keys_exec(st, "PRAGMA temp_store=FILE") != 0 ||
	    keys_exec(st, "CREATE TEMP TABLE import_keys (key TEXT PRIMARY"
	    " KEY, line INTEGER NOT NULL) WITHOUT ROWID") != 0 ||
	    keys_exec(st, "PRAGMA temp.cache_size=" KEYS_CACHE) != 0)
		goto fail;
	if (sqlite3_prepare_v2(st->db, "INSERT INTO temp.import_keys (key,"
	    " line) VALUES (?1, ?2) ON CONFLICT DO NOTHING", -1, &k->add,
	    NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(st->db, "SELECT line FROM temp.import_keys"
	    " WHERE key = ?1", -1, &k->find, NULL) != SQLITE_OK) {
		store_fail(st, sqlite3_errcode(st->db));
		goto fail;
	}
	return k;
fail:
	store_import_keys_close(k);
	return NULL;
}

int
store_import_key(struct import_keys *k, const char *key, int line,
    int *first_line)
{
	int rc, seen;

	if (k->pending == 0 && keys_exec(k->st, "BEGIN") != 0)
		return -1;
	store_bind_text(k->add, 1, key);
	sqlite3_bind_int(k->add, 2, line);
	rc = sqlite3_step(k->add);
	sqlite3_reset(k->add);
	if (rc != SQLITE_DONE)
		return store_fail(k->st, rc);
	if ((seen = sqlite3_changes(k->st->db) == 0)) {
		store_bind_text(k->find, 1, key);
		rc = sqlite3_step(k->find);
		*first_line = sqlite3_column_int(k->find, 0);
		sqlite3_reset(k->find);
		if (rc != SQLITE_ROW)
			return store_fail(k->st, rc);
	}
	/* a read of the main database in the same transaction (a village
	 * looked up) holds its snapshot only until here */
	if (++k->pending == KEYS_BATCH) {
		k->pending = 0;
		if (keys_exec(k->st, "COMMIT") != 0)
			return -1;
	}
	return seen ? 0 : 1;
}

void
store_import_keys_close(struct import_keys *k)
{
	if (k == NULL)
		return;
	sqlite3_finalize(k->add);
	sqlite3_finalize(k->find);
	if (k->pending > 0)
		sqlite3_exec(k->st->db, "COMMIT", NULL, NULL, NULL);
	sqlite3_exec(k->st->db, "DROP TABLE IF EXISTS temp.import_keys",
	    NULL, NULL, NULL);
	/* back to memory, as store_open set it, for the rest of the run */
	sqlite3_exec(k->st->db, "PRAGMA temp_store=MEMORY", NULL, NULL, NULL);
	free(k);
}
