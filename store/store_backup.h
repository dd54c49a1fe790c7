/*
 * store_backup: whole copies of the database file, for `kentongan backup`,
 * `restore` and the daemon's daily copies. A copy is made under a
 * temporary name beside where it goes, synced, checked with PRAGMA
 * integrity_check and only then given its name: a name that exists always
 * holds a whole database that passed the check.
 *
 * These functions open connections of their own (never the daemon's) and
 * may block for as long as the disk takes: the daemon calls them on a
 * thread. They never log; the reason for a failure goes to err.
 */
#ifndef KENTONGAN_STORE_BACKUP_H
#define KENTONGAN_STORE_BACKUP_H

#include <stdatomic.h>
#include <stddef.h>

#define STORE_PATH_MAX		4096
/* What store_copy_make adds to the destination's name while it writes,
 * then six random characters. */
#define STORE_COPY_PARTIAL	".tmp-"

/* What a database file holds, as far as a restore needs to know. */
struct store_file_info {
	int version;			/* PRAGMA user_version */
	long long bytes;		/* pages in use, in bytes */
	long long last_message;		/* the newest message's id; 0: none */
	long long last_received;	/* when it came, Unix seconds */
};

/* A copy written and checked under a temporary name. */
struct store_copy {
	char tmp[STORE_PATH_MAX];
	char dest[STORE_PATH_MAX];
	struct store_file_info info;
	double seconds;			/* copying and checking took */
};

/* The schema version this program writes (and the newest it opens). */
int store_schema_version(void);

/*
 * Copy the database at src, as one snapshot of its committed state, to
 * a temporary name beside dest (dest's name + STORE_COPY_PARTIAL + six
 * characters, mode 0600), while other processes and threads go on
 * reading and writing it. The copy is a single file (no WAL), synced,
 * and has passed PRAGMA integrity_check. dest is not touched: place the
 * copy with store_copy_place, or drop it with store_copy_discard. When
 * *cancel becomes non-zero the copy stops within a few megabytes. 0, or
 * -1 with the reason in err (nothing is left behind).
 */
int store_copy_make(const char *src, const char *dest,
    const atomic_int *cancel, struct store_copy *, char *err, size_t errlen);
/* Give the copy dest's name (never replacing a file there) and sync the
 * folder. 0, or -1 with the reason in err (the copy stays for
 * store_copy_discard). */
int store_copy_place(struct store_copy *, char *err, size_t errlen);
/* Remove a copy that was not placed; a no-op once placed. */
void store_copy_discard(struct store_copy *);

/*
 * Check a database file without writing to it: it opens read-only,
 * passes PRAGMA integrity_check, is Kentongan's (it has the messages
 * table) and its schema is not newer than this program's. 0 with *info
 * filled, or -1 with the reason in err.
 */
int store_file_check(const char *path, struct store_file_info *info,
    char *err, size_t errlen);

/*
 * Move the database at path and whatever SQLite keeps beside it (-wal,
 * -shm, -journal) to path.TAG, path.TAG-wal and so on, never replacing
 * a file; all or nothing. The names moved, as "-wal, -shm" after the
 * database, go to moved. Returns how many files moved (0 when none was
 * there), or -1 with the reason in err.
 */
int store_move_aside(const char *path, const char *tag, char *moved,
    size_t movedlen, char *err, size_t errlen);
/* Undo store_move_aside: path.TAG and the rest back to their names. */
int store_move_back(const char *path, const char *tag, char *err,
    size_t errlen);

#endif
