#include "gateway/util/login_guard.h"

#include <stdlib.h>
#include <string.h>

#define KEY_MAX	96

struct entry {
	char key[KEY_MAX];	/* "" free */
	double fails[LOGIN_GUARD_FAILS];	/* a ring, the newest at last */
	int n, last;
	double touched;
};

struct login_guard {
	struct entry e[LOGIN_GUARD_KEYS];
};

struct login_guard *
login_guard_new(void)
{
	return calloc(1, sizeof(struct login_guard));
}

void
login_guard_free(struct login_guard *g)
{
	free(g);
}

static struct entry *
find(struct login_guard *g, const char *key)
{
	int i;

	for (i = 0; i < LOGIN_GUARD_KEYS; i++)
		if (g->e[i].key[0] != '\0' && !strncmp(g->e[i].key, key,
		    KEY_MAX - 1))
			return &g->e[i];
	return NULL;
}

double
login_guard_wait(struct login_guard *g, const char *key, double now)
{
	struct entry *e = find(g, key);
	double oldest;

	if (e == NULL || e->n < LOGIN_GUARD_FAILS)
		return 0;
	/* the ring is full: the slot after the newest holds the oldest */
	oldest = e->fails[(e->last + 1) % LOGIN_GUARD_FAILS];
	if (now - oldest >= LOGIN_GUARD_WINDOW)
		return 0;
	return LOGIN_GUARD_WINDOW - (now - oldest);
}

void
login_guard_failed(struct login_guard *g, const char *key, double now)
{
	struct entry *e = find(g, key);
	int i;

	if (e == NULL) {
		e = &g->e[0];
		for (i = 0; i < LOGIN_GUARD_KEYS; i++) {
			if (g->e[i].key[0] == '\0') {
				e = &g->e[i];
				break;
			}
			if (g->e[i].touched < e->touched)
				e = &g->e[i];
		}
		memset(e, 0, sizeof(*e));
		strncpy(e->key, key, KEY_MAX - 1);
		e->last = LOGIN_GUARD_FAILS - 1;
	}
	e->last = (e->last + 1) % LOGIN_GUARD_FAILS;
	e->fails[e->last] = now;
	if (e->n < LOGIN_GUARD_FAILS)
		e->n++;
	e->touched = now;
}

void
login_guard_passed(struct login_guard *g, const char *key)
{
	struct entry *e = find(g, key);

	if (e != NULL)
		memset(e, 0, sizeof(*e));
}
