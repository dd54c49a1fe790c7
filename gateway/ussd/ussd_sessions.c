#include "gateway/ussd/ussd_sessions.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NBUCKETS 1024

struct entry {
	struct ussd_session_row row;	/* first: a row pointer is an entry */
	int dirty;
	struct ussd_cache cache;
	struct entry *next;
};

struct ussd_sessions {
	struct entry *bucket[NBUCKETS];
};

static unsigned
hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h % NBUCKETS;
}

struct ussd_sessions *
ussd_sessions_new(void)
{
	return calloc(1, sizeof(struct ussd_sessions));
}

void
ussd_sessions_free(struct ussd_sessions *c)
{
	struct entry *e, *n;
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < NBUCKETS; i++)
		for (e = c->bucket[i]; e; e = n) {
			n = e->next;
			free(e);
		}
	free(c);
}

/* Unlink and free the entry *pp. */
static void
drop(struct entry **pp)
{
	struct entry *e = *pp;

	*pp = e->next;
	free(e);
}

struct ussd_session_row *
ussd_sessions_get(struct ussd_sessions *c, struct store *st, const char *id,
    long long gone, int *err)
{
	struct entry **pp, *e;
	unsigned h = hash(id);
	int rc;

	*err = 0;
	for (pp = &c->bucket[h]; (e = *pp) != NULL; pp = &e->next) {
		if (strcmp(e->row.id, id) != 0)
			continue;
		if (e->row.last_at >= gone)
			return &e->row;
		/* not flushed out yet: the id is free all the same */
		drop(pp);
		return NULL;
	}
	/* Not in memory: a session from before a restart, maybe. */
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		*err = 1;
		return NULL;
	}
	if ((rc = store_ussd_session_get(st, id, &e->row)) != 1 ||
	    e->row.last_at < gone) {
		free(e);
		*err = rc < 0;
		return NULL;
	}
	e->cache.typed_n = -1;
	e->next = c->bucket[h];
	c->bucket[h] = e;
	return &e->row;
}

struct ussd_session_row *
ussd_sessions_add(struct ussd_sessions *c, const char *id)
{
	struct entry *e = calloc(1, sizeof(*e));
	unsigned h = hash(id);
	size_t n = strlen(id);

	if (e == NULL)
		return NULL;
	if (n >= sizeof(e->row.id)) {
		free(e);
		return NULL;
	}
	memcpy(e->row.id, id, n);
	e->cache.typed_n = -1;
	e->dirty = 1;
	e->next = c->bucket[h];
	c->bucket[h] = e;
	return &e->row;
}

void
ussd_sessions_renew(struct ussd_sessions *c, struct ussd_session_row *r)
{
	struct entry *e = (struct entry *)r;
	char id[sizeof(r->id)];

	(void)c;
	memcpy(id, r->id, sizeof(id));
	memset(&e->row, 0, sizeof(e->row));
	memcpy(e->row.id, id, sizeof(id));
	memset(&e->cache, 0, sizeof(e->cache));
	e->cache.typed_n = -1;
	e->dirty = 1;
}

struct ussd_cache *
ussd_sessions_cache(struct ussd_session_row *r)
{
	return &((struct entry *)r)->cache;
}

void
ussd_sessions_touch(struct ussd_sessions *c, struct ussd_session_row *r)
{
	(void)c;
	((struct entry *)r)->dirty = 1;
}

int
ussd_sessions_flush(struct ussd_sessions *c, struct store *st, long long now,
    long long keep)
{
	struct entry **pp, *e;
	int i, any = 0;

	for (i = 0; i < NBUCKETS && !any; i++)
		for (e = c->bucket[i]; e && !any; e = e->next)
			any = e->dirty;
	if (any) {
		if (store_begin_relaxed(st) != 0)
			return -1;
		for (i = 0; i < NBUCKETS; i++)
			for (e = c->bucket[i]; e; e = e->next)
				if (e->dirty &&
				    store_ussd_session_put(st, &e->row) != 0) {
					store_rollback(st);
					return -1;
				}
		if (store_commit(st) != 0) {
			store_rollback(st);
			return -1;
		}
	}
	for (i = 0; i < NBUCKETS; i++)
		for (pp = &c->bucket[i]; (e = *pp) != NULL;) {
			e->dirty = 0;
			if (now - e->row.last_at > keep)
				drop(pp);
			else
				pp = &e->next;
		}
	return 0;
}
