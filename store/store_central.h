/*
 * store: what the central database gets (docs/central.md). Triggers
 * (migration 21) write every change of a message, record, ticket or
 * contact to central_changes in the change's own transaction while
 * capture is on; the pusher reads them in order on a connection of its
 * own, reads each row as central takes it, and the loop deletes what
 * central has committed.
 */
#ifndef KENTONGAN_STORE_CENTRAL_H
#define KENTONGAN_STORE_CENTRAL_H

#include <stddef.h>

struct store;

#define CENTRAL_KEY_MAX	64	/* an id, or a number */

/* One captured change: the row tbl/key changed at seq. tbl is "in" or
 * "out" (a message), "records", "tickets", "contacts" or "villages". */
struct central_change {
	long long seq;
	char tbl[12];
	char key[CENTRAL_KEY_MAX];
};

/* The state `status` shows. */
struct central_status {
	int enabled;
	char site[64];
	long long pushed_seq, last_push_at, backlog, error_since, updated_at;
	char last_error[256];
};

/*
 * Capture for site: when it was off or for another site, every row now
 * in the file becomes a change (central gets all of it), in one
 * transaction. key (keylen bytes) becomes the numbers' hash key if none
 * is kept yet. *rows gets how many changes that made (0 when capture was
 * on already). 0, or -1.
 */
int store_central_enable(struct store *, const char *site,
    const unsigned char *key, size_t keylen, long long *rows);
/* Capture off ([central] taken out of the configuration): the changes
 * not pushed are dropped; enabling again sends every row. */
int store_central_disable(struct store *);
/* The numbers' hash key into key (cap bytes); its length, or -1. */
int store_central_key(struct store *, unsigned char *key, size_t cap);
/* The changes after seq in order, at most max; how many, or -1. */
int store_central_changes(struct store *, long long after,
    struct central_change *out, int max);
/* How many changes wait after seq; -1 on an error. */
long long store_central_backlog(struct store *, long long after);

/* The columns of a row as central takes it, in the order of
 * docs/central.md; values[i] NULL for SQL NULL. */
typedef int (*central_row_fn)(void *arg, int n, const char *const *values);
/* Read row key of tbl and call fn once; 1, 0 when the row is gone (a
 * contact removed), -1 on an error. */
int store_central_row(struct store *, const char *tbl, const char *key,
    central_row_fn fn, void *arg);
/* Central committed everything up to seq: drop those changes, and
 * record the push and what still waits. 0, or -1. */
int store_central_pushed(struct store *, long long seq, long long backlog,
    long long now);
/* A push failed: record why (error_since is kept from the first). */
int store_central_failed(struct store *, const char *error, long long now);
/* Central has seen changes of this site up to seq, past this file's (a
 * copy restored, a site name reused): the counter moves past seq and
 * every row becomes a change again. 0, or -1. */
int store_central_reseed(struct store *, long long seq);
/* The highest change number this file has given; -1 on an error. */
long long store_central_last_seq(struct store *);
int store_central_status(struct store *, struct central_status *);

#endif
