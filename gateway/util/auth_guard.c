#include "gateway/util/auth_guard.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PROBES		8	/* slots tried for one source */
#define FORGET_AFTER	900	/* seconds without a failure: a clean slate */
#define KEY_MAX		(INET6_ADDRSTRLEN + 4)

struct source {
	char key[KEY_MAX];	/* "" when the slot is free */
	unsigned failures;	/* in a row */
	double last_fail, locked_until, logged_at;
	unsigned long failed, refused;	/* untold */
};

struct auth_guard {
	struct source slot[AUTH_GUARD_SOURCES];
};

struct auth_guard *
auth_guard_new(void)
{
	return calloc(1, sizeof(struct auth_guard));
}

void
auth_guard_free(struct auth_guard *g)
{
	free(g);
}

/* The key addr counts under: an IPv6 address by its /64. */
static void
source_key(const char *addr, char *key)
{
	struct in6_addr a6;
	char buf[INET6_ADDRSTRLEN];

	if (inet_pton(AF_INET6, addr, &a6) == 1 &&
	    !IN6_IS_ADDR_V4MAPPED(&a6)) {
		memset(a6.s6_addr + 8, 0, 8);
		if (inet_ntop(AF_INET6, &a6, buf, sizeof(buf)) != NULL) {
			snprintf(key, KEY_MAX, "%s/64", buf);
			return;
		}
	}
	snprintf(key, KEY_MAX, "%s", addr);
}

static unsigned
hash(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

/* The slot of addr; when create, a new one if none (taking the stalest of
 * its probes when all are used), else NULL. */
static struct source *
find(struct auth_guard *g, const char *addr, int create)
{
	char key[KEY_MAX];
	struct source *s, *stalest = NULL;
	unsigned h, i;

	source_key(addr, key);
	h = hash(key);
	for (i = 0; i < PROBES; i++) {
		s = &g->slot[(h + i) % AUTH_GUARD_SOURCES];
		if (!strcmp(s->key, key))
			return s;
		if (stalest == NULL || s->key[0] == '\0' ||
		    (stalest->key[0] != '\0' &&
		    s->last_fail < stalest->last_fail))
			stalest = s;
	}
	if (!create)
		return NULL;
	memset(stalest, 0, sizeof(*stalest));
	memcpy(stalest->key, key, sizeof(key));
	return stalest;
}

double
auth_guard_check(struct auth_guard *g, const char *addr, double now)
{
	struct source *s = find(g, addr, 0);

	if (s == NULL || s->locked_until <= now)
		return 0;
	s->refused++;
	return s->locked_until - now;
}

void
auth_guard_failed(struct auth_guard *g, const char *addr, double now)
{
	struct source *s = find(g, addr, 1);
	unsigned over;
	double lock;

	if (s->failures > 0 && now - s->last_fail > FORGET_AFTER)
		s->failures = 0;
	s->failures++;
	s->failed++;
	s->last_fail = now;
	if (s->failures < AUTH_GUARD_FREE)
		return;
	/* 1 s after the FREE-th failure, doubling with each one after */
	over = s->failures - AUTH_GUARD_FREE;
	lock = over < 16 ? (double)(1u << over) : AUTH_GUARD_MAX_LOCK;
	s->locked_until = now + (lock < AUTH_GUARD_MAX_LOCK ? lock :
	    AUTH_GUARD_MAX_LOCK);
}

void
auth_guard_passed(struct auth_guard *g, const char *addr)
{
	struct source *s = find(g, addr, 0);

	/* what it did before is still told once */
	if (s != NULL)
		s->failures = 0;
}

void
auth_guard_report(struct auth_guard *g, double now, int all,
    void (*fn)(void *, const struct auth_guard_line *), void *arg)
{
	struct auth_guard_line l;
	struct source *s;
	size_t i;

	for (i = 0; i < AUTH_GUARD_SOURCES; i++) {
		s = &g->slot[i];
		if (s->key[0] == '\0' || (s->failed == 0 && s->refused == 0))
			continue;
		if (!all && s->logged_at != 0 &&
		    now - s->logged_at < AUTH_GUARD_LOG_EVERY)
			continue;
		l.source = s->key;
		l.failed = s->failed;
		l.refused = s->refused;
		l.failures = s->failures;
		l.locked_for = s->locked_until > now ? s->locked_until - now : 0;
		fn(arg, &l);
		s->failed = s->refused = 0;
		s->logged_at = now;
	}
}
